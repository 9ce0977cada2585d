"""pufa.safety: raw HTML in Markdown, the build-time allow-list, paths, symlinks and sizes."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from pufa import safety
from pufa.problems import ERROR, WARNING

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"
CJK = re.compile(r"[\u4e00-\u9fff]")


def codes(problems):
    return {(p.line, p.code) for p in problems}


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
    problems = safety.check_markdown_html(text, "docs/laws/evil.md", first_line=first_line)
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
    assert safety.check_markdown_html(text, "docs/a.md") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # A raw HTML block: the backticks are literal, the script is live.
        ("<div>`<script>x</script>`</div>", {(1, "unsafe-html")}),
        ("text\n\n<a\n  href='javascript:alert(1)'>x</a>", {(3, "unsafe-url")}),
        ('[x](photo.jpg){: href="javascript:alert(1)" }', {(1, "unsafe-url")}),
        ("<javascript:alert(1)>", {(1, "unsafe-url")}),
        ('<img srcset="a.png 1x, data:image/png;base64,AA 2x">', {(1, "unsafe-url")}),
        ('<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>', {(1, "html-removed"), (1, "unsafe-url")}),
        ("<svg><foreignObject><p>x</p></foreignObject></svg>", {(1, "html-removed"), (1, "unsafe-html")}),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', {(1, "unsafe-url")}),
        ('<a href="java\nscript:alert(1)">x</a>', {(1, "unsafe-url")}),
        ("<textarea>x</textarea><select><option>1</option></select>", {(1, "unsafe-html")}),
        ("[x]: <data:text/html,hi>", {(1, "unsafe-url")}),
        # One unclosed <script> does not hide what follows it.
        ("<script>\n\n<iframe src=x>", {(1, "unsafe-html"), (3, "unsafe-html")}),
    ],
)
def test_single_constructs(text, expected):
    assert codes(safety.check_markdown_html(text, "docs/a.md")) == expected


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
    assert safety.check_markdown_html(text, "docs/a.md") == []


def test_each_problem_keeps_its_own_line():
    text = "第一行\n<script></script>\n第三行\n<p style=\"x\">y</p>\n[a](javascript:b)"
    assert codes(safety.check_markdown_html(text, "docs/a.md", first_line=10)) == {
        (11, "unsafe-html"), (13, "unsafe-attribute"), (14, "unsafe-url"),
    }


def test_markdown_references_are_checked_against_docs_dir(tmp_path):
    docs = tmp_path / "docs"
    (docs / "laws").mkdir(parents=True)
    text = "![a](../images/a.jpg)\n[b](../../secret.txt)\n<img src=\"/etc/passwd\">\n[c](https://www.gov.cn/)"
    problems = safety.check_markdown_references(
        text, "docs/laws/x.md", source_path="laws/x.md", docs_dir=docs, first_line=5
    )
    assert codes(problems) == {(6, "unsafe-path"), (7, "unsafe-path")}


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
    clean = safety.sanitize_html(page)
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
        if tag not in safety.ALLOWED_TAGS:
            self.bad.append(f"tag {tag}")
        allowed = safety.ALLOWED_ATTRIBUTES["*"] | safety.ALLOWED_ATTRIBUTES.get(tag, frozenset())
        if tag == "input":
            allowed |= {"type", "disabled", "checked"}
        for name, value in attrs:
            value = value or ""
            if name not in allowed:
                self.bad.append(f"{tag}[{name}]")
            if name in ("href", "src") and safety.url_scheme(value) not in (None, "http", "https", "mailto", "tel"):
                self.bad.append(f"{tag}[{name}={value}]")
            if name == "srcset" and any(
                safety.url_scheme(c.split()[0]) not in (None, "http", "https") for c in value.split(",") if c.strip()
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
    clean = safety.sanitize_html(fragment)
    checker = Invariants()
    checker.feed(clean)
    checker.close()
    assert checker.bad == [], clean
    assert "alert" not in clean and "javascript" not in clean.lower()


def test_sanitizer_keeps_text_of_unwrapped_tags_and_drops_script_content():
    assert safety.sanitize_html("<center>居中</center><script>var a=1</script>") == "居中"


def test_tasklist_checkbox_is_kept_but_forced_disabled():
    html = '<ul class="task-list"><li class="task-list-item"><input type="checkbox" checked/> 完成</li></ul>'
    assert tokens(safety.sanitize_html(html)) == tokens(html.replace("checked/>", "checked disabled>"))
    # Any other input loses everything but a forced `disabled`: nothing can be typed into it.
    hostile = '<input type="text" name="id" value="x" autofocus onfocus="alert(1)">'
    assert safety.sanitize_html(hostile) == '<input disabled="disabled">'


def test_rendered_hostile_markdown_is_safe_after_sanitizing():
    """End to end: what Python-Markdown makes of the hostile fixture, through the allow-list."""
    text = (FIXTURES / "hostile.md").read_text(encoding="utf-8")
    rendered = markdown.markdown(
        text, extensions=["attr_list", "md_in_html", "tables", "admonition", "pymdownx.superfences", "pymdownx.details"]
    )
    assert "<script>" in rendered and 'onclick="alert(1)"' in rendered  # the renderer itself lets it through
    clean = safety.sanitize_html(rendered)
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


@pytest.mark.parametrize(
    "target",
    [
        "../../images/a.jpg",
        "../../images/a.jpg#top",
        "../../images/a.jpg?v=2",
        "school.md",
        "../other/",
        "%E5%9B%BE.jpg",
        "#要点",
        "https://www.gov.cn/",
        "mailto:sfj@example.gov.cn",
        "//cdn.example/x.js",
    ],
)
def test_references_inside_docs_pass(docs, target):
    assert safety.check_reference(target, source_path="laws/fanzha/index.md", docs_dir=docs) is None


@pytest.mark.parametrize(
    "target, fragment",
    [
        ("../../../outside/secret.txt", "docs/ 目录之外"),
        ("../../../../../../etc/passwd", "docs/ 目录之外"),
        ("%2e%2e/%2e%2e/%2E%2E/outside/secret.txt", "docs/ 目录之外"),
        ("%252e%252e/%252e%252e/%252e%252e/outside/secret.txt", "docs/ 目录之外"),
        ("..%2f..%2f..%2foutside/secret.txt", "docs/ 目录之外"),
        ("..\\..\\..\\outside\\secret.txt", "反斜杠"),
        ("..%5c..%5csecret.txt", "反斜杠"),
        ("/etc/passwd", "绝对路径"),
        ("%2fetc/passwd", "绝对路径"),
        ("C:/Windows/win.ini", "绝对路径"),
        ("file:///etc/passwd", "本机文件"),
        ("a%00.jpg", "空字符"),
    ],
)
def test_references_leaving_docs_are_refused(docs, target, fragment):
    message = safety.check_reference(target, source_path="laws/fanzha/index.md", docs_dir=docs)
    assert message is not None and fragment in message


def test_reference_through_a_symlink_leaving_docs_is_refused(docs):
    os.symlink(docs.parent / "outside", docs / "laws" / "shared")
    os.symlink(docs / "images", docs / "laws" / "pics")
    message = safety.check_reference("../shared/secret.txt", source_path="laws/fanzha/index.md", docs_dir=docs)
    assert message is not None and "符号链接" in message
    assert safety.check_reference("../pics/a.jpg", source_path="laws/fanzha/index.md", docs_dir=docs) is None


def test_find_symlinks_out(docs):
    os.symlink(docs.parent / "outside" / "secret.txt", docs / "laws" / "secret.md")
    os.symlink(docs.parent / "outside", docs / "outside-dir")
    os.symlink("../images/a.jpg", docs / "laws" / "a.jpg")
    os.symlink("missing.md", docs / "laws" / "broken.md")
    os.symlink(docs, docs / "images" / "loop")
    problems = safety.find_symlinks_out(docs)
    assert [(p.path, p.severity, p.code) for p in problems] == [
        ("docs/images/loop", WARNING, "symlink"),
        ("docs/laws/a.jpg", WARNING, "symlink"),
        ("docs/laws/broken.md", ERROR, "symlink"),
        ("docs/laws/secret.md", ERROR, "symlink-out"),
        ("docs/outside-dir", ERROR, "symlink-out"),
    ]
    assert all(CJK.search(p.message) for p in problems)


def test_no_symlinks_no_problems(docs):
    assert safety.find_symlinks_out(docs) == []


# ---------------------------------------------------------------------------------------------
# Sizes
# ---------------------------------------------------------------------------------------------


def test_file_size_limits():
    assert safety.check_file_size("docs/a.md", safety.MARKDOWN_MAX_BYTES) is None
    big_md = safety.check_file_size("docs/a.md", safety.MARKDOWN_MAX_BYTES + 1)
    assert big_md.code == "file-too-large" and big_md.is_error and "512 KB" in big_md.message and "拆成" in big_md.message
    assert safety.check_file_size("docs/a.JPG", 9 * 1024 * 1024) is None
    big_img = safety.check_file_size("docs/a.JPG", 11 * 1024 * 1024)
    assert "11.0 MB" in big_img.message and "10.0 MB" in big_img.message and "JPEG" in big_img.message
    assert safety.check_file_size("docs/a.md", 2000, limit=1000).code == "file-too-large"
