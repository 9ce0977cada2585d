"""Untrusted pull requests: nothing hostile reaches any output, and odd input never crashes the build.

A corpus of our own payloads, grouped by the classes of hole an attacker looks for:

1. front matter printed into pages          5. channels built from unsanitized HTML
2. non-content files under docs/            6. files from outside docs/ pulled into a pack
3. the theme's own chrome summoned by class 7. outputs the verifier did not look at
4. Markdown the check reads differently     8. crashes and hangs instead of messages

Every payload is either refused by `pufa check` (in-process, all at once, at its file and line) or builds into
outputs with nothing active in them. A second build runs with the checks switched off, as if one had missed
something: the sanitizer, the escaping templates and the output verification must still keep every output
inert, and a real Chromium, served the result without any Content-Security-Policy, sees no dialog, no
navigation and no request to another host.
"""

from __future__ import annotations

import html.parser
import io
import os
import re
import subprocess
import sys
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import TEST_COUNTY, check, example_law, make_site

pytestmark = pytest.mark.build

SECRET = "pufa-secret-7f3a9c"  # written outside docs/: no output may ever contain it
EVIL = "evil.example"


@dataclass(frozen=True)
class Payload:
    name: str  # docs-relative path of the file it is written to
    content: bytes | str
    refused: tuple[int, str] | None  # (line, code) the check reports; None: accepted, must come out inert
    cls: int


def page(kind: str, slug: str, body: str, **front) -> str:
    """A valid page of `kind` with `front` fields replaced and the given body."""
    fields = {
        "event": dict(title="示例活动", slug=slug, summary="这是一个用于测试的示例活动，不是真实活动。", kind="local",
                      start="2027-03-01", venue="示例地点", organiser="示例县司法局", audiences="[学校]",
                      published="2026-11-26"),
        "place": dict(title="示例阵地", slug=slug, kind="法治文化长廊", address="示例县示例路",
                      source="示例，仅用于测试", published="2026-11-26"),
        "page": dict(title="示例页面"),
    }[kind]
    fields.update(front)
    lines = "\n".join(f"{k}: {v}" for k, v in fields.items())
    return f"---\n{lines}\n---\n\n{body}"


FRONT_LINES = 12  # the body of an event page made by page() starts on line 13



def question_bank(question: str, option: str, explanation: str) -> str:
    """A bank of five valid questions whose first one carries the given texts (line 6 is its `id`)."""
    first = (f"  - id: 1\n    type: 单选\n    question: {question}\n    options:\n      - {option}\n      - 乙\n      - 丙\n"
             f"    answer: A\n    explanation: {explanation}\n")
    rest = "".join(f"  - id: {i}\n    type: 判断\n    question: 示例判断题第{i}题。\n    answer: 对\n    explanation: 示例解析文字。\n"
                   for i in range(2, 6))
    return ("---\ntitle: 示例题库\nsummary: 这是一个用于测试的示例题库，不是真实内容。\npublished: 2026-11-26\nquestions:\n"
            + first + rest + "---\n\n正文。\n")

CORPUS = [
    # 1. Front matter printed into pages: markup refused; quotes that break attributes come out escaped.
    Payload("events/fm-title.md", page("event", "fm-title", "正文。\n", title="'<script>alert(\"pwn-1\")</script>'"),
            (2, "markup-in-text"), 1),
    Payload("parks/fm-address.md", page("place", "fm-address", "正文。\n", address="'x\"><img src=x onerror=alert(1)>'"),
            (5, "markup-in-text"), 1),
    Payload("about-fm.md", page("page", "", "正文。\n", description="'x\"><script>alert(2)</script><meta x=\"'"),
            (3, "markup-in-text"), 1),
    Payload("events/fm-quote.md", page("event", "fm-quote", "正文。\n", title="'示例\" onmouseover=\"alert(3)'"), None, 1),
    Payload("events/fm-refresh.md", page("event", "fm-refresh", "正文。\n",
                                         summary="'示例摘要十个字以上\" http-equiv=\"refresh\" content=\"0;url=https://evil.example/'"),
            None, 1),
    Payload("events/fm-control.md", page("event", "fm-control", "正文。\n", title="\"示例\\u0007标题\""), (2, "control-char"), 1),
    Payload("laws/qa.md", example_law("qa"), None, 1),
    Payload("laws/qa/questions.md", question_bank("'示例\" onmouseover=\"alert(19)'", "'甲\" autofocus onfocus=\"alert(21)'",
                                                  "'示例解析：甲 < 乙 && 丙 > 丁。'"), None, 1),
    Payload("laws/qb.md", example_law("qb"), None, 1),
    Payload("laws/qb/questions.md", question_bank("示例题干？", "'<img src=x onerror=alert(20)>'", "'</script><script>alert(22)//'"),
            (10, "markup-in-text"), 1),
    # 2. Non-content files.
    Payload("x.html", "<script>alert(4)</script>", (1, "file-type"), 2),
    Payload("x.js", "alert(5)", (1, "file-type"), 2),
    Payload("assets/pufa/elder.js", "alert(6)", (1, "shadows-theme"), 2),
    Payload("assets/stylesheets/extra.css", "body{background:url(https://evil.example/x)}", (1, "shadows-theme"), 2),
    Payload("laws/x.svg", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(7)</script></svg>", (1, "image-format"), 2),
    Payload("robots.txt", "User-agent: *", (1, "shadows-theme"), 2),
    Payload("events/x.php", "<?php echo 1;", (1, "file-type"), 2),
    # 3. The theme's chrome summoned by class.
    Payload("events/chrome-div.md", page("event", "chrome-div", '<div class="md-consent__overlay" markdown>点这里领取补贴</div>\n'),
            (FRONT_LINES + 1, "reserved-class"), 3),
    Payload("events/chrome-attr.md", page("event", "chrome-attr", "领取补贴\n{ .md-dialog .md-dialog--active }\n"),
            (FRONT_LINES + 2, "reserved-class"), 3),
    Payload("events/chrome-adm.md", page("event", "chrome-adm", "!!! md-consent__inner\n\n    领取补贴\n"),
            (FRONT_LINES + 1, "reserved-class"), 3),
    Payload("events/chrome-id.md", page("event", "chrome-id", '<p id="pufa-calendar-data">{}</p>\n'),
            (FRONT_LINES + 1, "reserved-id"), 3),
    Payload("events/class-unknown.md", page("event", "class-unknown", "居中\n{ .center }\n"), None, 3),
    # 4. Markdown the check might read differently from the renderer.
    Payload("events/md-fence.md", page("event", "md-fence", "~~~ !!!\n<script>alert(8)</script>\n~~~\n"),
            (FRONT_LINES + 2, "unsafe-html"), 4),
    Payload("events/md-admonition.md", page("event", "md-admonition", "!!! note\n\n    <script>alert(9)</script>\n"),
            (FRONT_LINES + 3, "unsafe-html"), 4),
    Payload("events/md-details.md", page("event", "md-details", "??? note \"展开\"\n\n    <img src=x onerror=alert(10)>\n"),
            (FRONT_LINES + 3, "unsafe-attribute"), 4),
    Payload("events/md-deflist.md", page("event", "md-deflist", "术语\n:   定义\n\n    <script>alert(11)</script>\n"),
            (FRONT_LINES + 4, "unsafe-html"), 4),
    Payload("events/md-cr.md", page("event", "md-cr", "文字\r<script>alert(12)</script>\n"), (FRONT_LINES + 2, "unsafe-html"), 4),
    Payload("events/md-fence-u3000.md", "---\u3000\ntitle: x\n---\n<script>alert(13)</script>\n", (1, "front-matter-fence"), 4),
    Payload("events/md-attr-brace.md", page("event", "md-attr-brace", '段落\n{: title="}" onclick="alert(14)" }\n'),
            (FRONT_LINES + 2, "unsafe-attribute"), 4),
    Payload("events/md-refdef-quote.md", page("event", "md-refdef-quote", "> [点我][r]\n>\n> [r]: javascript:alert(15)\n"),
            (FRONT_LINES + 3, "unsafe-url"), 4),
    Payload("events/md-refdef-list.md", page("event", "md-refdef-list", "- [点我][q]\n\n  [q]: javascript:alert(16)\n"),
            (FRONT_LINES + 3, "unsafe-url"), 4),
    Payload("events/md-twoline.md", page("event", "md-twoline", "[两行\n文字](javascript:alert(17))\n"),
            (FRONT_LINES + 2, "unsafe-url"), 4),
    Payload("events/md-nested.md", page("event", "md-nested", "[外 [内] 外](javascript:alert(18))\n"),
            (FRONT_LINES + 1, "unsafe-url"), 4),
    # 5. Accepted by the check, removed by the sanitizer: must be absent from every channel.
    Payload("events/removed.md", page("event", "removed", "<center data-x=\"1\">居中</center>\n\n<!-- 内部备注 -->\n\n正文。\n"),
            None, 5),
    # 6. Files from outside docs/ (a secret beside the site) pulled into pages, packs or WeChat.
    Payload("events/out-encoded.md", page("event", "out-encoded", '<img src="/%2E%2E/secret.png" alt="x">\n'),
            (FRONT_LINES + 1, "absolute-link"), 6),
    Payload("events/out-dots.md", page("event", "out-dots", '<img src="%2e%2e/%2e%2e/%2e%2e/secret.png" alt="x">\n'),
            (FRONT_LINES + 1, "unsafe-path"), 6),
    Payload("events/out-backslash.md", page("event", "out-backslash", '<img src="..\\..\\..\\secret.png" alt="x">\n'),
            (FRONT_LINES + 1, "unsafe-path"), 6),
    Payload("events/out-file.md", page("event", "out-file", "[密](file:///etc/hostname)\n"), (FRONT_LINES + 1, "unsafe-path"), 6),
    Payload("events/out-md.md", page("event", "out-md", "[配置](../../mkdocs.yml)\n"), (FRONT_LINES + 1, "unsafe-path"), 6),
    # 7. Off-site references in forms browsers normalise.
    Payload("events/off-slash.md", page("event", "off-slash", '<img src="/\\evil.example/p.png" alt="x">\n'),
            (FRONT_LINES + 1, "unsafe-url"), 7),
    Payload("events/off-image.md", page("event", "off-image", "![跟踪](https://evil.example/p.png)\n"),
            (FRONT_LINES + 1, "offsite-resource"), 7),
    Payload("events/off-tab.md", page("event", "off-tab", '<img src="/\t/evil.example/p.png" alt="x">\n'),
            (FRONT_LINES + 1, "absolute-link"), 7),
    # 8. Crashes and hangs.
    Payload("events/crash-comment.md", page("event", "crash-comment", "<!-- 待补充 -->\n正文。\n"), None, 8),
    Payload("events/crash-vtab.md", page("event", "crash-vtab", "第一行\x0b第二行\n"), (FRONT_LINES + 1, "control-char"), 8),
    Payload("events/crash-farfuture.md", page("event", "crash-farfuture", "正文。\n", start="9999-12-31"), (6, "bad-date"), 8),
    Payload("crash-template.md", page("page", "", "正文。\n", template="place.html"), (3, "not-in-list"), 8),
    Payload("parks/crash-photo.md", page("place", "crash-photo", "正文。\n") .replace(
        "published:", "photos:\n  - {src: ../../secret.jpg, alt: 示例照片说明}\npublished:"), (8, "unsafe-path"), 8),
    Payload("events/crash-deep.md", page("event", "crash-deep", "\n".join("  " * i + "- 层" for i in range(300)) + "\n"),
            (FRONT_LINES + 25, "nesting-too-deep"), 8),
    Payload("events/crash-long.md", page("event", "crash-long", "长" * 150_000 + "\n"), (FRONT_LINES + 1, "line-too-long"), 8),
    Payload("events/crash-gbk.md", page("event", "crash-gbk", "正文。\n").encode("gbk"), (2, "encoding"), 8),
]
REFUSED = [p for p in CORPUS if p.refused]
ACCEPTED = [p for p in CORPUS if not p.refused]


def write(root: Path, payloads) -> None:
    (root / "secret.png").write_text(SECRET, "utf-8")
    (root / "secret.jpg").write_text(SECRET, "utf-8")
    for payload in payloads:
        target = root / "docs" / payload.name
        target.parent.mkdir(parents=True, exist_ok=True)
        data = payload.content.encode("utf-8") if isinstance(payload.content, str) else payload.content
        target.write_bytes(data)


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory) -> Path:
    root = make_site(tmp_path_factory.mktemp("hostile") / "site-src")
    write(root, CORPUS)
    return root


@pytest.fixture(scope="module")
def found(corpus_site):
    """Every problem of the whole corpus, from one in-process `pufa check`."""
    return check(corpus_site)


@pytest.mark.parametrize("payload", REFUSED, ids=lambda p: f"class{p.cls}:{p.name}")
def test_the_check_refuses_each_hostile_file_at_its_line(found, payload):
    line, code = payload.refused
    shown = f"docs/{payload.name}"
    at_file = [p for p in found if p.path == shown]
    assert any(p.line == line and p.code == code and p.is_error for p in at_file), (code, line, [p.format() for p in at_file])


@pytest.mark.parametrize("payload", ACCEPTED, ids=lambda p: f"class{p.cls}:{p.name}")
def test_payloads_the_check_accepts_raise_no_error(found, payload):
    assert not [p.format() for p in found if p.path == f"docs/{payload.name}" and p.is_error]


# --- outputs --------------------------------------------------------------------------------------

_EXECUTABLE = {"", "text/javascript", "application/javascript", "module"}


class _Active(html.parser.HTMLParser):
    """Active content and off-site fetches anywhere in a document."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.script: list[str] | None = None
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        for name, value in a.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction", "data", "srcset") and re.match(r"\s*(javascript|vbscript):", value, re.I):
                self.found.append(f"<{tag} {name}={value}>")
            # Feed items carry absolute URLs: the site's own address is the site, not another host.
            own = value.replace(TEST_COUNTY["site_url"], "")
            if name in ("src", "srcset", "data") and re.search(r"(^|[\s,])(https?:)?[\\/]{2}", own.replace("\t", "")):
                self.found.append(f"<{tag} {name}={value}> (off-site)")
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            self.found.append("<meta refresh>")
        if tag in ("iframe", "object", "embed", "form", "base"):
            self.found.append(f"<{tag}>")
        if tag == "script" and a.get("type", "").lower() in _EXECUTABLE:
            if a.get("src"):
                if "://" in a["src"] or a["src"].startswith("//"):
                    self.found.append(f"<script src={a['src']}>")
            else:
                self.script = []

    def handle_data(self, data):
        if self.script is not None:
            self.script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self.script is not None:
            self.scripts.append("".join(self.script))
            self.script = None


def active_content(markup: str) -> list[str]:
    parser = _Active()
    parser.feed(markup)
    return parser.found + [f"script mentions {word}" for s in parser.scripts for word in ("alert(", "pwn-", EVIL) if word in s]


def scan_outputs(site: Path) -> list[str]:
    """Everything wrong in every output file: pages, feeds, packs (and their printable HTML), WeChat, data."""
    problems = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix in (".gz", ".br"):
            continue
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        if SECRET.encode() in data:
            problems.append(f"{rel}: contains the secret from outside docs/")
        if path.suffix == ".html":
            problems += [f"{rel}: {item}" for item in active_content(data.decode("utf-8", "replace"))]
        elif path.suffix == ".xml":
            text = data.decode("utf-8", "replace")
            for content in re.findall(r"<!\[CDATA\[(.*?)\]\]>", text, re.S):
                problems += [f"{rel} (item): {item}" for item in active_content(content)]
        elif path.suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(data)) as pack:
                for name in pack.namelist():
                    entry = pack.read(name)
                    if SECRET.encode() in entry:
                        problems.append(f"{rel}/{name}: contains the secret from outside docs/")
                    if name.endswith(".html"):
                        problems += [f"{rel}/{name}: {item}" for item in active_content(entry.decode("utf-8", "replace"))]
        elif path.suffix in (".css",):
            if EVIL in data.decode("utf-8", "replace"):
                problems.append(f"{rel}: refers to {EVIL}")
    return problems


def pufa(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pufa.cli", *args], cwd=root, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def test_what_the_check_accepts_builds_into_inert_outputs(tmp_path):
    """The accepted payloads, plus a real image in a law page and an event page, through the real `pufa build`."""
    root = make_site(tmp_path / "site-src")
    write(root, ACCEPTED)
    (root / "docs" / "laws" / "images").mkdir(parents=True)
    from PIL import Image
    Image.new("RGB", (640, 400), (30, 90, 160)).save(root / "docs" / "laws" / "images" / "photo.jpg", quality=85)
    Image.new("RGB", (640, 400), (160, 90, 30)).save(root / "docs" / "events" / "event-photo.jpg", quality=85)
    (root / "docs" / "laws" / "demo.md").write_text(example_law("demo", "## 要点\n\n![宣传栏照片](images/photo.jpg)\n"), "utf-8")
    (root / "docs" / "events" / "with-image.md").write_text(
        page("event", "with-image", "![活动现场照片](event-photo.jpg)\n"), "utf-8")
    result = pufa(root, "build")
    assert result.returncode == 0, result.stderr[-3000:]
    site = root / "site"
    assert scan_outputs(site) == []
    head = (site / "events" / "fm-quote" / "index.html").read_text("utf-8")
    assert 'onmouseover="alert(3)' not in head and "&#34; onmouseover=&#34;alert(3)" in head or \
        "&quot; onmouseover=&quot;alert(3)" in head
    assert 'http-equiv="refresh"' not in (site / "events" / "fm-refresh" / "index.html").read_text("utf-8")
    removed = (site / "events" / "removed" / "index.html").read_text("utf-8")
    assert "<center" not in removed and "data-x" not in removed and "内部备注" not in removed
    for channel in ("feed.xml", "events/feed.xml", "wechat/removed/article.html"):
        text = (site / channel).read_text("utf-8")
        assert "<center" not in text and "内部备注" not in text, channel
    assert 'class="center"' not in (site / "events" / "class-unknown" / "index.html").read_text("utf-8")




@pytest.fixture(scope="module")
def bypassed(tmp_path_factory) -> Path:
    """The whole Markdown corpus built in-process with every content check switched off, as if one had
    missed everything: only the sanitizer, the escaping templates and the outputs' own care remain."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from pufa.site import plugin
    root = make_site(tmp_path_factory.mktemp("bypass") / "site-src")
    buildable = [p for p in CORPUS if p.name.endswith(".md") and isinstance(p.content, str)
                 and p.name not in ("events/crash-long.md", "events/crash-deep.md", "events/md-fence-u3000.md")]
    write(root, buildable)
    patch = pytest.MonkeyPatch()
    patch.setattr(plugin, "_stop", lambda errors: None)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"), strict=False)
    try:
        build(config)
    finally:
        patch.undo()
    return root / "site"


def test_with_every_check_switched_off_no_output_carries_active_content(bypassed):
    assert scan_outputs(bypassed) == []
    assert not (bypassed / "x.html").exists() and not (bypassed / "x.js").exists()


def test_with_every_check_switched_off_the_verifier_still_passes_the_sanitized_site(bypassed):
    from pufa.release.verify import verify_site
    problems = [p for p in verify_site(bypassed, site_url="https://pufa.example.gov.cn/")
                if "指向的文件不存在" not in p and "指向网站以外" not in p and "不在网站的路径" not in p]
    assert problems == []


@pytest.mark.browser
def test_hostile_pages_served_without_a_csp_do_nothing_in_chromium(bypassed, browser):
    """No Content-Security-Policy at all (as on GitHub Pages): no dialog, no navigation, no off-site request."""
    import functools
    import http.server

    from conftest import QuietHandler
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(bypassed)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    incidents: list[str] = []
    context = browser.new_context()
    context.route("**/*", lambda route: (route.continue_() if route.request.url.startswith(base)
                                         else (incidents.append(f"request {route.request.url}"), route.abort())))
    try:
        tab = context.new_page()
        tab.on("dialog", lambda dialog: (incidents.append(f"dialog {dialog.message}"), dialog.dismiss()))
        pages = sorted({p.name.rsplit("/", 1)[-1][:-3] for p in CORPUS if p.name.startswith("events/") and p.name.endswith(".md")})
        for slug in pages:
            url = f"{base}events/{slug}/"
            if not (bypassed / "events" / slug / "index.html").exists():
                continue
            tab.goto(url, wait_until="load")
            # What a reader's pointer and focus would set off: every handler the body could have smuggled in.
            tab.evaluate("""() => document.querySelectorAll('article *').forEach(e => {
                for (const type of ['mouseover', 'mouseenter', 'focus', 'click', 'error', 'load'])
                    if (type !== 'click' || !e.closest('a')) e.dispatchEvent(new Event(type, {bubbles: true}));
            })""")
            tab.wait_for_timeout(50)
            if not tab.url.startswith(url):
                incidents.append(f"{url} navigated to {tab.url}")
            overlay = tab.evaluate("() => [...document.querySelectorAll('.md-consent__overlay, .md-dialog')]"
                                   ".filter(e => e.closest('article')).length")
            if overlay:
                incidents.append(f"{url} shows theme chrome from the body")
        wechat = bypassed / "wechat" / "removed" / "index.html"
        tab.goto(f"{base}wechat/removed/", wait_until="load")
    finally:
        context.close()
        server.shutdown()
    assert incidents == []
    assert wechat.exists()


def test_no_hostile_file_ends_in_a_traceback_or_hangs(tmp_path):
    """`pufa check` and `pufa build` over the crash corpus, symbolic-link loops included: messages, no traceback."""
    root = make_site(tmp_path / "site-src")
    write(root, [p for p in CORPUS if p.cls == 8])
    (root / "docs" / "events" / "loop-a").symlink_to(root / "docs")
    (root / "docs" / "events" / "loop-b").symlink_to(root / "docs" / "events")
    (root / "docs" / "parks" / "linked.jpg").symlink_to(root / "secret.jpg")
    checked = pufa(root, "check", timeout=120)
    built = pufa(root, "build", timeout=120)
    for result in (checked, built):
        assert result.returncode == 1
        assert "Traceback" not in result.stdout + result.stderr
    assert "docs/events/loop-a:1: 错误：" in checked.stdout
    assert "docs/parks/linked.jpg:1: 错误：" in checked.stdout
    assert "构建失败，已发布的网站保持不变" in built.stderr
    assert not (root / "site").exists()


# --- 7. the verifier reads every output, and URLs as browsers do ----------------------------------

PAGE = '<html><body><article class="md-content__inner">{}</article></body></html>'
FEED = ('<?xml version="1.0"?><rss xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item>'
        '<content:encoded><![CDATA[{}]]></content:encoded></item></channel></rss>')


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as pack:
        for name, text in entries.items():
            pack.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize("path, data, expected", [
    ("index.html", PAGE.format('<img src="/\\evil.example/p.png" alt="x">'), "其他网站"),
    ("index.html", PAGE.format('<img src="//evil.example/p.png" alt="x">'), "其他网站"),
    ("index.html", PAGE.format('<a href="javascript:alert(1)">x</a>'), "会执行"),
    ("index.html", PAGE.format('<script>alert(1)</script>'), "会执行"),
    ("index.html", PAGE.format('<meta http-equiv="refresh" content="0;url=https://evil.example/">'), "会执行"),
    ("feed.xml", FEED.format('<img src="https://evil.example/p.png">'), "订阅内容会向其他网站请求"),
    ("feed.xml", FEED.format('<p onclick="alert(1)">x</p>'), "订阅内容含有会执行的内容"),
    ("assets/x.css", "body{background:url(https://evil.example/x.png)}", "样式表会向其他网站请求"),
    ("downloads/x.zip", _zip({"x/x.html": "<script>alert(1)</script>"}), "离线材料含有"),
    ("downloads/x.zip", _zip({"../escape.txt": "x"}), "在包的文件夹之外"),
    ("downloads/slides/x.pptx", _zip({"[Content_Types].xml": "<Types/>", "ppt/slides/_rels/slide1.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        'Target="https://evil.example/track.png" TargetMode="External"/></Relationships>')}), "链接到外部"),
    ("downloads/slides/x.pptx", _zip({"[Content_Types].xml": "<Types/>", "ppt/vbaProject.bin": "x"}), "宏"),
    ("downloads/x.zip", _zip({"x/slides/x.pptx": _zip({"[Content_Types].xml": (
        '<Types><Default Extension="xml" ContentType="application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"/>'
        '</Types>')})}), "启用宏"),
])
def test_the_verifier_finds_what_each_output_could_carry(tmp_path, path, data, expected):
    from pufa.release.verify import verify_site
    target = tmp_path / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    problems = verify_site(tmp_path, site_url="https://pufa.example.gov.cn/")
    assert any(expected in p for p in problems), problems


def test_the_verifier_takes_the_sites_own_absolute_urls_as_its_own(tmp_path):
    """WeChat articles and feeds name images by the site's absolute address: that is not another host."""
    from pufa.release.verify import verify_site
    (tmp_path / "wechat" / "x").mkdir(parents=True)
    (tmp_path / "wechat" / "x" / "cover.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "wechat" / "x" / "article.html").write_text(
        '<img src="https://pufa.example.gov.cn/wechat/x/cover.jpg" alt="封面">', "utf-8")
    assert verify_site(tmp_path, site_url="https://pufa.example.gov.cn/") == []
    (tmp_path / "wechat" / "x" / "article.html").write_text(
        '<img src="https://pufa.example.gov.cn/wechat/x/missing.jpg" alt="封面">', "utf-8")
    assert any("不存在" in p for p in verify_site(tmp_path, site_url="https://pufa.example.gov.cn/"))
