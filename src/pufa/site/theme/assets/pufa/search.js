/* pufa search. The header's search button is a link to the search page; this script makes it open a
   search dialog instead. Pagefind (pagefind/pagefind.js) and the dialog's styles load only when a reader
   opens search, so pages that are just read pay for this file alone. Browsers without <dialog> or
   dynamic import keep the plain link. */
(function () {
  "use strict";
  var link = document.querySelector("a[data-pufa-search]");
  if (!link || !window.HTMLDialogElement || !("noModule" in HTMLScriptElement.prototype)) return;

  // Han characters, exactly as pufa/search.py indexes them: one character per word.
  var HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
  var SPLIT = new RegExp("[" + HAN + "]", "gu");
  // A space the index put between two Han characters or Chinese punctuation, around <mark> tags.
  var WIDE = "[" + HAN + "\\u2014\\u2018\\u2019\\u201c\\u201d\\u2026\\u3000-\\u303f\\uff00-\\uffef]";
  var JOIN = new RegExp("(" + WIDE + "(?:</mark>)?)\\s+(?=(?:<mark>)?" + WIDE + ")", "gu");
  // Pagefind ends a heading or paragraph with ". " in excerpts; between Chinese text that is "。".
  var STOP = new RegExp("(" + WIDE + "(?:</mark>)?)\\. (?=(?:<mark>)?" + WIDE + ")", "gu");
  // A lone highlighted character of a longer query is noise (守护 for 保护): not highlighted.
  var LONE = new RegExp("<mark>([" + HAN + "])</mark>", "gu");
  var BATCH = 5; // results shown at a time; each one loads its page's excerpt data (a few KB)

  var dialog, input, status, list, more, opener, pagefind, styles;
  var results = [], shown = 0, query = 0, timer = 0, composing = false, searched = "";

  function asset(name) { return new URL(link.getAttribute(name), location.href).href; }
  function make(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    return el;
  }
  // The index has a space around every Han character; readers see the text without them.
  function joined(text) {
    return (text || "").replace(/\s+<\/mark>/g, "</mark> ").replace(JOIN, "$1").replace(STOP, "$1。")
      .replace(/<\/mark><mark>/g, "");
  }
  function highlighted(excerpt, text) {
    var html = joined(excerpt);
    return (text.match(SPLIT) || []).length > 1 ? html.replace(LONE, "$1") : html;
  }
  function say(text) { status.textContent = text; }

  function build() {
    dialog = make("dialog", "pufa-search");
    dialog.setAttribute("aria-label", "搜索");
    var form = make("form", "pufa-search__form");
    form.setAttribute("role", "search");
    input = make("input", "pufa-search__input");
    input.type = "search";
    input.placeholder = "输入关键词，如：电信诈骗";
    input.setAttribute("aria-label", "搜索关键词");
    input.setAttribute("enterkeyhint", "search");
    input.autocomplete = "off";
    var close = make("button", "pufa-search__close", "关闭");
    close.type = "button";
    status = make("p", "pufa-search__status");
    status.setAttribute("role", "status");
    list = make("ol", "pufa-search__results");
    more = make("button", "pufa-search__more", "显示更多结果");
    more.type = "button";
    more.hidden = true;
    form.append(input, close);
    dialog.append(form, status, list, more);
    document.body.appendChild(dialog);

    // Chinese input methods compose a word over several keystrokes: search only once it is committed.
    input.addEventListener("compositionstart", function () { composing = true; });
    input.addEventListener("compositionend", function () { composing = false; later(); });
    input.addEventListener("input", function (e) { if (!composing && !e.isComposing) later(); });
    form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(); });
    close.addEventListener("click", function () { dialog.close(); });
    more.addEventListener("click", function () { show(query); });
    dialog.addEventListener("click", function (e) { if (e.target === dialog) dialog.close(); }); // the backdrop
    dialog.addEventListener("keydown", trap);
    dialog.addEventListener("close", function () { if (opener && opener.focus) opener.focus(); });
  }

  // Keep Tab and Shift+Tab inside the dialog.
  function trap(e) {
    if (e.key !== "Tab") return;
    var items = Array.prototype.filter.call(dialog.querySelectorAll("input, button, a[href]"),
      function (el) { return !el.hidden && el.offsetParent !== null; });
    var first = items[0], last = items[items.length - 1];
    if (e.shiftKey && document.activeElement === first) { last.focus(); e.preventDefault(); }
    else if (!e.shiftKey && document.activeElement === last) { first.focus(); e.preventDefault(); }
  }

  function loadStyles() {
    styles = styles || new Promise(function (done) {
      var css = make("link");
      css.rel = "stylesheet";
      css.href = asset("data-pufa-search-css");
      css.onload = css.onerror = done;
      setTimeout(done, 1500); // a slow stylesheet must not keep search closed
      document.head.appendChild(css);
    });
    return styles;
  }

  function loadPagefind() {
    if (!pagefind) {
      pagefind = import(asset("data-pufa-search")).then(function (pf) {
        return pf.options({ excerptLength: 40 }).then(function () { pf.init(); return pf; });
      });
      pagefind.catch(function () { pagefind = null; }); // try again next time (a network hiccup)
    }
    return pagefind;
  }

  function open(e) {
    if (e) e.preventDefault();
    opener = document.activeElement;
    if (!dialog) build();
    loadPagefind().catch(function () {});
    return loadStyles().then(function () {
      if (!dialog.open) dialog.showModal();
      input.focus();
    });
  }

  function later() { clearTimeout(timer); timer = setTimeout(run, 250); }

  function run() {
    var text = input.value.trim(), mine = ++query;
    list.textContent = "";
    more.hidden = true;
    if (!text) { say(""); return; }
    say("正在搜索……");
    loadPagefind().then(function (pf) {
      return pf.search(text.replace(SPLIT, " $& ").replace(/\s+/g, " ").trim());
    }).then(function (found) {
      if (mine !== query) return; // a newer query is already on its way
      results = (found && found.results) || [];
      searched = text;
      shown = 0;
      if (!results.length) { say("没有找到和“" + text + "”有关的内容。换个说法，或少写几个字再试试。"); return; }
      say("找到 " + results.length + " 个相关页面");
      return show(mine);
    }).catch(function () {
      if (mine === query) say("搜索暂时无法使用，请检查网络后再试，或查看网站地图。");
    });
  }

  function show(mine) {
    var batch = results.slice(shown, shown + BATCH);
    shown += batch.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (pages) {
      if (mine !== query) return;
      pages.forEach(function (page) { list.appendChild(hit(page, searched)); });
      more.hidden = shown >= results.length;
    });
  }

  function hit(page, text) {
    var li = make("li"), a = make("a", "pufa-search__hit");
    a.href = page.url;
    a.append(make("span", "pufa-search__title", joined(page.meta && page.meta.title) || page.url));
    var excerpt = make("span", "pufa-search__excerpt");
    excerpt.innerHTML = highlighted(page.excerpt, text); // Pagefind's excerpt: the page's text with <mark>
    a.appendChild(excerpt);
    li.appendChild(a);
    // Up to two sections of the page (headings with an anchor) where the query occurs most.
    var sections = (page.sub_results || []).filter(function (s) {
      return s.url.indexOf("#") > 0 && s.title !== (page.meta && page.meta.title);
    }).sort(function (a, b) { return (b.locations || []).length - (a.locations || []).length; }).slice(0, 2);
    if (sections.length) {
      var ul = make("ul", "pufa-search__sections");
      sections.forEach(function (s) {
        var sa = make("a", "", joined(s.title));
        sa.href = s.url;
        ul.appendChild(make("li")).appendChild(sa);
      });
      li.appendChild(ul);
    }
    return li;
  }

  link.setAttribute("aria-haspopup", "dialog");
  link.addEventListener("click", open);
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || (dialog && dialog.open)) return;
    if (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) return;
    open(e);
  });

  // The search page itself: swap the no-JavaScript text for a button, open search, take ?q=.
  var here = document.querySelector("[data-pufa-search-page]");
  if (here) {
    var fallback = document.querySelector("[data-pufa-search-fallback]");
    if (fallback) fallback.hidden = true;
    here.hidden = false;
    here.querySelector("[data-pufa-search-open]").addEventListener("click", open);
    var q = new URLSearchParams(location.search).get("q");
    open().then(function () { if (q) { input.value = q; run(); } });
  }
})();
