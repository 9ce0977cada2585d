"""Events calendar: when observance days and local events fall, and what to show for a day.

Dates come from libraries, not hand-written arithmetic: python-dateutil `rrule` expands fixed and
"nth weekday" rules (the same semantics as the RFC 5545 RRULE we publish), lunar-python converts lunar
dates (pufa.outputs.ics writes the .ics files).

Decisions a reader should know:
- Every function takes `today` (or a year) from the caller, so pages and feeds are reproducible.
- An all-day occurrence has `date` start and end, the end inclusive. A timed local event keeps its naive
  Asia/Shanghai `datetime`s; without `end` it lasts `TIMED_DEFAULT` (two hours), and an all-day local event
  without `end` is a single day.
- Status is worked out per calendar day in Asia/Shanghai: a timed event shows 今天 all day long.
- `announced` entries are the official word: for an announced rule they are the only dates; for a computed
  rule (fixed, weekday, lunar) an entry for a year replaces that year's computed dates and brings the theme
  (e.g. 民法典宣传月's yearly theme).
- The "year" of a lunar occurrence is its lunar year, which is what `first_year` and `announced.year` mean.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.rrule import YEARLY, rrule, weekday
from lunar_python import Lunar, LunarMonth

from pufa.content import vocabulary
from pufa.content.records import AnnouncedRange, Event

TIMED_DEFAULT = dt.timedelta(hours=2)  # a timed local event without `end`
LUNAR_YEARS = 10  # the .ics lists lunar days for `from_year` and the ten years after it
SEARCH_YEARS = 9  # how far next_occurrence looks: enough for a 2月29日 rule across 2100
TZID = "Asia/Shanghai"


@dataclass(frozen=True)
class Occurrence:
    event: Event
    start: dt.date | dt.datetime  # date when all_day, else naive datetime in Asia/Shanghai
    end: dt.date | dt.datetime  # inclusive for all-day dates; the end time for timed events
    all_day: bool = True
    theme: str = ""
    announced: bool = False  # the dates come from an announced range, not from the rule

    @property
    def start_date(self) -> dt.date:
        return _as_date(self.start)

    @property
    def end_date(self) -> dt.date:
        return _as_date(self.end)


@dataclass(frozen=True)
class Status:
    """What the page shows next to an event. `str(status)` is the label."""

    kind: str  # ongoing | today | upcoming | pending | due | missed | ended | none
    text: str  # 进行中 / 今天 / 还有 N 天 / 待公布 / 往年此时举办… / 今年的日期未录入 / 已结束 / "" (kind none)
    days: int | None = None  # days until the next occurrence starts; 0 when today or ongoing
    occurrence: Occurrence | None = None

    @property
    def when(self) -> str:
        """The next occurrence's dates in words, or the label when there is none."""
        return date_text(self.occurrence) if self.occurrence else self.text

    def __str__(self) -> str:
        return self.text


# --- expanding rules ---------------------------------------------------------------------------------


def occurrences(event: Event, start: dt.date, end: dt.date) -> list[Occurrence]:
    """Every occurrence of the event that overlaps the days start…end (inclusive), in date order.

    Events come from the content loader, which has checked their rules; nothing here re-validates them.
    """
    if event.kind == "local":
        found = [local_occurrence(event)]
    elif event.rule.type == "announced":
        found = [announced_occurrence(event, r) for r in event.announced if from_first_year(event, r.year)]
    else:
        # Widen the search so an occurrence that began before `start` and still runs is found.
        longest = max([event.rule.days] + [(r.end - r.start).days + 1 for r in event.announced])
        first = start - dt.timedelta(days=longest - 1)
        found = [occ for _, occ in yearly(event, first.year, end.year)]
    return sorted((o for o in found if o.end_date >= start and o.start_date <= end), key=_order)


def _finite(event: Event) -> bool:
    """Local events and announced rules have a fixed list of dates; the other rules go on forever."""
    return event.kind == "local" or (event.rule is not None and event.rule.type == "announced")


def yearly(event: Event, first_year: int, last_year: int) -> list[tuple[int, Occurrence]]:
    """(rule year, occurrence) for a computed rule, with announced ranges replacing their year."""
    rule = event.rule
    computed = dict(rule_dates(event, first_year, last_year))
    announced = {r.year: r for r in event.announced if first_year <= r.year <= last_year}
    found = []
    for year in sorted(computed.keys() | announced.keys()):
        if not from_first_year(event, year):
            continue
        if year in announced:
            found.append((year, announced_occurrence(event, announced[year])))
        else:
            day = computed[year]
            found.append((year, Occurrence(event, day, day + dt.timedelta(days=rule.days - 1))))
    return found


def rule_dates(event: Event, first_year: int, last_year: int) -> list[tuple[int, dt.date]]:
    """The rule's start dates whose Gregorian year is within first_year…last_year."""
    rule = event.rule
    if rule.type == "lunar":
        # A lunar year's late months fall in the next Gregorian year, so start one lunar year early.
        days = [(year, _lunar_to_solar(year, rule.month, rule.day)) for year in range(first_year - 1, last_year + 1)]
        return [(year, day) for year, day in days if first_year <= day.year <= last_year]
    if rule.type == "fixed":
        by = {"bymonthday": rule.day}
    else:
        by = {"byweekday": weekday(rule.weekday)(rule.ordinal)}
    dates = rrule(
        YEARLY, dtstart=dt.datetime(first_year, 1, 1), until=dt.datetime(last_year, 12, 31), bymonth=rule.month, **by
    )
    return [(d.year, d.date()) for d in dates]


@functools.lru_cache(maxsize=None)  # lunar-python computes a whole year of solar terms per call
def _lunar_to_solar(year: int, month: int, day: int) -> dt.date:
    # 腊月三十 (除夕) means the month's last day: in a 29-day month that is the 29th.
    day = min(day, LunarMonth.fromYm(year, month).getDayCount())
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def announced_occurrence(event: Event, r: AnnouncedRange) -> Occurrence:
    return Occurrence(event, r.start, r.end, theme=r.theme, announced=True)


def local_occurrence(event: Event) -> Occurrence:
    start, end = event.start, event.end
    if isinstance(start, dt.datetime):
        if end is None:
            end = start + TIMED_DEFAULT
        elif not isinstance(end, dt.datetime):  # the loader refuses this; read it as "until that evening"
            end = dt.datetime.combine(end, dt.time(23, 59))
        return Occurrence(event, start, end, all_day=False)
    return Occurrence(event, start, _as_date(end) if end is not None else start)


def from_first_year(event: Event, year: int) -> bool:
    return event.first_year is None or year >= event.first_year


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _order(occ: Occurrence) -> tuple:
    start_time = occ.start.time() if isinstance(occ.start, dt.datetime) else dt.time.min
    return (occ.start_date, start_time, occ.end_date, occ.event.title, occ.event.slug)


# --- what to show on a day ---------------------------------------------------------------------------


def next_occurrence(event: Event, today: dt.date) -> Occurrence | None:
    """The occurrence running today or the first one after it."""
    horizon = dt.date.max if _finite(event) else dt.date(today.year + SEARCH_YEARS, 12, 31)
    found = occurrences(event, today, horizon)
    return found[0] if found else None


DUE_DAYS = 30  # an announced observance's dates are due this long before its usual window


@dataclass(frozen=True)
class Window:
    """When in the year an announced observance has usually been held, learned from the years entered."""

    start: tuple[int, int]  # (month, day) of the earliest start
    end: tuple[int, int]  # (month, day) of the latest end
    years: tuple[int, ...]

    def dates(self, year: int) -> tuple[dt.date, dt.date]:
        start = dt.date(year, *self.start) if self.start != (2, 29) else dt.date(year, 3, 1)
        end = dt.date(year, *self.end) if self.end != (2, 29) else dt.date(year, 2, 28)
        return start, end if end >= start else dt.date(year + 1, *self.end)

    @property
    def text(self) -> str:
        return f"{self.start[0]}月{self.start[1]}日至{self.end[0]}月{self.end[1]}日前后"

    @property
    def due_text(self) -> str:
        return f"往年在{self.text}举办，今年的日期尚未公布"

    @property
    def missed_text(self) -> str:
        return f"今年的日期未录入（往年在{self.text}）"


def usual_window(event: Event) -> Window | None:
    """The usual window of an announced observance, from its entered ranges (None before any is entered)."""
    if event.rule is None or event.rule.type != "announced" or not event.announced:
        return None
    ranges = event.announced
    start = min((r.start.month, r.start.day) for r in ranges)
    end = max((r.end.month, r.end.day) for r in ranges)
    return Window(start, end, tuple(sorted({r.year for r in ranges})))


def announced_gap(event: Event, today: dt.date) -> str | None:
    """"due" from DUE_DAYS before the usual window until it ends, "missed" after it, when this year's
    dates are not entered; None otherwise."""
    window = usual_window(event)
    if window is None or any(r.year == today.year for r in event.announced):
        return None
    start, end = window.dates(today.year)
    if today > end:
        return "missed"
    if today >= start - dt.timedelta(days=DUE_DAYS):
        return "due"
    return None


def status(event: Event, today: dt.date) -> Status:
    """进行中 / 今天 / 还有 N 天 / 待公布 / 已结束, as of `today` in Asia/Shanghai.

    An announced observance whose dates for this year are not entered says so: around its usual window
    (往年此时举办，今年的日期待公布) and after it (今年的日期未录入), rather than a bare 待公布.
    """
    occ = next_occurrence(event, today)
    if occ is None or (event.rule is not None and event.rule.type == "announced" and occ.start_date.year > today.year):
        if event.kind == "local":
            return Status("ended", "已结束")
        if event.rule.type == "announced":
            gap = announced_gap(event, today)
            window = usual_window(event)
            if gap == "due":
                return Status("due", window.due_text)
            if gap == "missed":
                return Status("missed", window.missed_text)
            if occ is not None:
                return _counting(occ, today)
            return Status("pending", "待公布")
        return Status("none", "")
    return _counting(occ, today)


def _counting(occ: Occurrence, today: dt.date) -> Status:
    days = (occ.start_date - today).days
    if days > 0:
        return Status("upcoming", f"还有 {days} 天", days, occ)
    if days == 0:
        return Status("today", "今天", 0, occ)
    return Status("ongoing", "进行中", 0, occ)


def date_text(occ: Occurrence) -> str:
    """The dates in words: 2026年3月30日, 2026年5月1日至5月31日, 2026年4月18日 09:30–11:30."""
    first, last = occ.start_date, occ.end_date
    text = _ymd(first) if occ.all_day else f"{_ymd(first)} {occ.start:%H:%M}"
    if first == last:
        return text if occ.all_day else f"{text}–{occ.end:%H:%M}"
    tail = _ymd(last) if last.year != first.year else f"{last.month}月{last.day}日"
    return f"{text}至{tail}" if occ.all_day else f"{text}至{tail} {occ.end:%H:%M}"


def _ymd(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def upcoming(events: Iterable[Event], today: dt.date, days: int = 60) -> list[Occurrence]:
    """What is on today and in the next `days` days, ongoing ones included, in date order."""
    horizon = today + dt.timedelta(days=days)
    return sorted((o for e in events for o in occurrences(e, today, horizon)), key=_order)


def by_month(events: Iterable[Event], year: int) -> dict[int, list[Occurrence]]:
    """Months 1…12 of `year` (all present) with the occurrences touching each; a span across a month
    boundary is listed in every month it runs in."""
    found = sorted(
        (o for e in events for o in occurrences(e, dt.date(year, 1, 1), dt.date(year, 12, 31))), key=_order
    )
    months: dict[int, list[Occurrence]] = {m: [] for m in range(1, 13)}
    for occ in found:
        first = occ.start_date if occ.start_date.year == year else dt.date(year, 1, 1)
        last = occ.end_date if occ.end_date.year == year else dt.date(year, 12, 31)
        for month in range(first.month, last.month + 1):
            months[month].append(occ)
    return months


# --- data for the browser ----------------------------------------------------------------------------


def browser_data(events: Iterable[Event], today: dt.date, years: int = 2) -> dict:
    """Occurrences as ISO strings for last year … `years` years ahead, keyed by slug, for calendar.js.

    Announced and local events list all their dates. A computed rule lists every occurrence that
    overlaps `from`…`until`, so the script can trust the data for any day in that window.
    """
    first, last = dt.date(today.year - 1, 1, 1), dt.date(today.year + years, 12, 31)
    data: dict[str, dict] = {}
    for event in sorted(events, key=lambda e: e.slug):
        found = occurrences(event, dt.date.min, dt.date.max) if _finite(event) else occurrences(event, first, last)
        data[event.slug] = {
            "kind": event.kind,
            "rule": event.rule.type if event.rule else "",
            "occurrences": [[_iso(o.start), _iso(o.end)] for o in found],
        }
        window = usual_window(event)
        if window is not None:  # lets the script say 往年此时举办… / 今年的日期未录入 as status() does
            data[event.slug]["window"] = {"start": list(window.start), "end": list(window.end), "due_days": DUE_DAYS,
                                          "due": window.due_text, "missed": window.missed_text}
    return {"zone": TZID, "from": first.isoformat(), "until": last.isoformat(), "events": data}


def browser_json(events: Iterable[Event], today: dt.date, years: int = 2) -> str:
    """browser_data as JSON that is safe inside <script type="application/json">."""
    text = json.dumps(browser_data(events, today, years), ensure_ascii=False, separators=(",", ":"))
    # A literal "</script>" in a title would end the element early.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _iso(value: dt.date | dt.datetime) -> str:
    return value.isoformat(timespec="minutes") if isinstance(value, dt.datetime) else value.isoformat()




# --- describing and checking rules ------------------------------------------------------------------


def missing_years(event: Event, first_year: int, years: int = 28) -> list[int]:
    """Years in first_year … first_year + years − 1 in which a computed rule has no day (a fifth Monday of
    February exists only in some leap years). 28 years hold every weekday pattern of the calendar."""
    found = {year for year, _ in rule_dates(event, first_year, first_year + years - 1)}
    return [year for year in range(first_year, first_year + years) if year not in found]


_LUNAR_MONTHS = "正二三四五六七八九十冬腊"
_LUNAR_DAYS = ["初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十",
               "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
               "廿一", "廿二", "廿三", "廿四", "廿五", "廿六", "廿七", "廿八", "廿九", "三十"]
_ORDINALS = {1: "第一个", 2: "第二个", 3: "第三个", 4: "第四个", 5: "第五个", -1: "最后一个"}


def rule_text(event: Event) -> str:
    """How an observance's date is determined, in words: 每年3月最后一个星期一."""
    rule = event.rule
    if rule is None:
        return ""
    if rule.type == "fixed":
        text = f"每年{rule.month}月{rule.day}日"
        return text + (f"起，共 {rule.days} 天" if rule.days > 1 else "")
    if rule.type == "weekday":
        return f"每年{rule.month}月{_ORDINALS[rule.ordinal]}{vocabulary.names('weekdays')[rule.weekday]}"
    if rule.type == "lunar":
        return f"每年农历{_LUNAR_MONTHS[rule.month - 1]}月{_LUNAR_DAYS[rule.day - 1]}"
    return "每年另行公布"
