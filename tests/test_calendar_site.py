"""The calendar as published: pages, their no-JavaScript text, and the iCalendar files."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest

from conftest import ROOT
from pufa import calendar
from pufa.checks import check_project
from pufa.clock import build_today
from pufa.project import open_project
from pufa.site import views

pytestmark = pytest.mark.build


@pytest.fixture(scope="module")
def events():
    """The real site's events: its own docs/events and the national pack every site includes."""
    result = check_project(open_project(ROOT / "mkdocs.yml"), build_today(), render=False)
    assert result.errors == []
    return {e.slug: e for e in result.content.published().events}


def test_every_observance_in_the_reference_table_is_in(events):
    titles = " ".join(e.title for e in events.values())
    for name in ("人民警察节", "妇女节", "消费者权益日", "中小学生安全教育日", "国家安全教育日", "知识产权日", "知识产权宣传周",
                 "民法典宣传月", "防灾减灾日", "经济犯罪宣传日", "助残日", "儿童节", "环境日", "防范非法集资宣传月", "安全生产月",
                 "禁毒日", "网络安全宣传周", "国防教育日", "老年节", "消防日", "消除对妇女暴力日", "交通安全日", "国家宪法日",
                 "宪法宣传周", "学宪法", "法治动漫微视频"):
        assert name in titles, name
    assert any(e.kind == "local" for e in events.values())


def test_legal_basis_is_linked_where_a_law_topic_exists(events):
    assert events["national-security-day"].laws == ("national-security",)
    assert "constitution" in events["constitution-day"].laws
    assert "women-rights" in events["womens-day"].laws
    assert "minors-protection" in events["school-safety-day"].laws


def test_known_dates_2026_to_2030(events):
    def dates(slug, year):
        return [o.start for o in calendar.occurrences(events[slug], dt.date(year, 1, 1), dt.date(year, 12, 31))]
    assert [dates("school-safety-day", y) for y in (2026, 2027, 2028)] == [[dt.date(2026, 3, 30)], [dt.date(2027, 3, 29)],
                                                                          [dt.date(2028, 3, 27)]]
    assert dates("seniors-day", 2026) == [dt.date(2026, 10, 18)]
    assert dates("disability-day", 2027) == [dt.date(2027, 5, 16)]
    assert dates("national-defence-day", 2026) == [dt.date(2026, 9, 19)]
    for year in range(2026, 2031):
        assert dates("national-security-day", year) == [dt.date(year, 4, 15)]
        assert dates("constitution-day", year) == [dt.date(year, 12, 4)]
    # Announced weeks are never guessed.
    assert dates("cybersecurity-week", 2026) == []
    assert dates("cybersecurity-week", 2025) == [dt.date(2025, 9, 15)]


def test_calendar_home_without_javascript(site):
    html = (site / "events" / "index.html").read_text("utf-8")
    assert 'id="pufa-calendar-data"' in html and "calendar.js" in html
    # Build-time fallback text for "today"-relative values is in the HTML itself.
    assert re.search(r'data-pufa-show="status">(进行中|今天|还有 \d+ 天|待公布|已结束)<', html)
    assert "待公布" in html  # announced weeks without dates
    assert 'href="webcal://' in html and 'href="../calendar.ics"' in html
    assert html.count('href="2026/') + html.count('href="2027/') >= 12


def test_month_page_lists_the_month(site):
    html = (site / "events" / "2027" / "03" / "index.html").read_text("utf-8")
    assert "2027年3月8日" in html and "国际妇女节" in html
    assert "2027年3月29日" in html  # last Monday of March


def test_event_page_shows_next_dates_and_add_to_calendar(site):
    html = (site / "events" / "national-security-day" / "index.html").read_text("utf-8")
    assert "每年4月15日" in html and "加入日历" in html
    assert 'href="../national-security-day.ics"' in html
    assert "国家安全法" in html  # the related law topic


def test_pending_event_has_no_empty_calendar_file(site):
    html = (site / "events" / "ip-week" / "index.html").read_text("utf-8")
    assert "待公布" in html and "加入日历" not in html
    assert not (site / "events" / "ip-week.ics").exists()


def test_law_topic_shows_upcoming_related_events(site):
    html = (site / "laws" / "national-security" / "index.html").read_text("utf-8")
    assert "相关宣传日和活动" in html and "全民国家安全教育日" in html


def test_calendar_ics_is_valid(site):
    cal = icalendar.Calendar.from_ical((site / "calendar.ics").read_bytes())
    assert str(cal["X-WR-CALNAME"]) == "枣阳普法·法治宣传日历"
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    school = next(e for uid, e in events.items() if uid.startswith("school-safety-day@"))
    rule = dict(part.split("=") for part in school["RRULE"].to_ical().decode().split(";"))
    assert rule == {"FREQ": "YEARLY", "BYMONTH": "3", "BYDAY": "-1MO"}
    day = next(e for uid, e in events.items() if uid.startswith("national-security-day@"))
    assert day["RRULE"].to_ical().startswith(b"FREQ=YEARLY")
    assert isinstance(day.decoded("DTSTART"), dt.date) and not isinstance(day.decoded("DTSTART"), dt.datetime)
    seniors = [uid for uid in events if uid.startswith("seniors-day-")]
    assert len(seniors) >= 10
    for event in cal.walk("VEVENT"):
        assert "DTSTAMP" in event and "SUMMARY" in event and str(event["URL"]).startswith("https://")


def test_per_event_ics_files_parse(site):
    files = list((site / "events").glob("*.ics"))
    assert len(files) >= 20
    for path in files:
        cal = icalendar.Calendar.from_ical(path.read_bytes())
        assert cal.walk("VEVENT"), path.name


def test_next_dates_on_29_february(events):
    preface = views.event_preface(events["national-security-day"], dt.date(2028, 2, 29))
    following = next(fact.text for fact in preface.facts if fact.label == "接下来")
    assert following == "2028年4月15日；2029年4月15日；2030年4月15日"
