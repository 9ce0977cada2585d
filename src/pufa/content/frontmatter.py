"""Read a Markdown file's front matter the way an editor needs: every problem, with its line.

The file is split exactly where MkDocs splits it (a first line of `---` followed only by spaces or tabs,
closed by `---` or `...`), so what pufa checks is what MkDocs renders. MkDocs swallows YAML errors and
renders a broken block as body text; here nothing is silent. The YAML is parsed to plain JSON types only
(dates stay strings so an impossible date such as 2026-02-30 reaches the schema check instead of crashing
the parser), aliases and anchors are refused (an editor never needs them and they allow a "billion laughs"
memory bomb), and every value remembers its line and the text it was written as.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from ..problems import Problem, problem
from . import text as chars

MAX_DEPTH = 8  # front matter deeper than this is a mistake or an attack
MAX_FRONT_MATTER_BYTES = 64 * 1024

Path_ = tuple  # a path into the data: ("law", "revisions", 0, "date")


@dataclass
class FrontMatter:
    data: dict = field(default_factory=dict)
    lines: dict[Path_, int] = field(default_factory=dict)  # value path -> 1-based line of its key
    raw: dict[Path_, str] = field(default_factory=dict)  # scalar path -> its text as written (32.130000)
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

# MkDocs' own rule (mkdocs.utils.meta.YAML_RE): the fences allow trailing spaces and tabs, nothing else.
_MKDOCS_FRONT = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)
_FENCE = re.compile(r"^-{3}[ \t]*$")
_CLOSE = re.compile(r"^(?:-{3}|\.{3})[ \t]*$")
_ALMOST_FENCE = re.compile(r"^[-－—–‐]{3}\s*$|^-{3}\s+$")
_KEY = r"^\s*(?:-\s+)?[A-Za-z_][\w-]*"
_FULLWIDTH_COLON = re.compile(_KEY + r"\s*：")
_ODD_SPACE_AFTER_KEY = re.compile(_KEY + r":(" + chars.ODD_SPACE.pattern + ")")
_CURLY_VALUE = re.compile(_KEY + r":[ \t]+([“‘「『]).*([”’」』])[ \t]*(?:#.*)?$")


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode a source file as UTF-8, explaining BOMs and GBK files in terms an editor can act on.

    Line ends are read as MkDocs reads them (Python's universal newlines): CR LF and a lone CR are line
    breaks, so a line number means the same line to pufa, to MkDocs and to the editor's program.
    """
    problems: list[Problem] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(problem("bom", path, 1, "文件开头有 UTF-8 BOM（看不见的字节顺序标记）。请用“UTF-8（无 BOM）”另存；"
                                "记事本里选“UTF-8”而不是“带有 BOM 的 UTF-8”。"))
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        hint = "请用 UTF-8 编码另存这个文件。"
        try:
            raw.decode("gb18030")
            hint = "文件看起来是 GBK（GB2312/GB18030）编码，很可能是用旧版记事本或 WPS 保存的。" + hint
        except UnicodeDecodeError:
            pass
        problems.append(problem("encoding", path, line, f"文件不是 UTF-8 编码（第 {line} 行有无法识别的字节）。{hint}"))
        return None, problems
    return text.replace("\r\n", "\n").replace("\r", "\n"), problems


def split(text: str, path: str) -> tuple[FrontMatter, list[Problem]]:
    """Split `---` front matter from the body and parse it. Problems are returned, never raised."""
    lines = text.split("\n")
    fm = FrontMatter(body=text)
    if not lines:
        return fm, []
    if not _FENCE.match(lines[0]):
        if _ALMOST_FENCE.match(lines[0]):
            return fm, [problem("front-matter-fence", path, 1, "第一行像是文件头的分隔线，但它不是三个英文减号“---”，"
                                "或者后面跟着全角空格等看不见的字符。请把这一行改成只有 ---。")]
        return fm, []
    end = next((i for i in range(1, len(lines)) if _CLOSE.match(lines[i])), None)
    if end is None or not _MKDOCS_FRONT.match(text):
        almost = next((i for i in range(1, len(lines)) if _ALMOST_FENCE.match(lines[i])), None)
        if almost is not None:
            return fm, [problem("front-matter-fence", path, almost + 1, "这一行像是文件头结束的 ---，但写法不对（可能是全角"
                                "减号，或后面有全角空格等看不见的字符）。请把这一行改成只有 ---。")]
        return fm, [problem("front-matter-open", path, 1, "文件开头的 --- 没有配对：请在字段结束后单独一行再写 ---，然后换行写正文。")]
    fm.present = True
    fm.body = "\n".join(lines[end + 1:])
    fm.body_line = end + 2
    return fm, _parse("\n".join(lines[1:end]), fm, path, first=2)


def parse_document(text: str, path: str) -> tuple[FrontMatter, list[Problem]]:
    """A whole file of YAML (such as county.yml), read with the same care as front matter."""
    fm = FrontMatter(present=True)
    return fm, _parse(text, fm, path, first=1)


def _parse(source: str, fm: FrontMatter, path: str, first: int) -> list[Problem]:
    """Parse YAML into `fm.data` (plain types, lines and raw text remembered); return every problem."""
    problems = _lint_lines(source.split("\n"), path, first=first)
    if len(source.encode()) > MAX_FRONT_MATTER_BYTES:
        problems.append(problem("front-matter-size", path, 1, f"文件头字段太长（超过 {MAX_FRONT_MATTER_BYTES // 1024} KB）。"
                                "正文请写在第二个 --- 之后。"))
        return problems
    if any(p.is_error for p in problems):
        return problems  # YAML's own error for the same line would only repeat it, less clearly
    problems += _scan_events(source, path, first)
    if problems:
        return problems
    try:
        node = yaml.compose(source, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return [_syntax_problem(exc, path, first)]
    except yaml.YAMLError as exc:
        return [problem("yaml-syntax", path, first, f"文件头无法读取：{exc}")]
    if node is None:
        return []
    if not isinstance(node, yaml.MappingNode):
        return [problem("front-matter-shape", path, first, "文件头应当是“字段: 值”的形式，每个字段一行。")]
    fm.data = _to_python(node, (), fm, _Loader(""), path, problems, offset=first)
    return problems


def _lint_lines(lines: list[str], path: str, first: int) -> list[Problem]:
    """Mistakes that YAML reports badly, on the wrong line or not at all."""
    problems = []
    for i, line in enumerate(lines, start=first):
        if "\t" in line[: len(line) - len(line.lstrip())]:
            problems.append(problem("tab", path, i, "这一行用 Tab 键缩进了。YAML 只认空格：请把 Tab 换成两个空格。"))
        if _FULLWIDTH_COLON.match(line):
            problems.append(problem("fullwidth-colon", path, i, "字段名后面用了中文冒号“：”。请改成英文冒号加空格“: ”，"
                                    "例如 title: 标题。"))
        odd = _ODD_SPACE_AFTER_KEY.match(line)
        if odd:
            problems.append(problem("odd-space", path, i, f"冒号后面是{chars.char_name(odd.group(1))}，不是普通空格，"
                                    "YAML 因此读不出这个字段。请删掉它，换成一个英文空格（常见于从 Word 或网页复制的文字）。"))
        bad = chars.CONTROL.search(line)
        if bad:
            problems.append(problem("control-char", path, i, f"这一行有看不见的{chars.char_name(bad.group())}，"
                                    "文件头读不出来。请删除它（最好把这一行重新打一遍）。"))
        curly = _CURLY_VALUE.match(line)
        if curly:
            problems.append(problem("curly-quotes", path, i, f"值两边是中文引号 {curly.group(1)}…{curly.group(2)}，YAML 不把它们当"
                                    "引号，它们会原样出现在网页上。要用引号把值括起来（比如值里有冒号），请用英文引号 \"…\"；"
                                    "如果这对中文引号本来就是内容，请忽略这条提示。"))
    return problems


def _scan_events(source: str, path: str, first: int) -> list[Problem]:
    """Refuse anchors, aliases and deep nesting before anything is built from them."""
    problems, depth = [], 0
    try:
        for event in yaml.parse(source, Loader=_Loader):
            line = event.start_mark.line + first
            if isinstance(event, yaml.AliasEvent):
                problems.append(problem("yaml-alias", path, line, f"不支持 YAML 引用（*{event.anchor}）。请直接写出要用的值。"))
            elif getattr(event, "anchor", None):
                problems.append(problem("yaml-alias", path, line, f"不支持 YAML 锚点（&{event.anchor}）。请删掉 &{event.anchor}，"
                                        "直接写值。"))
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(problem("yaml-depth", path, line, f"文件头嵌套超过 {MAX_DEPTH} 层，不是正常的写法。请检查缩进。"))
                    break
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        return problems + [_syntax_problem(exc, path, first)]
    except yaml.YAMLError as exc:
        return problems + [problem("yaml-syntax", path, first, f"文件头无法读取：{exc}")]
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
    ("while parsing a flow sequence", "方括号 [ 没有配对：列表要写成 [甲, 乙]，以 ] 结束，而且写在同一行。"),
    ("while parsing a flow mapping", "花括号 { 没有配对：要写成 {键: 值, 键: 值}，以 } 结束，而且写在同一行。"),
]


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str, offset: int) -> Problem:
    text = f"{exc.context or ''} {exc.problem or ''}"
    # An unclosed [ or { is noticed on a later line; the line that opened it is the one to fix.
    opened = (exc.context or "").startswith(("while parsing a flow", "while scanning a quoted"))
    mark = (exc.context_mark if opened else None) or exc.problem_mark or exc.context_mark
    line = (mark.line + offset) if mark else offset
    hint = next((h for key, h in _SYNTAX_HINTS if key in text), "请对照 CONTRIBUTING.md 里的例子检查这一行的写法。")
    return problem("yaml-syntax", path, line, f"文件头 YAML 格式有误：{hint}（解析器原文：{(exc.problem or exc.context or '').strip()}）")


def _to_python(node, at: Path_, fm: FrontMatter, loader, path: str, problems: list, offset: int):
    """Build plain data from a composed node, recording each key's line and refusing duplicate keys."""
    fm.lines[at] = node.start_mark.line + offset
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            line = key_node.start_mark.line + offset
            if key in out:
                problems.append(problem("duplicate-key", path, line, f"字段 {key} 写了两次（第一次在第 {fm.lines[at + (key,)]} 行）。"
                                        "请只保留一个。"))
                continue
            out[key] = _to_python(value_node, at + (key,), fm, loader, path, problems, offset)
            fm.lines[at + (key,)] = line
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, at + (i,), fm, loader, path, problems, offset) for i, item in enumerate(node.value)]
    fm.raw[at] = node.value
    return loader.construct_object(node, deep=True)
