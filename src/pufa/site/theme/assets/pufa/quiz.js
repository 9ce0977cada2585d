/* The self-test and the test paper (pufa/quiz/). Without this script both pages work: the self-test shows
   each answer under <details>, the paper page prints paper 1. With it, the self-test marks each choice and
   gives a score; the paper page draws any paper from the bank exactly as pufa/quiz/paper.py does
   (32-bit FNV-1a of "<seed>:<id>" with MurmurHash3's final mix, then grouped by type), so paper 7 in the browser is paper 7 everywhere. */
(function () {
  "use strict";

  function quiz(box) {  // the questions' container: a <div>, since nothing is ever submitted
    var end = box.querySelector(".pufa-quiz__end");
    var score = box.querySelector(".pufa-quiz__score");
    var sets = box.querySelectorAll("fieldset[data-answer]");
    end.hidden = false;
    box.addEventListener("change", function (event) {
      var input = event.target, set = input.closest("fieldset");
      if (!set || set.hasAttribute("data-chosen")) return;
      var right = input.value === set.getAttribute("data-answer");
      set.setAttribute("data-chosen", input.value);
      set.classList.add(right ? "pufa-quiz--right" : "pufa-quiz--wrong");
      set.querySelector(".pufa-quiz__mark").textContent = right ? "✓ 回答正确" : "✗ 回答错误，正确答案是 " + set.getAttribute("data-answer");
      set.querySelector("details").open = true;
      // The first choice counts: the others are locked, so a score cannot be raised by trying again.
      set.querySelectorAll("input").forEach(function (other) { if (other !== input) other.disabled = true; });
    });
    box.querySelector("[data-pufa-quiz-score]").addEventListener("click", function () {
      var done = 0, right = 0;
      sets.forEach(function (set) {
        var chosen = set.getAttribute("data-chosen");
        if (chosen) { done += 1; if (chosen === set.getAttribute("data-answer")) right += 1; }
      });
      var rest = sets.length - done;
      score.textContent = "答对 " + right + " 题，共 " + sets.length + " 题" + (rest ? "（还有 " + rest + " 题没做）" : "") + "。";
    });
    box.querySelector("[data-pufa-quiz-reset]").addEventListener("click", function () {
      sets.forEach(function (set) {
        set.removeAttribute("data-chosen");
        set.classList.remove("pufa-quiz--right", "pufa-quiz--wrong");
        set.querySelector(".pufa-quiz__mark").textContent = "";
        set.querySelector("details").open = false;
        set.querySelectorAll("input").forEach(function (input) { input.disabled = false; input.checked = false; });
      });
      score.textContent = "";
    });
  }

  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text), hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
    return hash;
  }

  function mix(h) {  // MurmurHash3's fmix32, as paper.py's mix()
    h = (h ^ (h >>> 16)) >>> 0;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    return (h ^ (h >>> 16)) >>> 0;
  }

  function draw(data, count, seed) {
    var ranked = data.questions.map(function (q) { return { q: q, rank: mix(fnv1a(seed + ":" + q.id)) }; });
    ranked.sort(function (a, b) { return a.rank - b.rank || a.q.id - b.q.id; });
    var chosen = ranked.slice(0, count).map(function (r) { return r.q; });
    return data.types.reduce(function (all, type) {
      return all.concat(chosen.filter(function (q) { return q.type === type; }));
    }, []);
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function paper(root) {
    var data = JSON.parse(document.getElementById("pufa-paper-data").textContent);
    var panel = document.querySelector("[data-pufa-paper-form]");
    var inputs = { n: panel.querySelector("input[name=n]"), seed: panel.querySelector("input[name=seed]") };
    var title = root.querySelector("h1").textContent;
    var max = Number(inputs.n.max) || data.questions.length;  // the page says how many a paper may hold
    var seeds = Number(inputs.seed.max) || 9999;
    panel.hidden = false;

    function clamp(value, low, high, fallback) {
      var n = parseInt(value, 10);
      return isNaN(n) ? fallback : Math.min(high, Math.max(low, n));
    }

    function render(count, seed) {
      var chosen = draw(data, count, seed), body = root.querySelector("[data-pufa-paper-body]");
      var key = document.querySelector("[data-pufa-key-body]");
      var meta = "试卷编号 " + seed + " · 共 " + chosen.length + " 题";
      root.querySelector("[data-pufa-paper-meta]").textContent = meta;
      document.querySelector("[data-pufa-key-meta]").textContent = title + " · " + meta;
      body.replaceChildren();
      key.replaceChildren();
      var number = 0, sections = 0;
      data.types.forEach(function (type) {
        var group = chosen.filter(function (q) { return q.type === type; });
        if (!group.length) return;
        var section = el("section", "", "pufa-paper__section"), list = el("ol", "", "pufa-paper__list");
        section.appendChild(el("h2", data.ordinals[sections] + "、" + data.headings[type]));
        sections += 1;
        group.forEach(function (q) {
          number += 1;
          var item = el("li");
          item.value = number;
          item.appendChild(el("p", q.question + "（　　）", "pufa-paper__q"));
          if (q.options.length) {
            var options = el("ul", "", "pufa-paper__options");
            q.options.forEach(function (text, i) { options.appendChild(el("li", data.letters[i] + ". " + text)); });
            item.appendChild(options);
          }
          list.appendChild(item);
          var answer = el("li");
          answer.value = number;
          answer.appendChild(el("strong", q.answer_text));
          answer.appendChild(document.createTextNode("　" + q.explanation + (q.basis ? "（" + q.basis + "）" : "")));
          key.appendChild(answer);
        });
        section.appendChild(list);
        body.appendChild(section);
      });
    }

    function apply(count, seed, remember) {
      inputs.n.value = count;
      inputs.seed.value = seed;
      render(count, seed);
      if (remember) history.replaceState(null, "", "?n=" + count + "&seed=" + seed);
    }

    var params = new URLSearchParams(location.search);
    if (params.has("n") || params.has("seed")) {
      apply(clamp(params.get("n"), 1, max, Number(inputs.n.value)), clamp(params.get("seed"), 1, seeds, 1), false);
    }
    function redraw() { apply(clamp(inputs.n.value, 1, max, 10), clamp(inputs.seed.value, 1, seeds, 1), true); }
    panel.querySelector("[data-pufa-redraw]").addEventListener("click", redraw);
    panel.addEventListener("keydown", function (event) {  // Enter in a number box draws, as a form would
      if (event.key === "Enter" && event.target.tagName === "INPUT") { event.preventDefault(); redraw(); }
    });
    panel.querySelector("[data-pufa-print]").addEventListener("click", function () { window.print(); });
  }

  document.querySelectorAll("[data-pufa-quiz]").forEach(quiz);
  var sheet = document.querySelector("[data-pufa-paper]");
  if (sheet) paper(sheet);
})();
