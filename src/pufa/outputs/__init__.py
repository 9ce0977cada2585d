"""Everything written after MkDocs has built the pages, each a function of the articles and records:
iCalendar, GeoJSON, materials.json, slide decks, download packs, WeChat bundles and feeds.

The plugin hands over the same sanitized articles the pages show; this module asks each output for its
files and writes them. Order matters twice: the packs carry the slide decks, and the feeds use the WeChat
covers as enclosures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mkdocs.plugins import get_plugin_logger

from .. import urls
from ..cache import write_atomically
from ..clock import build_stamp
from ..content.records import Content, Record
from . import feeds, geodata, ics, materials, packs
from .article import Article

log = get_plugin_logger("pufa")


@dataclass(frozen=True)
class Site:
    dir: Path
    url: str  # absolute, with a trailing slash
    name: str
    description: str
    publisher: str
    calendar_name: str
    today: dt.date
    cache_dir: Path  # survives between builds: drawn covers and converted images


def write_all(site: Site, content: Content, articles: dict[str, Article], *, source_bytes: Callable[[Record], bytes],
              facts: Callable) -> None:
    from .. import lectures  # it builds on this package's articles and packs
    files = calendar_files(site, content)
    slides = lectures.slide_files(site, content, articles)
    files |= slides
    files[urls.PLACES_GEOJSON] = geodata.geojson_bytes(content.places, site.url)
    files[urls.MATERIALS_JSON] = materials.materials_json(materials.materials_index(content, articles, site.url, facts))
    files |= packs.pack_files(content, articles, site_url=site.url, site_dir=site.dir, publisher=site.publisher,
                              source_bytes=source_bytes, slides=slides)
    for route, data in files.items():
        write_atomically(site.dir / route, data)
    channel = [a for a in articles.values() if a.is_law or a.is_event]
    covers = wechat_bundles(site, channel)
    for route, data in feeds.feed_files(site, sorted(channel, key=lambda a: a.record.path), covers).items():
        write_atomically(site.dir / route, data)


def calendar_files(site: Site, content: Content) -> dict[str, bytes]:
    stamp = build_stamp(site.today)
    events = sorted(content.events, key=lambda e: e.slug)
    out = {urls.CALENDAR_ICS: ics.calendar_ics(events, name=site.calendar_name, site_url=site.url, dtstamp=stamp)}
    for event in events:
        if ics.has_calendar_entries(event):
            out[urls.event_ics(event.slug)] = ics.event_ics(event, name=f"{site.calendar_name}·{event.title}",
                                                            site_url=site.url, dtstamp=stamp)
    return out


def wechat_bundles(site: Site, articles: list[Article]) -> dict[str, tuple[str, int]]:
    """site/wechat/<slug>/ for every law topic and event, and wechat/index.json; slug → (cover route, bytes)."""
    from .. import wechat
    out_dir = site.dir / "wechat"
    metas = []
    for article in sorted(articles, key=lambda a: a.record.slug):
        record = article.record
        metas.append(wechat.build_bundle(
            out_dir, slug=record.slug, title=record.title, author=(record.author or site.publisher)[:16],
            digest=record.summary, page_url=record.url, site_url=site.url, html=article.html,
            images=wechat.site_images(article.html, page_url=record.url, site_url=site.url, site_dir=site.dir),
            cover_title=record.title, cover_subtitle=site.name, cache_dir=site.cache_dir / "wechat",
            source_url=getattr(record, "source_url", "")))
    wechat.write_index(out_dir, metas)
    covers = {}
    for meta in metas:  # the same limits `pufa check` warns about, measured on the real article
        for warning in meta["warnings"]:
            log.info(f"wechat/{meta['slug']}：{warning}")
        cover = out_dir / meta["slug"] / meta["cover"]
        if cover.is_file():
            covers[meta["slug"]] = (urls.wechat(meta["slug"]) + meta["cover"], cover.stat().st_size)
    return covers
