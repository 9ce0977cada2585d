"""Line-level checks of a Markdown body, done before it is rendered: characters an editor cannot see,
pasted bullets, image paths with spaces, and structures too long or too deep for any real page.

The limits keep rendering linear and bounded: a 300,000-character line or a list nested 300 deep is
refused here, with a message, instead of making the renderer crawl or overflow its stack.
"""

from __future__ import annotations

import re

from ..content import text as chars
from ..content.loader import Source
from ..problems import Problem, problem

MAX_DEPTH = 12  # nested lists and quotes; a real 讲稿 uses three at most
_NESTING = re.compile(r"^((?:[ \t]*(?:[-*+]|\d{1,9}[.)]|>)(?:[ \t]+|$))+)")
_SPACED_TARGET = re.compile(r"!?\[[^\]\n]*\]\(((?!<)[^()\s\"'][^()\n\"']*?\s+[^()\n\"']*?\.(?:jpe?g|png|webp|md|pdf))\)", re.I)


def check_body(source: Source) -> tuple[list[Problem], bool]:
    """Problems in the body of one file, and whether it is safe to render (False: too long or too deep)."""
    fm = source.fm
    if fm is None:
        return [], False
    problems, renderable = [], True
    in_fence = None
    for number, line in enumerate(fm.body.split("\n"), start=fm.body_line):
        for code, message in chars.line_problems(line):
            problems.append(problem(code, source.shown, number, message))
            renderable = renderable and code != "line-too-long"
        if len(line) > chars.MAX_LINE_CHARS:
            continue
        fence = re.match(r"^[ \t]*(`{3,}|~{3,})", line)
        if fence:
            in_fence = None if in_fence and fence.group(1).startswith(in_fence) else (in_fence or fence.group(1)[:3])
            continue
        if in_fence:
            continue
        bullet = chars.bullet_problem(line)
        if bullet:
            problems.append(problem("pasted-bullet", source.shown, number, bullet))
        depth = _depth(line)
        if depth > MAX_DEPTH and renderable:  # once per file: the first line is the one to fix
            renderable = False
            problems.append(problem("nesting-too-deep", source.shown, number, f"这一行的列表或引用嵌套了 {depth} 层，"
                                    f"超过 {MAX_DEPTH} 层：这不是正常的写法（可能是粘贴出错）。请减少缩进层级。"))
        for match in _SPACED_TARGET.finditer(line):
            target = match.group(1)
            problems.append(problem("image-path-space", source.shown, number, f"地址“{target}”里有空格，Markdown 会在空格处把它"
                                    f"截断。请把文件改名去掉空格（推荐），或者把地址写在尖括号里：(<{target}>)。"))
    return problems, renderable


def _depth(line: str) -> int:
    """How many list or quote levels a line opens: leading markers, plus indentation in steps of two."""
    match = _NESTING.match(line)
    markers = len(re.findall(r"(?:[-*+]|\d{1,9}[.)]|>)(?=[ \t]|$)", match.group(1))) if match else 0
    indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))
    return markers + indent // 4
