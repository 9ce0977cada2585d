"""Coordinate systems used in China and distances between points.

Maps in mainland China do not all use WGS-84 (GPS, 天地图/CGCS2000): 高德, 腾讯 and Apple Maps show
GCJ-02, 百度 BD-09. A point picked in one and shown in another lands 300–900 m off, so every location
records the system it was picked in and is converted here.

Coordinate order is always spelled out: functions take keyword arguments `lat=…, lon=…` and return
`(lat, lon)` tuples; only GeoJSON and Amap URLs put longitude first, because their specs say so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..content import vocabulary
from ..content.records import Location

# WGS-84 → GCJ-02 is the public eviltransform / prcoords formula set, implemented directly (about 40
# lines of `math`) to avoid a dependency, a C wheel and packages that disagree on argument order.
# Constants: Krasovsky 1940 ellipsoid, as in the original.
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


CRS = tuple(vocabulary.names("crs"))  # wgs84, gcj02, bd09


def require_crs(location: Location) -> None:
    if location.crs not in CRS:
        raise ValueError(f"未知的坐标系 crs: {location.crs!r}，只能是 wgs84、gcj02 或 bd09。")


def to_wgs84(location: Location) -> tuple[float, float]:
    """The location in WGS-84 as (lat, lon), whichever system the editor picked it in."""
    require_crs(location)
    lat, lon = location.lat, location.lon
    if location.crs == "bd09":
        lat, lon = bd09_to_gcj02(lat=lat, lon=lon)
    if location.crs in ("bd09", "gcj02"):
        lat, lon = gcj02_to_wgs84(lat=lat, lon=lon)
    return lat, lon


def as_gcj02(location: Location) -> tuple[float, float]:
    """The location in GCJ-02 as (lat, lon); a GCJ-02 pick is returned untouched (no round trip)."""
    require_crs(location)
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
