"""One tap to navigate: links that open a place in the phone's map app, each in the form its app documents.

Each app gets the editor's own coordinates whenever it accepts that system (no conversion, no conversion
error); otherwise WGS-84 or GCJ-02 as its documentation asks. BD-09 is never computed for output: Baidu
converts WGS-84/GCJ-02 itself (coord_type), which beats the weak public formula. A place without
coordinates gets address searches, narrowed to the county's area.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from ..content.records import Location, Place
from .geo import as_gcj02, require_crs, to_wgs84

DEFAULT_SRC = "webapp.pufa.site"  # Baidu wants webapp.<company>.<app>; Amap any string. Sites set their own.


@dataclass(frozen=True)
class Area:
    """Where an address search looks: the county, and the prefecture and province the map apps narrow by."""

    county: str  # 宜城市
    prefecture: str  # the city-level region the Amap/Tencent search parameters document
    province: str
    short_name: str = ""  # 宜城: an address that already names it is searched as written

_NOTE = re.compile(r"[（(][^）)]*[）)]")
_SEPARATORS = str.maketrans({",": "，", ";": "；", ":": "：", "|": "｜"})


def _text(value: str) -> str:
    # Names sit inside structured values (Amap's `position,name`, Baidu's fields); ASCII separators would split.
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
    require_crs(place.location)
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


def _tencent_coord(loc: Location) -> tuple[float, float, str]:
    # coord_type 1 = GPS (WGS-84), 2 = Tencent (GCJ-02, the default); Tencent has no BD-09 input.
    if loc.crs == "wgs84":
        return loc.lat, loc.lon, "1"
    lat, lon = as_gcj02(loc)
    return lat, lon, "2"


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


def _search_text(place: Place, area: Area) -> str:
    # Search inside the county even when the editor wrote only a street or village; an editor's note in
    # brackets (“（据报告推断）”) is for readers, and a map app would search for it too.
    address = _NOTE.sub("", _address(place)).strip() or _text(place.title)
    named = area.short_name or area.county
    return address if named and named in address else area.county + address


def amap_search_url(place: Place, *, area: Area, src: str = DEFAULT_SRC) -> str:
    """高德地图搜索 (uri.amap.com/search) by address, within the county's prefecture."""
    return _url(
        "https://uri.amap.com/search",
        [("keyword", _search_text(place, area)), ("city", area.prefecture), ("view", "map"), ("src", src),
         ("callnative", "1")],
    )


def baidu_search_url(place: Place, *, area: Area, src: str = DEFAULT_SRC) -> str:
    """百度地图地点检索 (api.map.baidu.com/place/search) by address, region the county."""
    return _url(
        "https://api.map.baidu.com/place/search",
        [("query", _search_text(place, area)), ("region", area.county), ("output", "html"), ("src", src)],
    )


def tencent_search_url(place: Place, *, area: Area, referer: str = DEFAULT_SRC) -> str:
    """腾讯地图地点搜索 (apis.map.qq.com/uri/v1/search) by address."""
    return _url(
        "https://apis.map.qq.com/uri/v1/search",
        [("keyword", _search_text(place, area)), ("region", area.prefecture), ("referer", referer)],
    )


def apple_search_url(place: Place, *, area: Area) -> str:
    """Apple Maps search (?q=) for the full address."""
    return _url("https://maps.apple.com/", [("q", area.province + _search_text(place, area))])


@dataclass(frozen=True)
class NavLink:
    app: str  # amap | baidu | tencent | apple | geo
    label: str  # button text
    url: str
    by_address: bool = False  # True: a search for the address, the place has no coordinates yet


def nav_links(place: Place, *, area: Area, src: str = DEFAULT_SRC, referer: str = DEFAULT_SRC) -> list[NavLink]:
    """The buttons under a place: navigate when it has coordinates, search its address otherwise."""
    if place.location is None:
        return [
            NavLink("amap", "高德地图", amap_search_url(place, area=area, src=src), by_address=True),
            NavLink("baidu", "百度地图", baidu_search_url(place, area=area, src=src), by_address=True),
            NavLink("tencent", "腾讯地图", tencent_search_url(place, area=area, referer=referer), by_address=True),
            NavLink("apple", "苹果地图", apple_search_url(place, area=area), by_address=True),
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


