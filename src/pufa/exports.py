"""Files the site publishes for machines: iCalendar subscriptions and the places GeoJSON.

Each entry is a site-relative path and its bytes; the plugin writes them after the build. The
bytes depend only on the content and the build day, so two builds of a commit on a day are equal.
"""

from __future__ import annotations

import datetime as dt
import json

from . import calendar, places
from .clock import build_stamp
from .content import Content


def event_ics_path(slug: str) -> str:
    return f"events/{slug}.ics"


def has_calendar_entries(event) -> bool:
    """An announced day with no dates entered yet has nothing to put in a calendar."""
    return not (event.rule is not None and event.rule.type == "announced" and not event.announced)


def site_outputs(content: Content, *, site_url: str, today: dt.date, calendar_name: str) -> dict[str, bytes]:
    stamp = build_stamp(today)
    events = sorted(content.events, key=lambda e: e.slug)
    out = {"calendar.ics": calendar.calendar_ics(events, name=calendar_name, site_url=site_url, dtstamp=stamp)}
    for event in events:
        if has_calendar_entries(event):
            out[event_ics_path(event.slug)] = calendar.event_ics(event, name=f"{calendar_name}·{event.title}",
                                                                 site_url=site_url, dtstamp=stamp)
    geojson = places.places_geojson(content.places, site_url)
    out["places.geojson"] = json.dumps(geojson, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"
    return out
