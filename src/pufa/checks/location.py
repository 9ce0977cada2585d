"""An editor's coordinates: swapped, outside the county, too coarse, or in the wrong coordinate system.

Decimals are counted in the text as written (YAML turns 32.130000 into 32.13 before any code sees it).
A photo's EXIF GPS position, when the phone recorded one, is compared with the entered location: picked
on 百度 but labelled gcj02 lands about 950 m off, which the photo shows.
"""

from __future__ import annotations

import math

from ..content.loader import Source
from ..county import County
from ..content.records import Location
from ..places.geo import CRS, distance_m, to_wgs84
from ..problems import Problem, problem

MIN_DECIMALS = 4  # 4 decimals ≈ 10 m; a 3-decimal pick can be 100 m off, the wrong village lane
PHOTO_DISTANCE_M = 300  # farther than this from where the photo was taken: worth a look


def decimals(text: str) -> int:
    """Decimal places as written: '32.130000' → 6, '32.13' → 2, '32' → 0."""
    text = text.strip()
    if "e" in text.lower() or "." not in text:
        return 0
    return len(text.split(".", 1)[1])


def check_place_location(source: Source, county: County, photo_gps: list[tuple[str, tuple[float, float]]]) -> list[Problem]:
    """Problems with the place's `location`, each at its line; `photo_gps` is (photo path, (lat, lon)) of its photos."""
    place, fm = source.record, source.fm
    location = place.location
    if location is None:
        return []
    line = fm.line(("location",))
    texts = (str(fm.raw.get(("location", "lat"), location.lat)), str(fm.raw.get(("location", "lon"), location.lon)))
    found = [problem(code, source.shown, line, message) for code, message in _coordinate_problems(location, texts, county)]
    if found:
        return found
    return [problem("location-photo", source.shown, line, message) for message in _photo_problems(location, photo_gps)]


def _coordinate_problems(location: Location, texts: tuple[str, str], county: County) -> list[tuple[str, str]]:
    """(code, message) of what is wrong with the numbers themselves."""
    lat, lon, box = location.lat, location.lon, county.box
    ranges = f"{county.name}的纬度 lat 约为 {box.south:.2f}～{box.north:.2f}，经度 lon 约为 {box.west:.2f}～{box.east:.2f}"
    if location.crs not in CRS:
        return [("location", f"坐标系 crs 写成了“{location.crs}”，只能写 wgs84、gcj02 或 bd09：从天地图或手机 GPS 得到的写 wgs84，"
                "从高德、腾讯地图拾取的写 gcj02，从百度地图拾取的写 bd09。")]
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return [("location", "纬度 lat 和经度 lon 必须是数字，请在地图上重新拾取坐标。")]
    if box.contains(lat=lat, lon=lon):
        if min(decimals(texts[0]), decimals(texts[1])) < MIN_DECIMALS:
            return [("location-precision", f"坐标的小数位太少（lat {texts[0]}，lon {texts[1]}），位置可能偏差上百米，导航会带错路。纬度和经度都至少要有 "
                    f"{MIN_DECIMALS} 位小数（地图上拾取的坐标一般有 6 位，照原样复制即可）。")]
        return []
    if box.contains(lat=lon, lon=lat):
        return [("location", f"纬度和经度写反了：lat 写成了 {texts[0]}、lon 写成了 {texts[1]}。lat 是纬度（{box.south:.2f}～{box.north:.2f}），"
                f"lon 是经度（{box.west:.2f}～{box.east:.2f}）。请改成 lat: {texts[1]}、lon: {texts[0]}。")]
    return [("location", f"位置坐标（纬度 lat {texts[0]}，经度 lon {texts[1]}）不在{county.name}范围内：{ranges}。"
            "请在天地图或高德地图上重新拾取这个阵地的坐标，并核对 crs 坐标系。")]


def _photo_problems(location: Location, photo_gps: list[tuple[str, tuple[float, float]]]) -> list[str]:
    entered = to_wgs84(location)
    found = []
    for photo, taken in photo_gps:
        away = distance_m(entered, taken)
        if away <= PHOTO_DISTANCE_M:
            continue
        guess = _likely_crs(location, taken)
        if guess:
            found.append(f"照片 {photo} 的拍摄地点离这里写的坐标有 {away:.0f} 米；如果按 crs: {guess} 理解这组数字，两者只差 "
                         f"{distance_m(to_wgs84(Location(location.lat, location.lon, guess)), taken):.0f} 米。"
                         f"坐标系很可能写错了：请确认坐标是从哪个地图拾取的，改成 crs: {guess}。")
        else:
            found.append(f"照片 {photo} 的拍摄地点离这里写的坐标有 {away:.0f} 米。请核对坐标，或确认照片确实拍自这个阵地。")
    return found


def _likely_crs(location: Location, taken: tuple[float, float]) -> str | None:
    """Another coordinate system under which the entered numbers land within range of the photo."""
    for crs in CRS:
        if crs != location.crs and distance_m(to_wgs84(Location(location.lat, location.lon, crs)), taken) <= PHOTO_DISTANCE_M:
            return crs
    return None
