"""Everything written after MkDocs has built the pages: data files, packs, WeChat bundles and feeds.

The plugin hands over the records and the HTML it captured; this module asks each domain module
for its files and writes them. Order matters once: feeds use the WeChat covers as enclosures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from pathlib import Path

from mkdocs.plugins import get_plugin_logger

from . import exports, feeds, materials, wechat
from .content import Content, Event, LawTopic
from .present import rule_text

log = get_plugin_logger("pufa")


@dataclass(frozen=True)
class Site:
    dir: Path
    docs_dir: Path
    url: str  # absolute, with a trailing slash
    name: str
    description: str
    publisher: str
    calendar_name: str
    today: dt.date
    cache_dir: Path  # survives between builds: drawn covers and converted images


def write_all(site: Site, content: Content, rendered: dict[str, materials.Rendered]) -> None:
    outputs = exports.site_outputs(content, site_url=site.url, today=site.today, calendar_name=site.calendar_name)
    outputs |= materials.outputs(content, rendered, site_url=site.url, site_dir=site.dir, docs_dir=site.docs_dir,
                                 publisher=site.publisher)
    for rel, data in outputs.items():
        _write(site.dir / rel, data)
    articles = [r for r in [*content.laws, *content.events] if r.path in rendered]
    covers = write_wechat_bundles(site, articles, rendered)
    write_feeds(site, articles, rendered, covers)


def write_wechat_bundles(site: Site, articles: list, rendered: dict) -> dict[str, Path]:
    """site/wechat/<slug>/ for every law topic and event, and site/wechat/index.json."""
    out_dir = site.dir / "wechat"
    metas = []
    for record in sorted(articles, key=lambda r: r.slug):
        html = rendered[record.path].html
        metas.append(wechat.build_bundle(
            out_dir, slug=record.slug, title=record.title, author=_author(record, site), digest=record.summary,
            page_url=record.url, site_url=site.url, html=_preface(record) + html,
            images=wechat.site_images(html, page_url=record.url, site_url=site.url, site_dir=site.dir),
            cover_title=record.title, cover_subtitle=site.name, cache_dir=site.cache_dir / "wechat",
            source_url=getattr(record, "source_url", "")))
    wechat.write_index(out_dir, metas)
    for meta in metas:  # the same limits `pufa check` warns about, measured on the real article
        for warning in meta["warnings"]:
            log.info(f"wechat/{meta['slug']}：{warning}")
    return {record.slug: out_dir / record.slug / wechat.bundle.COVER_FILE for record in articles}


def write_feeds(site: Site, articles: list, rendered: dict, covers: dict[str, Path]) -> None:
    """feed.xml and atom.xml for the whole site and for each section (laws, events)."""
    items = {record.path: _item(site, record, rendered[record.path], covers.get(record.slug)) for record in articles}
    sections = [("", "全部文章", articles),
                ("laws/", "法律专题", [r for r in articles if isinstance(r, LawTopic)]),
                ("events/", "活动日历", [r for r in articles if isinstance(r, Event)])]
    for prefix, label, records in sections:
        channel = feeds.Channel(
            title=f"{site.name}：{label}" if prefix else site.name, description=site.description,
            site_url=site.url + prefix, rss_url=f"{site.url}{prefix}feed.xml", atom_url=f"{site.url}{prefix}atom.xml",
            author=site.publisher)
        rss, atom = feeds.build_feeds([items[r.path] for r in records], channel)
        _write(site.dir / prefix / "feed.xml", rss)
        _write(site.dir / prefix / "atom.xml", atom)


def _item(site: Site, record, page: materials.Rendered, cover: Path | None) -> feeds.FeedItem:
    url = site.url + record.url
    published = feeds.shanghai_midnight(record.published)
    categories = record.topics if isinstance(record, LawTopic) else ("活动日历", *record.audiences)
    enclosure = None
    if cover is not None and cover.is_file():
        enclosure = feeds.Enclosure(f"{site.url}wechat/{record.slug}/{cover.name}", cover.stat().st_size, "image/jpeg")
    return feeds.FeedItem(
        title=record.title, url=url, summary=record.summary,
        html=feeds.absolutize(_preface(record) + page.html, url),
        published=published, updated=feeds.shanghai_midnight(record.updated) if record.updated else published,
        author=_author(record, site), categories=tuple(categories), cover=enclosure)


def _preface(record) -> str:
    """The facts the page template shows above the body, in plain HTML for feeds and WeChat."""
    if isinstance(record, LawTopic):
        law = record.law
        return (f"<p>{escape(record.summary)}</p><p>《{escape(law.name)}》自{law.effective.year}年{law.effective.month}月"
                f"{law.effective.day}日起施行。本文是通俗解读，法律全文以国家法律法规数据库公布的文本为准。</p>")
    when = rule_text(record) if record.kind == "observance" else f"{record.start:%Y-%m-%d}，{escape(record.venue)}"
    return f"<p>{escape(record.summary)}</p><p>时间：{escape(when)}</p>"


def _author(record, site: Site) -> str:
    return (getattr(record, "author", "") or site.publisher)[:16]


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
