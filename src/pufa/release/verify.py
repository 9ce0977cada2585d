"""Verify a freshly built site before it replaces the published one: every output, not only the pages.

What a reader, a feed reader, a lecturer's offline copy or the 公众号 editor would meet: every internal
link, anchor and image resolves; nothing makes a browser fetch from another host; no content area, feed
item, pack or WeChat article carries active content (scripts, event handlers, javascript: links, refresh,
forms, frames); CSS loads nothing from elsewhere; feeds, calendars, data files and zips parse, and a zip
holds nothing outside its own folder. A slide deck (.pptx, itself a zip) in downloads/ or in a pack links
nothing outside itself (no external relationship: no remote picture, hyperlink or template) and carries
no macros, ActiveX controls or embedded objects. URLs are read as a browser reads them: the site's own
absolute address is the site, and `/\\host` is another host. Returns Chinese messages; empty means publishable.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import icalendar
from lxml import etree

from .. import urls
from ..site.sanitize import browser_view, url_scheme

# Elements whose URL the browser fetches by itself (a link in <a> is only followed when clicked).
_FETCHED = {("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
            ("iframe", "src"), ("audio", "src"), ("video", "src"), ("video", "poster"), ("embed", "src"),
            ("object", "data"), ("input", "src"), ("link", "href")}
_INERT_LINKS = {"alternate", "canonical"}  # <link rel=…> that fetches nothing
_SKIP_SCHEMES = {"mailto", "tel", "webcal", "geo"}
_ACTIVE_TAGS = {"iframe", "frame", "object", "embed", "form", "base", "applet", "portal"}
_EXECUTABLE = {"", "text/javascript", "application/javascript", "module"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Parts of an Office package that run code or pull in other files when the deck is opened.
_ACTIVE_PARTS = ("vbaproject", "activex", "embeddings/", "macrosheets", "oleobject")
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)|@import\s+(['\"])(.*?)\3", re.I)


class _Document(HTMLParser):
    """One HTML document's links, fetches, ids and active content (inside `scope`, when given)."""

    def __init__(self, scope_class: str | None = None):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.fetched: list[str] = []
        self.active: list[str] = []
        self.scope_class = scope_class
        self.depth = 0 if scope_class else 1  # > 0: inside the region where no script may appear
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {name: value or "" for name, value in attrs}
        inside = self.depth > 0
        if self.scope_class and self.depth and tag not in _VOID:
            self.depth += 1
        elif self.scope_class and self.scope_class in a.get("class", "").split():
            self.depth = 1
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(a[key])
        self._inspect(tag, a, inside or self.depth > 0)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.scope_class and self.depth and tag not in _VOID:
            self.depth -= 1

    def handle_endtag(self, tag):
        if self.scope_class and self.depth:
            self.depth -= 1

    def _inspect(self, tag, a, guarded: bool):
        for name, value in a.items():
            if name.startswith("on"):
                self.active.append(f"<{tag} {name}=…>")
            elif name in ("href", "src", "action", "formaction", "poster", "data", "srcset") and \
                    url_scheme(value) in ("javascript", "vbscript", "data") and not (tag in ("img", "source") and
                                                                                    value.startswith("data:image/")):
                self.active.append(f"<{tag} {name}=\"{value[:40]}…\">")
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            self.active.append("<meta http-equiv=refresh>")
        if guarded and tag in _ACTIVE_TAGS:
            self.active.append(f"<{tag}>")
        if guarded and tag == "script" and a.get("type", "").strip().lower() in _EXECUTABLE:
            self.active.append("<script>")
        for name, value in a.items():
            if not value:
                continue
            values = [part.split()[0] for part in value.split(",") if part.strip()] if name == "srcset" else [value]
            if tag == "link" and name == "href":
                rel = set(a.get("rel", "").lower().split())
                (self.links if rel & _INERT_LINKS else self.fetched).extend(values)
            elif (tag, name) in _FETCHED:
                self.fetched.extend(values)
            elif tag == "a" and name == "href":
                self.links.extend(values)


def verify_site(site_dir: Path, *, site_url: str = "") -> list[str]:
    site_dir = Path(site_dir)
    own = _OwnSite(site_url)
    pages: dict[str, _Document] = {}
    problems: list[str] = []
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        wechat_article = rel.startswith(urls.WECHAT) and path.name == "article.html"
        scope = None if wechat_article else "md-content__inner"
        if rel.startswith(urls.WECHAT) and path.name == "index.html":
            scope = "column"  # the preview's own script is pufa's; the article column must be inert
        document = _Document(scope)
        document.feed(path.read_text("utf-8", errors="replace"))
        pages[rel] = document
    for rel, page in pages.items():
        problems += [f"{rel}：页面含有会执行的内容 {item}。" for item in page.active]
        for url in page.fetched:
            problems += _check_url(site_dir, pages, rel, url, own, fetched=True)
        for url in page.links:
            problems += _check_url(site_dir, pages, rel, url, own, fetched=False)
    problems += _feeds(site_dir, pages, own)
    problems += _stylesheets(site_dir)
    problems += _packs(site_dir)
    problems += _data_files(site_dir)
    return problems


class _OwnSite:
    """The site's own absolute address: a URL under it is a path of this site, not another host."""

    def __init__(self, site_url: str):
        parts = urlsplit(site_url or "")
        self.origin = f"{parts.scheme}://{parts.netloc}".lower() if parts.netloc else ""
        self.base = parts.path or "/"
        if not self.base.endswith("/"):
            self.base += "/"

    def local_path(self, url: str) -> str | None:
        """The site path of `url` if it is this site's own absolute URL; None otherwise."""
        parts = urlsplit(url)
        if not self.origin or f"{parts.scheme}://{parts.netloc}".lower() != self.origin:
            return None
        return parts.path if parts.path.startswith(self.base) else None


def _external(url: str) -> bool:
    """A URL that reaches another host when a browser uses it (`//x`, `/\\x`, http(s)://x)."""
    view = browser_view(url)
    scheme = url_scheme(view)
    return scheme in ("http", "https") or re.match(r"^[\\/][\\/]", view) is not None


def _check_url(site_dir: Path, pages: dict, rel: str, url: str, own: _OwnSite, *, fetched: bool) -> list[str]:
    view = browser_view(url)
    scheme = url_scheme(view)
    if scheme in _SKIP_SCHEMES or (scheme == "data" and fetched) or view.startswith("#") and not view[1:]:
        return []
    local = own.local_path(view) if scheme in ("http", "https") else None
    if local is None and _external(view):
        return [f"{rel}：页面会向其他网站请求 {url}（网站只能使用自己的文件）。"] if fetched else []
    if scheme is not None and local is None:
        return []
    path = unquote(urlsplit(local if local is not None else view).path)
    if path.startswith("/"):  # root-relative: inside the site's own base path only
        if not path.startswith(own.base):
            return [f"{rel}：链接 {url} 不在网站的路径 {own.base} 下。"]
        target = urls.resolve("", path[len(own.base):])
    else:
        target = urls.resolve(rel, path) if path else rel
    if target is None:
        return [f"{rel}：链接 {url} 指向网站以外。"]
    file = site_dir / target
    if view.split("#")[0].split("?")[0].endswith("/") or file.is_dir():  # a directory URL serves its index.html
        file, target = file / "index.html", posixpath.join(target, "index.html") if target else "index.html"
    if not file.is_file():
        return [f"{rel}：{'图片或资源' if fetched else '链接'} {url} 指向的文件不存在。"]
    anchor = unquote(urlsplit(view).fragment)
    page = pages.get(target)
    if anchor and page is not None and anchor not in page.ids:
        return [f"{rel}：链接 {url} 指向的位置 #{anchor} 在目标页面上不存在。"]
    return []


def _feeds(site_dir: Path, pages: dict, own: _OwnSite) -> list[str]:
    """Each feed item's HTML: nothing active, nothing fetched from elsewhere, own images present."""
    problems = []
    for path in sorted(site_dir.rglob("*.xml")):
        rel = path.relative_to(site_dir).as_posix()
        if rel == "sitemap.xml":
            continue
        try:
            tree = etree.fromstring(path.read_bytes())
        except etree.XMLSyntaxError:
            continue  # reported by _data_files
        for node in tree.iter():
            tag = etree.QName(node).localname if isinstance(node.tag, str) else ""
            if tag not in ("encoded", "content") or not node.text:
                continue
            document = _Document()
            document.feed(node.text)
            problems += [f"{rel}：订阅内容含有会执行的内容 {item}。" for item in document.active]
            for url in document.fetched:
                local = own.local_path(url)
                if local is None:
                    problems.append(f"{rel}：订阅内容会向其他网站请求 {url}。")
                else:
                    problems += _check_url(site_dir, pages, rel, local, own, fetched=True)
    return problems


def _stylesheets(site_dir: Path) -> list[str]:
    problems = []
    for path in sorted(site_dir.rglob("*.css")):
        rel = path.relative_to(site_dir).as_posix()
        for match in _CSS_URL.finditer(path.read_text("utf-8", errors="replace")):
            url = match.group(2) or match.group(4) or ""
            if url and not url.startswith("data:") and _external(url):
                problems.append(f"{rel}：样式表会向其他网站请求 {url}。")
    return problems


def _packs(site_dir: Path) -> list[str]:
    """Download packs: every entry inside its folder; the printable HTML inert and self-contained."""
    problems = []
    for path in sorted(site_dir.glob(f"{urls.DOWNLOADS}*.zip")):
        rel = path.relative_to(site_dir).as_posix()
        try:
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as pack:
                for name in pack.namelist():
                    if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/"):
                        problems.append(f"{rel}：压缩包里的 {name} 在包的文件夹之外。")
                    if name.endswith(".html"):
                        document = _Document()
                        document.feed(pack.read(name).decode("utf-8", errors="replace"))
                        scripts = document.active + [f"会请求 {u}" for u in document.fetched if not u.startswith("data:")]
                        problems += [f"{rel}（{name}）：离线材料含有 {item}。" for item in scripts]
                    elif name.endswith(".pptx"):
                        problems += _deck(f"{rel}（{name}）", pack.read(name))
        except zipfile.BadZipFile as exc:
            problems.append(f"{rel}：压缩包无法打开（{exc}）。")
    for path in sorted(site_dir.glob(f"{urls.DOWNLOADS}**/*.pptx")):
        problems += _deck(path.relative_to(site_dir).as_posix(), path.read_bytes())
    return problems


def _deck(rel: str, data: bytes) -> list[str]:
    """A slide deck pufa wrote: an Office package that opens without reaching beyond itself or running code."""
    problems = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as deck:
            names = deck.namelist()
            for name in names:
                if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/"):
                    problems.append(f"{rel}：幻灯片里的 {name} 在文件之外。")
                if any(part in name.lower() for part in _ACTIVE_PARTS):
                    problems.append(f"{rel}：幻灯片含有宏、控件或嵌入对象（{name}）。")
                if name.endswith(".rels"):
                    for link in etree.fromstring(deck.read(name)).iter():
                        if link.get("TargetMode") == "External":
                            problems.append(f"{rel}：幻灯片链接到外部 {link.get('Target')}（{name}）。")
            types = deck.read("[Content_Types].xml").decode("utf-8", errors="replace").lower()
            if "macroenabled" in types or "vbaproject" in types:
                problems.append(f"{rel}：幻灯片是启用宏的格式。")
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        problems.append(f"{rel}：幻灯片无法打开（{exc}）。")
    return problems


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
