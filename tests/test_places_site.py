"""Places as published: the list without JavaScript, navigation buttons, JSON-LD and GeoJSON."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from pufa.checks import Settings, check_site
from pufa.places import BoundingBox
from conftest import ROOT, build_site

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


def test_listing_has_every_place_without_javascript(site):
    html = (site / "parks" / "index.html").read_text("utf-8")
    content, _ = check_site(ROOT / "docs")
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


def test_located_place_links_and_geojson(project, tmp_path):
    (project / "docs" / "parks" / "demo.md").write_text(LOCATED, "utf-8")
    out = tmp_path / "out"
    result = build_site(out, config=project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr[-3000:]
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
    number = re.search(r'地图编号 \d+">(\d+)</span>\s*<a href="demo-corridor/">', listing)[1]
    assert f"<title>{number}. 示例法治长廊</title>" in listing


def test_swapped_and_out_of_area_coordinates_are_errors(tmp_path):
    docs = tmp_path / "docs"
    (docs / "parks").mkdir(parents=True)
    (docs / "parks" / "a.md").write_text(LOCATED.replace("lat: 32.12673418, lon: 112.77784443", "lat: 112.77784443, lon: 32.12673418"), "utf-8")
    (docs / "parks" / "b.md").write_text(LOCATED.replace("demo-corridor", "demo-b").replace("lat: 32.12673418", "lat: 30.5"), "utf-8")
    _, problems = check_site(docs, settings=Settings(bbox=BoundingBox(31.6, 112.4, 32.5, 113.2)))
    by_file = {(p.path, p.line): p.message for p in problems if p.code == "location"}
    assert any(path == "docs/parks/a.md" and line == 7 and "写反" in msg for (path, line), msg in by_file.items()), by_file
    assert any(path == "docs/parks/b.md" and line == 7 and "枣阳市" in msg for (path, line), msg in by_file.items()), by_file


def test_bbox_is_configurable_in_mkdocs_yml(project, tmp_path):
    (project / "docs" / "parks" / "demo.md").write_text(LOCATED, "utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - pufa", "  - pufa:\n      bbox: [30.0, 110.0, 31.0, 111.0]", 1), "utf-8")
    result = build_site(tmp_path / "out", config=config)
    assert result.returncode != 0
    assert "docs/parks/demo.md:7:" in result.stderr


@pytest.mark.browser
def test_interactive_map_loads_on_request_and_falls_back_to_the_schematic(project, tmp_path, browser):
    """With a 天地图 key the map is Leaflet (served by the site) on demand; when tiles fail the reader
    keeps the build-time schematic. Nothing is fetched before the map is opened."""
    import functools
    import http.server
    import threading

    from conftest import QuietHandler

    (project / "docs" / "parks" / "demo.md").write_text(LOCATED, "utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - pufa", "  - pufa:\n      tianditu_key: test-key", 1), "utf-8")
    out = tmp_path / "out"
    result = build_site(out, config=config)
    assert result.returncode == 0, result.stderr[-3000:]
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
