/*
 * pufa calendar.js: brings "today"-dependent calendar text up to date in the reader's browser.
 *
 * Progressive enhancement: the server-rendered text is the fallback, and the script only replaces
 * text when its data covers the day. Dependency-free; load it with <script defer>. It also re-runs
 * on Material for MkDocs instant navigation (document$) when that is present.
 *
 * DOM contract
 *
 *   <script type="application/json" id="pufa-calendar-data"> … (closing script tag)
 *       The output of pufa.calendar.browser_json(): {"zone", "from", "until", "events": {slug:
 *       {"kind": "observance"|"local", "rule": "fixed"|"weekday"|"lunar"|"announced"|"",
 *        "occurrences": [[start, end], …], "window": {…} (announced days with dates entered before)}}}
 *       with ISO dates ("2026-03-30") or naive Asia/Shanghai date-times ("2026-04-18T09:30"), end
 *       inclusive, sorted by start. "window" is the usual window ({"start": [month, day], "end": [month, day],
 *       "due_days", "due", "missed"}: pufa.calendar.usual_window and its texts).
 *
 *   <span data-pufa-event="<slug>" data-pufa-show="status|next|countdown">server text</span>
 *       status     进行中 / 今天 / 还有 N 天 / 待公布 / 往年在…举办… / 今年的日期未录入… / 已结束
 *                  (as Python status(...).text)
 *       next       dates of the running or next occurrence, e.g. 2026年5月1日至5月31日, or the status
 *                  label when there is none (as Python status(...).when)
 *       countdown  days until the next occurrence starts, digits only, 0 today or while running
 *                  (as Python status(...).days); the element is hidden when there is no next one
 *
 *   <ul data-pufa-upcoming> <li data-pufa-end="2026-03-30">…</li> … <li data-pufa-empty hidden>暂无</li> </ul>
 *       Items whose data-pufa-end (last day, ISO) is before today are hidden; the optional
 *       [data-pufa-empty] item is shown when no item is left.
 *
 * This file contains no closing script tag, so it may also be inlined into a page.
 *
 * "Today" is the current date in Asia/Shanghai (computed with Intl), whatever the device's zone.
 */
(function () {
  "use strict";

  var DAY_MS = 86400000;
  var ZONE = "Asia/Shanghai";

  // Day number (days since 1970-01-01) of an ISO date or date-time string.
  function dayNumber(iso) {
    return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY_MS;
  }

  function todayInZone(zone) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
      .formatToParts(new Date())
      .forEach(function (p) { parts[p.type] = p.value; });
    return Date.UTC(+parts.year, +parts.month - 1, +parts.day) / DAY_MS;
  }

  function ymd(iso) {
    return +iso.slice(0, 4) + "年" + +iso.slice(5, 7) + "月" + +iso.slice(8, 10) + "日";
  }

  // Mirrors pufa.calendar.date_text.
  function dateText(occ) {
    var start = occ[0], end = occ[1], timed = start.length > 10;
    var text = timed ? ymd(start) + " " + start.slice(11, 16) : ymd(start);
    if (start.slice(0, 10) === end.slice(0, 10)) {
      return timed ? text + "–" + end.slice(11, 16) : text;
    }
    var tail = start.slice(0, 4) === end.slice(0, 4) ? +end.slice(5, 7) + "月" + +end.slice(8, 10) + "日" : ymd(end);
    return text + "至" + tail + (timed ? " " + end.slice(11, 16) : "");
  }

  function yearOf(day) {
    return new Date(day * DAY_MS).getUTCFullYear();
  }

  function monthDay(year, md) {
    return Date.UTC(year, md[0] - 1, md[1]) / DAY_MS;
  }

  // Mirrors pufa.calendar.announced_gap: the due or missed text, or null.
  function gap(event, today) {
    var w = event.window, year = yearOf(today);
    if (!w) return null;
    for (var i = 0; i < event.occurrences.length; i++) {
      if (+event.occurrences[i][0].slice(0, 4) === year) return null;  // this year's dates are entered
    }
    // Window.dates: a 2月29日 bound reads as 3月1日 (start) or 2月28日 (end) in other years.
    var start = w.start[0] === 2 && w.start[1] === 29 ? monthDay(year, [3, 1]) : monthDay(year, w.start);
    var end = w.end[0] === 2 && w.end[1] === 29 ? monthDay(year, [2, 28]) : monthDay(year, w.end);
    if (end < start) end = monthDay(year + 1, w.end);
    if (today > end) return w.missed;
    if (today >= start - w.due_days) return w.due;
    return null;
  }

  // Mirrors pufa.calendar.status: null when the data cannot say.
  function status(event, today) {
    var occ = null;
    for (var i = 0; i < event.occurrences.length; i++) {
      if (dayNumber(event.occurrences[i][1]) >= today) { occ = event.occurrences[i]; break; }
    }
    if (!occ || (event.rule === "announced" && +occ[0].slice(0, 4) > yearOf(today))) {
      if (event.kind === "local") return { text: "已结束", days: null, occ: null };
      if (event.rule !== "announced") return null;
      var missing = gap(event, today);
      if (missing) return { text: missing, days: null, occ: null };
      if (!occ) return { text: "待公布", days: null, occ: null };
    }
    var days = dayNumber(occ[0]) - today;
    if (days > 0) return { text: "还有 " + days + " 天", days: days, occ: occ };
    return { text: days === 0 ? "今天" : "进行中", days: 0, occ: occ };
  }

  function show(el, s) {
    var what = el.getAttribute("data-pufa-show");
    if (what === "status") el.textContent = s.text;
    else if (what === "next") el.textContent = s.occ ? dateText(s.occ) : s.text;
    else if (what === "countdown") {
      if (s.days === null) el.hidden = true;
      else { el.textContent = String(s.days); el.hidden = false; }
    }
  }

  function filterUpcoming(list, today) {
    var left = 0;
    list.querySelectorAll("[data-pufa-end]").forEach(function (item) {
      var past = dayNumber(item.getAttribute("data-pufa-end")) < today;
      item.hidden = past;
      if (!past) left++;
    });
    var empty = list.querySelector("[data-pufa-empty]");
    if (empty) empty.hidden = left > 0;
  }

  function run() {
    var source = document.getElementById("pufa-calendar-data");
    if (!source) return;
    var data;
    try { data = JSON.parse(source.textContent); } catch (e) { return; }
    var today = todayInZone(data.zone || ZONE);
    // Outside the window the data was built for, the server text is as good as anything.
    if (today < dayNumber(data.from) || today > dayNumber(data.until)) return;
    document.querySelectorAll("[data-pufa-event][data-pufa-show]").forEach(function (el) {
      var event = data.events[el.getAttribute("data-pufa-event")];
      var s = event && status(event, today);
      if (s) show(el, s);
    });
    document.querySelectorAll("[data-pufa-upcoming]").forEach(function (list) { filterUpcoming(list, today); });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(run); // Material instant navigation swaps pages without reloading scripts
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
