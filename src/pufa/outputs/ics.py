"""iCalendar (RFC 5545) files: the whole calendar to subscribe to, and one file per event to add.

Built with icalendar. Fixed and weekday rules are one VEVENT with an RRULE (announced years replace their
instance by RECURRENCE-ID); lunar days are listed year by year, as no RRULE can say "lunar 9/9"; announced
observances list the ranges entered. DTSTAMP is the build day, never "now", so two builds are equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar

from .. import urls
from ..content import vocabulary
from ..calendar import (LUNAR_YEARS, SEARCH_YEARS, TZID, Occurrence, announced_occurrence, from_first_year, local_occurrence, rule_dates,
                        yearly)
from ..content.records import SHANGHAI, AnnouncedRange, Event

PRODID = "-//pufa//events calendar//ZH"


def has_calendar_entries(event: Event) -> bool:
    """An announced day with no dates entered yet has nothing to put in a calendar."""
    return not (event.rule is not None and event.rule.type == "announced" and not event.announced)


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
    host = _host(site_url)
    page = urls.absolute(site_url, event.url)
    if event.kind == "local":
        return [_vevent(local_occurrence(event), f"{event.slug}@{host}", page, stamp)]
    rule = event.rule
    if rule.type == "announced":
        ranges = [r for r in event.announced if from_first_year(event, r.year)]
        return [_vevent(announced_occurrence(event, r), f"{event.slug}-{_year_key(ranges, r)}@{host}", page, stamp)
                for r in ranges]
    if rule.type == "lunar":
        # No RRULE can say "lunar 9/9": one VEVENT per year, this year and the next LUNAR_YEARS.
        years = yearly(event, from_year, from_year + LUNAR_YEARS)
        return [_vevent(occ, f"{event.slug}-{year}@{host}", page, stamp) for year, occ in years]
    return _recurring(event, host, page, stamp, from_year)


def _recurring(event: Event, host: str, page: str, stamp: dt.datetime, from_year: int) -> list[icalendar.Event]:
    """A fixed or weekday rule as one RRULE, with announced years as RECURRENCE-ID overrides."""
    rule = event.rule
    first_year = event.first_year if event.first_year is not None else from_year
    dates = rule_dates(event, first_year, first_year + SEARCH_YEARS)
    if not dates:
        return []
    first = dates[0][1]
    recur = {"FREQ": "YEARLY", "BYMONTH": [rule.month]}
    if rule.type == "fixed":
        recur["BYMONTHDAY"] = [rule.day]
    else:
        recur["BYDAY"] = [f"{rule.ordinal}{vocabulary.terms('weekdays')[rule.weekday].id}"]  # the ids are BYDAY codes
    uid = f"{event.slug}@{host}"
    master = _vevent(Occurrence(event, first, first + dt.timedelta(days=rule.days - 1)), uid, page, stamp)
    master.add("RRULE", icalendar.vRecur(recur))
    found = [master]
    announced = sorted(r.year for r in event.announced if r.year >= first_year)
    if announced:
        computed = dict(rule_dates(event, announced[0], announced[-1]))
        for year, occ in yearly(event, announced[0], announced[-1]):
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
