"""Untrusted content: raw HTML in Markdown, the build-time HTML allow-list, paths and file sizes.

Every Markdown file and image arrives in a pull request, some from outside the bureau. Two layers:
`check_markdown_html` tells the editor, line by line, what would be unsafe (so a reviewer sees it in
the pull request); `sanitize_html` is the guarantee applied to every rendered page whatever the
checks missed. The allow-list data below is the single description of what a page body may contain.
"""

from __future__ import annotations

import bisect
import html
import os
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import nh3

from .problems import ERROR, WARNING, Problem

# ---------------------------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------------------------

MARKDOWN_MAX_BYTES = 512 * 1024  # a long statute explainer is ~30 KB; 512 KB is a pasted document
IMAGE_MAX_BYTES = 10 * 1024 * 1024  # a 12-megapixel phone photo is 3–6 MB
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg", ".bmp", ".tif", ".tiff", ".heic", ".avif"})


def check_file_size(path: str, size: int, limit: int | None = None) -> Problem | None:
    """A problem when a file is larger than `limit` bytes (by default chosen from its extension)."""
    is_image = posixpath.splitext(path)[1].lower() in IMAGE_SUFFIXES
    if limit is None:
        limit = IMAGE_MAX_BYTES if is_image else MARKDOWN_MAX_BYTES
    if size <= limit:
        return None
    if is_image:
        advice = "请把照片缩小到长边不超过 3000 像素、以 JPEG（质量 85 左右）另存后再提交；网站会自动生成手机用的小图。"
    else:
        advice = "请把内容拆成几篇，或把法律原文改为链接到国家法律法规数据库，不要整篇粘贴。"
    return Problem(path, 1, f"文件太大：{_human(size)}，上限是 {_human(limit)}。{advice}", ERROR, "file-too-large")


def _human(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


# ---------------------------------------------------------------------------------------------
# The build-time allow-list (nh3)
# ---------------------------------------------------------------------------------------------

# What Python-Markdown with our extensions (mkdocs.yml), Material and pufa's own templates put
# into a page body. No svg/math (inline SVG can carry script and links; icons come from the theme,
# not from page content), no media elements, no forms: a 普法 page is text, tables and pictures.
ALLOWED_TAGS: frozenset[str] = frozenset({
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span", "a", "img",
    "picture", "source", "figure", "figcaption",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "pre", "code", "kbd", "samp", "var", "blockquote", "q", "cite",
    "ul", "ol", "li", "dl", "dt", "dd", "details", "summary",
    "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup",
    "abbr", "dfn", "time", "wbr", "ruby", "rt", "rp",
    # pymdownx.tasklist's checkbox; forced to disabled below, so no input can ever be typed.
    "input", "label",
})

# Every element may keep id (heading anchors, footnotes), class (admonitions, Pygments, attr_list),
# title, lang and dir. `style` only on table cells, where Python-Markdown puts column alignment.
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"id", "class", "title", "lang", "dir"}),
    "a": frozenset({"href", "name"}),
    "img": frozenset({"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding", "align"}),
    "source": frozenset({"srcset", "type", "sizes", "media", "width", "height"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "th": frozenset({"colspan", "rowspan", "scope", "style", "align"}),
    "td": frozenset({"colspan", "rowspan", "style", "align"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "time": frozenset({"datetime"}),
    "del": frozenset({"datetime"}),
    "ins": frozenset({"datetime"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "details": frozenset({"open"}),
    "label": frozenset({"for"}),
}
ALLOWED_STYLE_PROPERTIES: frozenset[str] = frozenset({"text-align"})
# Plus relative URLs (nh3 keeps them). javascript:, vbscript:, data: and everything else go.
ALLOWED_URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto", "tel"})
# Removed together with their content, not just unwrapped (their text is code or markup, not prose).
REMOVED_WITH_CONTENT: frozenset[str] = frozenset({
    "script", "style", "template", "iframe", "object", "embed", "noscript", "textarea", "select",
    "svg", "math", "title", "xmp", "noembed", "noframes",
})
# Only one forced attribute: nh3 adds forced ones in hash order, which would vary between builds.
_INPUT_ATTRIBUTE_VALUES = {"input": {"type": {"checkbox"}, "checked": {"", "checked"}}}
_INPUT_FORCED = {"input": {"disabled": "disabled"}}

DANGEROUS_SCHEMES = frozenset({"javascript", "vbscript", "data"})


def sanitize_html(html_text: str) -> str:
    """Keep only the allow-list above; the guarantee for every rendered page body."""
    return nh3.clean(
        html_text,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        # No `target` is allowed, so there is no window.opener to protect; internal links stay plain.
        link_rel=None,
        strip_comments=True,
        tag_attribute_values=_INPUT_ATTRIBUTE_VALUES,
        set_tag_attribute_values=_INPUT_FORCED,
        filter_style_properties=set(ALLOWED_STYLE_PROPERTIES),
    )


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    # nh3 checks schemes of href/src but not of srcset, which is a list of URLs.
    if name == "srcset":
        urls = [candidate.split()[0] for candidate in value.split(",") if candidate.split()]
        if any(not _url_allowed(url) for url in urls):
            return None
    return value


def _url_allowed(url: str) -> bool:
    scheme = url_scheme(url)
    return scheme is None or scheme in ALLOWED_URL_SCHEMES


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see ('javascript' for ' JaVa&#x09;Script:…'), or None if relative."""
    value = html.unescape(url)
    # Browsers drop leading/trailing C0 controls and spaces, and tabs/newlines anywhere.
    value = re.sub(r"[\t\n\r]", "", value).strip("".join(chr(c) for c in range(0x21)))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", value)
    return match.group(1).lower() if match else None


# ---------------------------------------------------------------------------------------------
# Raw HTML in Markdown
# ---------------------------------------------------------------------------------------------

_TAG_ADVICE = {
    "script": "网站不运行投稿里的脚本，请删除这段代码；确需交互功能请联系网站维护人员。",
    "iframe": "不能嵌入其他网页或视频播放器，请改成普通链接，例如 [视频标题](https://…)。",
    "frame": "不能嵌入其他网页，请改成普通链接。",
    "frameset": "不能嵌入其他网页，请改成普通链接。",
    "object": "不能嵌入插件或外部内容，请改成普通链接。",
    "embed": "不能嵌入插件或外部内容，请改成普通链接。",
    "applet": "不能嵌入插件或外部内容，请删除。",
    "style": "页面样式由网站主题统一提供，请删除这段样式。",
    "link": "这个标签会改变整个页面的行为，请删除；要链接到别处请用 [文字](地址)。",
    "meta": "这个标签会改变整个页面的行为（例如自动跳转），请删除。",
    "base": "这个标签会改变页面上所有链接的去向，请删除。",
    "foreignobject": "SVG 里不能嵌入网页内容，请把图形导出为 PNG 后再插入。",
}
_FORM_TAGS = frozenset({"form", "input", "button", "select", "textarea", "option", "optgroup", "datalist", "keygen"})
_FORM_ADVICE = "网站不收集任何信息，不能放表单。需要报名或咨询，请写明电话、地址或链接。"
# Attributes whose value is (or can be made into) a URL; `values`/`to`/`from` cover SVG <animate>.
_URL_ATTRIBUTES = frozenset({
    "href", "src", "srcset", "action", "formaction", "poster", "background", "cite", "longdesc",
    "lowsrc", "dynsrc", "data", "codebase", "classid", "archive", "xlink:href", "ping", "manifest",
    "icon", "profile", "usemap", "values", "to", "from", "by",
})

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_BARE_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*$")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[*+-]|\d+[.)])[ \t]")
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_MD_LINK = re.compile(r"(!?)\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(\s*(<[^<>\n]*>|[^\s)]+)")
_MD_REF_DEF = re.compile(r"^ {0,3}(!?)\[[^\]\n]+\]:[ \t]*(<[^<>\n]*>|\S+)")
_ATTR_LIST = re.compile(r"\{:?[ \t]*([^{}\n]*=[^{}\n]*)\}")
_ATTR_PAIR = re.compile(r"([^\s=\"'{}]+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s}]+)")


def scan_markdown(
    text: str, path: str, *, source_path: str, docs_dir: Path, first_line: int = 1
) -> tuple[list[Problem], list[tuple[int, str]]]:
    """One pass over a Markdown body: every unsafe construct and every path leaving `docs_dir`, and
    the relative link and image targets found (line, target), for the loader's existence checks."""
    problems, references = _scan(text, path, first_line)
    for line, target in references:
        message = check_reference(target, source_path=source_path, docs_dir=docs_dir)
        if message:
            problems.append(Problem(path, line, message, ERROR, "unsafe-path"))
    return problems, references


def mask_code(text: str) -> str:
    """The body with its code blanked out, line for line: what the checks must not read as markup."""
    return _mask_code(text)


def check_markdown_html(text: str, path: str, first_line: int = 1) -> list[Problem]:
    """Unsafe raw HTML, links and attr_list attributes in a Markdown body; code is skipped.

    `first_line` is the file line where `text` starts (the body after front matter).
    """
    problems, _ = _scan(text, path, first_line)
    return problems


def check_markdown_references(
    text: str, path: str, *, source_path: str, docs_dir: Path, first_line: int = 1
) -> list[Problem]:
    """Every relative link or image target in the body, checked with `check_reference`."""
    _, references = _scan(text, path, first_line)
    problems = []
    for line, target in references:
        message = check_reference(target, source_path=source_path, docs_dir=docs_dir)
        if message:
            problems.append(Problem(path, line, message, ERROR, "unsafe-path"))
    return problems


def _scan(text: str, path: str, first_line: int) -> tuple[list[Problem], list[tuple[int, str]]]:
    scanner = _HtmlScanner(path, first_line)
    masked = _mask_code(text)
    try:
        scanner.feed(masked)
        scanner.close()
    except (AssertionError, ValueError) as exc:  # html.parser gives up on some malformed markup
        line = first_line - 1 + scanner.getpos()[0]
        scanner.report(line, f"无法解析这里的 HTML（{exc}），因此无法确认它是否安全：请改用 Markdown 写法。", "unsafe-html")
    for offset, line_text in enumerate(masked.split("\n")):
        line = first_line + offset
        for match in _MD_LINK.finditer(line_text):
            scanner.check_url(line, "图片地址" if match.group(1) else "链接地址", match.group(2).strip("<>"))
        match = _MD_REF_DEF.match(line_text)
        if match:
            scanner.check_url(line, "链接地址", match.group(2).strip("<>"))
        for match in _ATTR_LIST.finditer(line_text):
            # attr_list ({: onclick=…}) sets attributes just like raw HTML does.
            pairs = [(m.group(1).lower(), m.group(2).strip("\"'")) for m in _ATTR_PAIR.finditer(match.group(1))]
            scanner.check_attributes(line, "{: … }", pairs)
    problems = sorted(set(scanner.problems), key=lambda p: (p.line, p.code, p.message))
    return problems, scanner.references


def _mask_code(text: str) -> str:
    """Blank out fenced and indented code blocks and code spans, keeping every line in place.

    When in doubt a line is NOT treated as code: a false alarm is better than a missed <script>
    (an unclosed fence, for example, is not a code block for Python-Markdown either).
    """
    lines = text.split("\n")
    out = list(lines)
    # Where each bare fence stands, so finding a closing fence stays fast on hostile input.
    closers: dict[str, list[int]] = {}
    for j, line in enumerate(lines):
        if _BARE_FENCE.match(line):
            closers.setdefault(line.strip(), []).append(j)
    i, in_list, previous_blank = 0, False, True
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence:
            later = closers.get(fence.group(1), [])
            k = bisect.bisect_right(later, i)
            close = later[k] if k < len(later) else None
            if close is not None:
                for j in range(i, close + 1):
                    out[j] = ""
                i, previous_blank = close + 1, False
                continue
        indented = line.startswith(("    ", "\t"))
        if indented and previous_blank and not in_list and line.strip():
            # An indented code block runs until a non-blank line that is not indented.
            while i < len(lines) and (lines[i].startswith(("    ", "\t")) or not lines[i].strip()):
                out[i] = ""
                i += 1
            previous_blank = True
            continue
        if line.strip() and not indented:
            in_list = bool(_LIST_ITEM.match(line)) or (in_list and not previous_blank)
        # Inside a raw HTML block backticks are literal text, so only mask spans elsewhere.
        if not line.lstrip().startswith("<"):
            out[i] = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        previous_blank = not line.strip()
        i += 1
    return "\n".join(out)


class _HtmlScanner(HTMLParser):
    # Parse <script>/<style> content as markup too, so one unclosed <script> cannot hide the rest.
    CDATA_CONTENT_ELEMENTS = ()
    RCDATA_CONTENT_ELEMENTS = ()

    def __init__(self, path: str, first_line: int) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.first_line = first_line
        self.problems: list[Problem] = []
        self.references: list[tuple[int, str]] = []
        self.svg_depth = 0

    def report(self, line: int, message: str, code: str, severity: str = ERROR) -> None:
        self.problems.append(Problem(self.path, line, message, severity, code))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)
        if tag == "svg":
            self.svg_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self.svg_depth:
            self.svg_depth -= 1

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.first_line - 1 + self.getpos()[0]
        if ":" in tag and url_scheme(tag) in DANGEROUS_SCHEMES:  # <javascript:…> written as an autolink
            self.report(line, f"不允许 {url_scheme(tag)}: 地址：请删除，或改成 http/https 链接。", "unsafe-url")
            return
        if tag in _TAG_ADVICE:
            self.report(line, f"不允许使用 <{tag}> 标签：{_TAG_ADVICE[tag]}", "unsafe-html")
        elif tag in _FORM_TAGS:
            self.report(line, f"不允许使用表单元素 <{tag}>：{_FORM_ADVICE}", "unsafe-html")
        elif tag == "svg" and not self.svg_depth:
            self.report(
                line, "正文里的 <svg> 会在构建时被删除（SVG 可以携带脚本）：请把图形导出为 PNG 图片再插入。",
                "html-removed", WARNING,
            )
        elif tag not in ALLOWED_TAGS and not self.svg_depth:
            self.report(
                line, f"<{tag}> 不在网站允许的 HTML 标签之内，构建时会被删除：请改用 Markdown 写法。",
                "html-removed", WARNING,
            )
        self.check_attributes(line, f"<{tag}>", [(name, value or "") for name, value in attrs])

    def check_attributes(self, line: int, where: str, attrs: list[tuple[str, str]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.report(line, f"{where} 里不允许事件属性 {name}=（它会运行脚本）：请删除这个属性。", "unsafe-attribute")
            elif name == "style":
                self.report(
                    line,
                    f"{where} 里不允许 style 属性（它能隐藏文字或偷偷加载外部内容）："
                    '请删除；图片大小可以写成 { width="300" }，其余排版交给网站主题。',
                    "unsafe-attribute",
                )
            elif name in _URL_ATTRIBUTES:
                label = "图片地址" if name in ("src", "srcset") else "链接地址"
                urls = [c.split()[0] for c in value.split(",") if c.split()] if name == "srcset" else [value]
                for url in urls:
                    self.check_url(line, label, url)

    def check_url(self, line: int, label: str, url: str) -> None:
        scheme = url_scheme(url)
        if scheme is not None and len(scheme) == 1:  # C:/… is a Windows path: check_reference's concern
            scheme = None
        if scheme in DANGEROUS_SCHEMES:
            advice = (
                "请把图片保存成文件放进 docs/ 目录，再用相对路径引用。"
                if scheme == "data" else "这种地址会运行脚本，请删除或改成 http/https 链接。"
            )
            self.report(line, f"{label}不允许以 {scheme}: 开头：{advice}", "unsafe-url")
        elif scheme is not None and scheme not in ALLOWED_URL_SCHEMES:
            self.report(
                line, f"{label}的协议 {scheme}: 不受支持，构建时会被删除：请改用 https:// 链接或站内相对路径。",
                "url-removed", WARNING,
            )
        elif scheme is None and url and not url.startswith(("#", "//")):
            self.references.append((line, url))


# ---------------------------------------------------------------------------------------------
# Paths and symlinks
# ---------------------------------------------------------------------------------------------


def check_reference(target: str, *, source_path: str, docs_dir: Path) -> str | None:
    """A Chinese message if a relative link/image target leaves `docs_dir`; None if it stays inside.

    `source_path` is the referring file relative to `docs_dir` ('laws/fanzha/index.md', as in
    `Record.path`). Targets with a scheme or a leading '#' or '//' are not local and pass; their
    schemes are `check_markdown_html`'s concern. Missing files are the link checker's concern.
    """
    target = target.strip()
    if not target or target.startswith("#") or target.startswith("//"):
        return None
    scheme = url_scheme(target)
    if scheme is not None and len(scheme) > 1:  # a one-letter "scheme" is a Windows drive (C:)
        return "不要链接到本机文件（file:），请把文件放进 docs/ 目录再用相对路径引用。" if scheme == "file" else None
    local = target.split("#", 1)[0].split("?", 1)[0]
    decoded = local
    for _ in range(3):  # %252e%252e → %2e%2e → ..
        decoded = unquote(decoded)
    fix = f"请改用从本文件出发、不离开 docs/ 的相对路径（{target}）。"
    if "\\" in decoded:
        return f"路径里不能有反斜杠 \\（Windows 写法）：请改用 /。{fix}"
    if "\x00" in decoded:
        return f"路径里有不可见的空字符。{fix}"
    if decoded.startswith("/") or (scheme is not None and len(scheme) == 1):
        return f"不能使用绝对路径：它指向本机上的位置或网站根目录，换个地址部署就会失效。{fix}"
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(source_path), decoded))
    if joined == ".." or joined.startswith("../"):
        return f"这个路径跑到了 docs/ 目录之外。{fix}"
    root = Path(docs_dir).resolve()
    resolved = (root / joined).resolve()  # follows symlinks of every existing component
    if resolved != root and root not in resolved.parents:
        return f"这个路径经过一个符号链接，指到了 docs/ 目录之外：请把文件直接放进 docs/ 目录。（{target}）"
    return None


def find_symlinks_out(docs_dir: Path, path_prefix: str | None = None) -> list[Problem]:
    """Symlinks under `docs_dir`: an error when one leaves docs/ (or is broken), a warning otherwise.

    Leaving docs/ would publish files nobody reviewed (e.g. ../../.git/config), hence an error.
    A symlink that stays inside is harmless to build but is never needed: it publishes one file
    under two addresses, hides its real content from the pull-request diff (which shows only the
    link text), and is checked out as a plain text file on Windows, where most editors work —
    hence a warning asking for a copy instead. Problem paths get `path_prefix` (default: the
    folder name, 'docs') so they are relative to the repository root.
    """
    docs_dir = Path(docs_dir)
    root = docs_dir.resolve()
    prefix = docs_dir.name if path_prefix is None else path_prefix
    problems = []
    for folder, dirs, files in os.walk(docs_dir):  # does not descend into linked folders
        for name in sorted(dirs + files):
            entry = Path(folder, name)
            if not entry.is_symlink():
                continue
            rel = posixpath.join(prefix, entry.relative_to(docs_dir).as_posix())
            try:
                resolved = entry.resolve(strict=True)
            except (OSError, RuntimeError):  # broken link or a loop
                message = "这是一个失效的符号链接（指向不存在的位置）：请删除它，或换成真实文件。"
                problems.append(Problem(rel, 1, message, ERROR, "symlink"))
                continue
            if resolved != root and root not in resolved.parents:
                problems.append(Problem(
                    rel, 1,
                    "这是一个指向 docs/ 目录之外的符号链接，会把未经审核的文件发布出去：请删除它，把需要的文件直接复制进 docs/。",
                    ERROR, "symlink-out",
                ))
            else:
                problems.append(Problem(
                    rel, 1,
                    "这是一个符号链接：同一内容会出现在两个网址，Windows 上也打不开。请删除它，改为复制文件或用相对链接指向原文件。",
                    WARNING, "symlink",
                ))
    return sorted(problems)
