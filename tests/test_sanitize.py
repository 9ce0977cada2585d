"""Raw HTML in Markdown as the check reports it (on the rendered page, at its source line), and the allow-list
the build's sanitizer enforces (pufa.site.sanitize)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from conftest import check, make_site
from pufa.problems import ERROR, WARNING
from pufa.site.sanitize import allowlist, sanitize_html, url_scheme

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"
CJK = re.compile(r"[\u4e00-\u9fff]")


def codes(problems):
    return {(p.line, p.code) for p in problems}


EVENT = """---
title: 示例活动
slug: demo
summary: 这是一个用于测试的示例活动，不是真实活动。
kind: local
start: 2027-03-01
venue: 示例地点
organiser: 示例县司法局
audiences: [学校]
published: 2026-11-26
---
"""
HTML_CODES = {"unsafe-html", "unsafe-attribute", "unsafe-url", "html-removed", "url-removed", "unsafe-path",
              "offsite-resource", "class-removed", "reserved-class", "reserved-id"}


def check_markdown_html(text: str, path: str = "docs/events/demo.md", first_line: int = 1, root=None):
    """The HTML problems `pufa check` reports for a body, with lines counted from `first_line`."""
    import tempfile
    root = make_site(Path(tempfile.mkdtemp(prefix="pufa-html-")) / "s")
    (root / "docs" / "events" / "demo.md").write_text(EVENT + text, "utf-8")
    body_line = EVENT.count("\n") + 1
    found = [p for p in check(root) if p.path == "docs/events/demo.md" and p.code in HTML_CODES]
    return [type(p)(path, p.line - body_line + first_line, p.message, p.severity, p.code) for p in found]


# ---------------------------------------------------------------------------------------------
# check_markdown_html
# ---------------------------------------------------------------------------------------------


def expected_from_markers(text: str, first_line: int = 1) -> set[tuple[int, str]]:
    """Lines of the fixture say what they expect: `<!-- expect: code code -->`."""
    expected = set()
    for offset, line in enumerate(text.split("\n")):
        match = re.search(r"<!-- expect: ([a-z -]+?) -->", line)
        if match:
            expected |= {(first_line + offset, code) for code in match.group(1).split()}
    return expected


@pytest.mark.parametrize("first_line", [1, 7])
def test_hostile_markdown_fixture_reports_exactly_the_marked_lines(first_line):
    text = (FIXTURES / "hostile.md").read_text(encoding="utf-8")
    problems = check_markdown_html(text, "docs/laws/evil.md", first_line=first_line)
    assert codes(problems) == expected_from_markers(text, first_line)
    for p in problems:
        assert p.path == "docs/laws/evil.md"
        assert CJK.search(p.message), p.message
        assert p.severity == (WARNING if p.code in ("html-removed", "url-removed") else ERROR)


def test_clean_markdown_with_allowed_html_has_no_problems():
    text = (
        "# 标题\n\n"
        "普通段落，带 [链接](https://www.gov.cn/ \"中国政府网\") 和 ![图](../images/a.jpg)。\n\n"
        '<div class="admonition tip" markdown><p>提示</p></div>\n\n'
        '<details><summary>展开</summary><p>内容 <kbd>Ctrl</kbd> <mark>重点</mark></p></details>\n\n'
        '<a href="mailto:sfj@example.gov.cn">写信</a> <a href="tel:96110">96110</a> <a href="#要点">要点</a>\n\n'
        "| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n\n"
        "![海报](poster.jpg){ width=\"320\" loading=lazy }\n"
    )
    assert check_markdown_html(text, "docs/a.md") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # A raw HTML block: the backticks are literal, the script is live.
        ("<div>`<script>x</script>`</div>", {(1, "unsafe-html")}),
        ("text\n\n<a\n  href='javascript:alert(1)'>x</a>", {(3, "unsafe-url")}),  # where the tag starts
        ('[x](photo.jpg){: href="javascript:alert(1)" }', {(1, "unsafe-url")}),
        ("<javascript:alert(1)>", {(1, "unsafe-url")}),
        ('<img srcset="a.png 1x, data:image/png;base64,AA 2x">', {(1, "unsafe-url")}),
        ('<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>', {(1, "html-removed"), (1, "unsafe-url")}),
        ("<svg><foreignObject><p>x</p></foreignObject></svg>", {(1, "html-removed"), (1, "unsafe-html")}),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', {(1, "unsafe-url")}),
        ('<a href="java\nscript:alert(1)">x</a>', {(1, "unsafe-url")}),
        ("<textarea>x</textarea><select><option>1</option></select>", {(1, "unsafe-html")}),
        ("[x]: <data:text/html,hi>\n\n[用上][x]", {(1, "unsafe-url")}),
        # One unclosed <script> does not hide what follows it.
        ("<script>\n\n<iframe src=x>", {(1, "unsafe-html"), (3, "unsafe-html")}),
    ],
)
def test_single_constructs(text, expected):
    assert codes(check_markdown_html(text, "docs/a.md")) == expected


@pytest.mark.parametrize(
    "text",
    [
        "``` python\n<script>x</script>\n```",
        "````\n```\n<script>x</script>\n```\n````",
        "前文\n\n    <script>x</script>\n\n    <iframe></iframe>\n\n后文",
        "``<script>x</script>``",
        "文中 `<a href=\"javascript:x\">` 是反例。",
        "<!-- <script>x</script> -->",
    ],
)
def test_code_and_comments_are_not_reported(text):
    assert check_markdown_html(text, "docs/a.md") == []


def test_each_problem_keeps_its_own_line():
    text = "第一行\n<script></script>\n第三行\n<p style=\"x\">y</p>\n[a](javascript:b)"
    assert codes(check_markdown_html(text, "docs/a.md", first_line=10)) == {
        (11, "unsafe-html"), (13, "unsafe-attribute"), (14, "unsafe-url"),
    }


# ---------------------------------------------------------------------------------------------
# sanitize_html
# ---------------------------------------------------------------------------------------------


class Tokens(HTMLParser):
    """The meaning of an HTML fragment: elements, attributes and text, serialisation aside."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens = []

    def handle_starttag(self, tag, attrs):
        if tag != "tbody":  # HTML parsing inserts <tbody> into a bare <table>
            self.tokens.append(("start", tag, tuple(sorted((k, _norm(k, v or "")) for k, v in attrs))))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag != "tbody":
            self.tokens.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.tokens.append(("text", data.strip()))


def _norm(name, value):
    if name in ("disabled", "checked", "open", "reversed"):  # boolean: disabled="" means disabled="disabled"
        return ""
    return value.replace(" ", "").rstrip(";") if name == "style" else value


def tokens(fragment: str):
    parser = Tokens()
    parser.feed(fragment)
    parser.close()
    # Void elements have no end tag after re-serialisation; compare without them.
    return [t for t in parser.tokens if not (t[0] == "end" and t[1] in ("br", "hr", "img", "input", "source", "col", "wbr"))]


def test_material_page_survives_unchanged_in_meaning():
    page = (FIXTURES / "material_page.html").read_text(encoding="utf-8")
    clean = sanitize_html(page)
    assert tokens(clean) == tokens(page)
    # Spot checks of what the theme and pufa rely on.
    assert 'class="headerlink" href="#what"' in clean
    assert '<div class="admonition warning">' in clean
    assert '<span class="k">def</span>' in clean
    assert 'style="text-align:center"' in clean
    assert '<source type="image/webp" srcset=' in clean
    assert 'loading="lazy" decoding="async"' in clean
    assert '<li id="fn:1">' in clean


HOSTILE = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" &#106;ava&#x09;script:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<picture><source srcset="javascript:alert(1) 1x"><img src="a.png" srcset="a.png 1x, data:x 2x"></picture>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<svg onload="alert(1)"><script>alert(2)</script><a href="javascript:x"><text>t</text></a></svg>',
    '<math><mtext><script>alert(1)</script></mtext></math>',
    '<style>*{display:none}</style><link rel=stylesheet href=x.css><meta http-equiv=refresh content="0;url=x">',
    '<base href="https://evil.example/">',
    '<form action="https://evil.example"><input type="text" name="id"><button formaction="javascript:x">b</button></form>',
    '<p style="position:fixed;top:0;background:url(https://evil.example/track.gif)">cover</p>',
    '<table><tr><td style="text-align:left;background:url(javascript:x)">c</td></tr></table>',
    '<a href="x" target="_blank" rel="opener">x</a>',
    '<div onmouseover="x" data-x="y" tabindex="1">d</div>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<template><script>alert(1)</script></template>',
    '<details open ontoggle="alert(1)"><summary>s</summary></details>',
    '<!--[if IE]><script>alert(1)</script><![endif]-->',
]


class Invariants(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad = []

    def handle_starttag(self, tag, attrs):
        if tag not in allowlist().tags:
            self.bad.append(f"tag {tag}")
        allowed = allowlist().attributes["*"] | allowlist().attributes.get(tag, frozenset())
        if tag == "input":
            allowed |= {"type", "disabled", "checked"}
        for name, value in attrs:
            value = value or ""
            if name not in allowed:
                self.bad.append(f"{tag}[{name}]")
            if name in ("href", "src") and url_scheme(value) not in (None, "http", "https", "mailto", "tel"):
                self.bad.append(f"{tag}[{name}={value}]")
            if name == "srcset" and any(
                url_scheme(c.split()[0]) not in (None, "http", "https") for c in value.split(",") if c.strip()
            ):
                self.bad.append(f"{tag}[srcset={value}]")
            style = value.replace(" ", "")
            if name == "style" and style and not re.fullmatch(r"text-align:(left|right|center);?", style):
                self.bad.append(f"style={value}")
            if tag == "input" and name == "type" and value != "checkbox":
                self.bad.append(f"input type={value}")
        if tag == "input" and ("disabled", "disabled") not in attrs:
            self.bad.append("input not disabled")


@pytest.mark.parametrize("fragment", HOSTILE)
def test_hostile_html_is_neutralised(fragment):
    clean = sanitize_html(fragment)
    checker = Invariants()
    checker.feed(clean)
    checker.close()
    assert checker.bad == [], clean
    assert "alert" not in clean and "javascript" not in clean.lower()


def test_sanitizer_keeps_text_of_unwrapped_tags_and_drops_script_content():
    assert sanitize_html("<center>居中</center><script>var a=1</script>") == "居中"


def test_tasklist_checkbox_is_kept_but_forced_disabled():
    html = '<ul class="task-list"><li class="task-list-item"><input type="checkbox" checked/> 完成</li></ul>'
    assert tokens(sanitize_html(html)) == tokens(html.replace("checked/>", "checked disabled>"))
    # Any other input loses everything but a forced `disabled`: nothing can be typed into it.
    hostile = '<input type="text" name="id" value="x" autofocus onfocus="alert(1)">'
    assert sanitize_html(hostile) == '<input disabled="disabled">'


def test_rendered_hostile_markdown_is_safe_after_sanitizing():
    """End to end: what Python-Markdown makes of the hostile fixture, through the allow-list."""
    text = (FIXTURES / "hostile.md").read_text(encoding="utf-8")
    rendered = markdown.markdown(
        text, extensions=["attr_list", "md_in_html", "tables", "admonition", "pymdownx.superfences", "pymdownx.details"]
    )
    assert "<script>" in rendered and 'onclick="alert(1)"' in rendered  # the renderer itself lets it through
    clean = sanitize_html(rendered)
    checker = Invariants()
    checker.feed(clean)
    checker.close()
    assert checker.bad == []
    assert "javascript:" not in clean.split("<pre")[0]  # only code blocks still show it, as escaped text
    assert "国家法律法规数据库" in clean and 'alt="海报"' in clean


# ---------------------------------------------------------------------------------------------
# check_reference and find_symlinks_out
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def docs(tmp_path):
    docs = tmp_path / "docs"
    (docs / "laws" / "fanzha").mkdir(parents=True)
    (docs / "images").mkdir()
    (docs / "images" / "a.jpg").write_bytes(b"x")
    (docs / "laws" / "fanzha" / "index.md").write_text("# x", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret", encoding="utf-8")
    return docs


def test_a_symbolic_link_anywhere_in_docs_is_refused_before_anything_walks_it(docs):
    from pufa.checks.tree import check_tree
    (docs / "laws" / "loop").symlink_to(docs)
    problems, walkable = check_tree(docs, "docs")
    assert not walkable
    assert [(p.path, p.code) for p in problems] == [("docs/laws/loop", "symlink")]


def test_publishable_files_and_their_size_limits(docs):
    from pufa.checks.tree import check_tree
    (docs / "laws" / "leaflet.pdf").write_bytes(b"%PDF-1.4 " + b"0" * 1000)
    (docs / "laws" / "huge.pdf").write_bytes(b"0" * (21 * 1024 * 1024))
    (docs / "laws" / "page.html").write_text("<p>x</p>", "utf-8")
    problems, _ = check_tree(docs, "docs")
    assert {(p.path, p.code) for p in problems} == {("docs/laws/huge.pdf", "file-too-large"), ("docs/laws/page.html", "file-type")}
