"""Page weight on a phone, measured in real Chromium against the real nginx configuration: the
bytes a first visit transfers, and that a second page transfers only its HTML."""

from __future__ import annotations

import pytest

from test_nginx import nginx, pages  # noqa: F401  (fixtures: the site served by deploy/nginx.conf)

pytestmark = [pytest.mark.browser, pytest.mark.build]

FIRST_VISIT_BUDGET = 75 * 1024  # bytes on the wire before content images (bare Material: ~79 KB)
IMAGE_TYPES = ("Image",)


def visit(page, cdp, url: str) -> dict[str, dict]:
    """Load `url`; return every network request with its type, status and bytes on the wire."""
    seen: dict[str, dict] = {}
    cdp.on("Network.requestWillBeSent", lambda e: seen.setdefault(e["requestId"], {"url": e["request"]["url"],
                                                                                    "type": e.get("type", "")}))
    cdp.on("Network.responseReceived", lambda e: seen.setdefault(e["requestId"], {}).update(
        status=e["response"]["status"], cached=e["response"].get("fromDiskCache", False)))
    cdp.on("Network.requestServedFromCache", lambda e: seen.setdefault(e["requestId"], {}).update(cached=True))
    cdp.on("Network.loadingFinished", lambda e: seen.setdefault(e["requestId"], {}).update(bytes=e["encodedDataLength"]))
    page.goto(url, wait_until="networkidle")
    return seen


@pytest.mark.parametrize("kind", ["law topic", "lecture", "event", "place", "home", "self-test", "test paper"])
def test_first_visit_fits_the_budget_and_a_second_page_loads_only_its_html(browser, nginx, pages, kind):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    try:
        first = visit(page, cdp, nginx.base + pages[kind])
        wire = sum(r.get("bytes", 0) for r in first.values() if r.get("type") not in IMAGE_TYPES)
        assert wire <= FIRST_VISIT_BUDGET, (kind, wire, sorted((r.get("bytes", 0), r["url"]) for r in first.values()))
        assert all(r["url"].startswith((nginx.base, "data:")) for r in first.values() if "url" in r)
        other = pages["lecture"] if kind != "lecture" else pages["law topic"]
        second = visit(page, cdp, nginx.base + other)
        fetched = [r for r in second.values() if r.get("url") and not r.get("cached") and r.get("bytes", 0) > 0
                   and r["url"] not in {e.get("url") for e in first.values()} | {nginx.base + other}]
        again = [r for r in second.values() if r.get("url") in {e.get("url") for e in first.values()}
                 and r.get("url") != nginx.base + other and not r.get("cached") and r.get("bytes", 0) > 0]
        assert again == [], again  # CSS, JS and icons of the first page come from the cache
        assert all(r.get("type") in ("Document", "Image") for r in fetched), fetched
    finally:
        context.close()
