// 朗读: reads the article aloud with the browser's own speech synthesis (no service, no network).
// Only the article body is read, without permalinks, buttons, code or the map; it is spoken in
// sentence-sized pieces, because some browsers stall on long utterances.
(function () {
  "use strict";
  var controls = document.querySelector("[data-pufa-read]");
  var article = document.querySelector("article.md-content__inner");
  var synth = window.speechSynthesis;
  if (!controls || !article || !synth || typeof window.SpeechSynthesisUtterance !== "function") return;

  var SKIP = ".headerlink, button, .md-button, pre, code, kbd, script, style, svg, noscript, [hidden], " +
    "[aria-hidden='true'], .pufa-map, .md-source-file";
  var BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, dt, dd, th, td, caption, figcaption, blockquote, summary, " +
    "div, section, details, table, tr, ul, ol, dl, br";
  var LONGEST = 120; // characters per utterance
  var start = controls.querySelector("[data-pufa-read-start]");
  var pause = controls.querySelector("[data-pufa-read-pause]");
  var stop = controls.querySelector("[data-pufa-read-stop]");
  var run = 0; // which reading the queued utterances belong to
  var paused = false;

  function chineseVoice() {
    var voices = synth.getVoices() || [];
    var lang = function (v) { return String(v.lang || "").replace("_", "-").toLowerCase(); };
    return voices.filter(function (v) { return lang(v) === "zh-cn"; })[0] ||
      voices.filter(function (v) { return /^(zh|cmn)(-hans)?\b/.test(lang(v)) && !/-(tw|hk|hant)/.test(lang(v)); })[0] ||
      null;
  }

  // The article's text, one line per block, split into sentences and joined up to LONGEST.
  function pieces() {
    var copy = article.cloneNode(true);
    copy.querySelectorAll(SKIP).forEach(function (el) { el.remove(); });
    copy.querySelectorAll(BLOCKS).forEach(function (el) {
      el.insertBefore(document.createTextNode("\n"), el.firstChild);
      el.appendChild(document.createTextNode("\n"));
    });
    var out = [];
    copy.textContent.split(/\n+/).forEach(function (line) {
      line = line.replace(/\s+/g, " ").trim();
      if (!line) return;
      var sentences = line.match(/[^。！？；!?;]+[。！？；!?;]+[”’」』）)]*|[^。！？；!?;]+$/g) || [line];
      var chunk = "";
      sentences.forEach(function (sentence) {
        if (chunk && (chunk + sentence).length > LONGEST) { out.push(chunk); chunk = ""; }
        chunk += sentence;
        while (chunk.length > LONGEST * 2) { out.push(chunk.slice(0, LONGEST)); chunk = chunk.slice(LONGEST); }
      });
      if (chunk.trim()) out.push(chunk.trim());
    });
    return out;
  }

  function finish() {
    var hadFocus = document.activeElement === pause || document.activeElement === stop;
    paused = false;
    pause.textContent = "暂停";
    pause.hidden = true;
    stop.hidden = true;
    if (hadFocus) start.focus(); // a hidden button drops the focus: keep it on the controls
  }

  function read() {
    synth.cancel();
    var texts = pieces();
    if (!texts.length) return;
    var voice = chineseVoice();
    var mine = ++run;
    texts.forEach(function (text, i) {
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = "zh-CN";
      if (voice) utterance.voice = voice;
      utterance.onerror = function (event) {
        if (mine === run && event.error !== "interrupted" && event.error !== "canceled") finish();
      };
      if (i === texts.length - 1) utterance.onend = function () { if (mine === run) finish(); };
      synth.speak(utterance);
    });
    paused = false;
    pause.textContent = "暂停";
    pause.hidden = false;
    stop.hidden = false;
  }

  start.addEventListener("click", read);
  pause.addEventListener("click", function () {
    if (paused) synth.resume(); else synth.pause();
    paused = !paused;
    pause.textContent = paused ? "继续" : "暂停";
  });
  stop.addEventListener("click", function () {
    run++;
    synth.cancel();
    finish();
  });
  window.addEventListener("pagehide", function () { synth.cancel(); });
  synth.getVoices(); // some browsers load their voices only when first asked
  controls.hidden = false;
})();
