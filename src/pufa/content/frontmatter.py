"""Read a Markdown file's front matter the way an editor needs: every problem, with its line.

MkDocs swallows YAML errors and renders a broken block as body text; here nothing is silent. The
YAML is parsed to plain JSON types only (dates stay strings so an impossible date such as 2026-02-30
reaches the schema check instead of crashing the parser), aliases and anchors are refused (an editor
never needs them and they allow a "billion laughs" memory bomb), and every value remembers its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from ..problems import Problem

MAX_DEPTH = 8  # front matter deeper than this is a mistake or an attack
MAX_FRONT_MATTER_BYTES = 64 * 1024

Path_ = tuple  # a path into the data: ("law", "revisions", 0, "date")


@dataclass
class FrontMatter:
    data: dict = field(default_factory=dict)
    lines: dict[Path_, int] = field(default_factory=dict)  # value path -> 1-based line of its key
    start: int = 1  # line of the opening ---
    body: str = ""
    body_line: int = 1
    present: bool = False

    def line(self, path: Path_) -> int:
        """The line of the deepest known key on `path`, else the opening ---."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.start


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps: dates arrive as strings and are checked by format."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_FULLWIDTH_COLON = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w-]*\s*：")
_FENCE = re.compile(r"^---\s*$")


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode a source file as UTF-8, explaining BOMs and GBK files in terms an editor can act on."""
    problems: list[Problem] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(path, 1, "文件开头有 UTF-8 BOM（看不见的字节顺序标记）。请用“UTF-8（无 BOM）”另存；"
                                "记事本里选“UTF-8”而不是“带有 BOM 的 UTF-8”。", code="bom"))
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), problems
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = "请用 UTF-8 编码另存这个文件。"
        try:
            raw.decode("gb18030")
            hint = "文件看起来是 GBK（GB2312/GB18030）编码，很可能是用旧版记事本或 WPS 保存的。" + hint
        except UnicodeDecodeError:
            pass
        problems.append(Problem(path, line, f"文件不是 UTF-8 编码（第 {line} 行有无法识别的字节）。{hint}", code="encoding"))
        return None, problems


def split(text: str, path: str) -> tuple[FrontMatter, list[Problem]]:
    """Split `---` front matter from the body and parse it. Problems are returned, never raised."""
    lines = text.split("\n")
    fm = FrontMatter(body=text)
    if not lines or not _FENCE.match(lines[0]):
        return fm, []
    end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i]) or lines[i].rstrip() == "..."), None)
    if end is None:
        return fm, [Problem(path, 1, "文件开头的 --- 没有配对：请在字段结束后单独一行再写 ---。", code="front-matter-open")]
    fm.present = True
    fm.body = "\n".join(lines[end + 1:])
    fm.body_line = end + 2
    source = "\n".join(lines[1:end])
    problems = _lint_lines(lines[1:end], path, first=2)
    if len(source.encode()) > MAX_FRONT_MATTER_BYTES:
        problems.append(Problem(path, 1, f"文件头字段太长（超过 {MAX_FRONT_MATTER_BYTES // 1024} KB）。正文请写在第二个 --- 之后。",
                                code="front-matter-size"))
        return fm, problems
    if any(p.code == "tab" for p in problems):
        return fm, problems  # the YAML error for a tab only repeats the same line, less clearly
    problems += _scan_events(source, path)
    if problems:
        return fm, problems
    try:
        node = yaml.compose(source, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return fm, [_syntax_problem(exc, path)]
    if node is None:
        return fm, []
    if not isinstance(node, yaml.MappingNode):
        return fm, [Problem(path, 2, "文件头应当是“字段: 值”的形式，每个字段一行。", code="front-matter-shape")]
    loader = _Loader("")
    fm.data = _to_python(node, (), fm.lines, loader, path, problems, offset=2)
    return fm, problems


def _lint_lines(lines: list[str], path: str, first: int) -> list[Problem]:
    """Mistakes that YAML reports badly or not at all: tabs and full-width colons."""
    problems = []
    for i, line in enumerate(lines, start=first):
        if line[: len(line) - len(line.lstrip())].count("\t"):
            problems.append(Problem(path, i, "这一行用 Tab 键缩进了。YAML 只认空格：请把 Tab 换成两个空格。", code="tab"))
        if _FULLWIDTH_COLON.match(line):
            problems.append(Problem(path, i, "字段名后面用了中文冒号“：”。请改成英文冒号加空格“: ”，例如 title: 标题。",
                                    code="fullwidth-colon"))
    return problems


def _scan_events(source: str, path: str) -> list[Problem]:
    """Refuse anchors, aliases and deep nesting before anything is built from them."""
    problems, depth = [], 0
    try:
        for event in yaml.parse(source, Loader=_Loader):
            line = event.start_mark.line + 2
            if isinstance(event, yaml.AliasEvent):
                problems.append(Problem(path, line, f"不支持 YAML 引用（*{event.anchor}）。请直接写出要用的值。", code="yaml-alias"))
            elif getattr(event, "anchor", None):
                problems.append(Problem(path, line, f"不支持 YAML 锚点（&{event.anchor}）。请删掉 &{event.anchor}，直接写值。",
                                        code="yaml-alias"))
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(Problem(path, line, f"文件头嵌套超过 {MAX_DEPTH} 层，不是正常的写法。请检查缩进。", code="yaml-depth"))
                    break
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        return problems + [_syntax_problem(exc, path)]
    return problems


_SYNTAX_HINTS = [
    ("mapping values are not allowed", "值里有英文冒号“: ”。请把整个值用英文引号括起来，例如 title: \"公园：开放时间\"。"),
    ("could not find expected ':'", "这一行缺少“字段名: 值”里的英文冒号，或者上一行的引号没有配对。"),
    ("found character '\\t'", "这一行有 Tab 字符。请改用空格。"),
    ("found unexpected end of stream", "引号或括号没有配对。"),
    ("did not find expected key", "缩进不一致：同一层的字段要对齐，列表项要以“- ”开头。"),
    ("did not find expected '-' indicator", "列表缩进不一致：每一项都以“- ”开头并对齐。"),
    ("found undefined alias", "不支持 YAML 引用（*名字）。请直接写出要用的值。"),
    ("expected <block end>, but found", "缩进不一致，或者值以特殊字符开头（如 [、{、*、&、!、%、@、`）。以特殊字符开头的值请加英文引号。"),
    ("while scanning a quoted scalar", "引号没有配对：值以引号开始就要以同样的引号结束。"),
]


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + 2) if mark else 2
    text = f"{exc.context or ''} {exc.problem or ''}"
    hint = next((h for key, h in _SYNTAX_HINTS if key in text), "请对照 CONTRIBUTING.md 里的例子检查这一行的写法。")
    return Problem(path, line, f"文件头 YAML 格式有误：{hint}（解析器原文：{(exc.problem or exc.context or '').strip()}）",
                   code="yaml-syntax")


def _to_python(node, at: Path_, lines: dict, loader, path: str, problems: list, offset: int):
    """Build plain data from a composed node, recording each key's line and refusing duplicate keys."""
    lines[at] = node.start_mark.line + offset
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            line = key_node.start_mark.line + offset
            if key in out:
                problems.append(Problem(path, line, f"字段 {key} 写了两次（第一次在第 {lines[at + (key,)]} 行）。请只保留一个。",
                                        code="duplicate-key"))
                continue
            out[key] = _to_python(value_node, at + (key,), lines, loader, path, problems, offset)
            lines[at + (key,)] = line
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, at + (i,), lines, loader, path, problems, offset) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)
