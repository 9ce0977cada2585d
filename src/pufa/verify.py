"""Verify a freshly built site before it replaces the published one.

Checks what a reader would hit: every internal link, anchor and image resolves; no page makes the
browser fetch anything from another host; feeds, calendars and data files parse. Returns Chinese
messages; an empty list means the site may be published.
"""

from __future__ import annotations

import json
import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import icalendar
from lxml import etree

# Elements whose URL the browser fetches by itself (a link in <a> is only followed when clicked).
_FETCHED = {("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
            ("iframe", "src"), ("audio", "src"), ("video", "src"), ("video", "poster"), ("embed", "src"),
            ("object", "data"), ("input", "src")}
_SKIP_SCHEMES = ("mailto:", "tel:", "webcal:", "data:", "javascript:", "geo:")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []  # followed when clicked
        self.fetched: list[str] = []  # fetched on load

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(a[key])
        for name, value in attrs:
            if not value:
                continue
            values = [part.split()[0] for part in value.split(",") if part.strip()] if name == "srcset" else [value]
            if (tag, name) in _FETCHED:
                self.fetched += values
            elif tag == "link" and name == "href":
                rel = set((a.get("rel") or "").split())
                (self.links if rel & {"alternate", "canonical"} else self.fetched).append(value)
            elif tag == "a" and name == "href":
                self.links.append(value)


def verify_site(site_dir: Path, *, site_url: str = "") -> list[str]:
    site_dir = Path(site_dir)
    pages = {}
    for path in sorted(site_dir.rglob("*.html")):
        parser = _Page()
        parser.feed(path.read_text("utf-8", errors="replace"))
        pages[path.relative_to(site_dir).as_posix()] = parser
    problems = []
    base_path = urlsplit(site_url).path or "/"
    for rel, page in pages.items():
        for url in page.fetched:
            if _external(url):
                problems.append(f"{rel}：页面会向其他网站请求 {url}（网站只能使用自己的文件）。")
            else:
                problems += _resolve(site_dir, pages, rel, url, base_path, fetched=True)
        for url in page.links:
            if not _external(url):
                problems += _resolve(site_dir, pages, rel, url, base_path, fetched=False)
    problems += _data_files(site_dir)
    return problems


def _external(url: str) -> bool:
    return url.startswith("//") or bool(urlsplit(url).scheme and urlsplit(url).scheme in ("http", "https"))


def _resolve(site_dir: Path, pages: dict, rel: str, url: str, base_path: str, *, fetched: bool) -> list[str]:
    if url.startswith(_SKIP_SCHEMES) or url.startswith("#") and not url[1:]:
        return []
    parts = urlsplit(url)
    if parts.scheme:
        return []
    path = unquote(parts.path)
    if path.startswith("/"):  # root-relative: inside the site's own base path only
        if not path.startswith(base_path):
            return [f"{rel}：链接 {url} 不在网站的路径 {base_path} 下。"]
        target = path[len(base_path):]
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path)) if path else rel
    if target.startswith("../"):
        return [f"{rel}：链接 {url} 指向网站以外。"]
    file = site_dir / target
    if path.endswith("/") or file.is_dir():  # a directory URL serves its index.html
        file, target = file / "index.html", posixpath.join(target, "index.html")
    if not file.is_file():
        kind = "图片或资源" if fetched else "链接"
        return [f"{rel}：{kind} {url} 指向的文件不存在。"]
    anchor = unquote(parts.fragment)
    page = pages.get(posixpath.normpath(target))
    if anchor and page is not None and anchor not in page.ids:
        return [f"{rel}：链接 {url} 指向的位置 #{anchor} 在目标页面上不存在。"]
    return []


def _data_files(site_dir: Path) -> list[str]:
    problems = []
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        try:
            if path.suffix == ".ics":
                icalendar.Calendar.from_ical(path.read_bytes())
            elif path.suffix in (".json", ".geojson"):
                json.loads(path.read_text("utf-8"))
            elif path.suffix == ".xml":
                etree.fromstring(path.read_bytes())
        except Exception as exc:  # any parser's failure means a broken file for its readers
            problems.append(f"{rel}：文件无法解析（{exc}）。")
    return problems
