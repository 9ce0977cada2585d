"""to_wechat_html: a Material page fragment becomes HTML the 公众号 editor keeps."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from pufa.wechat.article import THEME_CSS, clean_style, to_wechat_html

FIXTURE = Path(__file__).parent / "fixtures" / "wechat" / "article.html"
PAGE = "https://pufa.example.cn/laws/fanzha/"
SITE = "https://pufa.example.cn/"
FLK = "https://flk.npc.gov.cn/detail2.html?ZmY4MDgxODE4MzJmZmY0NjAxODMzMGRjZjQ0ZjAwMDg%3D"
BLACK = re.compile(r"#000\b|#000000\b|\bblack\b|rgb\(\s*0\s*,\s*0\s*,\s*0\s*\)", re.I)


def convert(html: str, **kwargs):
    return to_wechat_html(html, page_url=PAGE, site_url=SITE, **kwargs)


def tree(html: str):
    return lxml.html.fragment_fromstring(html, create_parent="div")


@pytest.fixture(scope="module")
def result():
    return convert(
        FIXTURE.read_text(encoding="utf-8"),
        image_urls={"images/poster.png": "https://pufa.example.cn/wechat/fanzha/poster-1.jpg"},
    )


@pytest.fixture(scope="module")
def root(result):
    return tree(result.html)


def elements(root):
    return [el for el in root.iter() if isinstance(el.tag, str) and el is not root]


def test_nothing_wechat_strips_is_left(result, root):
    for el in elements(root):
        assert "class" not in el.attrib and "id" not in el.attrib, el.tag
        assert not any(name.startswith("data-") for name in el.attrib)
    tags = {el.tag for el in elements(root)}
    assert not tags & {"style", "script", "iframe", "div", "ul", "ol", "li", "hr", "h1", "pre", "svg", "input", "label"}
    assert "<style" not in result.html and "<script" not in result.html and "alert(" not in result.html
    assert "¶" not in result.html and "↩" not in result.html


def test_all_styles_are_inline_literal_and_safe(result, root):
    for el in elements(root):
        if el.tag in ("p", "h2", "section", "blockquote", "figure", "figcaption", "table", "th", "td", "img"):
            assert el.get("style"), f"<{el.tag}> has no inline style"
    assert not re.search(r"(^|[;\"])\s*position\s*:", result.html)
    assert "font-family" not in result.html
    assert "top:" not in result.html.replace("border-top:", "").replace("padding-top:", "").replace("margin-top:", "")
    assert "var(" not in result.html
    assert not BLACK.search(result.html)
    # the author's black became a near-black WeChat keeps
    assert "color:rgb(1,1,1)" in result.html
    assert "color:#3f3f3f" in result.html and "line-height:1.75" in result.html and "font-size:16px" in result.html


def test_leading_h1_dropped_other_headings_kept(root):
    headings = [h.text_content() for h in root.iter("h2")]
    assert headings == ["一、什么是电信网络诈骗？", "三、银行卡能出借吗？"]
    assert "十问十答" not in root.text_content()


def test_external_links_become_numbered_references(result, root):
    assert [(r.number, r.title, r.url) for r in result.references] == [
        (1, "国家法律法规数据库", FLK),
        (2, "普法讲座安排", "https://pufa.example.cn/events/xuanchuanyue/"),
    ]
    sups = [s.text for s in root.iter("sup")]
    assert sups.count("[1]") == 2  # the same URL twice → one reference, cited twice
    assert sups.count("[2]") == 1
    refs = [p.text_content() for p in root.iter("p") if p.text_content().startswith("[")]
    assert refs == [f"[1] 国家法律法规数据库：{FLK}", "[2] 普法讲座安排：https://pufa.example.cn/events/xuanchuanyue/"]
    assert "引用链接" in root.text_content()
    assert root.text_content().count(FLK) == 1  # only in the list


def test_only_wechat_links_stay_links(root):
    links = [(a.get("href"), a.text_content()) for a in root.iter("a")]
    assert links == [("https://mp.weixin.qq.com/s/AbCdEf123", "枣阳司法公众号的解读")]


def test_in_page_anchor_and_bare_url_become_plain_text(result, root):
    text = root.text_content()
    assert "下文第三问讲银行卡" in text
    assert "网址直接写出时：https://www.gov.cn/。" in text
    assert not any("www.gov.cn" in r.url for r in result.references)
    assert "96110" in text and "1" in [s.text for s in root.iter("sup")]  # footnote mark kept as text


def test_soft_line_breaks_in_chinese_are_joined(root):
    assert "数据库[1]。再次提醒" in root.text_content()


def marker_paragraphs(root):
    out = []
    for p in root.iter("p"):
        spans = [s for s in p if s.tag == "span" and "min-width" in (s.get("style") or "")]
        if spans:
            out.append((spans[0].text, p.text_content()[len(spans[0].text):], p.get("style")))
    return out


def test_lists_become_sections_with_literal_markers(root):
    items = marker_paragraphs(root)
    markers = [(m, text) for m, text, _ in items]
    assert markers[:5] == [("1. ", "冒充客服"), ("2. ", "刷单返利"), ("◦ ", "小额返利引诱"),
                           ("◦ ", "大额充值套牢"), ("1. ", "第三层（太深）")]
    assert ("3. ", "虚假投资理财") in markers and ("4. ", "冒充公检法") in markers
    assert ("5. ", "第五项") in markers and ("6. ", "第六项") in markers  # start="5" honoured
    assert ("• ", "不要轻信陌生来电") in markers
    assert ("☑ ", "已安装国家反诈中心 App") in markers and ("☐ ", "已开启来电预警") in markers
    styles = {text: style for _, text, style in items}
    assert "padding-left:1.4em" in styles["冒充客服"] and "text-indent:-1.4em" in styles["冒充客服"]
    assert "padding-left:2.8em" in styles["小额返利引诱"]
    assert "padding-left:2.8em" in styles["第三层（太深）"]  # a third level is drawn as the second
    continuation = next(p for p in root.iter("p") if p.text_content() == "这一段属于第三项的续段。")
    assert "padding-left:1.4em" in continuation.get("style") and "text-indent" not in continuation.get("style")


def test_list_depth_is_reported(result):
    assert result.list_depth == 3


def test_code_block_is_one_paragraph_per_line(root):
    lines = [p for p in root.iter("p") if "pre-wrap" in (p.get("style") or "")]
    texts = [p.text_content() for p in lines]
    assert texts[0] == "def is_safe(url: str) -> bool:"
    assert texts[2] == "\u00a0" * 4 + 'if url.startswith("https://"):'
    assert texts[3].startswith("\u00a0" * 8 + "return")
    assert texts[4] == "\u00a0"  # an empty line keeps its height
    assert len(texts) == 6
    assert all(len(p) == 0 for p in lines)  # no Pygments spans, no line anchors
    box = lines[0].getparent()
    assert box.tag == "section" and "background:rgba(" in box.get("style")  # a tint, never a light slab


def test_tabs_in_code_become_four_spaces():
    html = convert("<pre><code>if x:\n\treturn 1\n</code></pre>").html
    assert "\u00a0" * 4 + "return 1" in tree(html).text_content()


def test_table_is_wrapped_scrollable_with_inline_borders(root):
    table = next(root.iter("table"))
    wrap = table.getparent()
    assert wrap.tag == "section" and "overflow-x:auto" in wrap.get("style")
    cells = list(table.iter("td", "th"))
    assert len(cells) == 9
    for cell in cells:
        style = cell.get("style")
        assert "border:1px solid" in style and "min-width:4em" in style and "break-word" not in style
    assert "text-align:center" in cells[1].get("style") and "text-align:right" in cells[2].get("style")


def test_admonition_and_blockquote_are_boxes(root):
    box = next(s for s in root.iter("section") if s.text_content().strip().startswith("注意"))
    assert "border-left:4px solid #ff9100" in box.get("style") and "background" in box.get("style")
    title = box[0]
    assert title.text_content() == "注意" and "font-weight:bold" in title.get("style")
    quote = next(root.iter("blockquote"))
    assert "border-left" in quote.get("style") and "第三十一条" in quote.text_content()


def test_images_are_absolute_figures_with_captions(result, root):
    figures = list(root.iter("figure"))
    assert len(figures) == 2
    first, second = (f.find("img") for f in figures)
    assert first.get("src") == "https://pufa.example.cn/wechat/fanzha/poster-1.jpg"  # the bundle copy
    assert second.get("src") == "https://pufa.example.cn/laws/fanzha/images/flyer.webp"  # resolved
    assert "width:300px" in second.get("style") and "max-width:100%" in second.get("style")
    assert [f.find("figcaption").text for f in figures] == ["宣传月现场", "反诈海报"]
    assert [(i.src, i.alt) for i in result.images] == [("images/poster.png", "宣传月现场"),
                                                       ("images/flyer.webp", "反诈海报")]
    assert all(fig.getparent().tag != "p" for fig in figures)


def test_embeds_leave_a_note(root):
    assert "此处为视频或嵌入内容" in root.text_content()


def test_guard_paragraphs_around_content(result):
    top = tree(result.html)
    first, last = top[0], top[-1]
    for guard in (first, last):
        assert guard.tag == "p" and "font-size:0" in guard.get("style") and guard.text == "\u00a0"
    assert top[1].tag == "section" and len(top) == 3


def test_same_input_same_output():
    html = FIXTURE.read_text(encoding="utf-8")
    assert convert(html).html == convert(html).html


def test_ordered_list_start_and_mailto():
    html = convert('<ol start="3"><li>甲</li><li>乙</li></ol>'
                   '<p>写信给<a href="mailto:sfj@example.cn">司法局</a>，或 <a href="mailto:a@b.cn">a@b.cn</a></p>')
    root = tree(html.html)
    assert [m for m, _, _ in marker_paragraphs(root)] == ["3. ", "4. "]
    assert [(r.title, r.url) for r in html.references] == [("司法局", "sfj@example.cn")]
    assert next(root.iter("a"), None) is None


def test_link_to_this_page_with_fragment_is_unwrapped():
    result = convert('<p><a href="./#san">本页第三节</a>和<a href="../fanzha/#x">同页</a></p>')
    assert result.references == ()
    assert next(tree(result.html).iter("a"), None) is None


def test_custom_css_replaces_the_theme():
    body = tree(convert("<p>正文</p>", css="p{color:#123456}").html)[1][0]
    assert (body.tag, body.get("style")) == ("p", "color:#123456")
    assert "color:#3f3f3f" in THEME_CSS


def test_clean_style_drops_what_wechat_rejects():
    assert clean_style("position: absolute; top: 3px; color: #000; font-family: x; margin: 0") == \
        "color:rgb(1,1,1);margin:0"
    assert clean_style("background:url(data:image/png;base64,xx);--a:1;color:var(--a)") == \
        "background:url(data:image/png;base64,xx)"
    assert clean_style("border:1px solid black;color:#0000ff") == "border:1px solid rgb(1,1,1);color:#0000ff"


def test_page_url_may_be_relative_to_the_site():
    result = to_wechat_html('<p><a href="../xianfa/">宪法</a><img src="a.png" alt="图"></p>',
                            page_url="laws/fanzha/", site_url=SITE)
    assert result.references[0].url == SITE + "laws/xianfa/"
    assert result.images[0].url == SITE + "laws/fanzha/a.png"


def test_numbers_dates_and_urls_in_cells_stay_whole():
    html = convert("<table><tr><th>热线</th><th>说明</th></tr>"
                   "<tr><td>12338</td><td>2024年3月15日起，0710-6212345，见 https://www.12348.gov.cn/ 或 3.5%</td></tr>"
                   "</table><p>正文里的 12338 不包。</p>").html
    root = tree(html)
    whole = [(s.text, s.get("style")) for s in root.iter("span") if "nowrap" in (s.get("style") or "")]
    assert [text for text, _ in whole] == ["12338", "2024年3月15日", "0710-6212345", "https://www.12348.gov.cn/", "3.5%"]
    assert all(style == "white-space:nowrap" for _, style in whole)
    cell = root.xpath("//td")[1]
    assert cell.text_content() == "2024年3月15日起，0710-6212345，见 https://www.12348.gov.cn/ 或 3.5%"
    assert "word-break:break-word" not in html and "overflow-wrap:break-word" in root[1].get("style")


def test_a_link_in_a_cell_keeps_its_reference_mark_outside_the_token():
    root = tree(convert('<table><tr><td><a href="https://www.12333.gov.cn/">12333 热线</a></td></tr></table>').html)
    cell = root.xpath("//td")[0]
    assert cell.text_content() == "12333 热线[1]"
    assert [s.text for s in cell.iter("span") if "nowrap" in (s.get("style") or "")] == ["12333"]


def test_the_source_link_is_kept_as_a_reference():
    result = convert("<p>活动介绍。</p>", source_url="https://www.gov.cn/zhengce/2024.htm")
    assert [(r.number, r.title, r.url) for r in result.references] == [(1, "信息来源", "https://www.gov.cn/zhengce/2024.htm")]
    assert "[1] 信息来源：https://www.gov.cn/zhengce/2024.htm" in tree(result.html).text_content()
    linked = convert('<p>来源：<a href="https://www.gov.cn/zhengce/2024.htm">查看来源网页</a></p>',
                     source_url="https://www.gov.cn/zhengce/2024.htm")
    assert [(r.number, r.title) for r in linked.references] == [(1, "来源网页")]  # once, not twice


def test_reference_titles_read_right_where_nothing_can_be_clicked():
    result = convert('<p><a href="https://a.cn/">点击这里</a>、<a href="https://b.cn/">查看公布来源</a>、'
                     '<a href="https://c.cn/">国家法律法规数据库</a></p>')
    assert [r.title for r in result.references] == ["链接", "公布来源", "国家法律法规数据库"]
