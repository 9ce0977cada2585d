"""Turn a page's rendered HTML fragment into HTML the 公众号 editor and `draft/add` keep.

WeChat strips `<style>`, `<script>`, `<iframe>`, `class`, `id`, `position` and links to other domains, and
mangles `<ul>/<ol>`. So the fragment is rewritten into plain blocks (`section`, `p`, `span`, `table`,
`figure`) with inline styles only: structure is decided here with `wx-*` classes, looks come from
`THEME_CSS` inlined by css-inline, and a last pass removes every class and id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

import css_inline
import lxml.html
from lxml import etree
from lxml.html import HtmlElement

TEXT_COLOR = "#3f3f3f"
ACCENT_COLOR = "#1a4f8b"
LINK_COLOR = ACCENT_COLOR
MUTED_COLOR = "#555555"

# Literal values only: WeChat resolves no CSS variables and inlines no pseudo-elements; no
# font-family (clients override it) and no pure black (the editor swallows it).
#
# Dark mode: WeChat's client recolours every article with its mp-darkmode algorithm. It leaves a
# text colour alone when it already differs enough from the dark page in perceived brightness, and
# flips the lightness of a dark one (L → 90% − L). So every text colour here is dark enough to be
# flipped and comes out at ≥ 4.5:1 on #191919, while staying ≥ 4.5:1 on white: WeChat's usual link
# blue #576b95 and greys lighter than #595959 are left unchanged and turn unreadable (3.3:1 and
# less), the accent is darkened for the same reason. Backgrounds are translucent tints, never solid
# light slabs: a tint over the dark page stays dark, where a solid #f7f7f7 box would glare.
# tests/test_wechat_darkmode.py runs the algorithm over every bundle and measures each text run.
THEME_CSS = """
.wx{font-size:16px;line-height:1.75;color:#3f3f3f;letter-spacing:.5px;text-align:left;overflow-wrap:break-word}
p{margin:0 0 1em;font-size:16px;line-height:1.75;color:#3f3f3f}
h1,h2{margin:1.6em 0 .8em;padding-left:10px;border-left:4px solid #1a4f8b;font-size:19px;line-height:1.4;font-weight:bold;color:#1a4f8b}
h3{margin:1.4em 0 .6em;font-size:17px;line-height:1.4;font-weight:bold;color:#1a4f8b}
h4,h5,h6{margin:1.2em 0 .5em;font-size:16px;line-height:1.4;font-weight:bold;color:#3f3f3f}
strong,b{font-weight:bold}
a{color:#1a4f8b;text-decoration:none}
sup{font-size:12px;line-height:0;color:#1a4f8b}
code{padding:1px 4px;border-radius:3px;background:rgba(27,31,35,.07);font-size:14px}
.wx-link{color:#1a4f8b}
.wx-list{margin:0 0 1em}
.wx-li1{margin:0 0 .4em;padding-left:1.4em;text-indent:-1.4em}
.wx-li2{margin:0 0 .4em;padding-left:2.8em;text-indent:-1.4em}
.wx-li-cont1{margin:0 0 .4em;padding-left:1.4em}
.wx-li-cont2{margin:0 0 .4em;padding-left:2.8em}
.wx-li-block1{margin:0 0 .4em 1.4em}
.wx-li-block2{margin:0 0 .4em 2.8em}
.wx-mark{display:inline-block;min-width:1.4em;text-indent:0;color:#1a4f8b}
.wx-code{margin:1em 0;padding:10px 12px;border-radius:6px;background:rgba(27,31,35,.05);overflow-x:auto}
.wx-code-title{margin:0 0 .4em;font-size:13px;font-weight:bold;color:#555555}
.wx-code-line{margin:0;font-size:13px;line-height:1.6;color:#3f3f3f;white-space:pre-wrap;word-break:break-all}
.wx-table-wrap{margin:1em 0;max-width:100%;overflow-x:auto;-webkit-overflow-scrolling:touch}
table{width:100%;border-collapse:collapse;font-size:14px;line-height:1.6}
th,td{padding:6px 8px;border:1px solid #dcdfe6;font-size:14px;color:#3f3f3f;min-width:4em;word-break:normal;overflow-wrap:normal}
th{background:rgba(30,90,160,.08);font-weight:bold}
.wx-whole{white-space:nowrap}
.wx-box{margin:1em 0;padding:10px 14px;border-radius:4px}
.wx-box-info{border-left:4px solid #448aff;background:rgba(68,138,255,.08)}
.wx-box-tip{border-left:4px solid #00a870;background:rgba(0,168,112,.08)}
.wx-box-warning{border-left:4px solid #ff9100;background:rgba(255,145,0,.1)}
.wx-box-danger{border-left:4px solid #e5484d;background:rgba(229,72,77,.08)}
.wx-box-plain{border-left:4px solid #9e9e9e;background:rgba(128,128,128,.08)}
.wx-box-title{margin:0 0 .4em;font-weight:bold}
.wx-box p{margin:0 0 .4em}
blockquote{margin:1em 0;padding:8px 14px;border-left:4px solid #c4ccd6;background:rgba(128,128,128,.08)}
blockquote p{margin:.3em 0}
.wx-figure{margin:1em 0;text-align:center}
.wx-img{display:block;max-width:100%;height:auto;margin:0 auto;border-radius:4px}
.wx-inline-img{max-width:100%;height:auto;vertical-align:middle}
.wx-caption{margin-top:.4em;font-size:13px;line-height:1.5;color:#555555;text-align:center}
.wx-footnotes{margin-top:1.5em;padding-top:.5em;border-top:1px solid #e5e5e5}
.wx-footnotes p{font-size:14px;color:#555555}
.wx-dt{margin:0 0 .2em;font-weight:bold}
.wx-dd{margin:0 0 .8em;padding-left:2em}
.wx-highlight{background:rgba(255,200,0,.15)}
.wx-note{font-size:14px;color:#555555}
.wx-refs{margin-top:2em;padding-top:.5em;border-top:1px solid #e5e5e5}
.wx-refs-title{margin:0 0 .5em;font-size:14px;font-weight:bold;color:#3f3f3f}
.wx-refs-item{margin:0 0 .3em;font-size:13px;line-height:1.6;color:#555555;word-break:break-all}
"""

SOURCE_TITLE = "信息来源"
# Words that ask for a click, and link texts that say nothing once the link is gone.
IMPERATIVE = re.compile(r"^(?:请)?(?:点击|点此|单击|查看|打开|访问|前往|进入)(?:查看|阅读)?")
VAGUE_TITLES = {"这里", "此处", "这儿", "链接", "网页", "网站", "详情", "更多", "原文", "全文", "此链接", "本链接"}
GUARD_STYLE = "font-size:0;line-height:0;margin:0"
REFERENCES_TITLE = "引用链接"
EMBED_NOTE = "（此处为视频或嵌入内容，请点击文末“阅读原文”查看。）"

WECHAT_HOST = "mp.weixin.qq.com"
BLOCK_TAGS = {
    "p", "section", "div", "table", "blockquote", "figure", "pre", "ul", "ol", "dl",
    "h1", "h2", "h3", "h4", "h5", "h6", "details",
}
LAYOUT_TAGS = {
    "p", "section", "blockquote", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td",
    "h1", "h2", "h3", "h4", "h5", "h6",
}
DROPPED_TAGS = (
    "script", "style", "noscript", "template", "link", "meta", "svg", "object", "embed",
    "form", "input", "button", "select", "textarea", "label", "canvas",
)
EMBED_TAGS = ("iframe", "video", "audio")
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
# Material admonition types → one of five colour tones.
BOX_TONES = {
    "note": "info", "abstract": "info", "summary": "info", "tldr": "info", "info": "info", "todo": "info",
    "tip": "tip", "hint": "tip", "important": "tip", "success": "tip", "check": "tip", "done": "tip",
    "question": "warning", "help": "warning", "faq": "warning", "warning": "warning",
    "caution": "warning", "attention": "warning",
    "failure": "danger", "fail": "danger", "missing": "danger", "danger": "danger",
    "error": "danger", "bug": "danger",
    "example": "plain", "quote": "plain", "cite": "plain",
}
BLACK = re.compile(r"#000000\b|#000\b|\bblack\b|rgba?\(\s*0\s*,\s*0\s*,\s*0\s*(?:,\s*1(?:\.0*)?\s*)?\)", re.I)
# Kept on one line inside table cells: URLs and e-mail addresses, Chinese dates (2024年3月15日,
# 3月15日), and runs of digits with their separators (12338, 0710-1234567, 2024-03-15, 9:00-17:00, 3.5%).
WHOLE_TOKEN = re.compile(
    r"((?:https?://|www\.)[!-~]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
    r"|\d{2,4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日"
    r"|[+＋]?\d+(?:[-–~～.,:：/]\d+)+%?|[+＋]?\d{2,}%?|\d%)"
)
SOFT_BREAK = re.compile(r"(\S)[ \t]*\n\s*(?=(\S))")
DROPPED_PROPERTIES = {"position", "top", "right", "bottom", "left", "z-index", "font-family"}


@dataclass(frozen=True)
class Reference:
    number: int
    title: str
    url: str


@dataclass(frozen=True)
class ArticleImage:
    src: str  # as written in the page HTML
    url: str  # absolute URL used in the WeChat HTML
    alt: str


@dataclass(frozen=True)
class ArticleHtml:
    html: str
    references: tuple[Reference, ...]
    images: tuple[ArticleImage, ...]
    list_depth: int  # deepest list nesting in the source (WeChat keeps at most 2)


def to_wechat_html(
    html: str,
    *,
    page_url: str,
    site_url: str,
    css: str | None = None,
    image_urls: Mapping[str, str] | None = None,
    source_url: str = "",
) -> ArticleHtml:
    """Rewrite a rendered page fragment for the 公众号.

    `page_url` (absolute, or relative to `site_url` like MkDocs' `page.url`) resolves relative
    links and images. `image_urls` maps an image `src` (as written, or resolved) to the absolute URL
    of its WeChat-ready copy; other images keep their resolved URL. `css` replaces THEME_CSS.
    `source_url`, the page's 信息来源, is listed among the references even when the body does not
    link to it (an event page shows it in its facts box, which the body may not carry).
    """
    page_url = urljoin(site_url, page_url)
    root = lxml.html.fragment_fromstring(html or "", create_parent="div")
    _drop_noise(root)
    _drop_leading_h1(root)
    _convert_code_blocks(root)
    _convert_boxes(root)
    references = _convert_links(root, page_url)
    if source_url and source_url not in {r.url for r in references}:
        references.append(Reference(len(references) + 1, SOURCE_TITLE, source_url))
    images = _convert_images(root, page_url, image_urls or {})
    _wrap_tables(root)
    list_depth = _convert_lists(root)
    _rename_tags(root)
    _join_soft_breaks(root)

    article = _element("section", "wx")
    article.text, root.text = root.text, None
    for child in list(root):
        article.append(child)
    if references:
        article.append(_references_section(references))
    parts = [_guard(), article, _guard()]
    fragment = "".join(lxml.html.tostring(part, encoding="unicode") for part in parts)

    inlined = css_inline.inline_fragment(fragment, THEME_CSS if css is None else css)
    return ArticleHtml(
        html=_sanitize(inlined),
        references=tuple(references),
        images=tuple(images),
        list_depth=list_depth,
    )


# --- structure ------------------------------------------------------------------------------


def _classes(el: HtmlElement) -> list[str]:
    return (el.get("class") or "").split()


def _element(tag: str, cls: str | None = None, text: str | None = None) -> HtmlElement:
    el = lxml.html.Element(tag)
    if cls:
        el.set("class", cls)
    el.text = text
    return el


def _replace(old: HtmlElement, new: HtmlElement) -> None:
    new.tail, old.tail = old.tail, None
    old.getparent().replace(old, new)


def _drop_noise(root: HtmlElement) -> None:
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop_keeping_tail(node)
    for box in list(root.iter("input")):
        # Remember task-list ticks before form controls go; the list pass turns them into ☑/☐.
        item = next(box.iterancestors("li"), None)
        if item is not None and box.get("type") == "checkbox":
            item.set("data-task", "done" if box.get("checked") is not None else "open")
    for el in list(root.iter(*EMBED_TAGS)):
        if _attached(el, root):
            _replace(el, _element("p", "wx-note", EMBED_NOTE))
    for el in list(root.iter(*DROPPED_TAGS)):
        if _attached(el, root):
            el.drop_tree()
    for el in list(root.iter("a")):
        if {"headerlink", "footnote-backref"} & set(_classes(el)):
            el.drop_tree()
    for el in list(root.iter("hr")):
        el.drop_tree()
    for el in list(root.iter()):
        if {"twemoji", "linenos", "linenodiv"} & set(_classes(el)) and _attached(el, root):
            el.drop_tree()


def _drop_keeping_tail(node) -> None:
    parent, tail = node.getparent(), node.tail or ""
    previous = node.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(node)


def _attached(el: HtmlElement, root: HtmlElement) -> bool:
    return any(ancestor is root for ancestor in el.iterancestors())


def _drop_leading_h1(root: HtmlElement) -> None:
    first = next(iter(root), None)
    if first is not None and first.tag == "h1" and not (root.text or "").strip():
        first.drop_tree()


def _convert_code_blocks(root: HtmlElement) -> None:
    for pre in list(root.iter("pre")):
        if not _attached(pre, root):
            continue
        box: HtmlElement = pre
        table = next((a for a in pre.iterancestors("table") if "highlighttable" in _classes(a)), None)
        if table is not None:
            box = table
        wrapper = box.getparent()
        if wrapper is not None and wrapper is not root and "highlight" in _classes(wrapper):
            box = wrapper
        title = next((el.text_content().strip() for el in box.iter() if "filename" in _classes(el)), "")
        code = next(pre.iter("code"), pre)
        section = _element("section", "wx-code")
        if title:
            section.append(_element("p", "wx-code-title", title))
        for line in code.text_content().rstrip("\n").split("\n"):
            section.append(_element("p", "wx-code-line", _code_line(line)))
        _replace(box, section)


def _code_line(line: str) -> str:
    # Leading indentation as no-break spaces survives even if the editor drops white-space:pre-wrap.
    line = line.expandtabs(4)
    stripped = line.lstrip(" ")
    return "\u00a0" * (len(line) - len(stripped)) + stripped if line.strip() else "\u00a0"


def _convert_boxes(root: HtmlElement) -> None:
    for el in list(root.iter("div", "details")):
        classes = _classes(el)
        if el.tag == "div" and "admonition" not in classes:
            continue
        tone = next((BOX_TONES[c] for c in classes if c in BOX_TONES), "info")
        el.tag = "section"
        el.attrib.clear()
        el.set("class", f"wx-box wx-box-{tone}")
        for title in el.iterchildren("p", "summary"):
            if title.tag == "summary" or "admonition-title" in _classes(title):
                title.tag = "p"
                title.attrib.clear()
                title.set("class", "wx-box-title")
            break


def _convert_links(root: HtmlElement, page_url: str) -> list[Reference]:
    numbers: dict[str, int] = {}
    references: list[Reference] = []
    page = urldefrag(page_url)[0]
    for a in list(root.iter("a")):
        href = (a.get("href") or "").strip()
        text = a.text_content().strip()
        target = urljoin(page_url, href) if href else ""
        scheme = urlsplit(target).scheme.lower()
        if scheme in ("http", "https") and urlsplit(target).hostname == WECHAT_HOST:
            a.attrib.clear()
            a.set("href", target)
            continue
        # In-page anchors are dead once ids are stripped; image links and javascript: go too.
        if not href or href.startswith("#") or urldefrag(target)[0] == page or not text:
            a.drop_tag()
            continue
        if scheme in ("mailto", "tel"):
            shown = target.split(":", 1)[1]
        elif scheme in ("http", "https"):
            shown = target
        else:
            a.drop_tag()
            continue
        if text.rstrip("/") in (href.rstrip("/"), shown.rstrip("/")):
            a.drop_tag()  # a bare URL is its own reference
            continue
        if shown not in numbers:
            numbers[shown] = len(numbers) + 1
            references.append(Reference(numbers[shown], _reference_title(a.get("title") or text), shown))
        a.tag = "span"
        a.attrib.clear()
        a.set("class", "wx-link")
        sup = _element("sup", "wx-ref", f"[{numbers[shown]}]")
        sup.tail, a.tail = a.tail, None
        a.addnext(sup)
    return references


def _reference_title(text: str) -> str:
    """The link text as a reference title that reads right where nothing can be clicked:
    “查看来源网页” becomes “来源网页”, and a bare “点击这里” becomes “链接”."""
    title = " ".join(text.split())
    title = IMPERATIVE.sub("", title) or title
    return "链接" if title in VAGUE_TITLES else title


def _references_section(references: list[Reference]) -> HtmlElement:
    section = _element("section", "wx-refs")
    section.append(_element("p", "wx-refs-title", REFERENCES_TITLE))
    for ref in references:
        section.append(_element("p", "wx-refs-item", f"[{ref.number}] {ref.title}：{ref.url}"))
    return section


def _convert_images(root: HtmlElement, page_url: str, image_urls: Mapping[str, str]) -> list[ArticleImage]:
    images: list[ArticleImage] = []
    for img in list(root.iter("img")):
        src = (img.get("src") or "").strip()
        if not src or src.startswith("data:"):
            img.drop_tree()
            continue
        absolute = urljoin(page_url, src)
        url = image_urls.get(src) or image_urls.get(absolute) or absolute
        alt = (img.get("alt") or img.get("title") or "").strip()
        width = img.get("width", "")
        images.append(ArticleImage(src=src, url=url, alt=alt))
        img.attrib.clear()
        img.set("src", url)
        if alt:
            img.set("alt", alt)
        if width.isdigit():
            img.set("style", f"width:{width}px")
        _place_image(img, alt)
    return images


def _place_image(img: HtmlElement, alt: str) -> None:
    parent = img.getparent()
    figure = next(img.iterancestors("figure"), None)
    if figure is not None:
        figure.set("class", "wx-figure")
        img.set("class", "wx-img")
        for caption in figure.iter("figcaption"):
            caption.attrib.clear()
            caption.set("class", "wx-caption")
        if alt and next(figure.iter("figcaption"), None) is None:
            figure.append(_element("figcaption", "wx-caption", alt))
        return
    if parent.tag == "p" and _only_images(parent):
        # A paragraph holding only images becomes one figure per image (a figure can't sit in a <p>).
        figures = []
        for image in list(parent.iter("img")):
            fig = _element("figure", "wx-figure")
            image.tail = None
            image.set("class", "wx-img")
            fig.append(image)
            if image.get("alt"):
                fig.append(_element("figcaption", "wx-caption", image.get("alt")))
            figures.append(fig)
        anchor = parent
        for fig in figures:
            anchor.addnext(fig)
            anchor = fig
        figures[-1].tail, parent.tail = parent.tail, None
        parent.getparent().remove(parent)
        return
    img.set("class", "wx-inline-img")


def _only_images(p: HtmlElement) -> bool:
    if (p.text or "").strip():
        return False
    return all(child.tag in ("img", "br") and not (child.tail or "").strip() for child in p)


def _wrap_tables(root: HtmlElement) -> None:
    for table in list(root.iter("table")):
        for cell in table.iter("th", "td"):
            align = cell.attrib.pop("align", None)
            if align:
                cell.set("style", f"text-align:{align};" + (cell.get("style") or ""))
        table.attrib.pop("class", None)
        for cell in table.iter("th", "td"):
            _keep_tokens_whole(cell)
        wrap = _element("section", "wx-table-wrap")
        _replace(table, wrap)
        wrap.append(table)


def _keep_tokens_whole(cell: HtmlElement) -> None:
    """Wrap numbers, dates, times and URLs in a no-wrap span: 12338 never splits as 123/38.

    Chinese text in the cell still wraps anywhere; the unbreakable tokens set the column's
    minimum width, so a wide table overflows its wrapper and scrolls instead of squeezing.
    """
    places = [(el, "text") for el in cell.iter() if isinstance(el.tag, str) and el.tag != "sup"]
    places += [(el, "tail") for el in cell.iterdescendants() if isinstance(el.tag, str)]
    for el, where in places:
        text = getattr(el, where)
        if not text or not WHOLE_TOKEN.search(text):
            continue
        pieces = WHOLE_TOKEN.split(text)  # text, token, text, token, …, text
        setattr(el, where, pieces[0])
        spans = []
        for token, after in zip(pieces[1::2], pieces[2::2]):
            span = _element("span", "wx-whole", token)
            span.tail = after
            spans.append(span)
        if where == "text":
            for index, span in enumerate(spans):
                el.insert(index, span)
        else:
            anchor = el
            for span in spans:
                anchor.addnext(span)
                anchor = span


def _convert_lists(root: HtmlElement) -> int:
    depth = 0
    for lst in list(root.iter("ul", "ol")):
        if not _attached(lst, root) or any(a.tag in ("ul", "ol") for a in lst.iterancestors()):
            continue
        depth = max(depth, _list_depth(lst))
        section = _element("section", "wx-list")
        for block in _list_blocks(lst, 1):
            section.append(block)
        _replace(lst, section)
    return depth


def _list_depth(top: HtmlElement) -> int:
    return max(1 + sum(1 for _ in lst.iterancestors("ul", "ol")) for lst in top.iter("ul", "ol"))


def _list_blocks(lst: HtmlElement, level: int) -> list[HtmlElement]:
    blocks: list[HtmlElement] = []
    start = lst.get("start", "1")
    number = int(start) if start.lstrip("-").isdigit() else 1
    for li in lst.iterchildren("li"):
        marker = f"{number}. " if lst.tag == "ol" else ("• " if level == 1 else "◦ ")
        if li.get("data-task"):
            marker = "☑ " if li.get("data-task") == "done" else "☐ "
        blocks.extend(_item_blocks(li, marker, level))
        number += 1
    return blocks


def _item_blocks(li: HtmlElement, marker: str, level: int) -> list[HtmlElement]:
    """One list item as paragraphs: the first carries the marker, later ones a hanging indent."""
    depth = min(level, 2)
    blocks: list[HtmlElement] = []
    current: HtmlElement | None = None

    def paragraph() -> HtmlElement:
        first = not blocks
        p = _element("p", f"wx-li{depth}" if first else f"wx-li-cont{depth}")
        if first:
            p.append(_element("span", "wx-mark", marker))
        blocks.append(p)
        return p

    def add_text(text: str | None) -> None:
        nonlocal current
        if not text or (current is None and not text.strip()):
            return
        if current is None:
            current = paragraph()
        if len(current):
            last = current[-1]
            # "☑ " + " 已安装…": no double space right after a marker.
            if last.get("class") == "wx-mark" and not last.tail:
                text = text.lstrip()
            last.tail = (last.tail or "") + text
        else:
            current.text = (current.text or "") + text

    add_text(li.text)
    for child in list(li):
        tail, child.tail = child.tail, None
        if child.tag == "p":
            current = paragraph()
            add_text(child.text)
            for inline in list(child):
                current.append(inline)
            current = None
        elif child.tag in ("ul", "ol"):
            if not blocks:
                paragraph()
            blocks.extend(_list_blocks(child, level + 1))
            current = None
        elif child.tag in BLOCK_TAGS:
            if not blocks:
                paragraph()
            holder = _element("section", f"wx-li-block{depth}")
            holder.append(child)
            blocks.append(holder)
            current = None
        else:
            if current is None:
                current = paragraph()
            current.append(child)
        add_text(tail)
    if not blocks:
        paragraph()
    return blocks


def _rename_tags(root: HtmlElement) -> None:
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.tag == "div":
            el.tag = "section"
            if "footnote" in _classes(el):
                el.set("class", "wx-footnotes")
        elif el.tag == "dl":
            el.tag = "section"
        elif el.tag == "dt":
            el.tag, el.attrib["class"] = "p", "wx-dt"
        elif el.tag == "dd":
            el.tag, el.attrib["class"] = "p", "wx-dd"
        elif el.tag == "mark":
            el.tag, el.attrib["class"] = "span", "wx-highlight"
        elif el.tag == "kbd":
            el.tag = "code"
        elif el.tag in ("abbr", "font"):
            el.drop_tag()


def _join_soft_breaks(root: HtmlElement) -> None:
    # A Markdown line break inside a Chinese paragraph is not a word space: drop it between CJK text.
    def join(match: re.Match) -> str:
        before, after = match.group(1), match.group(2)
        return before if _wide(before) or _wide(after) else before + " "

    for el in root.iter():
        if el.text:
            el.text = SOFT_BREAK.sub(join, el.text)
        if el.tail:
            el.tail = SOFT_BREAK.sub(join, el.tail)


def _wide(ch: str) -> bool:
    return ch > "\u2e80"


def _guard() -> HtmlElement:
    # An empty paragraph before and after stops the editor merging our first/last block with its own.
    p = _element("p", text="\u00a0")
    p.set("style", GUARD_STYLE)
    return p


# --- final pass -----------------------------------------------------------------------------


def _sanitize(html: str) -> str:
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        # Newlines between blocks are invisible in a browser but become blank lines in the editor.
        if el.tag in LAYOUT_TAGS and not (el.tail or "").strip():
            el.tail = None
        if len(el) and el[0].tag in LAYOUT_TAGS and not (el.text or "").strip():
            el.text = None
        allowed = ALLOWED_ATTRIBUTES.get(el.tag, set())
        style = clean_style(el.get("style", ""))
        for name in list(el.attrib):
            if name not in allowed:
                del el.attrib[name]
        if style:
            el.set("style", style)
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


def clean_style(style: str) -> str:
    """Compact an inline style, dropping what WeChat rejects and repainting pure black."""
    kept: list[str] = []
    for declaration in _declarations(style):
        name, _, value = declaration.partition(":")
        name, value = name.strip().lower(), " ".join(value.split())
        if not name or not value or name in DROPPED_PROPERTIES or name.startswith("--") or "var(" in value:
            continue
        kept.append(f"{name}:{BLACK.sub('rgb(1,1,1)', value)}")
    return ";".join(kept)


def _declarations(style: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(style):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            parts.append(style[start:i])
            start = i + 1
    parts.append(style[start:])
    return [p for p in parts if p.strip()]
