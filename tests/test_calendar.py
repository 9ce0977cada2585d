"""Events calendar: rule expansion, status wording, iCalendar output (pufa.outputs.ics) and the browser script."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
import json
from pathlib import Path

import icalendar
import pytest
from dateutil.rrule import rrulestr
from lunar_python import Solar

from pufa import calendar as cal
from pufa.content.records import SHANGHAI, AnnouncedRange, Event, Rule
from pufa.outputs import ics as ical

SITE = "https://pufa.example.gov.cn/zaoyang/"
STAMP = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)


def event(slug: str, title: str, **fields) -> Event:
    return Event(path=f"events/{slug}.md", title=title, slug=slug, summary=f"{title}的简介。", body="", body_line=1,
                 **fields)


def days(occs) -> list[tuple[dt.date, dt.date]]:
    return [(o.start, o.end) for o in occs]


def starts(ev: Event, first_year: int, last_year: int) -> list[dt.date]:
    return [o.start for o in cal.occurrences(ev, dt.date(first_year, 1, 1), dt.date(last_year, 12, 31))]


ANQUAN = event("anquan-jiaoyu", "全国中小学生安全教育日", rule=Rule("weekday", month=3, weekday=0, ordinal=-1),
               first_year=1996)
ZHUCAN = event("zhucan", "全国助残日", rule=Rule("weekday", month=5, weekday=6, ordinal=3))
GUOFANG = event("guofang-jiaoyu", "全民国防教育日", rule=Rule("weekday", month=9, weekday=5, ordinal=3),
                first_year=2001)
LAONIAN = event("laonian", "老年节", rule=Rule("lunar", month=9, day=9))
GUOAN = event("guojia-anquan", "全民国家安全教育日", rule=Rule("fixed", month=4, day=15), first_year=2016)
XIANFA = event("xianfa", "国家宪法日", rule=Rule("fixed", month=12, day=4), first_year=2014)
MINFADIAN = event(
    "minfadian", "民法典宣传月", rule=Rule("fixed", month=5, day=1, days=31), first_year=2021,
    announced=(AnnouncedRange(2025, dt.date(2025, 5, 1), dt.date(2025, 5, 31), theme="美好生活·民法典相伴",
                              source_url="https://example.org/2025"),),
)
WANGAN = event(
    "wangan-zhou", "国家网络安全宣传周", rule=Rule("announced"),
    announced=(AnnouncedRange(2025, dt.date(2025, 9, 15), dt.date(2025, 9, 21), source_url="https://example.org/w"),),
)
JIANGZUO = event("fanzha-jiangzuo", "反诈进社区讲座", kind="local", start=dt.datetime(2026, 4, 18, 9, 30),
                 venue="枣阳市图书馆", organiser="枣阳市司法局", audiences=("社区",))
ALL = [ANQUAN, ZHUCAN, GUOFANG, LAONIAN, GUOAN, XIANFA, MINFADIAN, WANGAN, JIANGZUO]


# --- rule expansion -------------------------------------------------------------------------------


def last_monday_of_march(year: int) -> dt.date:  # independent of dateutil: the stdlib month grid
    return dt.date(year, 3, max(week[0] for week in stdlib_calendar.monthcalendar(year, 3)))


def test_last_monday_of_march():
    assert starts(ANQUAN, 2025, 2028) == [dt.date(2025, 3, 31), dt.date(2026, 3, 30), dt.date(2027, 3, 29),
                                          dt.date(2028, 3, 27)]
    assert starts(ANQUAN, 2026, 2030) == [last_monday_of_march(y) for y in range(2026, 2031)]


def test_third_sunday_of_may_and_third_saturday_of_september():
    assert starts(ZHUCAN, 2025, 2027) == [dt.date(2025, 5, 18), dt.date(2026, 5, 17), dt.date(2027, 5, 16)]
    assert starts(GUOFANG, 2025, 2026) == [dt.date(2025, 9, 20), dt.date(2026, 9, 19)]
    for d in starts(ZHUCAN, 2026, 2030) + starts(GUOFANG, 2026, 2030):
        assert 15 <= d.day <= 21 and d.weekday() in (5, 6)


def test_lunar_double_ninth():
    got = starts(LAONIAN, 2025, 2030)
    assert got[0] == dt.date(2025, 10, 29)  # known independently: 重阳节 2025 is 29 October
    assert got[1] == dt.date(2026, 10, 18)
    assert len(got) == 6
    for d in got:  # and each date reads back as 九月初九 in lunar-python
        lunar = Solar.fromYmd(d.year, d.month, d.day).getLunar()
        assert (lunar.getMonth(), lunar.getDay()) == (9, 9)


def test_lunar_last_day_of_short_month():
    # 腊月 of lunar 2025 has 29 days: 腊月三十 (除夕) becomes its last day, 2026-02-16.
    chuxi = event("chuxi", "除夕", rule=Rule("lunar", month=12, day=30))
    assert dt.date(2026, 2, 16) in starts(chuxi, 2026, 2026)


def test_fixed_days_respect_first_year():
    assert starts(GUOAN, 2014, 2017) == [dt.date(2016, 4, 15), dt.date(2017, 4, 15)]
    assert starts(XIANFA, 2026, 2030) == [dt.date(y, 12, 4) for y in range(2026, 2031)]
    assert starts(LAONIAN, 2026, 2030) == starts(
        event("laonian2", "老年节", rule=Rule("lunar", month=9, day=9), first_year=2026), 2020, 2030)


def test_fixed_span_whole_month_and_announced_theme():
    occs = cal.occurrences(MINFADIAN, dt.date(2025, 5, 10), dt.date(2026, 12, 31))
    assert days(occs) == [(dt.date(2025, 5, 1), dt.date(2025, 5, 31)), (dt.date(2026, 5, 1), dt.date(2026, 5, 31))]
    assert (occs[0].theme, occs[0].announced) == ("美好生活·民法典相伴", True)
    assert (occs[1].theme, occs[1].announced) == ("", False)
    assert starts(MINFADIAN, 2019, 2021) == [dt.date(2021, 5, 1)]


def test_announced_only_as_entered():
    assert days(cal.occurrences(WANGAN, dt.date(2020, 1, 1), dt.date(2030, 12, 31))) == [
        (dt.date(2025, 9, 15), dt.date(2025, 9, 21))]
    assert cal.status(WANGAN, dt.date(2025, 9, 1)).text == "还有 14 天"
    assert cal.status(WANGAN, dt.date(2025, 9, 15)).text == "今天"
    assert cal.status(WANGAN, dt.date(2025, 9, 18)).text == "进行中"
    assert cal.status(WANGAN, dt.date(2025, 9, 22)).text == "待公布"  # 2026 not announced yet
    assert cal.status(WANGAN, dt.date(2026, 3, 1)).kind == "pending"
    assert cal.next_occurrence(WANGAN, dt.date(2026, 3, 1)) is None


def test_local_timed_event():
    [occ] = cal.occurrences(JIANGZUO, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert (occ.start, occ.end, occ.all_day) == (dt.datetime(2026, 4, 18, 9, 30), dt.datetime(2026, 4, 18, 11, 30),
                                                 False)
    assert cal.date_text(occ) == "2026年4月18日 09:30–11:30"
    assert str(cal.status(JIANGZUO, dt.date(2026, 4, 17))) == "还有 1 天"
    assert str(cal.status(JIANGZUO, dt.date(2026, 4, 18))) == "今天"
    assert str(cal.status(JIANGZUO, dt.date(2026, 4, 19))) == "已结束"
    assert cal.occurrences(JIANGZUO, dt.date(2027, 1, 1), dt.date(2027, 12, 31)) == []


def test_local_all_day_event_without_end_is_one_day():
    fair = event("fair", "法治集市", kind="local", start=dt.date(2026, 6, 6), venue="人民广场", organiser="司法局")
    assert days(cal.occurrences(fair, dt.date(2026, 1, 1), dt.date(2026, 12, 31))) == [
        (dt.date(2026, 6, 6), dt.date(2026, 6, 6))]


def test_status_and_dates_in_words():
    today = dt.date(2026, 5, 1)
    assert str(cal.status(MINFADIAN, today)) == "今天"
    s = cal.status(MINFADIAN, dt.date(2026, 5, 20))
    assert (s.kind, s.text, s.days, s.when) == ("ongoing", "进行中", 0, "2026年5月1日至5月31日")
    s = cal.status(ANQUAN, dt.date(2026, 3, 1))
    assert (s.kind, s.text, s.days, s.when) == ("upcoming", "还有 29 天", 29, "2026年3月30日")
    assert cal.next_occurrence(ANQUAN, dt.date(2026, 3, 31)).start == dt.date(2027, 3, 29)
    span = cal.Occurrence(XIANFA, dt.date(2025, 12, 29), dt.date(2026, 1, 2))
    assert cal.date_text(span) == "2025年12月29日至2026年1月2日"


def test_upcoming_and_by_month():
    got = cal.upcoming(ALL, dt.date(2026, 3, 20), days=60)
    assert [(o.event.slug, o.start) for o in got] == [
        ("anquan-jiaoyu", dt.date(2026, 3, 30)),
        ("guojia-anquan", dt.date(2026, 4, 15)),
        ("fanzha-jiangzuo", dt.datetime(2026, 4, 18, 9, 30)),
        ("minfadian", dt.date(2026, 5, 1)),
        ("zhucan", dt.date(2026, 5, 17)),
    ]
    assert cal.upcoming(ALL, dt.date(2026, 5, 20), days=0)[0].event.slug == "minfadian"  # ongoing counts
    months = cal.by_month(ALL, 2026)
    assert sorted(months) == list(range(1, 13))
    assert [o.event.slug for o in months[5]] == ["minfadian", "zhucan"]
    assert [o.event.slug for o in months[10]] == ["laonian"]
    assert months[9][0].event.slug == "guofang-jiaoyu"  # 网安周 2026 is not announced
    week = event("xianfa-zhou", "宪法宣传周", rule=Rule("announced"),
                 announced=(AnnouncedRange(2026, dt.date(2026, 11, 29), dt.date(2026, 12, 5), source_url="x"),))
    months = cal.by_month([week], 2026)
    assert len(months[11]) == len(months[12]) == 1


# --- iCalendar ------------------------------------------------------------------------------------


def ics(events=ALL, **kw) -> bytes:
    return ical.calendar_ics(events, name="枣阳普法活动日历", site_url=SITE, dtstamp=STAMP, from_year=2026, **kw)


def vevents(data: bytes) -> dict[str, list[icalendar.Event]]:
    found: dict[str, list] = {}
    for ve in icalendar.Calendar.from_ical(data).walk("VEVENT"):
        found.setdefault(str(ve["UID"]), []).append(ve)
    return found


def test_ics_calendar_properties():
    parsed = icalendar.Calendar.from_ical(ics())
    parsed.validate()  # icalendar's own check of required properties and components
    assert str(parsed["VERSION"]) == "2.0"
    assert str(parsed["PRODID"]) == ical.PRODID
    assert str(parsed["X-WR-CALNAME"]) == "枣阳普法活动日历"
    assert str(parsed["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    for ve in parsed.walk("VEVENT"):
        assert ve["DTSTAMP"].dt == STAMP
        assert ve["URL"].startswith(SITE + "events/")
        assert ve["DESCRIPTION"].endswith(f"详情：{ve['URL']}")


def test_ics_rrules_for_weekday_and_fixed_rules():
    found = vevents(ics())
    expected = {
        "anquan-jiaoyu": ({"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1MO"]}, dt.date(1996, 3, 25)),
        "zhucan": ({"FREQ": ["YEARLY"], "BYMONTH": [5], "BYDAY": ["+3SU"]}, dt.date(2026, 5, 17)),
        "guofang-jiaoyu": ({"FREQ": ["YEARLY"], "BYMONTH": [9], "BYDAY": ["+3SA"]}, dt.date(2001, 9, 15)),
        "guojia-anquan": ({"FREQ": ["YEARLY"], "BYMONTH": [4], "BYMONTHDAY": [15]}, dt.date(2016, 4, 15)),
        "xianfa": ({"FREQ": ["YEARLY"], "BYMONTH": [12], "BYMONTHDAY": [4]}, dt.date(2014, 12, 4)),
    }
    for slug, (recur, first) in expected.items():
        [ve] = found[f"{slug}@pufa.example.gov.cn"]
        rule = {k: [str(v).replace("+", "") if k == "BYDAY" else v for v in vals] for k, vals in ve["RRULE"].items()}
        assert rule == {k: [v.replace("+", "") if k == "BYDAY" else v for v in vals] for k, vals in recur.items()}
        assert ve["DTSTART"].params["VALUE"] == "DATE" and ve["DTSTART"].dt == first
        assert ve["DTEND"].dt == first + dt.timedelta(days=1)  # exclusive end of a one-day event
        # The feed and the pages agree: expand the published RRULE and compare with occurrences().
        ev = next(e for e in ALL if e.slug == slug)
        text = ve["RRULE"].to_ical().decode()
        published = rrulestr(text, dtstart=dt.datetime.combine(first, dt.time()))
        assert [d.date() for d in published.between(dt.datetime(2026, 1, 1), dt.datetime(2030, 12, 31), inc=True)] \
            == starts(ev, 2026, 2030)


def test_ics_span_and_announced_override():
    found = vevents(ics())
    master, override = found["minfadian@pufa.example.gov.cn"]
    assert (master["DTSTART"].dt, master["DTEND"].dt) == (dt.date(2021, 5, 1), dt.date(2021, 6, 1))
    assert override["RECURRENCE-ID"].dt == dt.date(2025, 5, 1)
    assert "主题：美好生活·民法典相伴" in override["DESCRIPTION"]
    [week] = found["wangan-zhou-2025@pufa.example.gov.cn"]
    assert (week["DTSTART"].dt, week["DTEND"].dt) == (dt.date(2025, 9, 15), dt.date(2025, 9, 22))
    assert "RRULE" not in week
    assert not any(uid.startswith("wangan-zhou-2026") for uid in found)


def test_ics_timed_local_event():
    [ve] = vevents(ics())["fanzha-jiangzuo@pufa.example.gov.cn"]
    assert ve["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert "VALUE" not in ve["DTSTART"].params
    assert ve["DTSTART"].dt == dt.datetime(2026, 4, 18, 9, 30, tzinfo=SHANGHAI)
    assert ve["DTEND"].dt == dt.datetime(2026, 4, 18, 11, 30, tzinfo=SHANGHAI)
    assert ve["LOCATION"] == "枣阳市图书馆"
    assert b"BEGIN:VTIMEZONE" not in ics([ANQUAN])  # no TZID used, no VTIMEZONE needed


def test_ics_lunar_years():
    found = vevents(ics())
    lunar = {uid: ves[0] for uid, ves in found.items() if uid.startswith("laonian-")}
    years = sorted(int(uid.split("-")[1].split("@")[0]) for uid in lunar)
    assert years == list(range(2026, 2037))  # this year and ten more
    assert lunar["laonian-2026@pufa.example.gov.cn"]["DTSTART"].dt == dt.date(2026, 10, 18)
    assert all("RRULE" not in ve for ve in lunar.values())


def test_ics_reproducible_and_stable():
    first, again = ics(), ics(list(reversed(ALL)))
    assert first == again  # byte-identical, whatever order the loader hands events over
    assert set(vevents(first)) == set(vevents(ics([*ALL, event("new", "新活动", rule=Rule("fixed", month=1,
                                                                                             day=10))]))) - {
        "new@pufa.example.gov.cn"}
    later = ical.calendar_ics(ALL, name="枣阳普法活动日历", site_url=SITE, dtstamp=dt.datetime(2027, 1, 1),
                             from_year=2026)
    assert {ve["DTSTAMP"].dt for ves in vevents(later).values() for ve in ves} == {
        dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc)}


def test_event_ics():
    data = ical.event_ics(ANQUAN, name="全国中小学生安全教育日", site_url=SITE, dtstamp=STAMP)
    parsed = icalendar.Calendar.from_ical(data)
    [ve] = parsed.walk("VEVENT")
    assert ve["UID"] == "anquan-jiaoyu@pufa.example.gov.cn"
    assert ve["URL"] == "https://pufa.example.gov.cn/zaoyang/events/anquan-jiaoyu/"
    assert str(parsed["X-WR-CALNAME"]) == "全国中小学生安全教育日"
    # from_year defaults to the stamp's year
    lunar = icalendar.Calendar.from_ical(ical.event_ics(LAONIAN, name="老年节", site_url=SITE, dtstamp=STAMP))
    assert min(ve["DTSTART"].dt for ve in lunar.walk("VEVENT")) == dt.date(2026, 10, 18)


# --- browser data and script ----------------------------------------------------------------------


def test_browser_data():
    data = cal.browser_data(ALL, dt.date(2026, 3, 1))
    assert json.loads(json.dumps(data)) == data
    assert (data["from"], data["until"]) == ("2025-01-01", "2028-12-31")
    assert data["events"]["anquan-jiaoyu"]["occurrences"][:2] == [["2025-03-31", "2025-03-31"],
                                                                  ["2026-03-30", "2026-03-30"]]
    assert data["events"]["fanzha-jiangzuo"]["occurrences"] == [["2026-04-18T09:30", "2026-04-18T11:30"]]
    assert data["events"]["wangan-zhou"] == {
        "kind": "observance", "rule": "announced", "occurrences": [["2025-09-15", "2025-09-21"]],
        "window": {"start": [9, 15], "end": [9, 21], "due_days": cal.DUE_DAYS,
                   "due": "往年在9月15日至9月21日前后举办，今年的日期尚未公布", "missed": "今年的日期未录入（往年在9月15日至9月21日前后）"}}
    assert "window" not in data["events"]["anquan-jiaoyu"]
    odd = event("odd", "</script><b>", rule=Rule("fixed", month=1, day=1))
    text = cal.browser_json([odd], dt.date(2026, 3, 1))
    assert "<" not in text and json.loads(text)["events"]["odd"]


SCRIPT = Path(cal.__file__).parent / "site" / "theme" / "assets" / "pufa" / "calendar.js"
BROWSER_EVENTS = [ANQUAN, MINFADIAN, WANGAN, JIANGZUO, LAONIAN]


def fixture_html(build_day: dt.date) -> str:
    spans = "".join(
        f'<p><span data-pufa-event="{e.slug}" data-pufa-show="{what}" id="{e.slug}-{what}">服务器文字</span></p>'
        for e in BROWSER_EVENTS for what in ("status", "next", "countdown")
    )
    items = "".join(f'<li data-pufa-end="{o.end_date}">{o.event.title}</li>' for o in cal.upcoming(ALL, build_day))
    return (
        f'<!doctype html><meta charset="utf-8"><script type="application/json" id="pufa-calendar-data">'
        f"{cal.browser_json(BROWSER_EVENTS, build_day)}</script>{spans}"
        f'<ul data-pufa-upcoming>{items}<li data-pufa-empty hidden>暂无</li></ul>'
        f"<script>{SCRIPT.read_text(encoding='utf-8')}</script>"
    )


@pytest.mark.browser
def test_script_agrees_with_python_status(browser):
    build_day = dt.date(2026, 3, 1)
    html = fixture_html(build_day)
    # (UTC instant the browser sees, day in Shanghai). The device zone is New York, so the first two
    # instants are still the previous day there: the script must use Shanghai's date.
    moments = [
        (dt.datetime(2026, 3, 29, 20, 0, tzinfo=dt.timezone.utc), dt.date(2026, 3, 30)),
        (dt.datetime(2026, 4, 17, 16, 30, tzinfo=dt.timezone.utc), dt.date(2026, 4, 18)),
        (dt.datetime(2026, 5, 20, 4, 0, tzinfo=dt.timezone.utc), dt.date(2026, 5, 20)),
        (dt.datetime(2026, 9, 1, 4, 0, tzinfo=dt.timezone.utc), dt.date(2026, 9, 1)),  # 网安周 2026 due
        (dt.datetime(2026, 10, 1, 4, 0, tzinfo=dt.timezone.utc), dt.date(2026, 10, 1)),  # … and missed
    ]
    try:
        context = browser.new_context(timezone_id="America/New_York")
        for instant, today in moments:
            page = context.new_page()
            page.clock.set_fixed_time(instant)
            page.set_content(html)
            for e in BROWSER_EVENTS:
                expected = cal.status(e, today)
                assert page.text_content(f"#{e.slug}-status") == expected.text, (e.slug, today)
                assert page.text_content(f"#{e.slug}-next") == expected.when, (e.slug, today)
                countdown = page.locator(f"#{e.slug}-countdown")
                if expected.days is None:
                    assert countdown.is_hidden()
                else:
                    assert countdown.text_content() == str(expected.days)
            visible = page.locator("[data-pufa-upcoming] li[data-pufa-end]:visible").all_text_contents()
            assert visible == [o.event.title for o in cal.upcoming(ALL, build_day) if o.end_date >= today]
            assert page.locator("[data-pufa-empty]").is_visible() == (not visible)
            page.close()
        # Without data for the day, the server text stays.
        page = context.new_page()
        page.clock.set_fixed_time(dt.datetime(2040, 1, 1, tzinfo=dt.timezone.utc))
        page.set_content(html)
        assert page.text_content("#anquan-jiaoyu-status") == "服务器文字"
    finally:
        context.close()
