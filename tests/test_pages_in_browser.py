"""The built pages in a real Chromium: nothing but the site's own host is contacted, print
view drops the site chrome, and “today”-relative text follows the reader's date."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.build]

PAGES = ["", "laws/", "laws/anti-telecom-fraud/", "laws/anti-telecom-fraud/school/", "laws/for/school/",
         "events/", "events/2027/04/", "events/national-security-day/", "parks/", "parks/constitution-culture-park/",
         "about/"]


@pytest.mark.parametrize("path", PAGES)
def test_no_request_leaves_the_site(browser, served, path):
    context = browser.new_context()
    hosts = []
    context.on("request", lambda request: hosts.append(urlsplit(request.url).netloc))
    page = context.new_page()
    try:
        response = page.goto(served + path, wait_until="networkidle")
        assert response.status == 200
        assert set(hosts) == {urlsplit(served).netloc}, hosts
    finally:
        context.close()


def test_print_view_of_a_lecture(browser, served):
    page = browser.new_page()
    try:
        page.goto(served + "laws/anti-telecom-fraud/school/")
        page.emulate_media(media="print")
        for selector in (".md-header", ".md-sidebar--primary", ".md-footer"):
            assert page.eval_on_selector(selector, "e => getComputedStyle(e).display") == "none", selector
        link = page.eval_on_selector('a[href^="http"]', "e => getComputedStyle(e, '::after').content")
        assert "http" in link
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
    finally:
        page.close()


@pytest.mark.parametrize("day, expected", [("2027-04-15", "今天"), ("2027-04-10", "还有 5 天")])
def test_event_status_is_computed_for_the_readers_day(browser, served, day, expected):
    context = browser.new_context(timezone_id="Asia/Shanghai")
    page = context.new_page()
    try:
        page.clock.set_fixed_time(dt.datetime.fromisoformat(day + "T10:00:00+08:00"))
        page.goto(served + "events/national-security-day/")
        status = page.locator('[data-pufa-event="national-security-day"][data-pufa-show="status"]').first
        assert status.text_content() == expected
    finally:
        context.close()


def test_without_javascript_the_build_day_text_stays(browser, served, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(served + "events/national-security-day/")
        built = (site / "events" / "national-security-day" / "index.html").read_text("utf-8")
        text = page.locator('[data-pufa-event="national-security-day"][data-pufa-show="status"]').first.text_content()
        assert f'data-pufa-show="status">{text}<' in built
    finally:
        context.close()
