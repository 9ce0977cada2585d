"""Rule-of-law culture places (法治文化阵地): coordinates, checks, navigation links, map data.

A list first, a map second, one tap to navigate. Everything here is a plain function of `Place`
records, so the page template, the GeoJSON download and the build-time SVG all read the same data.

Coordinate order is always spelled out: functions take keyword arguments `lat=…, lon=…` and return
`(lat, lon)` tuples; only GeoJSON and Amap URLs put longitude first, because their specs say so.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from pufa.content.records import Location, Place

# ---------------------------------------------------------------------------------------------
# Coordinate systems
#
# WGS-84 → GCJ-02 is the public eviltransform / prcoords formula set; implemented here directly
# (about 40 lines of `math`) to avoid a dependency, a C wheel and packages that disagree on
# argument order. Constants: Krasovsky 1940 ellipsoid, as in the leaked original.
# ---------------------------------------------------------------------------------------------

_A = 6378245.0
_EE = 0.00669342162296594323
_BD_K = math.pi * 3000.0 / 180.0
_EARTH_RADIUS_M = 6371008.8  # IUGG mean radius


def _outside_china(lat: float, lon: float) -> bool:
    # The crude box of eviltransform/prcoords; the real providers do the same.
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _t_lat(x: float, y: float) -> float:
    return (
        -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
        + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
        + (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
        + (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    )


def _t_lon(x: float, y: float) -> float:
    return (
        300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
        + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
        + (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
        + (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    )


def to_gcj02(*, lat: float, lon: float) -> tuple[float, float]:
    """WGS-84 → GCJ-02 (Amap, Tencent, Apple Maps in China). Returns (lat, lon)."""
    if _outside_china(lat, lon):
        return lat, lon
    x, y = lon - 105.0, lat - 35.0
    phi = lat / 180.0 * math.pi
    m = 1.0 - _EE * math.sin(phi) ** 2
    d_lat = _t_lat(x, y) * 180.0 / (math.pi * _A * (1.0 - _EE) / m**1.5)
    d_lon = _t_lon(x, y) * 180.0 / (math.pi * _A / math.sqrt(m) * math.cos(phi))
    return lat + d_lat, lon + d_lon


def gcj02_to_wgs84(*, lat: float, lon: float) -> tuple[float, float]:
    """GCJ-02 → WGS-84 by fixed-point iteration (error < 0.5 m). Returns (lat, lon)."""
    w_lat, w_lon = lat, lon
    for _ in range(30):  # converges in 2–4 steps; the cap only guards against a bad input
        g_lat, g_lon = to_gcj02(lat=w_lat, lon=w_lon)
        d_lat, d_lon = g_lat - lat, g_lon - lon
        w_lat, w_lon = w_lat - d_lat, w_lon - d_lon
        if abs(d_lat) < 1e-7 and abs(d_lon) < 1e-7:
            break
    return w_lat, w_lon


def bd09_to_gcj02(*, lat: float, lon: float) -> tuple[float, float]:
    """BD-09 (Baidu) → GCJ-02. Returns (lat, lon). BD-09 is poorly sourced: avoid where possible."""
    x, y = lon - 0.0065, lat - 0.006
    z = math.hypot(x, y) - 0.00002 * math.sin(y * _BD_K)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _BD_K)
    return z * math.sin(theta), z * math.cos(theta)


def gcj02_to_bd09(*, lat: float, lon: float) -> tuple[float, float]:
    """GCJ-02 → BD-09. Returns (lat, lon). Not used for links: Baidu converts WGS-84 itself."""
    z = math.hypot(lon, lat) + 0.00002 * math.sin(lat * _BD_K)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _BD_K)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


CRS = ("wgs84", "gcj02", "bd09")


def _require_crs(location: Location) -> None:
    if location.crs not in CRS:
        raise ValueError(f"未知的坐标系 crs: {location.crs!r}，只能是 wgs84、gcj02 或 bd09。")


def to_wgs84(location: Location) -> tuple[float, float]:
    """The location in WGS-84 as (lat, lon), whichever system the editor picked it in."""
    _require_crs(location)
    lat, lon = location.lat, location.lon
    if location.crs == "bd09":
        lat, lon = bd09_to_gcj02(lat=lat, lon=lon)
    if location.crs in ("bd09", "gcj02"):
        lat, lon = gcj02_to_wgs84(lat=lat, lon=lon)
    return lat, lon


def as_gcj02(location: Location) -> tuple[float, float]:
    """The location in GCJ-02 as (lat, lon); a GCJ-02 pick is returned untouched (no round trip)."""
    _require_crs(location)
    if location.crs == "gcj02":
        return location.lat, location.lon
    if location.crs == "bd09":
        return bd09_to_gcj02(lat=location.lat, lon=location.lon)
    return to_gcj02(lat=location.lat, lon=location.lon)


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance in metres between two (lat, lon) points."""
    (lat1, lon1), (lat2, lon2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(math.sqrt(h))


# ---------------------------------------------------------------------------------------------
# Checking an editor's coordinates
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoundingBox:
    south: float
    west: float
    north: float
    east: float

    def contains(self, *, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east

    @property
    def centre(self) -> tuple[float, float]:
        return (self.south + self.north) / 2, (self.west + self.east) / 2


# 枣阳市 with a margin of roughly 5–8 km. Sources (shared reference maps.md §3/§6): the boundary's
# box 31.65–32.42 N, 112.47–113.12 E (computed) and the 78 km N–S / 65 km E–W extent. A secondary
# page gives 31°40′–32°40′ N, 112°30′–113°00′ E, but 32°40′ N would make the city 111 km tall,
# contradicting the 78 km, so its northern edge is not used. Same ranges as the schema's hint.
# GCJ-02/BD-09 picks sit 0.6–1.2 km off WGS-84, well inside the margin, so raw values are checked.
ZAOYANG_BBOX = BoundingBox(south=31.60, west=112.40, north=32.50, east=113.20)

_MIN_DECIMALS = 4  # 4 decimals ≈ 10 m; a 3-decimal pick can be 100 m off, the wrong village lane


def _decimals(value: float) -> int:
    text = repr(float(value))
    if "e" in text or "E" in text:
        return 0
    return len(text.split(".", 1)[1].rstrip("0")) if "." in text else 0


def check_location(location: Location, bbox: BoundingBox = ZAOYANG_BBOX) -> list[str]:
    """What is wrong with an editor's coordinates, in Chinese, each with the fix. [] when fine."""
    lat, lon = location.lat, location.lon
    ranges = (
        f"枣阳市的纬度 lat 约为 {bbox.south:.2f}～{bbox.north:.2f}，"
        f"经度 lon 约为 {bbox.west:.2f}～{bbox.east:.2f}"
    )
    problems: list[str] = []
    if location.crs not in CRS:
        problems.append(
            f"坐标系 crs 写成了“{location.crs}”，只能写 wgs84、gcj02 或 bd09："
            "从天地图或手机 GPS 得到的写 wgs84，从高德、腾讯地图拾取的写 gcj02，从百度地图拾取的写 bd09。"
        )
    if not (math.isfinite(lat) and math.isfinite(lon)):
        problems.append("纬度 lat 和经度 lon 必须是数字，请在地图上重新拾取坐标。")
        return problems
    if bbox.contains(lat=lat, lon=lon):
        if min(_decimals(lat), _decimals(lon)) < _MIN_DECIMALS:
            problems.append(
                f"坐标的小数位太少（lat {lat}，lon {lon}），位置可能偏差上百米，导航会带错路；"
                "请在地图上重新拾取，纬度和经度都保留 6 位小数。"
            )
        return problems
    if bbox.contains(lat=lon, lon=lat):
        problems.append(
            f"纬度和经度写反了：lat 写成了 {lat}、lon 写成了 {lon}。lat 是纬度（{bbox.south:.2f}～"
            f"{bbox.north:.2f}），lon 是经度（{bbox.west:.2f}～{bbox.east:.2f}）。"
            f"请改成 lat: {lon}、lon: {lat}。"
        )
        return problems
    problems.append(
        f"位置坐标（纬度 lat {lat}，经度 lon {lon}）不在枣阳市范围内：{ranges}。"
        "请在天地图或高德地图上重新拾取这个阵地的坐标，并核对 crs 坐标系。"
    )
    return problems


# ---------------------------------------------------------------------------------------------
# Deep links into map apps
#
# Each app gets the editor's own coordinates whenever it accepts that system (no conversion, no
# conversion error); otherwise WGS-84 or GCJ-02 as its documentation asks. BD-09 is never computed
# for output: Baidu converts WGS-84/GCJ-02 itself (coord_type), which beats the weak public formula.
# ---------------------------------------------------------------------------------------------

DEFAULT_SRC = "webapp.zaoyang-sfj.pufa"  # Baidu wants webapp.<company>.<app>; Amap any string
CITY = "枣阳市"
PREFECTURE = "襄阳市"  # the city-level region the Amap/Tencent search parameters document
PROVINCE = "湖北省"
_SEPARATORS = str.maketrans({",": "，", ";": "；", ":": "：", "|": "｜"})


def _text(value: str) -> str:
    # Names sit inside structured values such as `coord:…;title:…`; ASCII separators would split.
    return " ".join(value.split()).translate(_SEPARATORS)


def _url(base: str, params: Sequence[tuple[str, str]]) -> str:
    # Commas, colons and semicolons are legal in a query and keep `lon,lat` readable; the rest,
    # Chinese included, is percent-encoded as UTF-8.
    return base + "?" + "&".join(f"{key}={quote(value, safe=',:;')}" for key, value in params)


def _pair(first: float, second: float) -> str:
    return f"{first:.6f},{second:.6f}"  # 6 decimals ≈ 0.1 m


def _located(place: Place) -> Location:
    if place.location is None:
        raise ValueError(f"阵地“{place.title}”没有位置坐标，只能生成按地址搜索的链接。")
    _require_crs(place.location)
    return place.location


def _address(place: Place) -> str:
    return _text(place.address or place.title)


def amap_marker_url(place: Place, *, src: str = DEFAULT_SRC) -> str:
    """高德地图单点标注: position=lon,lat; GCJ-02 as `gaode`, WGS-84 as `wgs84`, BD-09 converted."""
    loc = _located(place)
    if loc.crs == "wgs84":
        lat, lon, coordinate = loc.lat, loc.lon, "wgs84"
    else:
        (lat, lon), coordinate = as_gcj02(loc), "gaode"
    return _url(
        "https://uri.amap.com/marker",
        [("position", _pair(lon, lat)), ("name", _text(place.title)), ("src", src),
         ("coordinate", coordinate), ("callnative", "1")],
    )


def amap_navigation_url(place: Place, *, src: str = DEFAULT_SRC, mode: str = "car") -> str:
    """高德地图路径规划 to the place: to=lon,lat,name in GCJ-02 (`coordinate` is undocumented here)."""
    lat, lon = as_gcj02(_located(place))
    return _url(
        "https://uri.amap.com/navigation",
        [("to", f"{_pair(lon, lat)},{_text(place.title)}"), ("mode", mode), ("src", src),
         ("callnative", "1")],
    )


_BAIDU_COORD_TYPE = {"wgs84": "wgs84", "gcj02": "gcj02", "bd09": "bd09ll"}


def baidu_marker_url(place: Place, *, src: str = DEFAULT_SRC) -> str:
    """百度地图标点: location=lat,lng with the editor's own system in coord_type."""
    loc = _located(place)
    return _url(
        "https://api.map.baidu.com/marker",
        [("location", _pair(loc.lat, loc.lon)), ("title", _text(place.title)),
         ("content", _address(place)), ("output", "html"),
         ("coord_type", _BAIDU_COORD_TYPE[loc.crs]), ("src", src)],
    )


def baidu_direction_url(place: Place, *, origin: str, src: str = DEFAULT_SRC,
                        mode: str = "driving") -> str:
    """百度地图路线规划 from `origin` (a name; Baidu marks it required) to the place."""
    loc = _located(place)
    destination = f"latlng:{_pair(loc.lat, loc.lon)}|name:{_text(place.title)}"
    return _url(
        "https://api.map.baidu.com/direction",
        [("origin", _text(origin)), ("destination", destination), ("mode", mode),
         ("region", CITY), ("output", "html"), ("coord_type", _BAIDU_COORD_TYPE[loc.crs]),
         ("src", src)],
    )


def _tencent_coord(loc: Location) -> tuple[float, float, str]:
    # coord_type 1 = GPS (WGS-84), 2 = Tencent (GCJ-02, the default); Tencent has no BD-09 input.
    if loc.crs == "wgs84":
        return loc.lat, loc.lon, "1"
    lat, lon = as_gcj02(loc)
    return lat, lon, "2"


def tencent_marker_url(place: Place, *, referer: str = DEFAULT_SRC) -> str:
    """腾讯地图自定义标注: marker=coord:lat,lng;title:…;addr:…"""
    lat, lon, coord_type = _tencent_coord(_located(place))
    marker = f"coord:{_pair(lat, lon)};title:{_text(place.title)};addr:{_address(place)}"
    return _url(
        "https://apis.map.qq.com/uri/v1/marker",
        [("marker", marker), ("coord_type", coord_type), ("referer", referer)],
    )


def tencent_route_url(place: Place, *, referer: str = DEFAULT_SRC, kind: str = "drive") -> str:
    """腾讯地图路线规划 to the place; without `from` the app starts at the user's position."""
    lat, lon, coord_type = _tencent_coord(_located(place))
    return _url(
        "https://apis.map.qq.com/uri/v1/routeplan",
        [("type", kind), ("to", _text(place.title)), ("tocoord", _pair(lat, lon)),
         ("coord_type", coord_type), ("policy", "0"), ("referer", referer)],
    )


def apple_maps_url(place: Place) -> str:
    """Apple Maps: ll=lat,lng in GCJ-02 (reported offsets otherwise in mainland China), q=name."""
    lat, lon = as_gcj02(_located(place))
    return _url("https://maps.apple.com/", [("ll", _pair(lat, lon)), ("q", _text(place.title))])


def geo_uri(place: Place) -> str:
    """RFC 5870 `geo:lat,lon` in WGS-84 (its default CRS), for any other map app.

    No name: RFC 5870 has no label, and Google's `?q=lat,lon(label)` form is unverified for
    Chinese map apps.
    """
    lat, lon = to_wgs84(_located(place))
    return f"geo:{_pair(lat, lon)}"


def _search_text(place: Place) -> str:
    # Search inside 枣阳市 even when the editor wrote only a street or village.
    address = _address(place)
    return address if "枣阳" in address else CITY + address


def amap_search_url(place: Place, *, src: str = DEFAULT_SRC) -> str:
    """高德地图搜索 (uri.amap.com/search) by address, within 枣阳市."""
    return _url(
        "https://uri.amap.com/search",
        [("keyword", _search_text(place)), ("city", PREFECTURE), ("view", "map"), ("src", src),
         ("callnative", "1")],
    )


def baidu_search_url(place: Place, *, src: str = DEFAULT_SRC) -> str:
    """百度地图地点检索 (api.map.baidu.com/place/search) by address, region 枣阳市."""
    return _url(
        "https://api.map.baidu.com/place/search",
        [("query", _search_text(place)), ("region", CITY), ("output", "html"), ("src", src)],
    )


def tencent_search_url(place: Place, *, referer: str = DEFAULT_SRC) -> str:
    """腾讯地图地点搜索 (apis.map.qq.com/uri/v1/search) by address."""
    return _url(
        "https://apis.map.qq.com/uri/v1/search",
        [("keyword", _search_text(place)), ("region", PREFECTURE), ("referer", referer)],
    )


def apple_search_url(place: Place) -> str:
    """Apple Maps search (?q=) for the full address."""
    return _url("https://maps.apple.com/", [("q", PROVINCE + _search_text(place))])


@dataclass(frozen=True)
class NavLink:
    app: str  # amap | baidu | tencent | apple | geo
    label: str  # button text
    url: str
    by_address: bool = False  # True: a search for the address, the place has no coordinates yet


def nav_links(place: Place, *, src: str = DEFAULT_SRC, referer: str = DEFAULT_SRC) -> list[NavLink]:
    """The buttons under a place: navigate when it has coordinates, search its address otherwise."""
    if place.location is None:
        return [
            NavLink("amap", "高德地图", amap_search_url(place, src=src), by_address=True),
            NavLink("baidu", "百度地图", baidu_search_url(place, src=src), by_address=True),
            NavLink("tencent", "腾讯地图", tencent_search_url(place, referer=referer), by_address=True),
            NavLink("apple", "苹果地图", apple_search_url(place), by_address=True),
        ]
    # Baidu's route page requires an origin we do not know, so Baidu gets its marker page,
    # which offers “到这去”; Amap and Tencent route from the user's own position.
    return [
        NavLink("amap", "高德地图", amap_navigation_url(place, src=src)),
        NavLink("baidu", "百度地图", baidu_marker_url(place, src=src)),
        NavLink("tencent", "腾讯地图", tencent_route_url(place, referer=referer)),
        NavLink("apple", "苹果地图", apple_maps_url(place)),
        NavLink("geo", "其他地图应用", geo_uri(place)),
    ]


# ---------------------------------------------------------------------------------------------
# Data for machines: GeoJSON and schema.org
# ---------------------------------------------------------------------------------------------


def _absolute(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + "/" + path.lstrip("/")


def places_geojson(places: Iterable[Place], site_url: str) -> dict:
    """RFC 7946 FeatureCollection of the located places, [lon, lat] in WGS-84, sorted by slug.

    Places without coordinates are left out (they stay in the page's list); no foreign member
    counts them, so the file is plain RFC 7946.
    """
    features = []
    for place in sorted(places, key=lambda p: p.slug):
        if place.location is None:
            continue
        lat, lon = to_wgs84(place.location)
        properties = {
            "name": place.title,
            "kind": place.kind,
            "town": place.town,
            "address": place.address,
            "url": _absolute(site_url, place.url),
            "source_crs": place.location.crs,
        }
        if place.level:
            properties["level"] = place.level
        features.append({
            "type": "Feature",
            "id": place.slug,
            "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": properties,
        })
    return {"type": "FeatureCollection", "features": features}


_PARK_KINDS = ("法治文化公园", "法治文化广场")
_AREA_KINDS = ("民主法治示范村", "民主法治示范社区")


def place_jsonld(place: Place, url: str, *, site_url: str = "", src: str = DEFAULT_SRC) -> dict:
    """schema.org JSON-LD for one place page; `site_url` makes photo paths absolute."""
    data: dict = {"@context": "https://schema.org"}
    if place.kind in _PARK_KINDS:
        data["@type"] = "Park"
    else:
        data["@type"] = "Place"
        data["additionalType"] = (
            "https://schema.org/AdministrativeArea" if place.kind in _AREA_KINDS
            else "https://schema.org/TouristAttraction"
        )
    data["name"] = place.title
    data["url"] = url
    if place.summary:
        data["description"] = place.summary
    if place.kind:
        data["keywords"] = place.kind
    address = {"@type": "PostalAddress", "addressCountry": "CN", "addressRegion": PROVINCE,
               "addressLocality": CITY}
    if place.address:
        address["streetAddress"] = place.address
    data["address"] = address
    data["containedInPlace"] = {"@type": "AdministrativeArea", "name": place.town or CITY}
    if place.location is not None:
        lat, lon = to_wgs84(place.location)  # schema.org documents GeoCoordinates as WGS 84
        data["geo"] = {"@type": "GeoCoordinates", "latitude": round(lat, 6),
                       "longitude": round(lon, 6)}
        data["hasMap"] = amap_marker_url(place, src=src)
    if place.photos and site_url:
        data["image"] = [_absolute(site_url, photo.src) for photo in place.photos]
    return data


# ---------------------------------------------------------------------------------------------
# Build-time schematic map (SVG)
#
# Points only, never a boundary: a self-drawn outline on a public map may need 地图审核
# (地图管理条例 第十五条). Equirectangular scaled by cos(latitude) is indistinguishable from
# Mercator at county scale.
# ---------------------------------------------------------------------------------------------

MAP_CAPTION = "示意图（不含行政区界线，仅供参考）"
_WIDTH = 640.0
_PAD = 24.0
_FOOT = 64.0  # room under the frame for the scale bar and caption
_KM_PER_DEG_LAT = 111.195


def _f(value: float) -> str:
    return f"{value:.1f}"


def _nice_step(span: float, steps: Sequence[float], most: int) -> float:
    return next((s for s in steps if span / s <= most), steps[-1])


def _ticks(low: float, high: float, step: float) -> list[float]:
    # Interior multiples of `step` only: a line on the frame would crowd the corner labels.
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    values = (round(i * step, 6) for i in range(first, last + 1))
    return [v for v in values if low + step / 4 < v < high - step / 4]


def bbox_around(places: Iterable[Place], *, margin_km: float = 2.0,
                min_span_km: float = 8.0) -> BoundingBox:
    """A box around the located places, for a town's map; ZAOYANG_BBOX when none is located."""
    points = [to_wgs84(p.location) for p in places if p.location is not None]
    if not points:
        return ZAOYANG_BBOX
    lats, lons = [lat for lat, _ in points], [lon for _, lon in points]
    mid_lat, mid_lon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    km_per_deg_lon = _KM_PER_DEG_LAT * math.cos(math.radians(mid_lat))
    half_lat = max((max(lats) - min(lats)) / 2 + margin_km / _KM_PER_DEG_LAT,
                   min_span_km / 2 / _KM_PER_DEG_LAT)
    half_lon = max((max(lons) - min(lons)) / 2 + margin_km / km_per_deg_lon,
                   min_span_km / 2 / km_per_deg_lon)
    return BoundingBox(south=round(mid_lat - half_lat, 6), west=round(mid_lon - half_lon, 6),
                       north=round(mid_lat + half_lat, 6), east=round(mid_lon + half_lon, 6))


def schematic_svg(places: Sequence[Place], bbox: BoundingBox = ZAOYANG_BBOX, *,
                  title: str = "枣阳市法治文化阵地分布示意图", id_prefix: str = "places-map") -> str:
    """A standalone SVG: numbered markers, graticule, scale bar, north arrow and caption.

    Marker numbers are positions in `places` (1…n), so they match a numbered list of the same
    places even when some have no coordinates; places outside `bbox` are not drawn.
    """
    cos0 = math.cos(math.radians(bbox.centre[0]))
    scale = _WIDTH / ((bbox.east - bbox.west) * cos0)  # px per degree of latitude
    plot_h = (bbox.north - bbox.south) * scale
    width, height = _WIDTH + 2 * _PAD, plot_h + _PAD + _FOOT

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return _PAD + (lon - bbox.west) * cos0 * scale, _PAD + (bbox.north - lat) * scale

    markers: list[tuple[int, Place, float, float]] = []
    for number, place in enumerate(places, start=1):
        if place.location is None or place.location.crs not in CRS:
            continue
        lat, lon = to_wgs84(place.location)
        if bbox.contains(lat=lat, lon=lon):
            markers.append((number, place, *xy(lat, lon)))
    not_drawn = len(places) - len(markers)

    t_id, d_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    if markers:
        listed = "；".join(f"{n}. {p.title}" + (f"（{p.town}）" if p.town else "")
                          for n, p, _, _ in markers)
        desc = f"共标出 {len(markers)} 处法治文化阵地：{listed}。"
        if not_drawn:
            desc += f"另有 {not_drawn} 处未标在图上（暂无坐标或不在图幅内），请看列表中的地址。"
    else:
        desc = "暂无带坐标的法治文化阵地，请看列表中的地址。"
    desc += MAP_CAPTION
    esc = html.escape
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_f(width)} {_f(height)}" '
        f'width="{_f(width)}" height="{_f(height)}" role="img" aria-labelledby="{t_id} {d_id}" '
        'font-family="sans-serif">',
        f'<title id="{t_id}">{esc(title)}</title>',
        f'<desc id="{d_id}">{esc(desc)}</desc>',
        f'<rect x="{_f(_PAD)}" y="{_f(_PAD)}" width="{_f(_WIDTH)}" height="{_f(plot_h)}" '
        'fill="#f7f9fb" stroke="#9aa5b1" stroke-width="1"/>',
    ]

    # Graticule: the only reference drawn, and a neutral one (no boundary, no place data).
    step = _nice_step(max(bbox.north - bbox.south, bbox.east - bbox.west),
                      (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0), 6)
    out.append('<g stroke="#dde3ea" stroke-width="1" fill="#7b8794" font-size="11">')
    for lon in _ticks(bbox.west, bbox.east, step):
        x, _ = xy(bbox.north, lon)
        out.append(f'<line x1="{_f(x)}" y1="{_f(_PAD)}" x2="{_f(x)}" y2="{_f(_PAD + plot_h)}"/>')
        out.append(f'<text x="{_f(x + 3)}" y="{_f(_PAD + plot_h - 4)}" stroke="none">'
                   f'东经{lon:g}°</text>')
    for lat in _ticks(bbox.south, bbox.north, step):
        _, y = xy(lat, bbox.west)
        out.append(f'<line x1="{_f(_PAD)}" y1="{_f(y)}" x2="{_f(_PAD + _WIDTH)}" y2="{_f(y)}"/>')
        out.append(f'<text x="{_f(_PAD + 4)}" y="{_f(y - 3)}" stroke="none">北纬{lat:g}°</text>')
    out.append("</g>")

    if markers:
        out.append('<g font-size="12" font-weight="bold" text-anchor="middle">')
        for number, place, x, y in markers:
            out.append(
                f'<g><title>{number}. {esc(place.title)}</title>'
                f'<circle cx="{_f(x)}" cy="{_f(y)}" r="11" fill="#c62828" stroke="#ffffff" '
                'stroke-width="2"/>'
                f'<text x="{_f(x)}" y="{_f(y + 4)}" fill="#ffffff">{number}</text></g>'
            )
        out.append("</g>")
    else:
        cx, cy = _PAD + _WIDTH / 2, _PAD + plot_h / 2
        out.append(f'<text x="{_f(cx)}" y="{_f(cy)}" text-anchor="middle" font-size="18" '
                   'fill="#52606d">暂无带坐标的法治文化阵地</text>')
        out.append(f'<text x="{_f(cx)}" y="{_f(cy + 26)}" text-anchor="middle" font-size="14" '
                   'fill="#52606d">请看列表中的地址和导航按钮</text>')

    # North arrow, top right inside the frame.
    nx, ny = _PAD + _WIDTH - 28, _PAD + 14
    out.append(
        f'<g fill="#1f2933"><path d="M {_f(nx)} {_f(ny)} L {_f(nx + 9)} {_f(ny + 26)} '
        f'L {_f(nx)} {_f(ny + 20)} L {_f(nx - 9)} {_f(ny + 26)} Z"/>'
        f'<text x="{_f(nx)}" y="{_f(ny + 42)}" text-anchor="middle" font-size="13">北</text></g>'
    )

    # Scale bar: the largest round length no longer than a quarter of the frame.
    km_per_px = _KM_PER_DEG_LAT / scale
    km = next((k for k in (100, 50, 20, 10, 5, 2, 1, 0.5, 0.2, 0.1) if k / km_per_px <= _WIDTH / 4),
              0.1)
    bar = km / km_per_px
    bx, by = _PAD, _PAD + plot_h + 22
    out.append(
        f'<g stroke="#1f2933" stroke-width="2" fill="none">'
        f'<path d="M {_f(bx)} {_f(by - 6)} L {_f(bx)} {_f(by)} L {_f(bx + bar)} {_f(by)} '
        f'L {_f(bx + bar)} {_f(by - 6)}"/></g>'
        f'<text x="{_f(bx + bar + 8)}" y="{_f(by + 4)}" font-size="12" fill="#1f2933">'
        f'{km:g} 公里</text>'
    )
    out.append(f'<text x="{_f(_PAD)}" y="{_f(by + 28)}" font-size="13" fill="#52606d">'
               f'{esc(MAP_CAPTION)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# Coverage against the bureau's report, and grouping for the list pages
# ---------------------------------------------------------------------------------------------

REPORT = "《枣阳市2023年法治政府建设年度报告》"

# Schema order (place.yaml `kind` enum); lists and filters follow it.
KINDS = (
    "法治文化公园", "法治文化广场", "法治文化街巷", "法治文化长廊", "法治文化漫画墙",
    "民主法治示范村", "民主法治示范社区", "其他法治文化阵地",
)


@dataclass(frozen=True)
class CoverageRow:
    label: str  # e.g. 法治文化公园, 全国民主法治示范村
    kind: str
    level: str  # "" unless the report counts one level of model village
    listed: int  # published places on the site
    reported: int  # the report's count; a minimum when `reported_text` says 余
    reported_text: str  # as the report words it: "5", "100余"
    source: str = REPORT

    @property
    def missing(self) -> int:
        return max(self.reported - self.listed, 0)


# (label, kind, level, count, wording) from the report's section 四 (推进法治文化阵地建设).
_REPORTED = (
    ("法治文化公园", "法治文化公园", "", 5, "5"),
    ("法治文化街巷", "法治文化街巷", "", 8, "8"),
    ("法治文化长廊", "法治文化长廊", "", 14, "14"),
    ("法治文化漫画墙", "法治文化漫画墙", "", 100, "100余"),
    ("全国民主法治示范村", "民主法治示范村", "全国", 4, "4"),
    ("枣阳市级民主法治示范村", "民主法治示范村", "枣阳市级", 147, "147"),
)


def coverage(places: Iterable[Place]) -> list[CoverageRow]:
    """How many of each reported kind the site lists; pass published places only."""
    places = list(places)
    return [
        CoverageRow(label, kind, level,
                    sum(1 for p in places if p.kind == kind and (not level or p.level == level)),
                    count, text)
        for label, kind, level, count, text in _REPORTED
    ]


UNKNOWN_TOWN = "所在街道（镇）待核实"


def group_by_town(places: Iterable[Place], towns: Sequence[str]) -> list[tuple[str, list[Place]]]:
    """(town, places) in the order of `towns` (vocabulary.yaml); unknown or blank town last.

    Places keep their given order inside a group; empty groups are left out.
    """
    groups: dict[str, list[Place]] = {town: [] for town in towns}
    unknown: list[Place] = []
    for place in places:
        groups.get(place.town, unknown).append(place)  # blank or unlisted town: 待核实
    result = [(town, members) for town, members in groups.items() if members]
    if unknown:
        result.append((UNKNOWN_TOWN, unknown))
    return result


def group_by_kind(places: Iterable[Place]) -> list[tuple[str, list[Place]]]:
    """(kind, places) in schema order; a kind outside the schema comes last, by name."""
    groups: dict[str, list[Place]] = {kind: [] for kind in KINDS}
    for place in places:
        groups.setdefault(place.kind, []).append(place)
    known = [(kind, groups[kind]) for kind in KINDS if groups[kind]]
    extra = sorted((kind, members) for kind, members in groups.items() if kind not in KINDS)
    return known + extra
