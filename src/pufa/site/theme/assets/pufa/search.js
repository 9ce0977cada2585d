/* pufa search. The header's search button is a link to the search page; this script makes it open a
   search dialog instead. Pagefind (pagefind/pagefind.js) and the dialog's styles load only when a reader
   opens search, so pages that are just read pay for this file alone. Browsers without <dialog> or
   dynamic import keep the plain link. */
(function () {
  "use strict";
  var link = document.querySelector("a[data-pufa-search]");
  if (!link || !window.HTMLDialogElement || !("noModule" in HTMLScriptElement.prototype)) return;

  // Weights of the metadata fields written by pufa/search_terms.py (body text counts 1, the summary 2);
  // `title` (the <h1>) already counts as a heading, `keywords` only serves phraseFirst().
  var WEIGHTS = { title: 1, name: 10, terms: 8, talk: 3, keywords: 0 };
  var BATCH = 3; // results shown at a time; each one loads its page's excerpt data (2–6 KB)
  // Pagefind marks Chinese word boundaries with zero-width spaces: not shown.
  var ZWSP = /\u200b/g;
  // Pagefind ends a heading or paragraph with ". " in excerpts; after Chinese text that is "。".
  var WIDE = "[\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u2014\\u2018\\u2019\\u201c\\u201d\\u2026\\u3000-\\u303f\\uff00-\\uffef]";
  var STOP = new RegExp("(" + WIDE + "(?:</mark>)?)\\. ", "g");
  var COMMON = "的了是在和与及或等人日月年个们这那有也就都要会对为以于中上下不之其";
  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter("zh-CN", { granularity: "word" }) : null;

  var dialog, input, status, list, more, opener, pagefind, styles;
  var results = [], shown = 0, query = 0, timer = 0, composing = false;

  function asset(name) { return new URL(link.getAttribute(name), location.href).href; }
  function make(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    return el;
  }
  function clean(text) { return (text || "").replace(ZWSP, ""); }
  function excerptHtml(excerpt) { return clean(excerpt).replace(STOP, "$1。").replace(/<\/mark><mark>/g, ""); }
  // Letters, digits and Han characters only: how a typed phrase and a title are compared.
  function flat(text) { return clean(text).toLowerCase().replace(/[\s\p{P}\p{S}]/gu, ""); }
  // The query's words, without characters nearly every page has (COMMON) when other words remain: each
  // word downloads its index chunk, and theirs are the largest while telling pages apart least.
  function lookup(text) {
    if (!segmenter) return text;
    var all = [];
    for (var it = segmenter.segment(text)[Symbol.iterator](), s = it.next(); !s.done; s = it.next()) {
      if (s.value.isWordLike && all.indexOf(s.value.segment) < 0) all.push(s.value.segment);
    }
    var kept = all.filter(function (w) { return !(w.length === 1 && COMMON.indexOf(w) >= 0); });
    return (kept.length ? kept : all).join(" ") || text;
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
    // Escape in a filled search box would only clear it: close instead (not while an IME composes).
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && !composing && !e.isComposing) { e.preventDefault(); dialog.close(); }
    });
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
        return pf.options({ excerptLength: 40, noWorker: true, ranking: { metaWeights: WEIGHTS } })
          .then(function () { pf.init(); return pf; });
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
      return pf.search(lookup(text));
    }).then(function (found) {
      return phraseFirst((found && found.results) || [], text);
    }).then(function (ranked) {
      if (mine !== query) return; // a newer query is already on its way
      results = ranked;
      shown = 0;
      if (!results.length) { say("没有找到和“" + text + "”有关的内容。换个说法，或少写几个字再试试。"); return; }
      say("找到 " + results.length + " 个相关页面");
      return show(mine);
    }).catch(function () {
      if (mine === query) say("搜索暂时无法使用，请检查网络后再试，或查看网站地图。");
    });
  }

  // Phrase first: in the first batch (its data is loaded to be shown anyway), pages whose name holds the
  // whole typed phrase, or have it as a keyword, go first. Pagefind scores each word on its own, so a
  // page naming every word apart can outrank the one named by the phrase. A 讲稿's title does not count.
  function phraseFirst(found, text) {
    var phrase = flat(text), head = found.slice(0, BATCH);
    return Promise.all(head.map(function (r) { return r.data(); })).then(function (pages) {
      var named = head.map(function (r, i) {
        var meta = pages[i].meta || {};
        r.page = pages[i];
        return (!meta.talk && flat(meta.title).indexOf(phrase) >= 0) ||
          (meta.keywords || "").split("、").some(function (k) { return flat(k) === phrase; });
      });
      var order = head.map(function (r, i) { return i; }).sort(function (a, b) {
        return (named[b] - named[a]) || (a - b);
      });
      return order.map(function (i) { return head[i]; }).concat(found.slice(BATCH));
    });
  }

  function show(mine) {
    var batch = results.slice(shown, shown + BATCH);
    shown += batch.length;
    return Promise.all(batch.map(function (r) { return r.page || r.data(); })).then(function (pages) {
      if (mine !== query) return;
      pages.forEach(function (page) { list.appendChild(hit(page)); });
      more.hidden = shown >= results.length;
    });
  }

  function hit(page) {
    var li = make("li"), a = make("a", "pufa-search__hit");
    a.href = page.url;
    a.append(make("span", "pufa-search__title", clean(page.meta && page.meta.title) || page.url));
    var excerpt = make("span", "pufa-search__excerpt");
    excerpt.innerHTML = excerptHtml(page.excerpt); // Pagefind's excerpt: the page's text with <mark>
    a.appendChild(excerpt);
    li.appendChild(a);
    // Up to two sections of the page (headings with an anchor) where the query occurs most.
    var sections = (page.sub_results || []).filter(function (s) {
      return s.url.indexOf("#") > 0 && s.title !== (page.meta && page.meta.title);
    }).sort(function (a, b) { return (b.locations || []).length - (a.locations || []).length; }).slice(0, 2);
    if (sections.length) {
      var ul = make("ul", "pufa-search__sections");
      sections.forEach(function (s) {
        var sa = make("a", "", clean(s.title));
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
