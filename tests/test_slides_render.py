"""Slide decks as a viewer draws them: LibreOffice prints one deck of each topic to PDF, and every line of
text must lie on its page and inside the text box it belongs to. Autofit is off in the decks, so a box
whose text did not fit would show lines below its bottom edge here: this is what the fitting estimate in
pufa.lectures.fit promises, checked with real fonts (WenQuanYi Micro Hei standing in for 微软雅黑).

The real 讲稿 are short enough to fit with room to spare, so a made-up deck at every limit of the schema
(40-character titles, twelve 60-character outline items, five 100-character questions, long points with
ASCII words, all eight hotlines, a long address, a picture with a long caption) is printed with them."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTTextLine
from PIL import Image
from pptx import Presentation
from pptx.util import Emu

from conftest import require_tool
from pufa import urls
from pufa.content import vocabulary
from pufa.lectures import deck as decks
from pufa.lectures.deck import Deck, DeckSection, Hotline
from pufa.lectures.slides import deck_pptx

pytestmark = pytest.mark.build
SOFFICE = "/usr/bin/soffice"
TOLERANCE = 2.0  # points: glyph boxes of a line may reach a little into the box's insets
MARKER = re.compile(r"^(?:\d+\.|•)")  # a list number or bullet LibreOffice draws before a line


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def printed(site, tmp_path_factory) -> list[tuple[Path, Path]]:
    """(deck, its PDF) for the longest deck of each topic, printed in one LibreOffice run."""
    require_tool(SOFFICE, "LibreOffice", "libreoffice-impress")
    materials = json.loads((site / "api" / "materials.json").read_text("utf-8"))
    chosen = []
    for topic in materials["topics"]:
        routes = [urls.slides(topic["slug"], lecture["audience"]) for lecture in topic["lectures"]]
        chosen.append(max((site / r for r in routes), key=lambda p: (len(Presentation(p).slides), p.name)))
    out = tmp_path_factory.mktemp("printed")
    chosen.append(out / "at-the-limits.pptx")
    chosen[-1].write_bytes(deck_pptx(at_the_limits()))
    profile = out / "lo-profile"  # never the user's own profile; parallel runs do not share one
    result = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                             "--outdir", str(out), *map(str, chosen)], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    return [(deck, out / (deck.stem + ".pdf")) for deck in chosen]


def at_the_limits() -> Deck:
    """A deck as full as a 讲稿 may make it."""
    mixed = "手机上装国家反诈中心App，打开来电预警，WiFi密码不告诉陌生人，验证码就是钥匙谁要都不给，www.12339.gov.cn"
    points = tuple(decks.shorten(mixed[i:] + mixed[:i]) for i in range(0, 60, 5))
    photo = io.BytesIO()
    Image.new("RGB", (900, 1200), (30, 90, 160)).save(photo, "JPEG")
    picture = decks.clean_image(photo.getvalue(), "一张竖着拍的宣传栏照片，" * 8)
    sections = tuple(DeckSection(("第" + str(i) + "节：" + "很长的标题" * 8)[:40], str(i), points[: 4 + 3 * i],
                                 "全文。", (picture,) if i == 1 else ()) for i in range(3))
    return Deck(title="题" * 40, topic="专题" * 20, audience="学校", publisher="某某省某某市某某县司法局普法办公室",
                date=dt.date(2026, 11, 26), summary="", intro="",
                outline=tuple((mixed * 2)[i:i + 60] for i in range(12)),
                sections=sections, questions=tuple(("讨论题" + mixed * 3)[:99] + "？" for _ in range(5)),
                hotlines=tuple(Hotline(t.id, t.name) for t in vocabulary.terms("hotlines")),
                page_url="https://pufa.example.gov.cn/portal/zhuanti/pufa/laws/legal-publicity-education/community/")


def text_lines(page):
    stack = list(page)
    while stack:
        item = stack.pop()
        if isinstance(item, LTTextLine):
            yield item
        elif hasattr(item, "__iter__") and not isinstance(item, LTChar):
            stack.extend(item)


def boxes(slide) -> list[tuple[tuple[float, float, float, float], str]]:
    """Each text shape's rectangle in PDF points (origin bottom left) and its text without spaces."""
    height = 540.0
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame and shape.text_frame.text.strip():
            left, top = Emu(shape.left).pt, Emu(shape.top).pt
            right, bottom = left + Emu(shape.width).pt, top + Emu(shape.height).pt
            out.append(((left, height - bottom, right, height - top), squeeze(shape.text_frame.text)))
    return out


def test_a_page_per_slide_and_no_text_outside_its_box(printed):
    assert len(printed) == 7
    for deck_path, pdf in printed:
        deck = Presentation(deck_path)
        pages = list(extract_pages(pdf))
        assert len(pages) == len(deck.slides), deck_path.name
        for number, (page, slide) in enumerate(zip(pages, deck.slides), 1):
            x0, y0, x1, y1 = page.bbox
            assert (round(x1), round(y1)) == (960, 540), (deck_path.name, page.bbox)
            shapes = boxes(slide)
            lines = list(text_lines(page))
            assert lines, (deck_path.name, number)
            for line in lines:
                where = (deck_path.name, number, line.get_text().strip())
                left, bottom, right, top = line.bbox
                assert left >= x0 and right <= x1 and bottom >= y0 and top <= y1, where
                text = MARKER.sub("", squeeze(line.get_text()))
                owners = [rect for rect, shown in shapes if text and text in shown]
                assert owners, where
                assert any(left >= r[0] - TOLERANCE and right <= r[2] + TOLERANCE and bottom >= r[1] - TOLERANCE
                           and top <= r[3] + TOLERANCE for r in owners), (where, line.bbox, owners)
