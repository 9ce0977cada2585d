"""Places as data for machines: the site's GeoJSON file and schema.org JSON-LD on each place page."""

from __future__ import annotations

import json
from collections.abc import Iterable

from .. import urls
from ..content import vocabulary
from ..content.records import Place
from ..places.geo import to_wgs84
from ..places.maplinks import DEFAULT_SRC, Area, amap_marker_url

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
            "url": urls.absolute(site_url, place.url),
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




def place_jsonld(place: Place, url: str, *, area: Area, site_url: str = "", src: str = DEFAULT_SRC) -> dict:
    """schema.org JSON-LD for one place page; `site_url` makes photo paths absolute."""
    data: dict = {"@context": "https://schema.org"}
    group = (vocabulary.term("place_kinds", place.kind) or vocabulary.Term("", "")).group
    if group == "park":
        data["@type"] = "Park"
    else:
        data["@type"] = "Place"
        data["additionalType"] = (
            "https://schema.org/AdministrativeArea" if group == "area"
            else "https://schema.org/TouristAttraction"
        )
    data["name"] = place.title
    data["url"] = url
    if place.summary:
        data["description"] = place.summary
    if place.kind:
        data["keywords"] = place.kind
    address = {"@type": "PostalAddress", "addressCountry": "CN", "addressRegion": area.province,
               "addressLocality": area.county}
    if place.address:
        address["streetAddress"] = place.address
    data["address"] = address
    data["containedInPlace"] = {"@type": "AdministrativeArea", "name": place.town or area.county}
    if place.location is not None:
        lat, lon = to_wgs84(place.location)  # schema.org documents GeoCoordinates as WGS 84
        data["geo"] = {"@type": "GeoCoordinates", "latitude": round(lat, 6),
                       "longitude": round(lon, 6)}
        data["hasMap"] = amap_marker_url(place, src=src)
    if place.photos and site_url:
        data["image"] = [urls.absolute(site_url, photo.src) for photo in place.photos]
    return data




def geojson_bytes(places: Iterable[Place], site_url: str) -> bytes:
    data = places_geojson(places, site_url)
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"
