// 长者模式: the two switches under the header. The inline script in <head> has already applied the
// remembered level (or ?elder=0|1|2) to <html data-pufa-elder> before the first paint; this keeps
// the buttons, the stored choice and the attribute in step.
(function () {
  "use strict";
  var KEY = "pufa.elder";
  var root = document.documentElement;
  var buttons = document.querySelectorAll("[data-pufa-elder-button]");

  function level() {
    return Number(root.getAttribute("data-pufa-elder")) || 0;
  }

  function show() {
    var current = level();
    buttons.forEach(function (button) {
      var wanted = Number(button.getAttribute("data-pufa-elder-button"));
      // 长者模式 is on at either level; 更大字号 only at level 2.
      button.setAttribute("aria-pressed", String(wanted === 1 ? current > 0 : current === wanted));
    });
  }

  function set(value) {
    if (value > 0) root.setAttribute("data-pufa-elder", String(value));
    else root.removeAttribute("data-pufa-elder");
    try { localStorage.setItem(KEY, String(value)); } catch (e) { /* private mode: this page only */ }
    show();
  }

  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      var wanted = Number(button.getAttribute("data-pufa-elder-button"));
      var current = level();
      if (wanted === 1) set(current > 0 ? 0 : 1);
      else set(current === 2 ? 1 : 2);
    });
  });
  show();

  // The ?elder= link has done its work: drop it, so a reload or a shared address follows the switch.
  if (/[?&]elder=/.test(location.search) && window.history && history.replaceState) {
    var url = new URL(location.href);
    url.searchParams.delete("elder");
    history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  }
})();
