"""RSS 2.0 and Atom feeds with the full article, for readers and for syndication tools.

Built with feedgen. Syndication tools (RSS → 公众号 scripts) need the full HTML with absolute URLs,
a short digest, an explicit cover, an author and stable ids; see the shared reference wechat.md §10–11
for the fields and feedgen's pitfalls, which the comments below point at.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.html
from feedgen.feed import FeedGenerator

from .content.records import SHANGHAI


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


def absolutize(html: str, page_url: str) -> str:
    """Resolve every link and image against the page's absolute URL; drop the ¶ permalinks."""
    if not html.strip():
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for anchor in root.xpath(".//a[contains(concat(' ', @class, ' '), ' headerlink ')]"):
        anchor.drop_tree()
    for element in root.iter():
        for attr in ("href", "src", "poster"):
            value = element.get(attr)
            if value is not None and not value.startswith(("#", "mailto:", "tel:", "data:")):
                element.set(attr, urljoin(page_url, value))
        if element.get("srcset"):
            element.set("srcset", ", ".join(
                " ".join([urljoin(page_url, part.split()[0]), *part.split()[1:]])
                for part in element.get("srcset").split(",") if part.strip()))
        if element.get("href", "").startswith("#"):
            element.set("href", page_url + element.get("href"))
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


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
