"""Places: conversions (pufa.places.geo), coordinate checks (pufa.checks.location), deep links
(pufa.places.maplinks), GeoJSON and JSON-LD (pufa.outputs.geodata), the SVG schematic (pufa.site.mapsvg),
and the coverage and groups of the places pages (pufa.site.views).

Vectors and tolerances come from the shared maps reference (eviltransform `python/test.py` and the
computed Zaoyang row); the county is the 枣阳 site's own county.yml.
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path
import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from markupsafe import Markup

from conftest import check
from pufa.content.records import Content, Location, Photo, Place
from pufa.county import load_county
from pufa.outputs import geodata
from pufa.places import geo, maplinks
from pufa.site import mapsvg, views

ROOT = Path(__file__).resolve().parents[1]
SVG_NS = "{http://www.w3.org/2000/svg}"
ZAOYANG, _ = load_county(ROOT / "county.yml")  # the real site's county: 枣阳市, 襄阳市, 湖北省
AREA = ZAOYANG.area
TITLE = "枣阳市法治文化阵地分布示意图"

# (wgs lat, wgs lon, gcj lat, gcj lon)
VECTORS = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # Shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # Shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # Beijing
    (32.128889, 112.771944, 32.12673418239384, 112.7778444328724),  # Zaoyang government seat
]
WGS = (32.128889, 112.771944)
GCJ = (32.12673418239384, 112.7778444328724)
BD = (32.13286387338058, 112.78428699567526)
NAME = "宪法文化公园"
BAIDU_COORD_TYPES = [("wgs84", "wgs84"), ("gcj02", "gcj02"), ("bd09", "bd09ll")]
ADDRESS = "南城街道沿河路"


def make_place(slug: str = "xianfa-park", *, location: Location | None = None, title: str = NAME,
               kind: str = "法治文化公园", town: str = "南城街道", address: str = ADDRESS,
               level: str = "", photos: tuple[Photo, ...] = (), summary: str = "") -> Place:
    return Place(path=f"parks/{slug}.md", title=title, slug=slug, summary=summary, body="",
                 body_line=1, kind=kind, level=level, town=town, address=address,
                 location=location, photos=photos)


LOCATED = {
    "wgs84": Location(WGS[0], WGS[1], "wgs84", line=7),
    "gcj02": Location(GCJ[0], GCJ[1], "gcj02", line=7),
    "bd09": Location(BD[0], BD[1], "bd09", line=7),
}


def query(url: str) -> dict[str, str]:
    params = parse_qs(urlsplit(url).query, keep_blank_values=True, strict_parsing=True)
    assert all(len(v) == 1 for v in params.values()), url
    return {k: v[0] for k, v in params.items()}


def numbers(text: str) -> tuple[float, float]:
    first, second = text.split(",")[:2]
    for n in (first, second):
        assert re.fullmatch(r"\d+\.\d{6}", n), f"not 6 decimals: {n}"
    return float(first), float(second)


def assert_lat_lon(pair: tuple[float, float], expected: tuple[float, float], *, metres: float):
    lat, lon = pair
    assert 31 < lat < 33 and 112 < lon < 114, f"order wrong: {pair}"
    assert geo.distance_m((lat, lon), expected) < metres


# --- conversions ----------------------------------------------------------------------------


@pytest.mark.parametrize("wlat,wlon,glat,glon", VECTORS)
def test_forward_matches_vectors(wlat, wlon, glat, glon):
    lat, lon = geo.to_gcj02(lat=wlat, lon=wlon)
    assert abs(lat - glat) < 1e-6 and abs(lon - glon) < 1e-6


@pytest.mark.parametrize("wlat,wlon,glat,glon", VECTORS)
def test_iterative_inverse_under_half_a_metre(wlat, wlon, glat, glon):
    back = geo.gcj02_to_wgs84(lat=glat, lon=glon)
    assert geo.distance_m(back, (wlat, wlon)) < 0.5


@pytest.mark.parametrize("wlat,wlon,glat,glon", VECTORS)
def test_round_trips(wlat, wlon, glat, glon):
    gcj = geo.to_gcj02(lat=wlat, lon=wlon)
    assert geo.distance_m(geo.gcj02_to_wgs84(lat=gcj[0], lon=gcj[1]), (wlat, wlon)) < 0.5
    bd = geo.gcj02_to_bd09(lat=glat, lon=glon)
    assert geo.distance_m(geo.bd09_to_gcj02(lat=bd[0], lon=bd[1]), (glat, glon)) < 0.5


def test_bd09_of_zaoyang_row():
    lat, lon = geo.gcj02_to_bd09(lat=GCJ[0], lon=GCJ[1])
    assert abs(lat - BD[0]) < 1e-9 and abs(lon - BD[1]) < 1e-9


def test_offset_at_zaoyang_is_about_600_m():
    assert 600 < geo.distance_m(WGS, GCJ) < 610
    assert 1200 < geo.distance_m(WGS, BD) < 1280


def test_outside_china_unchanged():
    assert geo.to_gcj02(lat=51.5, lon=-0.12) == (51.5, -0.12)


@pytest.mark.parametrize("crs", ["wgs84", "gcj02", "bd09"])
def test_to_wgs84_dispatches_on_crs(crs):
    assert geo.distance_m(geo.to_wgs84(LOCATED[crs]), WGS) < 0.5


def test_unknown_crs_is_refused():
    with pytest.raises(ValueError, match="坐标系"):
        geo.to_wgs84(Location(WGS[0], WGS[1], "cgcs2000"))


# --- checks ---------------------------------------------------------------------------------


def test_bbox_covers_the_county_with_margin():
    # maps.md: the boundary's box is 31.65–32.42 N, 112.47–113.12 E.
    for lat in (31.65, 32.42):
        for lon in (112.47, 113.12):
            assert ZAOYANG.bbox.contains(lat=lat, lon=lon)
    assert not ZAOYANG.bbox.contains(lat=30.59, lon=114.30)  # Wuhan


PARK = """\
---
title: 宪法文化公园
slug: xianfa-park
kind: 法治文化公园
address: 城关镇沿河路
location: {{lat: {lat}, lon: {lon}, crs: {crs}}}
source: 示例，仅用于测试
published: 2026-11-26
---

介绍。
"""


def location_problems(site_root, lat, lon, crs) -> list[tuple[int, str, str]]:
    """(line, code, message) of every problem `pufa check` finds in a place at these coordinates.

    The test county's bbox is the same as 枣阳's (31.60–32.50 N, 112.40–113.20 E); its name is 示例县."""
    (site_root / "docs" / "parks" / "park.md").write_text(PARK.format(lat=lat, lon=lon, crs=crs), "utf-8")
    return [(p.line, p.code, p.message) for p in check(site_root) if p.path == "docs/parks/park.md"]


@pytest.mark.parametrize("crs", ["wgs84", "gcj02", "bd09"])
def test_good_location_has_no_messages(site_root, crs):
    loc = LOCATED[crs]
    assert location_problems(site_root, loc.lat, loc.lon, crs) == []


def test_swapped_latitude_and_longitude_is_named(site_root):
    [(line, code, message)] = location_problems(site_root, "112.771944", "32.128889", "wgs84")
    assert (line, code) == (6, "location")
    assert "写反" in message
    assert "lat: 32.128889" in message and "lon: 112.771944" in message


def test_outside_the_county_gives_expected_ranges(site_root):
    [(line, code, message)] = location_problems(site_root, "30.590000", "114.300000", "gcj02")
    assert (line, code) == (6, "location")
    assert "不在示例县范围内" in message
    assert "31.60～32.50" in message and "112.40～113.20" in message


def test_coarse_coordinates_are_flagged(site_root):
    [(line, code, message)] = location_problems(site_root, "32.13", "112.77", "wgs84")
    assert (line, code) == (6, "location-precision")
    assert "小数位太少" in message and "至少要有 4 位小数" in message


def test_bad_crs_and_non_numbers(site_root):
    [(line, code, message)] = location_problems(site_root, WGS[0], WGS[1], "baidu")
    assert (line, code) == (6, "not-in-list") and "wgs84、gcj02、bd09" in message
    [(line, code, message)] = location_problems(site_root, ".nan", WGS[1], "wgs84")
    assert (line, code) == (6, "location") and "必须是数字" in message


# --- deep links -----------------------------------------------------------------------------


@pytest.mark.parametrize("crs", ["wgs84", "gcj02", "bd09"])
def test_amap_marker(crs):
    q = query(maplinks.amap_marker_url(make_place(location=LOCATED[crs]), src="webapp.test.pufa"))
    lon, lat = numbers(q["position"])  # longitude first
    assert q["name"] == NAME and q["src"] == "webapp.test.pufa" and q["callnative"] == "1"
    if crs == "wgs84":
        assert q["coordinate"] == "wgs84" and q["position"] == "112.771944,32.128889"
    elif crs == "gcj02":
        assert q["coordinate"] == "gaode" and q["position"] == "112.777844,32.126734"
    else:
        assert q["coordinate"] == "gaode"
        assert_lat_lon((lat, lon), GCJ, metres=0.5)


@pytest.mark.parametrize("crs", ["wgs84", "gcj02", "bd09"])
def test_amap_navigation_passes_gcj02(crs):
    url = maplinks.amap_navigation_url(make_place(location=LOCATED[crs]))
    assert url.startswith("https://uri.amap.com/navigation?")
    q = query(url)
    lon, lat = numbers(q["to"])
    assert q["to"].split(",", 2)[2] == NAME
    assert_lat_lon((lat, lon), GCJ, metres=0.5)
    assert "coordinate" not in q and q["mode"] == "car" and q["callnative"] == "1"


@pytest.mark.parametrize("crs,coord_type", BAIDU_COORD_TYPES)
def test_baidu_marker_passes_own_coordinates(crs, coord_type):
    loc = LOCATED[crs]
    url = maplinks.baidu_marker_url(make_place(location=loc), src="webapp.test.pufa")
    assert url.startswith("https://api.map.baidu.com/marker?")
    q = query(url)
    lat, lon = numbers(q["location"])  # latitude first
    assert (lat, lon) == (round(loc.lat, 6), round(loc.lon, 6))
    assert q["coord_type"] == coord_type
    assert q["title"] == NAME and q["content"] == ADDRESS
    assert q["output"] == "html" and q["src"] == "webapp.test.pufa"


@pytest.mark.parametrize("crs", ["wgs84", "gcj02", "bd09"])
def test_tencent_route(crs):
    place = make_place(location=LOCATED[crs])
    r = query(maplinks.tencent_route_url(place, referer="test-pufa"))
    assert r["to"] == NAME and r["type"] == "drive" and r["referer"] == "test-pufa"
    assert r["coord_type"] == ("1" if crs == "wgs84" else "2")
    assert_lat_lon(numbers(r["tocoord"]), WGS if crs == "wgs84" else GCJ, metres=0.5)  # latitude first
    if crs == "gcj02":
        assert r["tocoord"] == "32.126734,112.777844"


@pytest.mark.parametrize("crs", ["wgs84", "gcj02", "bd09"])
def test_apple_maps_uses_gcj02_lat_first(crs):
    url = maplinks.apple_maps_url(make_place(location=LOCATED[crs]))
    assert url.startswith("https://maps.apple.com/?")
    q = query(url)
    assert q["q"] == NAME
    assert_lat_lon(numbers(q["ll"]), GCJ, metres=0.5)


@pytest.mark.parametrize("crs", ["wgs84", "gcj02", "bd09"])
def test_geo_uri_is_wgs84_lat_first(crs):
    uri = maplinks.geo_uri(make_place(location=LOCATED[crs]))
    assert uri.startswith("geo:")
    assert_lat_lon(numbers(uri.removeprefix("geo:")), WGS, metres=0.5)


def test_chinese_is_percent_encoded_and_separators_neutralised():
    place = make_place(location=LOCATED["wgs84"], title="法治 长廊;A|B,C", address="示例县 某村:1号")
    url = maplinks.baidu_marker_url(place)
    assert url.isascii() and " " not in url
    q = query(url)
    assert q["title"] == "法治 长廊；A｜B，C" and q["content"] == "示例县 某村：1号"
    assert maplinks.amap_navigation_url(place).isascii()


def test_address_only_links_search_within_the_county():
    place = make_place(location=None, address="吴店镇白水村")
    links = maplinks.nav_links(place, area=AREA, src="webapp.test.pufa", referer="zaoyang-pufa")
    assert [link.app for link in links] == ["amap", "baidu", "tencent", "apple"]
    assert all(link.by_address for link in links)
    amap, baidu, tencent, apple = (query(link.url) for link in links)
    assert links[0].url.startswith("https://uri.amap.com/search?")
    assert amap["keyword"] == "枣阳市吴店镇白水村" and amap["city"] == "襄阳市"
    assert amap["src"] == "webapp.test.pufa"
    assert links[1].url.startswith("https://api.map.baidu.com/place/search?")
    assert baidu["query"] == "枣阳市吴店镇白水村" and baidu["region"] == "枣阳市"
    assert baidu["output"] == "html" and baidu["src"] == "webapp.test.pufa"
    assert links[2].url.startswith("https://apis.map.qq.com/uri/v1/search?")
    assert tencent["keyword"] == "枣阳市吴店镇白水村" and tencent["referer"] == "zaoyang-pufa"
    assert links[3].url.startswith("https://maps.apple.com/?")
    assert apple["q"] == "湖北省枣阳市吴店镇白水村"


def test_address_already_naming_the_city_is_not_prefixed_twice():
    q = query(maplinks.amap_search_url(make_place(location=None, address="枣阳市沿河路"), area=AREA))
    assert q["keyword"] == "枣阳市沿河路"


def test_an_editors_note_in_brackets_is_not_searched_for():
    place = make_place(location=None, address="枣阳市沿河路一带（据报告推断）")
    assert query(maplinks.amap_search_url(place, area=AREA))["keyword"] == "枣阳市沿河路一带"
    assert query(maplinks.baidu_search_url(place, area=AREA))["query"] == "枣阳市沿河路一带"


def test_nav_links_for_a_located_place():
    links = maplinks.nav_links(make_place(location=LOCATED["wgs84"]), area=AREA)
    assert [(link.app, link.label) for link in links] == [
        ("amap", "高德地图"), ("baidu", "百度地图"), ("tencent", "腾讯地图"), ("apple", "苹果地图"),
        ("geo", "其他地图应用"),
    ]
    assert not any(link.by_address for link in links)
    assert query(links[0].url)["src"] == maplinks.DEFAULT_SRC


def test_coordinate_links_need_coordinates():
    with pytest.raises(ValueError, match="没有位置坐标"):
        maplinks.amap_marker_url(make_place(location=None))


# --- GeoJSON and JSON-LD --------------------------------------------------------------------


def sample_places() -> list[Place]:
    return [
        make_place("zz-village", location=LOCATED["bd09"], kind="民主法治示范村", level="全国",
                   title="示范村"),
        make_place("aa-park", location=LOCATED["wgs84"]),
        make_place("mm-wall", location=None, kind="法治文化漫画墙", title="漫画墙"),
        make_place("bb-lane", location=LOCATED["gcj02"], kind="法治文化长廊", title="长廊", town=""),
    ]


def test_geojson_feature_collection():
    data = geodata.places_geojson(sample_places(), "https://pufa.example.cn/site/")
    json.dumps(data, ensure_ascii=False)  # serialisable
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert [f["id"] for f in data["features"]] == ["aa-park", "bb-lane", "zz-village"]
    for feature in data["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert ZAOYANG.bbox.contains(lat=lat, lon=lon)  # [lon, lat], not [lat, lon]
        assert round(lon, 6) == lon and round(lat, 6) == lat
        assert geo.distance_m((lat, lon), WGS) < 0.5  # all three are the same spot in WGS-84
    park, lane, village = (f["properties"] for f in data["features"])
    assert park == {"name": NAME, "kind": "法治文化公园", "town": "南城街道", "address": ADDRESS,
                    "url": "https://pufa.example.cn/site/parks/aa-park/", "source_crs": "wgs84"}
    assert lane["source_crs"] == "gcj02" and lane["town"] == ""
    assert village["level"] == "全国" and village["source_crs"] == "bd09"


def test_geojson_url_without_trailing_slash():
    data = geodata.places_geojson([make_place(location=LOCATED["wgs84"])], "https://pufa.example.cn")
    assert data["features"][0]["properties"]["url"] == "https://pufa.example.cn/parks/xianfa-park/"


def test_jsonld_park():
    place = make_place(location=LOCATED["gcj02"], summary="沿河路上的宪法主题公园。",
                       photos=(Photo("parks/images/xianfa.jpg", "公园入口的宪法宣传牌"),))
    data = geodata.place_jsonld(place, "https://pufa.example.cn/parks/xianfa-park/", area=AREA,
                                site_url="https://pufa.example.cn/")
    assert data["@context"] == "https://schema.org" and data["@type"] == "Park"
    assert data["name"] == NAME and data["url"].endswith("/parks/xianfa-park/")
    assert data["address"] == {"@type": "PostalAddress", "addressCountry": "CN",
                               "addressRegion": "湖北省", "addressLocality": "枣阳市",
                               "streetAddress": ADDRESS}
    point = data["geo"]
    assert point["@type"] == "GeoCoordinates"
    assert geo.distance_m((point["latitude"], point["longitude"]), WGS) < 0.5
    assert data["containedInPlace"] == {"@type": "AdministrativeArea", "name": "南城街道"}
    assert data["hasMap"].startswith("https://uri.amap.com/marker?")
    assert data["image"] == ["https://pufa.example.cn/parks/images/xianfa.jpg"]
    json.dumps(data, ensure_ascii=False)


def test_jsonld_other_kinds():
    lane = geodata.place_jsonld(make_place(kind="法治文化长廊"), "https://x.cn/parks/lane/", area=AREA)
    assert lane["@type"] == "Place" and lane["additionalType"].startswith("https://schema.org/")
    assert "geo" not in lane and "hasMap" not in lane and "image" not in lane
    village = geodata.place_jsonld(make_place(kind="民主法治示范村"), "https://x.cn/parks/v/", area=AREA)
    assert village["additionalType"] == "https://schema.org/AdministrativeArea"
    square = geodata.place_jsonld(make_place(kind="法治文化广场"), "https://x.cn/parks/s/", area=AREA)
    assert square["@type"] == "Park"


# --- schematic SVG --------------------------------------------------------------------------


def test_svg_markers_and_accessibility():
    places = [
        make_place("a", location=LOCATED["wgs84"], title="公园<&>"),
        make_place("b", location=None, title="无坐标"),
        make_place("c", location=Location(32.05, 112.70, "gcj02"), title="长廊"),
        make_place("d", location=Location(30.59, 114.30, "wgs84"), title="界外"),
    ]
    svg = mapsvg.schematic_svg(places, ZAOYANG.bbox, title=TITLE)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg" and root.get("role") == "img"
    ids = root.get("aria-labelledby").split()
    assert {el.get("id") for el in root.iter() if el.get("id")} >= set(ids)
    assert root.find(f"{SVG_NS}title").text == TITLE
    desc = root.find(f"{SVG_NS}desc").text
    assert "公园<&>" in desc and "另有 2 处未标在图上" in desc
    circles = list(root.iter(f"{SVG_NS}circle"))
    assert len(circles) == 2  # the two located places inside the box
    marker_numbers = [g.find(f"{SVG_NS}text").text for g in root.iter(f"{SVG_NS}g")
                      if g.find(f"{SVG_NS}circle") is not None]
    assert marker_numbers == ["1", "3"]  # positions in the list, so they match it
    texts = "".join(root.itertext())
    assert mapsvg.MAP_CAPTION in texts and "北" in texts and "公里" in texts
    assert "href" not in svg and "http:" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert svg == mapsvg.schematic_svg(places, ZAOYANG.bbox, title=TITLE)  # deterministic


def test_svg_marker_position_follows_projection():
    bbox = geo.BoundingBox(south=32.0, west=112.6, north=32.2, east=112.9)
    svg = mapsvg.schematic_svg([make_place(location=Location(32.1, 112.75, "wgs84"))], bbox, title=TITLE)
    circle = next(ET.fromstring(svg).iter(f"{SVG_NS}circle"))
    x, y = float(circle.get("cx")), float(circle.get("cy"))
    frame = next(ET.fromstring(svg).iter(f"{SVG_NS}rect"))
    fx, fy = float(frame.get("x")), float(frame.get("y"))
    fw, fh = float(frame.get("width")), float(frame.get("height"))
    assert x == pytest.approx(fx + fw / 2, abs=0.2) and y == pytest.approx(fy + fh / 2, abs=0.2)
    # equirectangular scaled by cos(latitude): 0.3° of longitude vs 0.2° of latitude
    assert fw / fh == pytest.approx(0.3 * math.cos(math.radians(32.1)) / 0.2, rel=1e-3)


def test_svg_empty_state():
    svg = mapsvg.schematic_svg([make_place(location=None)], ZAOYANG.bbox, title=TITLE)
    root = ET.fromstring(svg)
    assert not list(root.iter(f"{SVG_NS}circle"))
    assert "暂无带坐标的法治文化阵地" in "".join(root.itertext())
    assert mapsvg.schematic_svg([], ZAOYANG.bbox, title=TITLE) == mapsvg.schematic_svg([], ZAOYANG.bbox, title=TITLE)


def test_bbox_around_contains_places():
    places = [make_place("a", location=LOCATED["wgs84"]),
              make_place("b", location=Location(32.10, 112.75, "gcj02"))]
    box = mapsvg.bbox_around(places, ZAOYANG.bbox)
    for place in places:
        lat, lon = geo.to_wgs84(place.location)
        assert box.contains(lat=lat, lon=lon)
    single = mapsvg.bbox_around(places[:1], ZAOYANG.bbox)
    assert geo.distance_m((single.south, single.west), (single.north, single.west)) > 7900
    assert mapsvg.bbox_around([make_place(location=None)], ZAOYANG.bbox) == ZAOYANG.bbox


# --- coverage and grouping (the places pages' views) --------------------------------------------


def places_views(places: list[Place], generated: dict | None = None) -> views.Views:
    """Every view of a build with these places and 枣阳's county.yml (no pictures, no rendered prefaces)."""
    ctx = views.Context(Content(places=places), ZAOYANG, dt.date(2026, 12, 2), "https://pufa.example.cn/", None,
                        maplinks.DEFAULT_SRC, "", lambda preface: Markup(""))
    return views.build_views(ctx, generated or {})


def test_coverage_against_the_report():
    places = [
        make_place("p1", kind="法治文化公园"), make_place("p2", kind="法治文化公园"),
        make_place("w1", kind="法治文化漫画墙"),
        make_place("v1", kind="民主法治示范村", level="全国"),
        make_place("v2", kind="民主法治示范村", level="枣阳市级"),
        make_place("v3", kind="民主法治示范村", level="襄阳市级"),
    ]
    page = places_views(places).get("parks/index.md")
    rows = {label: (listed, reported, missing) for label, listed, reported, missing in page.coverage}
    assert list(rows) == ["法治文化公园", "法治文化街巷", "法治文化长廊", "法治文化漫画墙",
                          "全国民主法治示范村", "枣阳市级民主法治示范村"]
    assert rows == {
        "法治文化公园": (2, "5", "3"), "法治文化街巷": (0, "8", "8"), "法治文化长廊": (0, "14", "14"),
        "法治文化漫画墙": (1, "100余", "99+"), "全国民主法治示范村": (1, "4", "3"), "枣阳市级民主法治示范村": (1, "147", "146"),
    }
    assert page.coverage_source.startswith("与《枣阳市2023年法治政府建设年度报告》公布的数量对照")


def test_group_by_town():
    places = [
        make_place("a", town="吴店镇"), make_place("b", town=""), make_place("c", town="南城街道"),
        make_place("d", town="吴店镇"), make_place("e", town="不存在镇"),
    ]
    page = places_views(places).get("parks/index.md")
    assert [(town, [card.slug for card in cards]) for town, cards in page.towns] == [
        ("南城街道", ["c"]), ("吴店镇", ["a", "d"]), ("所在街道（镇）待核实", ["b", "e"]),
    ]
    # The list's numbers follow the same order (the map's markers carry them).
    assert [(card.slug, card.number) for card in page.places] == [("c", 1), ("a", 2), ("d", 3), ("b", 4), ("e", 5)]


def test_group_by_kind():
    places = [
        make_place("a", kind="民主法治示范村"), make_place("b", kind="法治文化长廊"),
        make_place("c", kind="法治文化公园"), make_place("d", kind="法治文化长廊"),
    ]
    kinds = {"parks/kinds/park.md": ("place-kind", "法治文化公园"), "parks/kinds/corridor.md": ("place-kind", "法治文化长廊"),
             "parks/kinds/model-village.md": ("place-kind", "民主法治示范村")}
    found = places_views(places, kinds)
    listing = found.get("parks/index.md")
    assert [(link.title, link.note) for link in listing.kinds if link.note != "0"] == [
        ("法治文化公园", "1"), ("法治文化长廊", "2"), ("民主法治示范村", "1"),
    ]
    assert [link.url for link in listing.kinds][:2] == ["parks/kinds/park/", "parks/kinds/square/"]
    assert {src: [card.slug for card in found.get(src).places] for src in kinds} == {
        "parks/kinds/park.md": ["c"], "parks/kinds/corridor.md": ["b", "d"], "parks/kinds/model-village.md": ["a"],
    }
