"""check_limits: Chinese warnings naming each broken 公众号 limit."""

from __future__ import annotations

from pufa.wechat.article import to_wechat_html
from pufa.wechat.limits import blocking_problems, check_limits

OK_META = {"title": "宪法宣传周", "author": "枣阳市司法局", "digest": "一起学宪法。"}
PAGE = "https://pufa.example.cn/laws/xianfa/"


def article(html: str):
    return to_wechat_html(html, page_url=PAGE, site_url="https://pufa.example.cn/")


def test_a_clean_article_has_no_warnings():
    assert check_limits(OK_META, article("<p>宪法是国家的根本法。</p>")) == []


def test_field_lengths_use_the_strict_limits():
    meta = {"title": "宪" * 33, "author": "司" * 17, "digest": "法" * 121}
    warnings = check_limits(meta, article("<p>正文</p>"))
    assert any("标题 33 字" in w and "32" in w for w in warnings)
    assert any("作者 17 字" in w and "16" in w for w in warnings)
    assert any("摘要 121 字" in w and "120" in w for w in warnings)
    exact = {"title": "Constitution Week " * 1 + "x" * 14, "author": "司" * 16, "digest": "法" * 120}
    assert len(exact["title"]) == 32 and check_limits(exact, article("<p>正文</p>")) == []


def test_title_is_measured_in_characters_and_bytes():
    """26 Chinese characters are within the documented 32 but are 78 bytes: warned, not blocked."""
    meta = {"title": "宪" * 26, "author": "司", "digest": "法"}
    warnings = check_limits(meta, article("<p>正文</p>"))
    assert len(warnings) == 1
    assert "26 字" in warnings[0] and "78 字节" in warnings[0] and "64 字节" in warnings[0]
    assert "45003" in warnings[0] and "21 个汉字" in warnings[0]
    assert not blocking_problems(meta, article("<p>正文</p>"))
    assert check_limits({**meta, "title": "宪" * 21}, article("<p>正文</p>")) == []  # 63 bytes


def test_content_is_measured_in_characters_and_bytes():
    """7,000 Chinese characters: far below 20,000 characters, but 21,000 bytes — warned, saying which."""
    meta = {"title": "宪法", "author": "司", "digest": "法"}
    bytes_only = article("<p>" + "法" * 7_000 + "</p>")
    assert len(bytes_only.html) < 20_000 <= len(bytes_only.html.encode("utf-8"))
    warnings = check_limits(meta, bytes_only)
    assert len(warnings) == 1 and "其中字节数达到 20000" in warnings[0] and "按字符还是按字节" in warnings[0]
    assert not blocking_problems(meta, bytes_only)
    both = article("<p>" + "法" * 19_900 + "</p>")
    assert any("其中字符数和字节数达到" in w for w in check_limits(meta, both))


def test_content_length_counts_text_and_html():
    long_text = article("<p>" + "法" * 20_000 + "</p>")
    warnings = check_limits(OK_META, long_text)
    assert any("正文文字" in w and "20000" in w.replace(",", "") for w in warnings)
    assert blocking_problems(OK_META, long_text)
    styled = article("".join(f"<p>第{i}条</p>" for i in range(400)))  # short text, long markup
    warnings = check_limits(OK_META, styled)
    assert any("HTML" in w and "含排版样式" in w and "字符数和字节数" in w for w in warnings)
    assert not blocking_problems(OK_META, styled)  # unverified whether markup counts: warn only


def test_content_bytes_limit():
    huge = "<p>" + "法" * 19_000 + "</p>" + "<p>" + "x" * 960_000 + "</p>"
    warnings = check_limits(OK_META, huge)
    assert any("字节" in w and "1 MB" in w for w in warnings)


def test_deep_lists_and_wide_tables_warn():
    html = ("<ul><li>一<ul><li>二<ul><li>三</li></ul></li></ul></li></ul>"
            "<table><tr><th>甲</th><th>乙</th><th>丙</th><th colspan='2'>丁</th></tr></table>")
    warnings = check_limits(OK_META, article(html))
    assert any("列表嵌套 3 层" in w and "2 层" in w for w in warnings)
    assert any("表格有 5 列" in w and "4 列" in w for w in warnings)
    # a raw HTML string is checked too (lists counted from the markup)
    assert any("列表嵌套 3 层" in w for w in check_limits(OK_META, html))


def test_raw_html_problems_are_named():
    html = ('<p class="x" style="position:absolute;color:#000">字</p><script>1</script>'
            '<a href="https://example.com/">外链</a><img src="a.webp">')
    warnings = "\n".join(check_limits(OK_META, html))
    for expected in ("position", "纯黑色", "class", "script", "非微信链接", "JPG/PNG", "替代文字"):
        assert expected in warnings, expected


def test_empty_title_and_body_block_the_push():
    problems = blocking_problems({"title": ""}, "<p> </p>")
    assert any("缺少标题" in p for p in problems) and any("正文为空" in p for p in problems)
