"""Places as published: the list without JavaScript, navigation buttons, JSON-LD and GeoJSON."""

from __future__ import annotations

import json
import re
import shutil
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import ROOT, build_site, check
from pufa.checks import check_project
from pufa.clock import build_today
from pufa.project import open_project

pytestmark = pytest.mark.build

LOCATED = """---
title: 示例法治长廊
slug: demo-corridor
kind: 法治文化长廊
town: 南城街道
address: 枣阳市示例路
location: {lat: 32.12673418, lon: 112.77784443, crs: gcj02}
hours: 全天开放
features: [宪法宣传栏, 民法典漫画]
source: 示例，仅用于测试
published: 2026-11-26
---

示例。
"""


def copy_project(folder):
    """A writable copy of the real site's sources (as conftest's `project`, for a module-scoped build)."""
    for name in ("mkdocs.yml", "county.yml", "overrides", "docs"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, folder / name)
    return folder


@pytest.fixture(scope="module")
def located(tmp_path_factory):
    """The real site plus one located place, built once with a 天地图 key (for the interactive map)."""
    project = copy_project(tmp_path_factory.mktemp("located"))
    (project / "docs" / "parks" / "demo.md").write_text(LOCATED, "utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert text.count("  - pufa:\n") == 1
    config.write_text(text.replace("  - pufa:\n", "  - pufa:\n      tianditu_key: test-key\n"), "utf-8")
    out = project / "out"
    result = build_site(out, config=config)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def test_listing_has_every_place_without_javascript(site):
    html = (site / "parks" / "index.html").read_text("utf-8")
    content = check_project(open_project(ROOT / "mkdocs.yml"), build_today(), render=False).content
    for place in content.published().places:
        assert place.title in html and place.address in html
    assert "按街道、镇查看" in html and "按类型查看" in html
    assert "所在街道（镇）待核实" in html
    # Address-only places get search links in every map app.
    for host in ("uri.amap.com/search", "api.map.baidu.com", "apis.map.qq.com", "maps.apple.com"):
        assert host in html
    assert "<svg" in html and "示意图" in html
    assert "收录进度" in html and "100余" in html and "147" in html


def test_place_page_has_jsonld(site):
    html = (site / "parks" / "constitution-culture-park" / "index.html").read_text("utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1])
    assert data["@type"] == "Park" and data["name"] == "宪法文化公园"
    assert data["address"]["addressLocality"] == "枣阳市"
    assert "geo" not in data  # no coordinates until someone supplies real ones


def test_located_place_links_and_geojson(located):
    out = located
    html = (out / "parks" / "demo-corridor" / "index.html").read_text("utf-8")
    hrefs = re.findall(r'href="([^"]+)"', html.replace("&amp;", "&"))
    amap = next(h for h in hrefs if h.startswith("https://uri.amap.com/navigation"))
    to = parse_qs(urlsplit(amap).query)["to"][0].split(",")
    assert (to[0], to[1]) == ("112.777844", "32.126734")  # GCJ-02 as picked, lon first
    baidu = parse_qs(urlsplit(next(h for h in hrefs if h.startswith("https://api.map.baidu.com/marker"))).query)
    assert baidu["location"] == ["32.126734,112.777844"] and baidu["coord_type"] == ["gcj02"]
    geo = json.loads((out / "places.geojson").read_text("utf-8"))
    assert geo["type"] == "FeatureCollection"
    feature = next(f for f in geo["features"] if f["properties"]["name"] == "示例法治长廊")
    lon, lat = feature["geometry"]["coordinates"]
    assert abs(lat - 32.128889) < 1e-5 and abs(lon - 112.771944) < 1e-5  # converted to WGS-84, [lon, lat]
    assert feature["properties"]["url"].startswith("https://") and feature["properties"]["town"] == "南城街道"
    assert re.fullmatch(r"-?\d+\.\d{1,6}", str(lon))
    # The schematic's numbered marker matches the place's number in the list.
    listing = (out / "parks" / "index.html").read_text("utf-8")
    number = re.search(r'地图编号 </span>(\d+)</span>\s*<a href="demo-corridor/">', listing)[1]
    assert f"<title>{number}. 示例法治长廊</title>" in listing


def test_swapped_and_out_of_area_coordinates_are_errors(site_root):
    # The test county (示例县) has 枣阳's box, 31.60–32.50 N, 112.40–113.20 E, and a town 城关镇.
    docs = site_root / "docs"
    place = LOCATED.replace("town: 南城街道", "town: 城关镇")
    (docs / "parks" / "a.md").write_text(place.replace("lat: 32.12673418, lon: 112.77784443", "lat: 112.77784443, lon: 32.12673418"), "utf-8")
    (docs / "parks" / "b.md").write_text(place.replace("demo-corridor", "demo-b").replace("lat: 32.12673418", "lat: 30.5"), "utf-8")
    found = {(p.path, p.line, p.code): p.message for p in check(site_root) if p.path.startswith("docs/parks/")}
    assert list(found) == [("docs/parks/a.md", 7, "location"), ("docs/parks/b.md", 7, "location")], found
    assert "写反" in found["docs/parks/a.md", 7, "location"]
    assert "不在示例县范围内" in found["docs/parks/b.md", 7, "location"]


def test_bbox_comes_from_county_yml(project, tmp_path):
    (project / "docs" / "parks" / "demo.md").write_text(LOCATED, "utf-8")
    county = project / "county.yml"
    text = county.read_text("utf-8")
    box = "bbox: {south: 31.60, west: 112.40, north: 32.50, east: 113.20}"
    assert text.count(box) == 1
    county.write_text(text.replace(box, "bbox: {south: 30.0, west: 110.0, north: 31.0, east: 111.0}"), "utf-8")
    result = build_site(tmp_path / "out", config=project / "mkdocs.yml")
    assert result.returncode != 0
    assert "docs/parks/demo.md:7: 错误：位置坐标（纬度 lat 32.12673418，经度 lon 112.77784443）不在枣阳市范围内" in result.stderr


@pytest.mark.browser
def test_interactive_map_loads_on_request_and_falls_back_to_the_schematic(located, browser):
    """With a 天地图 key the map is Leaflet (served by the site) on demand; when tiles fail the reader
    keeps the build-time schematic. Nothing is fetched before the map is opened."""
    import functools
    import http.server
    import threading

    from conftest import QuietHandler

    out = located
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    requests = []
    context.on("request", lambda r: requests.append(r.url))
    context.route("**/*tianditu.gov.cn/**", lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/parks/", wait_until="networkidle")
        assert not [u for u in requests if "leaflet" in u or "tianditu" in u]  # nothing before it is asked for
        page.click("details.pufa-map > summary")
        page.wait_for_function("document.querySelector('details.pufa-map').textContent.includes('在线地图暂时无法加载') && "
                               "!document.querySelector('.pufa-map__schematic').hidden && "
                               "document.querySelector('.pufa-map__live').hidden", timeout=15000)
        assert any("leaflet.js" in u for u in requests)
        assert any("tianditu.gov.cn" in u and "tk=test-key" in u for u in requests)
        assert "在线地图暂时无法加载，已显示示意图" in page.text_content("details.pufa-map")
    finally:
        context.close()
        server.shutdown()
