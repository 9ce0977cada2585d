"""Lecturers' slide decks: what the slides say (key points, hotlines, fitting), a deck with a picture, and
every deck of the real site as published (content, fonts, QR code, metadata, packs, links)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import time
import zipfile
from pathlib import Path

import lxml.html
import pytest
from PIL import ExifTags, Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Pt

from conftest import ROOT, build_site, example_law, make_site, require_tool
from pufa import html as fragments, urls
from pufa.checks import check_project
from pufa.clock import build_today
from pufa.content import vocabulary
from pufa.lectures import deck as decks, fit, slides
from pufa.lectures.deck import Deck, DeckSection, Hotline
from pufa.project import open_project

ZBARIMG = "/usr/bin/zbarimg"
QR_DESCRIPTION = "本讲稿网页的二维码："


def points(html: str) -> tuple[str, ...]:
    return decks.key_points(fragments.parse(html))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- key points ------------------------------------------------------------------------------------


def test_bold_runs_are_the_points_without_labels_trailing_punctuation_or_repeats():
    html = ("<p><strong>第一种，冒充公安、法院、医保。</strong></p>"
            "<p><strong>示例（编写的，不是真实的事）：</strong>王大爷接到一个电话。</p>"
            "<p>乡亲们记住：<strong>公安不会在电话里办案</strong>。谁让你转钱，那就是骗子。</p>"
            "<ul><li><b>陌生链接不点！</b>一律不点。</li></ul>"
            "<p><strong>公安不会在电话里办案</strong>，再说一遍。</p>")
    assert points(html) == ("第一种，冒充公安、法院、医保", "公安不会在电话里办案", "陌生链接不点")


def test_without_bold_text_each_paragraph_and_item_gives_its_first_sentence():
    html = ("<p>现在家家户户都有手机。孩子在外地打工。</p>"
            "<p>他说：“借卡给我。好吗？”我没有借。</p>"
            "<ul><li>陌生软件不装；别人发来的不扫</li><li>屏幕不共享！</li></ul>"
            '<table><tr><td>110</td><td>报警</td></tr></table>'
            '<p>本法的基本信息，请看专题页：<a href="../">返回专题</a></p>')
    assert points(html) == ("现在家家户户都有手机", "他说：“借卡给我。好吗？”我没有借", "陌生软件不装；别人发来的不扫",
                            "屏幕不共享")


def test_a_long_point_is_cut_at_a_clause_boundary_or_with_an_ellipsis():
    assert decks.shorten("身份证不借给别人，不替别人办卡；银行卡、电话卡不卖、不租、不借；家里不用的卡，到银行、营业厅去注销。") \
        == "身份证不借给别人，不替别人办卡"
    # Boundaries too near the start, or inside a quotation or title, are not used; nor is an ASCII word split.
    assert decks.shorten("2015年7月1日，全国人大常委会通过了《中华人民共和国国家安全法》，当天就施行了") \
        == "2015年7月1日，全国人大常委会通过了…"
    cut = decks.shorten("Please visit https://www.example.com/a/very/long/path/that/goes/on for more information")
    assert cut.endswith("…") and "https:" in cut
    words = decks.shorten("Lecturers should remember that decks are generated from the articles every single day")
    assert words.endswith("…")
    assert words[:-1].split()[-1] in "Lecturers should remember that decks are generated".split()
    for text in ("短句。", "公安、法院、检察院不会在电话里办案，更没有什么“安全账户”"):
        assert decks.shorten(text) == text.rstrip("。")
    assert fit.text_em(decks.shorten("很" * 80)) <= decks.POINT_EM


def test_hotlines_are_found_with_digit_boundaries_beside_chinese_text():
    text = "遇到诈骗打110报警，接到96110的电话要接；12381发来的短信是提醒。民法典第110条讲人格权。" \
           "登录 www.12339.gov.cn 或拨打12348。号码1103、212355都不是热线。"
    assert decks.hotlines_in(text) == (Hotline("110", "报警电话"), Hotline("96110", "反诈预警劝阻专线"),
                                        Hotline("12348", "公共法律服务热线"), Hotline("12339", "国家安全机关举报受理电话"))
    assert decks.hotlines_in("第110条 1100") == ()


def test_the_hotline_list_is_the_national_one():
    assert vocabulary.ids("hotlines") == {
        "报警电话": "110", "反诈预警劝阻专线": "96110", "公共法律服务热线": "12348", "青少年服务台": "12355",
        "违法和不良信息举报电话": "12377", "妇女维权服务热线": "12338", "人社服务热线": "12333",
        "国家安全机关举报受理电话": "12339"}


# --- fitting ---------------------------------------------------------------------------------------


def test_lines_break_like_cjk_text():
    assert fit.wrap("一二三四五", 3) == ["一二三", "四五"]
    # Closing punctuation never starts a line, opening punctuation never ends one, a word stays whole.
    assert [line[0] for line in fit.wrap("一二，三四。五六", 2)] == ["一", "二", "三", "四", "五"]
    assert all(not line.endswith("“") for line in fit.wrap("一二“三四”五六", 3))
    assert fit.wrap("ab cd", 1.5) == ["ab", "cd"]
    assert fit.wrap("a" * 10, 3.2) == ["aaaaa", "aaaaa"]  # a word longer than a line is broken all the same


def test_fitting_keeps_a_margin_and_pages_spread_evenly():
    box = fit.Box(0, 0, 500, 100)
    style = fit.Style(20, 26)
    assert fit.fits(["一"] * 3, style, box) and not fit.fits(["一"] * 4, style, box)
    pages = fit.pages([f"第{i}条" for i in range(11)], fit.Style(10, 12), fit.Box(0, 0, 500, 1000), most=5)
    assert [len(p) for p in pages] == [4, 4, 3]
    clipped = fit.clip("很长的标题" * 20, style, box, lines=2, suffix="（续）")
    assert clipped.endswith("…（续）") and len(fit.wrap(clipped, box.line_em(style))) == 2


def test_every_hotline_fits_on_one_line_of_the_closing_slide():
    for term in vocabulary.terms("hotlines"):
        assert fit.text_em(term.id) * slides.HOTLINE.size * 1.15 < slides.HOTLINE_TAB - 10  # bold digits, then a gap
        for style in (slides.HOTLINE, slides.HOTLINE_SMALL):
            line = slides.hotline_measure(term.name, style)
            assert len(fit.wrap(line, slides.HOTLINE_BOX.line_em(style))) == 1, term.name
    all_of_them = [slides.hotline_measure(t.name, slides.HOTLINE_SMALL) for t in vocabulary.terms("hotlines")]
    assert fit.fits(all_of_them, slides.HOTLINE_SMALL, slides.HOTLINE_BOX)


def contrast(color) -> float:
    """WCAG contrast ratio of an RGBColor on white."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in color)
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_text_colours_contrast_strongly_with_the_white_slide():
    assert contrast(slides.INK) >= 7 and contrast(slides.NAVY) >= 7


# --- one deck, generated directly -------------------------------------------------------------------


def sample_deck(**changes) -> Deck:
    section = DeckSection("先说说什么是电信网络诈骗", "a", ("骗子不和你见面", "法律要求把好关"),
                          "国家专门有一部法律。\n第二段。")
    values = dict(title="陌生电话要钱，先问问家里人", topic="反电信网络诈骗法", audience="乡村", publisher="示例县司法局",
                  date=dt.date(2026, 11, 26), summary="示例讲稿。", intro="乡亲们好！", outline=("一", "二", "三"),
                  sections=(section,), questions=("问题一？", "问题二？", "问题三？"),
                  hotlines=(Hotline("110", "报警电话"),), page_url="https://pufa.example.gov.cn/laws/x/village/")
    return Deck(**{**values, **changes})


def test_two_runs_at_different_times_give_the_same_bytes(monkeypatch):
    first = slides.deck_pptx(sample_deck())
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)  # what zip entries would take as their time
    monkeypatch.setattr(time, "localtime", lambda *a: time.struct_time((2033, 5, 18, 3, 33, 20, 2, 138, 0)))
    assert slides.deck_pptx(sample_deck()) == first


def test_the_package_names_the_bureau_and_the_lectures_date_and_nothing_else():
    data = slides.deck_pptx(sample_deck())
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        assert names[0] == "[Content_Types].xml"
        assert {info.date_time for info in package.infolist()} == {(2020, 1, 1, 0, 0, 0)}
        assert not [n for n in names if "thumbnail" in n or "printerSettings" in n]
        everything = b"".join(package.read(n) for n in names)
    for trace in (b"python-pptx", b"Steve", b"Canny", b"Macintosh", b"scanny"):
        assert trace not in everything, trace
    core = Presentation(io.BytesIO(data)).core_properties
    assert (core.title, core.author, core.last_modified_by) == ("陌生电话要钱，先问问家里人", "示例县司法局", "示例县司法局")
    assert core.created == core.modified == dt.datetime(2026, 11, 26)
    theme = zipfile.ZipFile(io.BytesIO(data)).read("ppt/theme/theme1.xml").decode()
    assert theme.count('<a:ea typeface="微软雅黑"') == 2  # major and minor fonts


def test_a_long_section_continues_and_its_notes_say_so():
    many = tuple(f"第{i}个要点，说得比较长一些，需要两行才放得下的一句话" for i in range(9))
    deck = sample_deck(sections=(DeckSection("很多要点的一节", "a", many, "全文。"),))
    shown = Presentation(io.BytesIO(slides.deck_pptx(deck)))
    titled = [(slide_title(s), s) for s in shown.slides if s.shapes.title is not None]
    section = [(t, s) for t, s in titled if t.startswith("很多要点的一节")]
    assert len(section) >= 2 and section[1][0] == "很多要点的一节（续）"
    assert section[0][1].notes_slide.notes_text_frame.text == "全文。"
    assert section[1][1].notes_slide.notes_text_frame.text == "（接上页）\n全文。"
    shown_points = [p.text for _, s in section for p in s.placeholders[1].text_frame.paragraphs]
    assert shown_points == [fit.clip(p, slides.POINT, slides.BODY_BOX, lines=3) for p in many]
    assert all(len(s.placeholders[1].text_frame.paragraphs) <= slides.MAX_POINTS for _, s in section)


# --- a 讲稿 with a picture, through a real build ------------------------------------------------------


LECTURE = """---
title: 示例讲稿：一张宣传栏照片
topic: demo
audience: 学校
summary: 用于测试幻灯片图片的示例讲稿，不是真实内容。
minutes: 15
outline:
  - 宣传栏
  - 照片
  - 结语
questions:
  - 宣传栏上写了什么？
  - 照片是在哪里拍的？
  - 还有什么问题？
published: 2026-11-20
updated: 2026-11-25
---

同学们好。

## 宣传栏

学校门口有一个宣传栏。**有事找老师。**

![学校门口的法治宣传栏](../images/board.jpg)

## 结语

有事拨打12355。
"""


def gps_jpeg(path: Path) -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (32.0, 7.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (112.0, 45.0, 0.0)
    Image.new("RGB", (1200, 800), (30, 90, 160)).save(path, "JPEG", exif=exif, quality=90)
    with Image.open(path) as check:
        assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the source really has GPS


@pytest.mark.build
def test_a_picture_in_a_lecture_comes_along_without_metadata_and_with_its_alt_text(tmp_path):
    root = make_site(tmp_path / "site-src")
    (root / "docs" / "laws" / "images").mkdir(parents=True)
    gps_jpeg(root / "docs" / "laws" / "images" / "board.jpg")
    (root / "docs" / "laws" / "demo.md").write_text(example_law("demo", "## 要点\n\n示例法的要点。\n"), "utf-8")
    (root / "docs" / "laws" / "demo").mkdir()
    (root / "docs" / "laws" / "demo" / "school.md").write_text(LECTURE, "utf-8")
    result = build_site(tmp_path / "out", config=root / "mkdocs.yml")
    assert result.returncode == 0, result.stderr[-3000:]
    data = (tmp_path / "out" / urls.slides("demo", "学校")).read_bytes()
    deck = Presentation(io.BytesIO(data))
    pictures = [(slide, shape) for slide in deck.slides for shape in slide.shapes
                if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    photo = [(s, p) for s, p in pictures if not p._element.nvPicPr.cNvPr.get("descr").startswith(QR_DESCRIPTION)]
    assert len(photo) == 1
    slide, picture = photo[0]
    assert picture._element.nvPicPr.cNvPr.get("descr") == "学校门口的法治宣传栏"
    assert slide_title(slide) == "宣传栏（续）"
    assert "学校门口的法治宣传栏" in [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    assert_no_metadata(picture.image.blob)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert b"Phone" not in b"".join(package.read(n) for n in package.namelist() if n.startswith("ppt/media/"))
    cover = [s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame]
    assert "2026年11月25日" in "\n".join(cover) and "示例县司法局" in "\n".join(cover)  # updated date, the bureau
    assert [h.number for h in decks.hotlines_in("有事拨打12355。")] == ["12355"]
    assert "12355\t青少年服务台" in [s.text_frame.text for s in deck.slides[-1].shapes if s.has_text_frame]


def assert_no_metadata(blob: bytes) -> None:
    with Image.open(io.BytesIO(blob)) as image:
        assert not image.getexif(), "EXIF"
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "photoshop"} & set(image.info), image.info.keys()
    assert b"Exif\x00" not in blob and b"http://ns.adobe.com/xap" not in blob


# --- every deck of the real site -------------------------------------------------------------------


@pytest.fixture(scope="module")
def materials(site):
    return json.loads((site / "api" / "materials.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def lectures(materials):
    """(topic, lecture) of every 讲稿, from materials.json."""
    return [(topic, lecture) for topic in materials["topics"] for lecture in topic["lectures"]]


def route_of(topic: dict, lecture: dict) -> str:
    return urls.slides(topic["slug"], lecture["audience"])


def section_texts(site: Path, lecture: dict, base: str) -> dict[str, str]:
    """anchor → the text the page shows between that `##` and the next, read from the built page."""
    page = lxml.html.fromstring((site / lecture["url"][len(base):] / "index.html").read_bytes())
    out = {}
    for section in lecture["sections"]:
        if section["level"] != 2:
            continue
        heading = page.get_element_by_id(section["anchor"])
        parts = []
        for sibling in heading.itersiblings():
            if sibling.tag == "h2":
                break
            parts.append(sibling.text_content())
        out[section["anchor"]] = squeeze("".join(parts))
    return out


def slide_title(slide) -> str:
    """A slide's title as written, without the line break a long title may have been given."""
    return slide.shapes.title.text_frame.text.replace("\v", "") if slide.shapes.title is not None else ""


@pytest.fixture(scope="module")
def records():
    """The 讲稿 records by their address, for what materials.json does not carry (dates)."""
    result = check_project(open_project(ROOT / "mkdocs.yml"), build_today(), render=False)
    return {r.url: r for r in result.content.published().lectures}


@pytest.mark.build
def test_every_lecture_has_its_deck_with_all_it_says(site, materials, lectures, records):
    base = materials["site"]
    assert len(lectures) >= 36
    for topic, lecture in lectures:
        route = route_of(topic, lecture)
        record = records[lecture["url"][len(base):]]
        assert lecture["slides"] == base + route
        deck = Presentation(site / route)
        assert (deck.slide_width, deck.slide_height) == (12192000, 6858000), route
        shown = list(deck.slides)
        cover = "\n".join(s.text_frame.text.replace("\v", "") for s in shown[0].shapes if s.has_text_frame)
        date = record.updated or record.published
        for expected in (lecture["title"], f"宣讲对象：{lecture['audience']}", "枣阳市司法局",
                         f"{date.year}年{date.month}月{date.day}日"):
            assert expected in cover, (route, expected)
        titles = [slide_title(s) for s in shown]
        body = [(t, [p.text for shape in s.placeholders if shape.placeholder_format.idx == 1
                     for p in shape.text_frame.paragraphs]) for t, s in zip(titles, shown)]
        assert [p for t, ps in body if t in ("提纲", "提纲（续）") for p in ps] == lecture["outline"], route
        assert [p for t, ps in body if t in ("讨论题", "讨论题（续）") for p in ps] == lecture["questions"], route
        texts = section_texts(site, lecture, base)
        for section in (s for s in lecture["sections"] if s["level"] == 2):
            mine = [s for s in shown if slide_title(s) in (section["title"], section["title"] + "（续）")]
            assert mine, (route, section["title"])
            notes = mine[0].notes_slide.notes_text_frame.text
            assert squeeze(notes) == texts[section["anchor"]], (route, section["title"])
        closing = shown[-1]
        numbers = [p.runs[0].text for s in closing.shapes if s.has_text_frame and "\t" in s.text_frame.text
                   for p in s.text_frame.paragraphs]
        talk = "".join(texts.values()) + squeeze(intro_text(site, lecture, base))
        named = [t.id for t in vocabulary.terms("hotlines") if re.search(rf"(?<![\d第]){t.id}(?![\d条款项])", talk)]
        assert numbers == named, route


def intro_text(site: Path, lecture: dict, base: str) -> str:
    """What the page's talk says before its first `##`."""
    page = lxml.html.fromstring((site / lecture["url"][len(base):] / "index.html").read_bytes())
    first = page.get_element_by_id(lecture["sections"][0]["anchor"])
    return "".join(sibling.text_content() for sibling in first.itersiblings(preceding=True))


@pytest.mark.build
def test_every_run_is_big_dark_and_names_microsoft_yahei(site, lectures):
    for topic, lecture in lectures:
        deck = Presentation(site / route_of(topic, lecture))
        for number, slide in enumerate(deck.slides, 1):
            for shape in slide.shapes:
                if not shape.has_text_frame:
                    continue
                frame = shape.text_frame
                if frame.text:
                    assert frame.auto_size == MSO_AUTO_SIZE.NONE and frame.word_wrap, (route_of(topic, lecture), number)
                for paragraph in frame.paragraphs:
                    for run in paragraph.runs:
                        where = (route_of(topic, lecture), number, run.text)
                        smallest = Pt(18) if run.text == lecture["url"] else Pt(24)
                        assert run.font.size is not None and run.font.size >= smallest, where
                        ea = run._r.rPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}ea")
                        assert ea is not None and ea.get("typeface") == "微软雅黑", where
                        assert (ea.get("panose"), ea.get("pitchFamily"), ea.get("charset")) == \
                            ("020B0503020204020204", "34", "-122"), where
                        assert run.font.name == "Microsoft YaHei", where
                        assert run.font.color.rgb in (slides.INK, slides.NAVY), where  # on white, 7:1 at least


@pytest.mark.build
def test_the_qr_code_leads_to_the_lecture_and_no_picture_carries_metadata(site, lectures, tmp_path):
    require_tool(ZBARIMG, "zbarimg", "zbar-tools")
    for topic, lecture in lectures:
        deck = Presentation(site / route_of(topic, lecture))
        pictures = [shape for slide in deck.slides for shape in slide.shapes
                    if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
        for picture in pictures:
            assert_no_metadata(picture.image.blob)
        codes = [p for p in pictures if p._element.nvPicPr.cNvPr.get("descr") == QR_DESCRIPTION + lecture["url"]]
        assert len(codes) == 1 and codes[0] in list(deck.slides[-1].shapes), route_of(topic, lecture)
        png = tmp_path / "qr.png"
        png.write_bytes(codes[0].image.blob)
        result = subprocess.run([ZBARIMG, "--raw", "-q", str(png)], capture_output=True, text=True, timeout=30)
        assert result.returncode == 0 and result.stdout.strip() == lecture["url"], (route_of(topic, lecture), result)
        assert lecture["url"] in [s.text_frame.text for s in deck.slides[-1].shapes if s.has_text_frame]


@pytest.mark.build
def test_decks_are_reproducible_packed_and_linked(site, site_again, materials, lectures):
    for topic, lecture in lectures:
        route = route_of(topic, lecture)
        assert (site_again / route).read_bytes() == (site / route).read_bytes(), route
    for topic in materials["topics"]:
        with zipfile.ZipFile(site / urls.pack(topic["slug"])) as pack:
            for lecture in topic["lectures"]:
                route = route_of(topic, lecture)
                assert pack.read(f"{topic['slug']}/slides/{Path(route).name}") == (site / route).read_bytes()
            assert "slides/" in pack.read(f"{topic['slug']}/说明.txt").decode("utf-8")
    topic, lecture = lectures[0]
    page = (site / lecture["url"][len(materials["site"]):] / "index.html").read_text("utf-8")
    link = re.search(r'<a href="([^"]+\.pptx)" download>下载幻灯片（PPT，可编辑）</a>', page)
    assert link and urls.resolve(lecture["url"][len(materials["site"]):], link.group(1)) == route_of(topic, lecture)
