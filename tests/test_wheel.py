"""pufa as a package another county adopts: the built wheel alone, in a clean environment, makes a second
county's site that checks, builds, carries the national calendar, names no other county, and is accessible.

The locked dependency wheels come from the wheelhouse `make test` fills (PUFA_WHEELHOUSE); nothing is
downloaded here. The test county is made up and labelled as such (示例县).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest

from conftest import ROOT, TEST_COUNTY

pytestmark = pytest.mark.build
COUNTY_NAMES = ("枣阳", "襄阳", "湖北")


def run(*args, cwd: Path, env: dict | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
    assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-3000:])
    return result


@pytest.fixture(scope="module")
def second_county(tmp_path_factory) -> Path:
    wheelhouse = Path(os.environ.get("PUFA_WHEELHOUSE", Path.home() / ".cache" / "pufa" / "wheelhouse"))
    if not (wheelhouse / ".complete").is_file():
        pytest.fail(f"no wheelhouse at {wheelhouse}: run `make test` (its `wheelhouse` step fills it from requirements.lock)")
    work = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", work / "dist", ROOT, cwd=work)
    wheel = next((work / "dist").glob("pufa-*.whl"))
    run(sys.executable, "-m", "venv", work / "venv", cwd=work)
    bin_dir = work / "venv" / "bin"
    run(bin_dir / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-index",
        "--find-links", wheelhouse, wheel, cwd=work)
    site = work / "county"
    args = [f"--{key.replace('_', '-')}={value}" for key, value in TEST_COUNTY.items() if key != "county"]
    run(bin_dir / "pufa", "init", site, "--yes", f"--county={TEST_COUNTY['county']}", *args, cwd=work)
    checked = subprocess.run([bin_dir / "pufa", "check"], cwd=site, capture_output=True, text=True, timeout=600,
                             env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert checked.returncode == 0, checked.stdout[-3000:]  # warnings only (待填写 levels, due dates)
    assert "错误：" not in checked.stdout
    run(bin_dir / "pufa", "build", cwd=site)
    run(bin_dir / "mkdocs", "build", "--strict", "-d", work / "mkdocs-site", cwd=site)
    return site


def test_the_wheel_alone_installs_and_the_new_site_checks_and_builds(second_county):
    assert (second_county / "site" / "index.html").is_file()
    assert "示例普法" in (second_county / "site" / "index.html").read_text("utf-8")


def test_the_new_site_carries_the_national_calendar_with_every_kind_of_rule(second_county):
    cal = icalendar.Calendar.from_ical((second_county / "site" / "calendar.ics").read_bytes())
    events = {}
    for event in cal.walk("VEVENT"):
        events.setdefault(str(event["SUMMARY"]), []).append(event)
    security = next(v for k, v in events.items() if k.startswith("全民国家安全教育日"))[0]
    assert security["RRULE"]["BYMONTH"] == [4] and security["RRULE"]["BYMONTHDAY"] == [15]
    school = next(v for k, v in events.items() if "中小学生安全教育日" in k)[0]
    assert school["RRULE"]["BYDAY"] == ["-1MO"] and school["RRULE"]["BYMONTH"] == [3]
    seniors = sorted(e["DTSTART"].dt for e in next(v for k, v in events.items() if "老年节" in k or "重阳" in k))
    assert str(seniors[0]) in ("2026-10-18",) and len(seniors) >= 10  # 农历九月初九, ten years listed
    assert len(events) >= 20  # every observance with dates (an announced week without them has none yet)


def test_no_other_countys_name_reaches_the_new_site(second_county):
    found = []
    for path in (second_county / "site").rglob("*"):
        if path.is_file() and path.suffix not in (".gz", ".br", ".zip", ".jpg", ".png", ".webp", ".pf_fragment",
                                                   ".pf_index", ".pf_meta", ".pagefind", ".wasm"):
            text = path.read_text("utf-8", errors="ignore")
            found += [f"{path.relative_to(second_county)}: {name}" for name in COUNTY_NAMES if name in text]
    assert found == []


@pytest.mark.browser
def test_the_new_sites_pages_pass_the_same_accessibility_test(second_county, browser):
    import functools
    import http.server
    import threading

    from conftest import QuietHandler
    from test_accessibility import AXE, AXE_RUN, AXE_TAGS
    site = second_county / "site"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        for path in ("", "laws/", "events/", "events/national-security-day/", "parks/", "about/", "sitemap/"):
            page = browser.new_page()
            try:
                page.goto(base + path, wait_until="load")
                page.add_script_tag(content=AXE.read_text("utf-8"))
                assert page.evaluate(AXE_RUN, AXE_TAGS) == [], path
            finally:
                page.close()
    finally:
        server.shutdown()


def test_the_package_source_names_no_county():
    """Outside comments that cite a source, src/pufa names no county: every local fact is a site's data."""
    found = []
    for path in (ROOT / "src" / "pufa").rglob("*"):
        if not path.is_file() or path.suffix in (".otf", ".png", ".pyc"):
            continue
        for number, line in enumerate(path.read_text("utf-8", errors="ignore").split("\n"), 1):
            code = line.split("#", 1)[0] if path.suffix in (".py", ".yaml", ".yml") else line
            if any(name in code for name in COUNTY_NAMES):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert found == []
