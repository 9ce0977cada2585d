"""A Deck as an editable 16:9 PowerPoint file (python-pptx), with a QR code to the 讲稿 (segno).

Lecturers open the file in PowerPoint or WPS on Windows and edit it, so it must look right there without
embedded fonts: every run names 微软雅黑 as its East Asian typeface (python-pptx's font.name only sets the
Latin one) and the theme's fonts do too, so text a lecturer adds gets it as well. Text is never shrunk by
the viewer (autofit off, word wrap on): pufa.lectures.fit measures each box and content is spread over
more slides instead, so nothing overflows in any viewer. Sizes are for the back of a village meeting room:
body text 28 pt, never below 24 pt, except the address under the QR code (20 pt).

python-pptx starts from its own template, which was saved on its author's machine: its core properties
name him and python-pptx, its app.xml a Macintosh, and it carries a 4:3 thumbnail and printer settings.
All of that is replaced or dropped; core properties come from the 讲稿 (its date, the bureau), and the zip
is rewritten with fixed entry times, so two builds give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from xml.sax.saxutils import escape

import segno
from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from ..outputs.packs import zip_bytes
from . import fit
from .deck import Deck, DeckImage, DeckSection
from .fit import Box, Style

WIDTH, HEIGHT = 960, 540  # points: 13.333 in × 7.5 in
INK = RGBColor(0x1A, 0x1A, 0x1A)  # body text on white: 17.4:1
NAVY = RGBColor(0x1F, 0x38, 0x64)  # titles on white: 11.6:1
ACCENT = RGBColor(0xC0, 0x00, 0x00)  # the rule under each title (decoration, no text on it)
EA_FONT = "微软雅黑"
LATIN_FONT = "Microsoft YaHei"
FONT_ATTRS = {"panose": "020B0503020204020204", "pitchFamily": "34", "charset": "-122"}

# Layouts of python-pptx's template, by name: placeholders keep slides navigable and editable.
TITLE_SLIDE, TITLE_AND_CONTENT, TITLE_ONLY = "Title Slide", "Title and Content", "Title Only"

MARGIN = 48
TITLE_BOX = Box(MARGIN, 20, WIDTH - 2 * MARGIN, 100)
RULE = (MARGIN, 130, 96, 5)  # left, top, width, height of the accent rule
BODY_BOX = Box(MARGIN, 148, WIDTH - 2 * MARGIN, 368)
TITLE_ONE_LINE = Style(40, 48)
TITLE_TWO_LINES = Style(36, 43)
POINT = Style(28, 36, before=14, indent=32)
NUMBERED = Style(28, 36, before=10, indent=48)
MAX_POINTS = 5  # per slide: a few short lines, never a wall of text

COVER_BOX = Box(MARGIN, 0, WIDTH - 2 * MARGIN, HEIGHT)  # the width of the title slide's block; heights vary
COVER_TITLE = Style(44, 54)
COVER_INFO = Style(28, 36, before=8)
COVER_GAP = 36  # between the title and the lines below it, the rule in its middle
COVER_RULE_HEIGHT = 6

PICTURE_AREA = (MARGIN, 146, WIDTH - 2 * MARGIN, 290)
CAPTION_BOX = Box(MARGIN, 442, WIDTH - 2 * MARGIN, 76)
CAPTION = Style(24, 31)

HOTLINE_BOX = Box(MARGIN, 146, 540, 296)
HOTLINE = Style(28, 40, before=8)
HOTLINE_SMALL = Style(24, 31)
HOTLINE_TAB = 130  # points from the box's left edge: the names line up after numbers of 3 to 5 digits
QR_SIZE = 260  # points, about 9 cm: big enough to scan from the back rows of a projected slide
QR_LEFT, QR_TOP = WIDTH - MARGIN - QR_SIZE - 20, 140
QR_CAPTION_BOX = Box(0, QR_TOP + QR_SIZE + 4, 320, 44)  # centred under the code
QR_CAPTION = Style(24, 31)
URL_BOX = Box(MARGIN, 456, WIDTH - 2 * MARGIN, 62)
URL = Style(20, 26)


def deck_pptx(deck: Deck) -> bytes:
    """The deck as .pptx bytes: title, outline, each section (and its pictures), questions, closing."""
    prs = Presentation()
    _widescreen(prs)
    layouts = {layout.name: layout for layout in prs.slide_layouts}
    _cover(prs, layouts, deck)
    _numbered(prs, layouts, "提纲", deck.outline)
    for section in deck.sections:
        _section(prs, layouts, section)
    _numbered(prs, layouts, "讨论题", deck.questions)
    _closing(prs, layouts, deck)
    _fonts_in_themes(prs)
    _properties(prs, deck)
    buffer = io.BytesIO()
    prs.save(buffer)
    return _reproducible(buffer.getvalue(), deck, slides=len(prs.slides))


# --- slides ----------------------------------------------------------------------------------------


def _cover(prs, layouts, deck: Deck) -> None:
    """Title, a rule, then topic, audience, bureau and date: one block, centred on the slide."""
    slide = prs.slides.add_slide(layouts[TITLE_SLIDE])
    title = fit.balance(fit.clip(deck.title, COVER_TITLE, COVER_BOX, lines=3), COVER_TITLE, COVER_BOX)
    date = f"{deck.date.year}年{deck.date.month}月{deck.date.day}日"  # as the pages write dates
    lines = [f"专题：{deck.topic}", f"宣讲对象：{deck.audience}", deck.publisher, date]
    lines = [fit.clip(line, COVER_INFO, COVER_BOX, lines=1) for line in lines if line]
    title_height = fit.height([title], COVER_TITLE, COVER_BOX) / fit.HEIGHT_SAFETY
    info_height = fit.height(lines, COVER_INFO, COVER_BOX) / fit.HEIGHT_SAFETY
    top = max(24.0, (HEIGHT - title_height - COVER_GAP - info_height) / 2)
    title_box = Box(COVER_BOX.left, top, COVER_BOX.width, title_height)
    info_box = Box(COVER_BOX.left, top + title_height + COVER_GAP, COVER_BOX.width, info_height)
    _fill(slide.shapes.title, title_box, [title], COVER_TITLE, bold=True, color=NAVY, anchor=MSO_ANCHOR.BOTTOM)
    _rule(slide, (COVER_BOX.left, top + title_height + (COVER_GAP - COVER_RULE_HEIGHT) / 2, 160, COVER_RULE_HEIGHT))
    _fill(slide.placeholders[1], info_box, lines, COVER_INFO)
    _notes(slide, "\n".join(part for part in (deck.summary, deck.intro) if part))


def _numbered(prs, layouts, heading: str, items: tuple[str, ...]) -> None:
    """The outline or the questions, numbered on as they continue over slides."""
    items = [fit.clip(item, NUMBERED, BODY_BOX, lines=6) for item in items]
    number = 1
    for i, page in enumerate(fit.pages(items, NUMBERED, BODY_BOX, most=8)):
        slide = prs.slides.add_slide(layouts[TITLE_AND_CONTENT])
        _title(slide, heading + ("（续）" if i else ""))
        body = _fill(slide.placeholders[1], BODY_BOX, page, NUMBERED)
        for paragraph in body.text_frame.paragraphs:
            _numbering(paragraph, number)
            number += 1


def _section(prs, layouts, section: DeckSection) -> None:
    """Key points over as many slides as they need, then each picture on its own slide. Every slide of the
    section carries its whole text in the notes; a continuation slide says so first (（接上页）)."""
    points = [fit.clip(point, POINT, BODY_BOX, lines=3) for point in section.points]
    pages = fit.pages(points, POINT, BODY_BOX, most=MAX_POINTS) or ([[]] if not section.images else [])
    for i, page in enumerate(pages):
        slide = prs.slides.add_slide(layouts[TITLE_AND_CONTENT] if page else layouts[TITLE_ONLY])
        _title(slide, section.title, continued=i > 0)
        if page:
            body = _fill(slide.placeholders[1], BODY_BOX, page, POINT)
            for paragraph in body.text_frame.paragraphs:
                _bullet(paragraph)
        _notes(slide, ("（接上页）\n" if i else "") + section.text)
    for image in section.images:
        slide = prs.slides.add_slide(layouts[TITLE_ONLY])
        _title(slide, section.title, continued=bool(pages) or image is not section.images[0])
        _picture(slide, image)
        _notes(slide, f"（图片）{image.alt}\n（接上页）\n{section.text}" if image.alt else "（接上页）\n" + section.text)


def _closing(prs, layouts, deck: Deck) -> None:
    """The hotlines the 讲稿 names, and a QR code to the 讲稿 with its address written out."""
    slide = prs.slides.add_slide(layouts[TITLE_ONLY])
    _title(slide, "记住这些电话" if deck.hotlines else "扫码查看讲稿")
    qr_left = QR_LEFT if deck.hotlines else (WIDTH - QR_SIZE) / 2
    if deck.hotlines:
        _hotlines(slide, deck)
    qr = segno.make(deck.page_url, error="m", boost_error=False, micro=False)
    png = io.BytesIO()
    qr.save(png, kind="png", scale=10, border=4)
    picture = slide.shapes.add_picture(io.BytesIO(png.getvalue()), Pt(qr_left), Pt(QR_TOP), Pt(QR_SIZE), Pt(QR_SIZE))
    _describe(picture, f"本讲稿网页的二维码：{deck.page_url}")
    caption_box = Box(qr_left + QR_SIZE / 2 - QR_CAPTION_BOX.width / 2, QR_CAPTION_BOX.top, QR_CAPTION_BOX.width,
                      QR_CAPTION_BOX.height)
    caption = _fill(_textbox(slide, caption_box), caption_box, ["扫码打开本讲稿"], QR_CAPTION)
    caption.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
    url = _fill(_textbox(slide, URL_BOX), URL_BOX, [fit.clip(deck.page_url, URL, URL_BOX, lines=2)], URL)
    url.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
    called = "；".join(f"{h.number}（{h.name}）" for h in deck.hotlines)
    _notes(slide, (f"讲稿提到的电话：{called}\n" if called else "") + f"本讲稿网址：{deck.page_url}")


def _hotlines(slide, deck: Deck) -> None:
    """One line a hotline: the number in bold, then at a tab stop its name, so the names line up."""
    lines = [h.name for h in deck.hotlines]
    style = HOTLINE if fit.fits([hotline_measure(n, HOTLINE) for n in lines], HOTLINE, HOTLINE_BOX) else HOTLINE_SMALL
    box = _textbox(slide, HOTLINE_BOX)
    _write(box, HOTLINE_BOX, [], style)
    for i, hotline in enumerate(deck.hotlines):
        paragraph = box.text_frame.paragraphs[0] if i == 0 else box.text_frame.add_paragraph()
        _paragraph(paragraph, style)
        tabs = etree.SubElement(paragraph._p.get_or_add_pPr(), qn("a:tabLst"))
        etree.SubElement(tabs, qn("a:tab"), pos=str(Pt(HOTLINE_TAB - HOTLINE_BOX.inset_x)), algn="l")
        _run(paragraph, hotline.number, style.size, bold=True, color=NAVY)
        _run(paragraph, "\t" + hotline.name, style.size)  # names come from vocabulary.yaml: short, tested to fit


def hotline_measure(name: str, style: Style) -> str:
    """A hotline's line as fit measures it: full-width spaces as wide as the number and the tab stop."""
    return "\u3000" * math.ceil((HOTLINE_TAB - HOTLINE_BOX.inset_x) / style.size) + name


def _title(slide, text: str, *, continued: bool = False) -> None:
    """A slide's title in its placeholder: one line at 40 pt, else two at 36 pt, cut to fit as a last resort."""
    suffix = "（续）" if continued else ""
    if len(fit.wrap(text + suffix, TITLE_BOX.line_em(TITLE_ONE_LINE))) == 1:
        style, line = TITLE_ONE_LINE, text + suffix
    else:
        style = TITLE_TWO_LINES
        line = fit.balance(fit.clip(text, style, TITLE_BOX, lines=2, suffix=suffix), style, TITLE_BOX)
    _fill(slide.shapes.title, TITLE_BOX, [line], style, bold=True, color=NAVY, anchor=MSO_ANCHOR.BOTTOM)
    _rule(slide, RULE)


def _picture(slide, image: DeckImage) -> None:
    left, top, width, height = PICTURE_AREA
    scale = min(width / image.width, height / image.height)
    w, h = image.width * scale, image.height * scale
    picture = slide.shapes.add_picture(io.BytesIO(image.data), Pt(left + (width - w) / 2), Pt(top + (height - h) / 2),
                                       Pt(w), Pt(h))
    _describe(picture, image.alt)
    if image.alt:
        caption = _fill(_textbox(slide, CAPTION_BOX), CAPTION_BOX, [fit.clip(image.alt, CAPTION, CAPTION_BOX, lines=2)],
                        CAPTION)
        caption.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER


# --- shapes and text -------------------------------------------------------------------------------


def _textbox(slide, box: Box):
    return slide.shapes.add_textbox(*(Emu(v) for v in box.emu()))


def _rule(slide, rect: tuple[float, float, float, float]) -> None:
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *(Pt(v) for v in rect))
    shape.fill.solid()
    shape.fill.fore_color.rgb = ACCENT
    shape.line.fill.background()
    style = shape._element.find(qn("p:style"))
    shape._element.remove(style)  # the theme's shape style brings a shadow some viewers draw anyway
    shape.name = "装饰线"


def _fill(shape, box: Box, lines: list[str], style: Style, *, bold: bool = False, color: RGBColor = INK,
          anchor=MSO_ANCHOR.TOP):
    """Place `shape` on `box` and write `lines` into it, one paragraph each, measured as fit measures them."""
    shape.left, shape.top, shape.width, shape.height = (Emu(v) for v in box.emu())
    _write(shape, box, lines, style, bold=bold, color=color, anchor=anchor)
    return shape


def _write(shape, box: Box, lines: list[str], style: Style, *, bold: bool = False, color: RGBColor = INK,
           anchor=MSO_ANCHOR.TOP) -> None:
    """Text that renders as measured: no autofit, word wrap on, the box's insets, the style's spacing."""
    frame = shape.text_frame
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Pt(box.inset_x)
    frame.margin_top = frame.margin_bottom = Pt(box.inset_y)
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        _paragraph(paragraph, style)
        for j, part in enumerate(line.split("\n")):  # a break made by fit.balance
            if j:
                _line_break(paragraph, style.size)
            _run(paragraph, part, style.size, bold=bold, color=color)


def _paragraph(paragraph, style: Style) -> None:
    """Spacing and indent written out on the paragraph, overriding the master: what fit measured."""
    paragraph.line_spacing = Pt(style.line)
    paragraph.space_before = Pt(style.before)
    paragraph.space_after = Pt(0)
    paragraph.alignment = PP_ALIGN.LEFT
    pPr = paragraph._p.get_or_add_pPr()
    pPr.set("hangingPunct", "0")  # punctuation stays inside the box instead of hanging past its edge
    if style.indent:  # (an explicit marL="0" makes LibreOffice ignore the paragraph's tab stops)
        pPr.set("marL", str(Pt(style.indent)))
        pPr.set("indent", str(-Pt(style.indent)))
    if pPr.find(qn("a:buNone")) is None:
        etree.SubElement(pPr, qn("a:buNone"))


def _bullet(paragraph) -> None:
    pPr = paragraph._p.get_or_add_pPr()
    for old in pPr.findall(qn("a:buNone")):
        pPr.remove(old)
    etree.SubElement(etree.SubElement(pPr, qn("a:buClr")), qn("a:srgbClr"), val=str(ACCENT))
    etree.SubElement(pPr, qn("a:buFont"), typeface="Arial")
    etree.SubElement(pPr, qn("a:buChar"), char="•")


def _numbering(paragraph, number: int) -> None:
    pPr = paragraph._p.get_or_add_pPr()
    for old in pPr.findall(qn("a:buNone")):
        pPr.remove(old)
    etree.SubElement(etree.SubElement(pPr, qn("a:buClr")), qn("a:srgbClr"), val=str(NAVY))
    etree.SubElement(pPr, qn("a:buFont"), typeface=LATIN_FONT, **FONT_ATTRS)
    autonum = etree.SubElement(pPr, qn("a:buAutoNum"), type="arabicPeriod")
    if number > 1:
        autonum.set("startAt", str(number))


def _line_break(paragraph, size: float) -> None:
    br = paragraph._p.add_br()
    properties = br.get_or_add_rPr()
    properties.set("sz", str(round(size * 100)))
    _typefaces(properties)


def _run(paragraph, text: str, size: float | None, *, bold: bool = False, color: RGBColor | None = INK) -> None:
    run = paragraph.add_run()
    run.text = text
    font = run.font
    if size is not None:
        font.size = Pt(size)
    font.bold = bold
    if color is not None:
        font.color.rgb = color
    _typefaces(run._r.get_or_add_rPr())


def _typefaces(rPr) -> None:
    """Latin Microsoft YaHei and East Asian 微软雅黑 on a run, so Windows and WPS need no embedded font."""
    rPr.set("lang", "zh-CN")
    rPr.set("altLang", "en-US")
    for tag in ("a:latin", "a:ea"):
        for old in rPr.findall(qn(tag)):
            rPr.remove(old)
    latin = etree.SubElement(rPr, qn("a:latin"), typeface=LATIN_FONT, **FONT_ATTRS)
    latin.addnext(etree.Element(qn("a:ea"), typeface=EA_FONT, **FONT_ATTRS))


def _describe(picture, text: str) -> None:
    """Alternative text (descr), which screen readers and PowerPoint's accessibility checker read."""
    picture._element.nvPicPr.cNvPr.set("descr", text)


def _notes(slide, text: str) -> None:
    frame = slide.notes_slide.notes_text_frame
    frame.clear()
    for i, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        _run(paragraph, line, None, color=None)


# --- the package -----------------------------------------------------------------------------------

WIDE = 12192000 / 9144000  # the template's masters and layouts are 4:3: stretched across to 16:9


def _widescreen(prs) -> None:
    """16:9, with the master and layouts stretched to match, so slides a lecturer adds are laid out right;
    titles and body text of those slides are big and use the deck's colours too."""
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    prs.part._element.find(qn("p:sldSz")).attrib.pop("type", None)
    master = prs.slide_master
    for element in (master._element, *(layout._element for layout in prs.slide_layouts)):
        for off in element.iter(qn("a:off")):
            off.set("x", str(round(int(off.get("x")) * WIDE)))
        for ext in element.iter(qn("a:ext")):
            if ext.get("cx") is not None:
                ext.set("cx", str(round(int(ext.get("cx")) * WIDE)))
    styles = master._element.find(qn("p:txStyles"))
    for level in styles.find(qn("p:titleStyle")):
        _default_run(level, 4000, NAVY, bold=True)
    for i, level in enumerate(styles.find(qn("p:bodyStyle"))):
        _default_run(level, 2800 if i == 0 else 2400, INK)
    for level in prs.part._element.find(qn("p:defaultTextStyle")):
        _default_run(level, 2400, None)


def _default_run(level, size: int, color: RGBColor | None, *, bold: bool = False) -> None:
    run = level.find(qn("a:defRPr"))
    if run is None:
        return
    run.set("sz", str(size))
    if bold:
        run.set("b", "1")
    fill = run.find(qn("a:solidFill"))
    if color is not None and fill is not None:
        for child in list(fill):
            fill.remove(child)
        etree.SubElement(fill, qn("a:srgbClr"), val=str(color))


def _fonts_in_themes(prs) -> None:
    """The themes' major and minor East Asian fonts (and simplified Chinese script fonts) are 微软雅黑."""
    parts = [prs.slide_master.part.part_related_by(RT.THEME)]
    notes_master = prs.part.notes_master_part
    parts.append(notes_master.part_related_by(RT.THEME))
    for part in parts:
        xml = part._element if hasattr(part, "_element") else etree.fromstring(part.blob)
        for font in xml.iter(qn("a:majorFont"), qn("a:minorFont")):
            font.find(qn("a:ea")).attrib.update({"typeface": EA_FONT, **FONT_ATTRS})
            for script in font.findall(qn("a:font")):
                if script.get("script") == "Hans":
                    script.set("typeface", EA_FONT)
        if not hasattr(part, "_element"):
            part._blob = etree.tostring(xml, xml_declaration=True, encoding="UTF-8", standalone=True)


def _properties(prs, deck: Deck) -> None:
    """Core properties from the 讲稿, never from the machine or the clock; the template's thumbnail (a
    blank 4:3 slide) and its author's printer settings dropped."""
    core = prs.core_properties
    stamp = dt.datetime(deck.date.year, deck.date.month, deck.date.day)
    core.title = deck.title
    core.subject = deck.topic
    core.author = core.last_modified_by = deck.publisher
    core.comments = deck.summary
    core.category = "普法讲稿"
    core.keywords = f"{deck.topic}；{deck.audience}"
    core.language = "zh-CN"
    core.created = core.modified = stamp
    core.revision = 1
    package = prs.part.package
    for rel_id, rel in list(package._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package._rels.pop(rel_id)
    for rel_id, rel in list(prs.part.rels.items()):
        if rel.reltype == RT.PRINTER_SETTINGS:
            prs.part.rels.pop(rel_id)


def _app_xml(deck: Deck, slides: int) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f"<TotalTime>0</TotalTime><Application>pufa</Application><PresentationFormat>宽屏</PresentationFormat>"
            f"<Slides>{slides}</Slides><Notes>{slides}</Notes><HiddenSlides>0</HiddenSlides>"
            f"<Company>{escape(deck.publisher)}</Company><LinksUpToDate>false</LinksUpToDate>"
            "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>").encode("utf-8")


def _reproducible(data: bytes, deck: Deck, *, slides: int) -> bytes:
    """The package again, entries in python-pptx's order ([Content_Types].xml first) with fixed times, and
    app.xml (the template's names a Macintosh) written for this deck."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        entries = [(name, _app_xml(deck, slides) if name == "docProps/app.xml" else package.read(name))
                   for name in package.namelist()]
    return zip_bytes(entries)
