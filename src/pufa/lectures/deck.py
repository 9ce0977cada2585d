"""What a lecturer's slide deck says, worked out from a 讲稿 and its sanitized article: plain data, no layout.

The deck starts from the same sanitized body as the page, the packs and materials.json, so whatever the
sanitizer removed is absent here too. Editors control the slides by writing: the bold runs of a section
(`<strong>`) are its key points, without labels such as “示例（编写的，不是真实的事）：” and without trailing
punctuation; a section without bold text gets the first sentence of each paragraph and list item (but not
of one that links to another page, such as 返回专题). A long point is cut at a clause boundary (，；：), never
inside a quotation or a word, and only cut short with an ellipsis when no boundary is near. Nothing the 讲稿 says is lost: each section's whole text goes to the
speaker notes. Pictures come along re-encoded from their pixels through pufa.media, whatever the site
already did to them, so no EXIF, GPS or XMP reaches a deck.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import lxml.html
from PIL import Image, UnidentifiedImageError

from .. import html as fragments, media, urls
from ..content import vocabulary
from ..content.records import Lecture
from ..outputs.article import Article
from . import fit

Element = lxml.html.HtmlElement
POINT_EM = 30.0  # a key point: about two lines on a slide at most
HARD_CUT_EM = 26.0  # a point cut short fits one slide line, so its … never sits alone on a second line
MIN_CLAUSE_EM = 10.0  # a clause boundary nearer the start than this leaves too short a point (2015年7月1日)
IMAGE_EDGE = 1600  # px, a picture's long edge: about 180 dpi across a 16:9 slide
TRAILING = "。，、；：！？…,.;:!? \u3000"
CLAUSE = "，；：。！？,;:"
SENTENCE_END = "。！？!?"
OPENING = "“‘（《「『【〈("
CLOSING = "”’）》」』】〉)"
_BLOCKS = frozenset({"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table",
                     "thead", "tbody", "tfoot", "tr", "dl", "dt", "dd", "figure", "figcaption", "section", "article",
                     "aside", "details", "summary", "hr", "caption", "header", "footer", "nav", "main"})
_POINT_BLOCKS = frozenset({"p", "li", "dt", "dd", "h3", "h4", "h5", "h6"})  # where a fallback point may come from
_SKIPPED = frozenset({"img", "script", "style", "template"})
_BR = "\ue000"  # a <br> while whitespace is being collapsed; a line break afterwards
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_WIDE = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’…—]"


@dataclass(frozen=True)
class Hotline:
    number: str
    name: str


@dataclass(frozen=True)
class DeckImage:
    data: bytes  # re-encoded from pixels: no EXIF, GPS, XMP or ICC profile
    format: str  # "jpeg" or "png"
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class DeckSection:
    title: str
    anchor: str
    points: tuple[str, ...]
    text: str  # the section's whole text, one paragraph a line: the speaker notes
    images: tuple[DeckImage, ...] = ()


@dataclass(frozen=True)
class Deck:
    title: str
    topic: str  # the law's short name, or the topic's title
    audience: str  # 学校, 乡村, …
    publisher: str  # the bureau
    date: dt.date  # the 讲稿's own date (updated, else published), never the build's: decks are reproducible
    summary: str
    intro: str  # what the 讲稿 says before its first section: the title slide's notes
    outline: tuple[str, ...]
    sections: tuple[DeckSection, ...]
    questions: tuple[str, ...]
    hotlines: tuple[Hotline, ...]
    page_url: str  # the 讲稿's absolute address: the QR code's target


def deck_for(lecture: Lecture, article: Article, *, topic_title: str, publisher: str, page_url: str,
             read_image: Callable[[str], bytes | None]) -> Deck:
    """The deck of one 讲稿. `read_image(route)` gives a published image's bytes, or None."""
    root = fragments.parse(article.body)
    fragments.drop_permalinks(root)
    fragments.drop_comments(root)
    hotlines = hotlines_in(root.text_content())
    intro, parts = _split(root)
    sections = tuple(DeckSection(title=_clean(heading.text_content()).replace("\n", " "),
                                 anchor=heading.get("id", ""), points=key_points(body), text=plain_text(body),
                                 images=_images(body, lecture.url, read_image))
                     for heading, body in parts)
    return Deck(title=lecture.title, topic=topic_title, audience=lecture.audience, publisher=publisher,
                date=lecture.updated or lecture.published, summary=lecture.summary, intro=plain_text(intro),
                outline=tuple(lecture.outline), sections=sections, questions=tuple(lecture.questions),
                hotlines=hotlines, page_url=page_url)


def _split(root: Element) -> tuple[Element, list[tuple[Element, Element]]]:
    """The body before the first `##`, and each `##` heading with what follows it up to the next."""
    intro = lxml.html.Element("div")
    intro.text = root.text
    parts = []
    current = intro
    for element in list(root):
        if element.tag == "h2":
            current = lxml.html.Element("div")
            current.text, element.tail = element.tail, None
            parts.append((element, current))
        else:
            current.append(element)  # moves it, with its tail
    return intro, parts


# --- text ----------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Whitespace as a reader sees it: runs collapsed, none left between two CJK characters (a line break
    in the Markdown source), <br> as a line break."""
    text = _SPACE.sub(" ", text)
    text = re.sub(rf"(?<={_WIDE}) (?={_WIDE})", "", text)
    return "\n".join(line.strip() for line in text.split(_BR) if line.strip())


def _blocks(container: Element) -> list[tuple[str, str, bool]]:
    """(tag, text, links within the site) of every paragraph-like block in reading order; a table row is one
    block, its cells set apart."""
    out: list[tuple[str, str, bool]] = []

    def flush(kind: str, parts: list[str], linked: bool) -> None:
        text = _clean("".join(parts))
        if text:
            out.append((kind, text, linked))

    def walk(element, kind: str) -> None:
        parts, linked = [element.text or ""], False
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "tr":
                flush(kind, parts, linked)
                parts, linked = [], False
                cells = [_clean(_inline(cell)) for cell in child if isinstance(cell.tag, str)]
                flush("tr", ["\u3000".join(c.replace("\n", " ") for c in cells if c)], False)
            elif tag in _BLOCKS:
                flush(kind, parts, linked)
                parts, linked = [], False
                walk(child, tag)
            elif tag == "br":
                parts.append(_BR)
            elif tag and tag not in _SKIPPED:
                parts.append(_inline(child))
                linked = linked or _links_within_site(child)
            parts.append(child.tail or "")
        flush(kind, parts, linked)

    walk(container, "p")
    return out


def _links_within_site(element) -> bool:
    """Whether an inline element is or holds a link to another page of the site (返回专题): navigation for
    the web page, not something to put on a slide."""
    links = [element] if element.tag == "a" else element.iter("a")
    return any(not re.match(r"^[a-z][a-z0-9+.-]*:|^//", a.get("href") or "", re.I) for a in links if a.get("href"))


def _inline(element) -> str:
    """An inline element's text, its <br>s kept as line breaks and its pictures left out."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            parts.append(_BR)
        elif tag and tag not in _SKIPPED:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def plain_text(container: Element) -> str:
    """All the text, one paragraph (or list item, or table row) a line."""
    return "\n".join(text for _, text, _ in _blocks(container))


# --- key points ----------------------------------------------------------------------------------


def key_points(container: Element) -> tuple[str, ...]:
    """The bold runs, or the first sentence of each paragraph and list item when there are none; short."""
    runs = container.xpath(".//strong[not(ancestor::strong) and not(ancestor::b)]"
                           " | .//b[not(ancestor::strong) and not(ancestor::b)]")
    bold = [_clean(_inline(run)).replace("\n", " ") for run in runs]
    found = [text for text in bold if text and not is_label(text)]
    if not found:
        found = [first_sentence(text.replace("\n", " ")) for kind, text, linked in _blocks(container)
                 if kind in _POINT_BLOCKS and not linked]
    points: list[str] = []
    for text in found:
        point = shorten(text)
        if point.strip(TRAILING + OPENING + CLOSING) and point not in points:
            points.append(point)
    return tuple(points)


def is_label(text: str) -> bool:
    """A bold run that only introduces what follows (示例（编写的，不是真实的事）：, 情景一：)."""
    return text.rstrip().endswith(("：", ":"))


def first_sentence(text: str) -> str:
    """Up to the first full stop outside quotation marks and brackets."""
    depth = 0
    for i, ch in enumerate(text):
        depth = _depth(depth, ch)
        if depth == 0 and ch in SENTENCE_END:
            return text[:i]
    return text


def shorten(text: str, limit: float = POINT_EM) -> str:
    """`text` without trailing punctuation, cut at its last clause boundary within `limit` em when longer.
    With no boundary far enough in, it is cut before `limit` and ended with …, never inside an ASCII word
    and, where that leaves enough, not inside a quotation or a title in 《》 either."""
    text = text.strip().lstrip("，。、；：,.;:").rstrip(TRAILING)
    if fit.text_em(text) <= limit:
        return text
    depth, used, boundary, hard, opened = 0, 0.0, 0, 0, 0
    room = min(limit, HARD_CUT_EM) - fit.text_em(fit.ELLIPSIS)
    for i, ch in enumerate(text):
        before = used
        used += fit.char_em(ch)
        if used > limit:
            break
        if depth == 0 and ch in CLAUSE and before >= MIN_CLAUSE_EM and (ch > "\x7f" or text[i + 1:i + 2] == " "):
            boundary = i  # (an ASCII comma or colon only with a space after it: not https: or 1,000)
        if used <= room:
            hard = i + 1
            if depth == 0 and ch in OPENING:
                opened = i  # where the quotation the hard cut may fall into begins
        depth = _depth(depth, ch)
    if boundary:
        return text[:boundary].rstrip(TRAILING)
    if _depth_at(text, hard) and fit.text_em(text[:opened]) >= MIN_CLAUSE_EM:
        hard = opened
    return fit.cut_at(text, hard).rstrip(TRAILING) + fit.ELLIPSIS


def _depth_at(text: str, n: int) -> int:
    depth = 0
    for ch in text[:n]:
        depth = _depth(depth, ch)
    return depth


def _depth(depth: int, ch: str) -> int:
    if ch in OPENING:
        return depth + 1
    if ch in CLOSING:
        return max(0, depth - 1)
    return depth


# --- hotlines and pictures -----------------------------------------------------------------------


def hotlines_in(text: str) -> tuple[Hotline, ...]:
    """The known hotlines `text` names, in the list's order. Digits must not touch the number on either side
    (CJK characters do, so \\b would not work), and 第110条 is an article, not a phone number."""
    return tuple(Hotline(term.id, term.name) for term in vocabulary.terms("hotlines")
                 if re.search(rf"(?<![\d第]){re.escape(term.id)}(?![\d条款项])", text))


def _images(container: Element, page: str, read_image: Callable[[str], bytes | None]) -> tuple[DeckImage, ...]:
    """The section's pictures, read from the built site by their route (resolved against the page's)."""
    out = []
    for img in container.xpath(".//img"):
        route = urls.own_route(page, img.get("src") or "")  # only the site's own images; anything else stays out
        data = read_image(route) if route else None
        image = clean_image(data, _clean(img.get("alt") or "").replace("\n", " ")) if data else None
        if image is not None:
            out.append(image)
    return tuple(out)


def clean_image(data: bytes, alt: str) -> DeckImage | None:
    """A picture rebuilt from its pixels (upright, sRGB, no metadata), at most IMAGE_EDGE px; None when the
    bytes are not an image pufa accepts."""
    try:
        with media.open_header(data) as source:
            if source.format not in media.ACCEPTED:
                return None
            photo = source.format in ("JPEG", "MPO") or (source.format == "WEBP" and not media.has_alpha(source))
            image = media.clean_pixels(source)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None
    scale = min(1.0, IMAGE_EDGE / max(image.size))
    if scale < 1:
        image = media.resized(image, max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    image = media.flatten(image)  # slides are white; a flat picture looks the same in every viewer
    fmt = "jpeg" if photo else "png"
    return DeckImage(media.encode(image, fmt), fmt, image.width, image.height, alt)
