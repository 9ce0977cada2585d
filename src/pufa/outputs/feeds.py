"""RSS 2.0 and Atom feeds with the full article, for readers and for syndication tools.

Built with feedgen. Syndication tools (RSS → 公众号 scripts) need the full HTML with absolute URLs,
a short digest, an explicit cover, an author and stable ids; see the shared reference wechat.md §10–11
for the fields and feedgen's pitfalls, which the comments below point at.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from feedgen.feed import FeedGenerator

from .. import html as fragments, urls
from ..content.records import SHANGHAI


@dataclass(frozen=True)
class Enclosure:
    url: str
    length: int
    type: str


@dataclass(frozen=True)
class FeedItem:
    title: str
    url: str  # absolute, canonical: also the guid
    summary: str  # plain text, ≤ 120 characters: reusable as the 公众号 digest
    html: str  # full content, every URL absolute
    published: dt.datetime  # timezone-aware
    updated: dt.datetime
    author: str
    categories: tuple[str, ...] = ()
    cover: Enclosure | None = None


@dataclass(frozen=True)
class Channel:
    title: str
    description: str
    site_url: str  # the section's page, absolute
    rss_url: str
    atom_url: str
    author: str
    language: str = "zh-CN"


def shanghai_midnight(day: dt.date) -> dt.datetime:
    """YAML gives dates; feeds need aware date-times (feedgen raises on naive ones)."""
    return dt.datetime.combine(day, dt.time(), SHANGHAI)


def build_feeds(items: list[FeedItem], channel: Channel) -> tuple[bytes, bytes]:
    """(RSS 2.0, Atom), newest first, identical bytes for identical items."""
    items = sorted(items, key=lambda i: (i.updated, i.published, i.url), reverse=True)
    fg = FeedGenerator()
    fg.load_extension("dc")  # RSS <author> must be an e-mail address; dc:creator carries the name
    fg.id(channel.site_url)
    fg.title(channel.title)
    fg.description(channel.description)
    fg.subtitle(channel.description)
    fg.author({"name": channel.author})
    fg.link(href=channel.site_url, rel="alternate")
    fg.language(channel.language)
    fg.generator("pufa")
    # lastBuildDate / <updated> default to "now"; the newest item keeps the output reproducible.
    newest = items[0].updated if items else dt.datetime(2020, 1, 1, tzinfo=SHANGHAI)
    fg.lastBuildDate(newest)
    fg.updated(newest)
    for item in items:
        entry = fg.add_entry(order="append")  # the default 'prepend' would reverse our order
        entry.id(item.url)
        entry.guid(item.url, permalink=True)
        entry.title(item.title)
        entry.link(href=item.url)
        # content:encoded is written only when description is set too (feedgen).
        entry.description(item.summary)
        entry.summary(item.summary)
        entry.content(item.html, type="CDATA")
        entry.published(item.published)
        entry.updated(item.updated)
        entry.author({"name": item.author})
        entry.dc.dc_creator(item.author)
        for category in item.categories:
            entry.category(term=category)
        if item.cover:
            entry.enclosure(item.cover.url, str(item.cover.length), item.cover.type)
    rss = _with_self_link(fg, channel.rss_url, "rss")
    atom = _with_self_link(fg, channel.atom_url, "atom")
    return rss, atom


def _with_self_link(fg: FeedGenerator, href: str, kind: str) -> bytes:
    fg.link(href=href, rel="self", type="application/rss+xml" if kind == "rss" else "application/atom+xml", replace=True)
    fg.link(href=fg.id(), rel="alternate")
    return fg.rss_str(pretty=True) if kind == "rss" else fg.atom_str(pretty=True)


def feed_files(site, articles, covers: dict[str, tuple[str, int]]) -> dict[str, bytes]:
    """feed.xml and atom.xml for the whole site and for each section (laws, events), from the articles.

    `covers` maps a slug to its cover's (route, length in bytes), sent as each item's enclosure.
    """
    items = {}
    for article in articles:
        record = article.record
        url = urls.absolute(site.url, record.url)
        published = shanghai_midnight(record.published)
        categories = record.topics if article.is_law else ("活动日历", *record.audiences)
        cover = covers.get(record.slug)
        enclosure = Enclosure(urls.absolute(site.url, cover[0]), cover[1], "image/jpeg") if cover else None
        items[record.path] = FeedItem(
            title=record.title, url=url, summary=record.summary, html=fragments.absolutize(article.html, url),
            published=published, updated=shanghai_midnight(record.updated) if record.updated else published,
            author=(record.author or site.publisher)[:16], categories=tuple(categories), cover=enclosure)
    out = {}
    sections = [(urls.HOME, "全部文章", articles), (urls.LAWS, "法律专题", [a for a in articles if a.is_law]),
                (urls.EVENTS, "活动日历", [a for a in articles if a.is_event])]
    for prefix, label, chosen in sections:
        channel = Channel(title=f"{site.name}：{label}" if prefix else site.name, description=site.description,
                          site_url=urls.absolute(site.url, prefix), rss_url=urls.absolute(site.url, urls.feed(prefix)),
                          atom_url=urls.absolute(site.url, urls.atom(prefix)), author=site.publisher)
        rss, atom = build_feeds([items[a.record.path] for a in chosen], channel)
        out[urls.feed(prefix)] = rss
        out[urls.atom(prefix)] = atom
    return out
