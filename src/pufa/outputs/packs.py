"""Download packs for lecturers (法律六进): one zip per law topic with a printable, self-contained HTML of the
topic and all its 讲稿, the Markdown sources, the images and each 讲稿's slide deck (pufa.lectures).

Everything starts from the same articles as the pages (preface and sanitized body). The printable file
opens offline: images are embedded as data: URIs, links become text with their address, nothing reaches
the network. Every image is read from inside the built site only, after resolving its URL as a browser
would; anything else is dropped. Zip entries have fixed times, so two builds give the same bytes.
"""

from __future__ import annotations

import base64
import io
import mimetypes
import posixpath
import zipfile
from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path

import lxml.html

from .. import html as fragments, urls
from ..content import vocabulary
from ..content.records import Content, LawTopic, QuestionBank, Record
from ..quiz import views as quiz
from .article import Article

ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # zip entries need a timestamp; a fixed one keeps packs reproducible

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Noto Serif CJK SC", "Songti SC", SimSun, serif; font-size: 12pt; line-height: 1.7; color: #111;
       max-width: 46em; margin: 0 auto; padding: 1em; }
h1 { font-size: 20pt; margin: 0 0 .4em; }
h2 { font-size: 15pt; margin-top: 1.6em; border-bottom: 1px solid #999; break-after: avoid; }
h3 { font-size: 13pt; break-after: avoid; }
article + article { break-before: page; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #666; padding: .3em .5em; text-align: left; vertical-align: top; }
blockquote { margin: 1em 0; padding: .2em 1em; border-left: 4px solid #999; }
img { max-width: 100%; height: auto; }
dt { font-weight: bold; }
dd { margin: 0 0 .4em 1.5em; }
.pufa-url { font-size: 10pt; color: #333; word-break: break-all; }
.pufa-meta, .pufa-lead { color: #333; font-size: 10.5pt; }
.pufa-verify { font-weight: bold; }
@media screen { body { background: #fff; } }
"""


def site_reader(site_dir: Path) -> Callable[[str], bytes | None]:
    """A reader of the built site's files by route: None for anything the route could reach beyond it."""
    site_dir = Path(site_dir).resolve()

    def read(route: str) -> bytes | None:
        file = (site_dir / route).resolve()
        if site_dir not in file.parents or not file.is_file():
            return None  # only files of the built site, never anything the path could reach beyond it
        return file.read_bytes()

    return read


def pack_files(content: Content, articles: dict[str, Article], *, site_url: str, site_dir: Path, publisher: str,
               source_bytes: Callable[[Record], bytes], slides: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """downloads/<slug>.zip for every law topic. `source_bytes(record)` gives the Markdown it came from;
    `slides` ({route: bytes}) the 讲稿's decks, packed as they are published."""
    read = site_reader(site_dir)
    slides = slides or {}
    out = {}
    for topic in content.laws:
        lectures = sorted(content.lectures_for(topic.slug), key=lambda r: vocabulary.position("audiences", r.audience))
        chosen = [(topic, topic.title)] + [(r, f"讲稿（{r.audience}）：{r.title}") for r in lectures]
        parts = [(heading, articles[record.path]) for record, heading in chosen if record.path in articles]
        note = (f"来源：{publisher}“{topic.title}”专题 {urls.absolute(site_url, topic.url)}。本材料可自由用于普法宣讲；"
                "法律全文以国家法律法规数据库公布的文本为准。")
        bank = content.bank_for(topic.slug)
        images: dict[str, bytes] = {}
        printable = printable_html(topic.title, parts, source_note=note, read=read, found=images,
                                   appendix=bank_html(bank, topic, urls.absolute(site_url, bank.paper_url)) if bank else "")
        decks = {posixpath.basename(route): slides[route]
                 for route in (urls.slides(r.topic, r.audience) for r in lectures) if route in slides}
        records = [r for r, _ in chosen[1:]] + ([bank] if bank else [])
        out[urls.pack(topic.slug)] = topic_pack(topic, records, printable=printable, images=images,
                                                source_bytes=source_bytes, decks=decks)
    return out


def bank_html(bank: QuestionBank, law: LawTopic, paper_url: str) -> str:
    """The question bank for print: every question with its options, then its answer, explanation and basis."""
    items = []
    for x in (quiz.item(i, q, law) for i, q in enumerate(bank.questions, start=1)):
        options = "<ul>" + "".join(f"<li>{escape(label)}</li>" for _, label in x.choices) + "</ul>" if x.options else ""
        basis = f"（{escape(x.basis)}）" if x.basis else ""
        items.append(f"<li><p>〔{escape(x.type)}〕{escape(x.question)}</p>{options}"
                     f"<p class=\"pufa-meta\">答案：{escape(x.answer_text)}。{escape(x.explanation)}{basis}</p></li>")
    return (f"<article><h1>{escape(bank.title)}</h1>\n<p class=\"pufa-lead\">{escape(quiz.counts_text(bank.questions))}。"
            f"也可以在网站上按试卷编号打印测试卷：{escape(paper_url)}</p><ol>{''.join(items)}</ol></article>")


def printable_html(title: str, parts: list[tuple[str, Article]], *, source_note: str,
                   read: Callable[[str], bytes | None], found: dict[str, bytes] | None = None, appendix: str = "") -> str:
    """One standalone HTML file that opens offline and prints cleanly on A4; `found` collects the images.
    `appendix` is a last article made by pufa itself (the question bank), already escaped."""
    articles = []
    for heading, article in parts:
        lead = f'<p class="pufa-lead">{escape(article.record.summary)}</p>' if article.record.summary else ""
        body = _self_contained(article.html, article.record.url, read, found if found is not None else {})
        articles.append(f"<article><h1>{escape(heading)}</h1>\n{lead}{body}</article>")
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)}</title><style>{PRINT_CSS}</style></head><body>\n"
            + "\n".join(articles) + ("\n" + appendix if appendix else "")
            + f"\n<footer><p class=\"pufa-meta\">{escape(source_note)}</p></footer>\n</body></html>\n")


def _self_contained(body: str, page_url: str, read, found: dict[str, bytes]) -> str:
    tree = fragments.parse(body)
    fragments.drop_permalinks(tree)
    fragments.drop_comments(tree)
    for img in tree.xpath(".//img"):
        route = urls.own_route(page_url, img.get("src") or "")
        data = read(route) if route else None
        if data is None:
            img.drop_tree()  # never leave a reference that would reach the network or the disk
            continue
        found[route] = data
        kind = mimetypes.guess_type(route)[0] or "application/octet-stream"
        img.set("src", f"data:{kind};base64,{base64.b64encode(data).decode()}")
        for attr in ("srcset", "loading", "decoding", "sizes"):
            img.attrib.pop(attr, None)
    for source in tree.xpath(".//picture/source"):
        source.drop_tree()
    for link in tree.xpath(".//a"):
        href = link.get("href") or ""
        if href.startswith(("http://", "https://", "mailto:", "tel:")):
            _print_url(link, href)
        else:
            link.drop_tag()  # an in-page or in-site link means nothing offline; its text stays
    return fragments.serialize(tree)


def _print_url(link, url: str) -> None:
    note = lxml.html.fromstring(f'<span class="pufa-url">（{escape(url)}）</span>')
    note.tail = link.tail
    link.tail = None
    link.addnext(note)
    link.drop_tag()


def topic_pack(topic: LawTopic, lectures: list[Record], *, printable: str, images: dict[str, bytes],
               source_bytes: Callable[[Record], bytes], decks: dict[str, bytes] | None = None) -> bytes:
    """A zip with the printable HTML, the Markdown sources, the images and the slide decks ({file name:
    bytes}) of a topic and its 讲稿."""
    folder = topic.slug
    files: dict[str, bytes] = {f"{folder}/{folder}.html": printable.encode("utf-8")}
    for record in [topic, *lectures]:
        files[f"{folder}/markdown/{record.path}"] = source_bytes(record)
    for route, data in images.items():
        files[f"{folder}/images/{route}"] = data
    for name, data in (decks or {}).items():
        files[f"{folder}/slides/{name}"] = data
    files[f"{folder}/说明.txt"] = (
        f"{topic.title}\n\n"
        f"{folder}.html：可离线打开、适合 A4 打印的完整材料（专题、各对象讲稿和知识测试题）。\n"
        "markdown/：网站上的原文（Markdown 格式），可以修改后使用。\n"
        "images/：页面用到的图片。\n"
        + ("slides/：每篇讲稿的幻灯片（PowerPoint 格式，可以在 PowerPoint 或 WPS 里修改）；每一节的全文在该节幻灯片的备注里。\n"
           if decks else "")
        + "\n"
        "法律全文以国家法律法规数据库（https://flk.npc.gov.cn/）公布的文本为准。\n").encode("utf-8")
    return zip_bytes((name, files[name]) for name in sorted(files))


def zip_bytes(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of the entries in the order given, each with the fixed ZIP_TIME: the same files give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            pack.writestr(info, data)
    return buffer.getvalue()
