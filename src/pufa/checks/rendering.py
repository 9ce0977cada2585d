"""Render every page as the build will, and report in Chinese what MkDocs and the sanitizer would object to.

`pufa check` renders each page with MkDocs' own `Page.render` (the site's Markdown extensions, MkDocs' own
link rewriting) and runs MkDocs' own anchor and navigation validation, so what it accepts the build accepts:
there is no second Markdown reader to disagree with the first. MkDocs' messages (English, naming the
built page) are caught here, translated, and placed at the Markdown file and line; the rendered HTML is
then scanned for what the sanitizer would remove (pufa.checks.html).
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from mkdocs.structure.files import Files
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from ..content.loader import Loaded, Source
from ..problems import Problem, problem
from . import html as body_html

_LOGGERS = ("mkdocs.structure.pages", "mkdocs.structure.nav", "mkdocs.structure.files")

# MkDocs 1.6's messages, as pages.py, nav.py and files.py word them.
_UNRECOGNIZED = re.compile(r"^Doc file '(?P<src>.+?)' contains an unrecognized relative link '(?P<url>.*?)', it was left as is\."
                           r"(?: Did you mean '(?P<hint>.*?)'\?)?$", re.S)
_NOT_FOUND = re.compile(r"^Doc file '(?P<src>.+?)' contains a link '(?P<url>.*?)', but the target(?: '(?P<target>.*?)')? "
                        r"is not found among documentation files\.(?: Did you mean '(?P<hint>.*?)'\?)?$", re.S)
_ABSOLUTE = re.compile(r"^Doc file '(?P<src>.+?)' contains an absolute link '(?P<url>.*?)', it was left as is\."
                       r"(?: Did you mean '(?P<hint>.*?)'\?)?$", re.S)
_EXCLUDED = re.compile(r"^Doc file '(?P<src>.+?)' contains a link to '(?P<target>.+?)' which is excluded from the built site\.$")
_ANCHOR = re.compile(r"^Doc file '(?P<src>.+?)' contains a link '(?P<url>.*?)', but (?:the doc '(?P<target>.+?)' does not "
                     r"contain an anchor '#(?P<anchor>.*?)'|there is no such anchor on this page)\.(?P<context>.*)$", re.S)
_NAV = re.compile(r"^A (?:reference|relative path) to '(?P<path>.+?)' is included in the 'nav' configuration, "
                  r"(?:which is not found in the documentation files|but this file is excluded from the built site)\.?$")


@dataclass
class RenderResult:
    problems: list[Problem] = field(default_factory=list)
    html: dict[str, str] = field(default_factory=dict)  # docs-relative path → rendered body (site and pack pages)


@contextlib.contextmanager
def captured() -> Iterator[list[logging.LogRecord]]:
    """MkDocs' structure messages, taken instead of printed: an editor reads pufa's translation only."""
    records: list[logging.LogRecord] = []

    def keep(record: logging.LogRecord) -> bool:
        if record.levelno >= logging.INFO:
            records.append(record)
        return False

    loggers = [logging.getLogger(name) for name in _LOGGERS]
    for logger in loggers:
        logger.addFilter(keep)
    try:
        yield records
    finally:
        for logger in loggers:
            logger.removeFilter(keep)


def render_site(config, files: Files, loaded: Loaded, *, renderable: set[str], config_shown: str = "mkdocs.yml",
                config_text: str = "") -> RenderResult:
    """Render every page MkDocs would build; translate its messages; scan the bodies of content pages."""
    result = RenderResult()
    pages: list[Page] = []
    with captured() as messages:
        for file in files.documentation_pages():
            if file.inclusion.is_excluded():
                continue
            source = loaded.sources.get(file.src_uri)
            if source is not None and (source.fm is None or file.src_uri not in renderable):
                continue  # unreadable, or refused before rendering (too long, too deep): already reported
            page = Page(None, file, config)
            page.markdown = source.fm.body if source else (file.content_string if file.generated_by else "")
            page.meta = dict(source.fm.data) if source else {}
            try:
                page.render(config, files)
            except Exception as exc:  # any editor input must end in a message, never a traceback
                where = source.shown if source else file.src_uri
                result.problems.append(problem("internal", where, 1, f"这一页无法转换成网页（{type(exc).__name__}: {exc}）。"
                                               "请检查最近改动的地方，例如很深的嵌套或很长的一行。"))
                continue
            pages.append(page)
            if source is not None:
                result.html[file.src_uri] = page.content
        for page in pages:
            page.validate_anchor_links(files=files, log_level=logging.WARNING)
        get_navigation(files, config)
    review = Review(loaded, files, config_shown, config_text)
    result.problems += review.messages(messages)
    for rel, body in result.html.items():
        result.problems += review.body(rel, files.get_file_from_path(rel).url, body)
    return result


class Review:
    """Turns what MkDocs said and what a rendered body holds into problems at Markdown lines; used by
    `pufa check` (after its own rendering) and by the build (on MkDocs' rendering of the same pages)."""

    def __init__(self, loaded: Loaded, files: Files, config_shown: str = "mkdocs.yml", config_text: str = ""):
        self.loaded, self.config_shown, self.config_text = loaded, config_shown, config_text
        self.published = {f.src_uri for f in files.documentation_pages() if not f.inclusion.is_excluded()}
        self.exists = _exists(files)
        self.locate = _Locator(loaded)
        self.reported: dict[str, set[str]] = {}

    def messages(self, records: list[logging.LogRecord]) -> list[Problem]:
        found = []
        for record in records:
            translated = _translate(record, self.loaded, self.published, self.locate, self.config_shown, self.config_text)
            if translated is not None:
                src, url, item = translated
                self.reported.setdefault(src, set()).add(url)
                found.append(item)
        return found

    def body(self, rel: str, page_url: str, body: str) -> list[Problem]:
        source = self.loaded.sources.get(rel)
        if source is None:
            return []
        reported = frozenset(self.reported.get(rel, ()))
        return [problem(f.code, source.shown, self.locate(source, f.needles, f.code), f.message)
                for f in body_html.scan(body, page_url=page_url, exists=self.exists, reported=reported)]


def _exists(files: Files):
    routes = set()
    for file in files:
        routes.add(file.dest_uri)
        if file.is_documentation_page():
            routes.add(file.url.rstrip("/"))
            routes.add(file.url)
    return lambda target: target in routes or target.rstrip("/") in routes


def _translate(record: logging.LogRecord, loaded: Loaded, published: set[str], locate, config_shown: str,
               config_text: str) -> tuple[str, str, Problem] | None:
    text = record.getMessage()
    match = _NAV.match(text)
    if match:
        path = match.group("path")
        line = _line_of(config_text, path)
        return "", path, problem("nav-missing", config_shown, line, f"mkdocs.yml 的导航（nav）里列出了 {path}，但正式网站没有这一页"
                                 "（文件不存在、改了名或还是草稿）。请改正 nav 里的路径，或先发布那一页。")
    src = next((m.group("src") for p in (_UNRECOGNIZED, _NOT_FOUND, _ABSOLUTE, _EXCLUDED, _ANCHOR) if (m := p.match(text))), None)
    source = loaded.sources.get(src) if src else None
    if source is None:
        if record.levelno < logging.WARNING:
            return None
        return "", "", problem("mkdocs", config_shown, 1, f"MkDocs 报告：{text}")
    shown = source.shown
    hint = ""
    if m := _UNRECOGNIZED.match(text):
        url = m.group("url")
        if m.group("hint"):
            hint = f"是不是想写 {m.group('hint')}？"
        return src, url, problem("link-not-md", shown, locate(source, (url,), "link-not-md"), f"站内链接 {url} 没有写到 Markdown 文件：站内链接要写成"
                                 f"从本文件出发、以 .md 结尾的路径，如 ../laws/civil-code.md，要链接到小节就在后面加 #小节标题。{hint}")
    if m := _NOT_FOUND.match(text):
        url = m.group("url")
        if m.group("hint"):
            hint = f"是不是想写 {m.group('hint')}？"
        target = m.group("target") or url
        leaves = target.startswith("../") or target == ".."
        message = (f"链接 {url} 跑到了 docs/ 目录之外。请改用从本文件出发、不离开 docs/ 的相对路径。" if leaves else
                   f"找不到链接或图片 {url} 指向的文件。请检查文件名和大小写；路径从本文件所在的文件夹算起。{hint}")
        return src, url, problem("unsafe-path" if leaves else "missing-file", shown, locate(source, (url,), "missing-file"), message)
    if m := _ABSOLUTE.match(text):
        url = m.group("url")
        if record.levelno < logging.WARNING and not url.startswith("/"):
            return None
        return src, url, problem("absolute-link", shown, locate(source, (url,), "absolute-link"), f"链接 {url} 是以“/”开头的绝对路径：网站放在门户网站的"
                                 "子路径下时它会失效。请写从本文件出发的相对路径，如 ../laws/x.md。")
    if m := _EXCLUDED.match(text):
        if src not in published:
            return None  # a draft linking to a draft: fine in preview, nothing in the build
        target = m.group("target")
        target_source = loaded.sources.get(target)
        name = target_source.shown if target_source else target
        return src, target, problem("draft-target", shown, locate(source, (target.rsplit("/", 1)[-1], target), "draft-target"),
                                    f"链接的目标 {name} 是草稿，正式网站没有这一页。请先发布它（draft: false），或者暂时删掉这个链接。")
    if m := _ANCHOR.match(text):
        url, anchor = m.group("url"), m.group("anchor") or url.split("#", 1)[-1]
        where = f"{m.group('target')} 里" if m.group("target") else "本页"
        return src, url, problem("missing-anchor", shown, locate(source, (url, f"#{anchor}"), "missing-anchor"),
                                 f"链接 {url} 指向的小节 #{anchor} 在{where}不存在。小节地址来自标题文字（例如“## 常见问答”的地址是 "
                                 "#常见问答）：请照目标页面现在的标题改正，标题改过的话链接也要改。")
    return None


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if needle and needle in line:
            return number
    return 1


class _Locator:
    """Where a finding stands in its Markdown file: the first unused line that contains one of its needles,
    looked for outside code first (the renderer did not find it in code), then anywhere."""

    def __init__(self, loaded: Loaded):
        self.loaded = loaded
        self.claimed: set[tuple[str, int, str]] = set()  # (file, line, code) already given to a finding
        self.texts: dict[str, tuple[list[str], list[str]]] = {}

    def _lines(self, source: Source) -> tuple[list[str], list[str]]:
        if source.rel not in self.texts:
            plain = [" ".join(line.split()).lower() for line in source.text.split("\n")]
            self.texts[source.rel] = (_without_code(plain), plain)
        return self.texts[source.rel]

    def __call__(self, source: Source, needles, code: str = "") -> int:
        if source.text is None or source.fm is None:
            return 1
        first = source.fm.body_line
        needles = [" ".join(n.split()).lower() for n in needles if n]  # the renderer turns tabs into spaces
        for lines in self._lines(source):
            for needle in needles:
                for index in range(first - 1, len(lines)):
                    if needle in lines[index] and (source.rel, index + 1, code) not in self.claimed:
                        self.claimed.add((source.rel, index + 1, code))
                        return index + 1
        plain = self._lines(source)[1]
        for needle in needles:  # every occurrence already claimed: the same construct again
            for index in range(first - 1, len(plain)):
                if needle in plain[index]:
                    return index + 1
        return first


_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
_COMMENT = re.compile(r"<!--.*?-->")
_FENCE_LINE = re.compile(r"^\s*(`{3,}|~{3,})")


def _without_code(lines: list[str]) -> list[str]:
    """The lines with closed fenced blocks, code spans and one-line comments blanked: only to place findings,
    never to decide them (an unclosed fence is not code for the renderer either)."""
    out, index = [], 0
    while index < len(lines):
        opening = _FENCE_LINE.match(lines[index])
        if opening:
            marker = opening.group(1)
            close = next((j for j in range(index + 1, len(lines)) if (m := _FENCE_LINE.match(lines[j]))
                          and m.group(1)[0] == marker[0] and len(m.group(1)) >= len(marker)), None)
            if close is not None:
                out += [""] * (close - index + 1)
                index = close + 1
                continue
        line = _COMMENT.sub(lambda m: " " * len(m.group(0)), lines[index])
        out.append(_SPAN.sub(lambda m: " " * len(m.group(0)), line))
        index += 1
    return out
