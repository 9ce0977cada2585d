"""The places map as a build-time SVG schematic: numbered points, no boundary, no network.

Points only, never a boundary: a self-drawn outline on a public map may need 地图审核 (地图管理条例
第十五条). Equirectangular scaled by cos(latitude) is indistinguishable from Mercator at county scale.
Marker numbers match the numbered list beside the map.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence

from ..content.records import Place
from ..places.geo import CRS, BoundingBox, to_wgs84

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


def bbox_around(places: Iterable[Place], default: BoundingBox, *, margin_km: float = 2.0,
                min_span_km: float = 8.0) -> BoundingBox:
    """A box around the located places, for a town's map; `default` (the county's) when none is located."""
    points = [to_wgs84(p.location) for p in places if p.location is not None]
    if not points:
        return default
    lats, lons = [lat for lat, _ in points], [lon for _, lon in points]
    mid_lat, mid_lon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    km_per_deg_lon = _KM_PER_DEG_LAT * math.cos(math.radians(mid_lat))
    half_lat = max((max(lats) - min(lats)) / 2 + margin_km / _KM_PER_DEG_LAT,
                   min_span_km / 2 / _KM_PER_DEG_LAT)
    half_lon = max((max(lons) - min(lons)) / 2 + margin_km / km_per_deg_lon,
                   min_span_km / 2 / km_per_deg_lon)
    return BoundingBox(south=round(mid_lat - half_lat, 6), west=round(mid_lon - half_lon, 6),
                       north=round(mid_lat + half_lat, 6), east=round(mid_lon + half_lon, 6))


def schematic_svg(places: Sequence[Place], bbox: BoundingBox, *, title: str, id_prefix: str = "places-map") -> str:
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
