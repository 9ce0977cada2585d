"""Material for lecturers (法律六进): the machine-readable index, printable pages and download packs.

Everything works on records plus the HTML that MkDocs rendered for each page, captured by the
plugin; nothing here reads Markdown or YAML itself. Outputs are deterministic (sorted keys, fixed
zip timestamps) so two builds of the same content are byte-identical.
"""

from __future__ import annotations

import base64
import io
import json
import mimetypes
import zipfile
from dataclasses import dataclass
from html import escape
from pathlib import Path

import lxml.html

from .content import AUDIENCES, Content, LawTopic, Lecture
from .pictures import site_path

ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # zip entries need a timestamp; a fixed one keeps packs reproducible
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Section:
    title: str
    anchor: str
    level: int


@dataclass(frozen=True)
class Rendered:
    """What MkDocs produced for one page: its HTML body and its table of contents."""

    html: str
    sections: tuple[Section, ...]


def materials_index(content: Content, rendered: dict[str, Rendered], site_url: str) -> dict:
    """Every topic, 讲稿 and section with title, audience, summary, URL and anchor (site/api/materials.json)."""
    base = site_url.rstrip("/") + "/"
    topics = []
    for topic in sorted(content.laws, key=lambda t: t.slug):
        lectures = sorted(content.lectures_for(topic.slug), key=lambda r: list(AUDIENCES).index(r.audience))
        topics.append({
            "slug": topic.slug,
            "title": topic.title,
            "summary": topic.summary,
            "law": topic.law.name,
            "audiences": list(topic.audiences),
            "topics": list(topic.topics),
            "url": base + topic.url,
            "published": topic.published.isoformat(),
            "updated": (topic.updated or topic.published).isoformat(),
            "download": base + pack_path(topic),
            "sections": _sections(rendered.get(topic.path), base + topic.url),
            "lectures": [{
                "title": lecture.title,
                "audience": lecture.audience,
                "audience_id": AUDIENCES[lecture.audience],
                "summary": lecture.summary,
                "minutes": lecture.minutes,
                "outline": list(lecture.outline),
                "questions": list(lecture.questions),
                "url": base + lecture.url,
                "sections": _sections(rendered.get(lecture.path), base + lecture.url),
            } for lecture in lectures],
        })
    return {"version": SCHEMA_VERSION, "site": base, "audiences": list(AUDIENCES), "topics": topics}


def _preface(record) -> str:
    """What the page template shows above the body: the summary, and for a 讲稿 its outline and questions."""
    html = f'<p class="pufa-meta">{escape(record.summary)}</p>'
    if isinstance(record, LawTopic):
        law = record.law
        html += (f"<p>《{escape(law.name)}》，{law.adopted.year}年{law.adopted.month}月{law.adopted.day}日通过，"
                 f"{law.effective.year}年{law.effective.month}月{law.effective.day}日起施行。</p>")
    if isinstance(record, Lecture):
        items = "".join(f"<li>{escape(item)}</li>" for item in record.outline)
        questions = "".join(f"<li>{escape(q)}</li>" for q in record.questions)
        html += (f"<p>宣讲对象：{escape(record.audience)}；时长约 {record.minutes} 分钟。</p>"
                 f"<h2>提纲</h2><ol>{items}</ol><h2>讨论题</h2><ol>{questions}</ol><h2>讲稿</h2>")
    return html


def _sections(page: Rendered | None, url: str) -> list[dict]:
    if page is None:
        return []
    return [{"title": s.title, "anchor": s.anchor, "level": s.level, "url": f"{url}#{s.anchor}"} for s in page.sections]


def materials_json(index: dict) -> bytes:
    return json.dumps(index, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"


def pack_path(topic: LawTopic) -> str:
    return f"downloads/{topic.slug}.zip"


# --- printable, self-contained HTML -------------------------------------------------------------------

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Noto Serif CJK SC", "Songti SC", SimSun, serif; font-size: 12pt; line-height: 1.7; color: #111;
       max-width: 46em; margin: 0 auto; padding: 1em; }
h1 { font-size: 20pt; margin: 0 0 .4em; }
h2 { font-size: 15pt; margin-top: 1.6em; border-bottom: 1px solid #999; break-after: avoid; }
h3 { font-size: 13pt; break-after: avoid; }
article + article, .pufa-lecture { break-before: page; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #666; padding: .3em .5em; text-align: left; vertical-align: top; }
blockquote { margin: 1em 0; padding: .2em 1em; border-left: 4px solid #999; }
img { max-width: 100%; height: auto; }
.pufa-url { font-size: 10pt; color: #333; word-break: break-all; }
.pufa-meta { color: #333; font-size: 10.5pt; }
@media screen { body { background: #fff; } }
"""


def printable_html(title: str, parts: list[tuple[str, str, str]], *, source_note: str, read_file) -> str:
    """One standalone HTML file that opens offline and prints cleanly on A4.

    `parts` are (heading, page URL, rendered HTML); `read_file(site_relative_path)` returns an image's
    bytes so images are embedded as data: URIs. Links become text followed by their URL, since a
    printout cannot be clicked and the file must not reach the network.
    """
    articles = []
    for heading, page_url, body in parts:
        articles.append(f"<article><h1>{escape(heading)}</h1>\n{_self_contained(body, page_url, read_file)}</article>")
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)}</title><style>{PRINT_CSS}</style></head><body>\n"
            + "\n".join(articles)
            + f"\n<footer><p class=\"pufa-meta\">{escape(source_note)}</p></footer>\n</body></html>\n")


def _self_contained(body: str, page_url: str, read_file) -> str:
    tree = lxml.html.fragment_fromstring(body, create_parent="div")
    for anchor in tree.xpath(".//a[contains(concat(' ', @class, ' '), ' headerlink ')]"):
        anchor.drop_tree()
    for img in tree.xpath(".//img[@src]"):
        target = site_path(page_url, img.get("src"))
        data = read_file(target) if target else None
        if data is None:
            img.drop_tree()  # never leave a reference that would reach the network
            continue
        kind = mimetypes.guess_type(target)[0] or "application/octet-stream"
        img.set("src", f"data:{kind};base64,{base64.b64encode(data).decode()}")
        for attr in ("srcset", "loading", "decoding"):
            img.attrib.pop(attr, None)
    for source in tree.xpath(".//picture/source"):
        source.drop_tree()
    for link in tree.xpath(".//a[@href]"):
        href = link.get("href")
        if href.startswith("#"):
            link.drop_tag()
            continue
        if "://" in href or href.startswith(("mailto:", "tel:")):
            _print_url(link, href)
        else:
            link.drop_tag()  # a link into the site means nothing offline; its text stays
    for node in tree.xpath(".//script | .//iframe | .//object | .//embed | .//link | .//style"):
        node.drop_tree()
    for node in tree.iter():
        for attr in list(node.attrib):
            if attr.startswith("on"):
                del node.attrib[attr]
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in tree)


def _print_url(link, url: str) -> None:
    note = lxml.html.fromstring(f'<span class="pufa-url">（{escape(url)}）</span>')
    note.tail = link.tail
    link.tail = None
    link.addnext(note)
    link.drop_tag()


# --- download packs -----------------------------------------------------------------------------------

def topic_pack(topic: LawTopic, lectures: list[Lecture], *, docs_dir: Path, printable: str,
               images: dict[str, bytes]) -> bytes:
    """A zip with the Markdown sources, the images and the printable HTML of a topic and its 讲稿."""
    buffer = io.BytesIO()
    folder = topic.slug
    files: dict[str, bytes] = {f"{folder}/{folder}.html": printable.encode("utf-8")}
    for record in [topic, *lectures]:
        files[f"{folder}/markdown/{record.path}"] = (docs_dir / record.path).read_bytes()
    for path, data in images.items():
        files[f"{folder}/images/{path}"] = data
    files[f"{folder}/说明.txt"] = (
        f"{topic.title}\n\n"
        f"{folder}.html：可离线打开、适合 A4 打印的完整材料（专题和各对象讲稿）。\n"
        "markdown/：网站上的原文（Markdown 格式），可以修改后使用。\n"
        "images/：页面用到的图片。\n\n"
        "法律全文以国家法律法规数据库（https://flk.npc.gov.cn/）公布的文本为准。\n").encode("utf-8")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            pack.writestr(info, files[name])
    return buffer.getvalue()


def outputs(content: Content, rendered: dict[str, Rendered], *, site_url: str, site_dir: Path, docs_dir: Path,
            publisher: str) -> dict[str, bytes]:
    """site/api/materials.json and site/downloads/<slug>.zip for every topic."""
    def read_file(path: str) -> bytes | None:
        file = site_dir / path
        return file.read_bytes() if file.is_file() else None

    out = {"api/materials.json": materials_json(materials_index(content, rendered, site_url))}
    base = site_url.rstrip("/") + "/"
    for topic in content.laws:
        lectures = sorted(content.lectures_for(topic.slug), key=lambda r: list(AUDIENCES).index(r.audience))
        pages = [(topic, topic.title)] + [(r, f"讲稿（{r.audience}）：{r.title}") for r in lectures]
        parts = [(heading, record.url, _preface(record) + rendered[record.path].html)
                 for record, heading in pages if record.path in rendered]
        note = (f"来源：{publisher}“{topic.title}”专题 {base + topic.url}。本材料可自由用于普法宣讲；"
                "法律全文以国家法律法规数据库公布的文本为准。")
        printable = printable_html(topic.title, parts, source_note=note, read_file=read_file)
        images = {}
        for _, page_url, body in parts:
            for src in lxml.html.fragment_fromstring(body, create_parent="div").xpath(".//img/@src"):
                path = site_path(page_url, src)
                if path and (data := read_file(path)) is not None:
                    images[path] = data
        out[pack_path(topic)] = topic_pack(topic, lectures, docs_dir=docs_dir, printable=printable, images=images)
    return out
