"""Events calendar: when observance days and local events fall, what to show for a day, and iCalendar feeds.

Dates come from libraries, not hand-written arithmetic: python-dateutil `rrule` expands fixed and
"nth weekday" rules (the same semantics as the RFC 5545 RRULE we publish), lunar-python converts lunar
dates, icalendar writes the .ics files.

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
from urllib.parse import urlsplit

import icalendar
from dateutil.rrule import YEARLY, rrule, weekday
from lunar_python import Lunar, LunarMonth

from pufa.content.records import SHANGHAI, AnnouncedRange, Event

TIMED_DEFAULT = dt.timedelta(hours=2)  # a timed local event without `end`
LUNAR_YEARS = 10  # the .ics lists lunar days for `from_year` and the ten years after it
SEARCH_YEARS = 9  # how far next_occurrence looks: enough for a 2月29日 rule across 2100
PRODID = "-//pufa//events calendar//ZH"
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

    kind: str  # ongoing | today | upcoming | pending | ended | none
    text: str  # 进行中 / 今天 / 还有 N 天 / 待公布 / 已结束 / "" (kind none)
    days: int | None = None  # days until the next occurrence starts; 0 when today or ongoing
    occurrence: Occurrence | None = None

    @property
    def when(self) -> str:
        """The next occurrence's dates in words, or the label when there is none."""
        return date_text(self.occurrence) if self.occurrence else self.text

    def __str__(self) -> str:
        return self.text


# --- checking ----------------------------------------------------------------------------------------


def event_problems(event: Event) -> list[str]:
    """What keeps an event's dates from being worked out, in words for the editor (empty when fine)."""
    rule = event.rule
    if event.kind == "local":
        return _local_problems(event)
    if rule is None:
        return ["宣传日缺少日期规则（rule）。"]
    needs = {"fixed": ("month", "day"), "weekday": ("month", "weekday", "ordinal"), "lunar": ("month", "day")}
    missing = [key for key in needs.get(rule.type, ()) if getattr(rule, key) is None]
    if missing:
        return [f"日期规则 {rule.type} 缺少 {'、'.join(missing)}。"]
    problems = []
    if rule.type == "fixed":
        try:
            dt.date(2000, rule.month, rule.day)  # 2000 is a leap year, so 2月29日 passes
        except ValueError:
            problems.append(f"公历没有 {rule.month}月{rule.day}日。")
    if rule.type == "lunar" and rule.day > 30:
        problems.append(f"农历每月最多 30 天，写的是 {rule.day} 日。")
    for r in event.announced:
        if r.end < r.start:
            problems.append(f"{r.year} 年公布的结束日期 {r.end} 早于开始日期 {r.start}。")
    return problems


def _local_problems(event: Event) -> list[str]:
    if event.start is None:
        return ["本地活动缺少开始时间（start）。"]
    if event.end is None:
        return []
    if isinstance(event.start, dt.datetime) != isinstance(event.end, dt.datetime):
        return ["开始和结束要么都写日期，要么都写日期和时间。"]
    if event.end < event.start:
        return [f"结束时间 {event.end} 早于开始时间 {event.start}。"]
    return []


# --- expanding rules ---------------------------------------------------------------------------------


def occurrences(event: Event, start: dt.date, end: dt.date) -> list[Occurrence]:
    """Every occurrence of the event that overlaps the days start…end (inclusive), in date order."""
    _check(event)
    if event.kind == "local":
        found = [_local(event)]
    elif event.rule.type == "announced":
        found = [_announced(event, r) for r in event.announced if _from_first_year(event, r.year)]
    else:
        # Widen the search so an occurrence that began before `start` and still runs is found.
        longest = max([event.rule.days] + [(r.end - r.start).days + 1 for r in event.announced])
        first = start - dt.timedelta(days=longest - 1)
        found = [occ for _, occ in _yearly(event, first.year, end.year)]
    return sorted((o for o in found if o.end_date >= start and o.start_date <= end), key=_order)


def _check(event: Event) -> None:
    problems = event_problems(event)
    if problems:
        raise ValueError(f"{event.path}: {problems[0]}")


def _finite(event: Event) -> bool:
    """Local events and announced rules have a fixed list of dates; the other rules go on forever."""
    return event.kind == "local" or (event.rule is not None and event.rule.type == "announced")


def _yearly(event: Event, first_year: int, last_year: int) -> list[tuple[int, Occurrence]]:
    """(rule year, occurrence) for a computed rule, with announced ranges replacing their year."""
    rule = event.rule
    computed = dict(_rule_dates(event, first_year, last_year))
    announced = {r.year: r for r in event.announced if first_year <= r.year <= last_year}
    found = []
    for year in sorted(computed.keys() | announced.keys()):
        if not _from_first_year(event, year):
            continue
        if year in announced:
            found.append((year, _announced(event, announced[year])))
        else:
            day = computed[year]
            found.append((year, Occurrence(event, day, day + dt.timedelta(days=rule.days - 1))))
    return found


def _rule_dates(event: Event, first_year: int, last_year: int) -> list[tuple[int, dt.date]]:
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


def _announced(event: Event, r: AnnouncedRange) -> Occurrence:
    return Occurrence(event, r.start, r.end, theme=r.theme, announced=True)


def _local(event: Event) -> Occurrence:
    start, end = event.start, event.end
    if isinstance(start, dt.datetime):
        if end is None:
            end = start + TIMED_DEFAULT
        elif not isinstance(end, dt.datetime):  # event_problems flags this; read it as "until that evening"
            end = dt.datetime.combine(end, dt.time(23, 59))
        return Occurrence(event, start, end, all_day=False)
    return Occurrence(event, start, _as_date(end) if end is not None else start)


def _from_first_year(event: Event, year: int) -> bool:
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


def status(event: Event, today: dt.date) -> Status:
    """进行中 / 今天 / 还有 N 天 / 待公布 / 已结束, as of `today` in Asia/Shanghai."""
    occ = next_occurrence(event, today)
    if occ is None:
        if event.kind == "local":
            return Status("ended", "已结束")
        if event.rule.type == "announced":
            return Status("pending", "待公布")
        return Status("none", "")
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
    return {"zone": TZID, "from": first.isoformat(), "until": last.isoformat(), "events": data}


def browser_json(events: Iterable[Event], today: dt.date, years: int = 2) -> str:
    """browser_data as JSON that is safe inside <script type="application/json">."""
    text = json.dumps(browser_data(events, today, years), ensure_ascii=False, separators=(",", ":"))
    # A literal "</script>" in a title would end the element early.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _iso(value: dt.date | dt.datetime) -> str:
    return value.isoformat(timespec="minutes") if isinstance(value, dt.datetime) else value.isoformat()


# --- iCalendar ---------------------------------------------------------------------------------------


def calendar_ics(
    events: Iterable[Event], *, name: str, site_url: str, dtstamp: dt.datetime, from_year: int | None = None
) -> bytes:
    """One subscribable calendar with every event. `dtstamp` becomes every DTSTAMP (never "now");
    `from_year` (default: dtstamp's year) starts rules without a first_year and the lunar years."""
    return _ics(list(events), name=name, uid=f"calendar@{_host(site_url)}", site_url=site_url,
                dtstamp=dtstamp, from_year=from_year)


def event_ics(event: Event, *, name: str, site_url: str, dtstamp: dt.datetime, from_year: int | None = None) -> bytes:
    """A calendar with just this event, for the "加入日历" link on its page."""
    return _ics([event], name=name, uid=f"calendar-{event.slug}@{_host(site_url)}", site_url=site_url,
                dtstamp=dtstamp, from_year=from_year)


def _ics(events: list[Event], *, name: str, uid: str, site_url: str, dtstamp: dt.datetime,
         from_year: int | None) -> bytes:
    stamp = _utc(dtstamp)
    from_year = from_year if from_year is not None else stamp.year
    # An explicit uid: Calendar.new would otherwise invent a random one and break reproducible builds.
    cal = icalendar.Calendar.new(name=name, uid=uid, prodid=PRODID, method="PUBLISH")
    cal.add("X-WR-TIMEZONE", TZID)
    cal.add("REFRESH-INTERVAL", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", icalendar.vDuration(dt.timedelta(days=1)))  # Outlook's name for the refresh interval
    for event in sorted(events, key=lambda e: e.slug):
        for component in _vevents(event, site_url, stamp, from_year):
            cal.add_component(component)
    timed = [e.start for e in events if e.kind == "local" and isinstance(e.start, dt.datetime)]
    if timed:  # VTIMEZONE only when a TZID is used; the range keeps the block short and fixed
        first = min(timed).date().replace(month=1, day=1)
        cal.add_missing_timezones(first_date=first, last_date=dt.date(max(timed).year + 10, 1, 1))
    return cal.to_ical()


def _vevents(event: Event, site_url: str, stamp: dt.datetime, from_year: int) -> list[icalendar.Event]:
    _check(event)
    host = _host(site_url)
    page = site_url.rstrip("/") + "/" + event.url
    if event.kind == "local":
        return [_vevent(_local(event), f"{event.slug}@{host}", page, stamp)]
    rule = event.rule
    if rule.type == "announced":
        ranges = [r for r in event.announced if _from_first_year(event, r.year)]
        return [_vevent(_announced(event, r), f"{event.slug}-{_year_key(ranges, r)}@{host}", page, stamp)
                for r in ranges]
    if rule.type == "lunar":
        # No RRULE can say "lunar 9/9": one VEVENT per year, this year and the next LUNAR_YEARS.
        years = _yearly(event, from_year, from_year + LUNAR_YEARS)
        return [_vevent(occ, f"{event.slug}-{year}@{host}", page, stamp) for year, occ in years]
    return _recurring(event, host, page, stamp, from_year)


def _recurring(event: Event, host: str, page: str, stamp: dt.datetime, from_year: int) -> list[icalendar.Event]:
    """A fixed or weekday rule as one RRULE, with announced years as RECURRENCE-ID overrides."""
    rule = event.rule
    first_year = event.first_year if event.first_year is not None else from_year
    dates = _rule_dates(event, first_year, first_year + SEARCH_YEARS)
    if not dates:
        return []
    first = dates[0][1]
    recur = {"FREQ": "YEARLY", "BYMONTH": [rule.month]}
    if rule.type == "fixed":
        recur["BYMONTHDAY"] = [rule.day]
    else:
        recur["BYDAY"] = [f"{rule.ordinal}{('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU')[rule.weekday]}"]
    uid = f"{event.slug}@{host}"
    master = _vevent(Occurrence(event, first, first + dt.timedelta(days=rule.days - 1)), uid, page, stamp)
    master.add("RRULE", icalendar.vRecur(recur))
    found = [master]
    announced = sorted(r.year for r in event.announced if r.year >= first_year)
    if announced:
        computed = dict(_rule_dates(event, announced[0], announced[-1]))
        for year, occ in _yearly(event, announced[0], announced[-1]):
            if not occ.announced:
                continue
            if year in computed:  # replaces that year's instance of the series
                found.append(_vevent(occ, uid, page, stamp, recurrence_id=computed[year]))
            else:  # the rule has no day that year (e.g. a 5th Monday): a separate event
                found.append(_vevent(occ, f"{event.slug}-{year}@{host}", page, stamp))
    return found


def _vevent(occ: Occurrence, uid: str, page: str, stamp: dt.datetime, recurrence_id: dt.date | None = None
            ) -> icalendar.Event:
    event = occ.event
    lines = [f"主题：{occ.theme}"] if occ.theme else []
    lines.append(event.summary)
    if event.venue:
        lines.append(f"地点：{event.venue}")
    if event.organiser:
        lines.append(f"主办：{event.organiser}")
    lines.append(f"详情：{page}")
    if occ.all_day:  # DATE values; DTEND is the day after the last one (RFC 5545 3.6.1)
        start, end = occ.start, occ.end + dt.timedelta(days=1)
    else:
        start, end = occ.start.replace(tzinfo=SHANGHAI), occ.end.replace(tzinfo=SHANGHAI)
    return icalendar.Event.new(
        uid=uid,
        stamp=stamp,
        start=start,
        end=end,
        recurrence_id=recurrence_id,
        summary=event.title,
        description="\n".join(lines),
        url=page,
        location=event.venue or None,
        # A day of observance should not mark the subscriber as busy.
        transparency=icalendar.TRANSP.TRANSPARENT if occ.all_day else icalendar.TRANSP.OPAQUE,
    )


def _year_key(ranges: list[AnnouncedRange], r: AnnouncedRange) -> str:
    """`2025`, or `2025-2` for the second range an editor entered for the same year."""
    same = [x for x in ranges if x.year == r.year]
    index = next(i for i, x in enumerate(same) if x is r)
    return str(r.year) if index == 0 else f"{r.year}-{index + 1}"


def _host(site_url: str) -> str:
    return urlsplit(site_url).hostname or "localhost"


def _utc(stamp: dt.date | dt.datetime) -> dt.datetime:
    if not isinstance(stamp, dt.datetime):
        stamp = dt.datetime.combine(stamp, dt.time.min)
    if stamp.tzinfo is None:  # a naive stamp is read as UTC, the zone DTSTAMP is written in
        return stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.astimezone(dt.timezone.utc)
