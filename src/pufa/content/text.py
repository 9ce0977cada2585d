"""Characters an editor cannot see or tell apart, and text that must stay plain.

Text pasted from Word, WPS or a web page brings invisible characters: no-break and full-width spaces
where YAML wants a space, zero-width spaces and soft hyphens inside words, vertical tabs from Shift+Enter,
bidirectional controls that reorder what a reviewer reads, curly quotes where YAML wants straight ones.
Each is found here with the exact fix. Front-matter values are also plain text: titles, summaries and
addresses are printed into HTML attributes, feeds and WeChat, so they carry no markup.
"""

from __future__ import annotations

import re
import unicodedata

MAX_LINE_CHARS = 10_000  # a long Chinese paragraph is ~1,000 characters; far more is a pasted blob

# C0 and C1 controls except tab, newline and carriage return; DEL.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidirectional controls: they can make a line display differently from what it contains.
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Zero-width and soft characters that break words, search and line wrapping invisibly.
INVISIBLE = re.compile("[\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff]")
ODD_SPACE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
# A markup tag (or comment, or declaration) inside what must be plain text.
TAG = re.compile(r"<\s*[A-Za-z!/?]")
BULLET = re.compile(r"^([ \t]*)([•●▪◦■□◆◇►▶·・])[ \t\u3000]*(?=\S)")

_NAMES = {
    "\u00a0": "不换行空格（NBSP）", "\u3000": "全角空格", "\u200b": "零宽空格", "\u200c": "零宽不连字",
    "\u200d": "零宽连字", "\u2060": "零宽不换行", "\ufeff": "零宽不换行空格（BOM）", "\u00ad": "软连字符",
    "\u180e": "蒙古文元音分隔符", "\u202f": "窄不换行空格", "\u205f": "数学空格",
    "\x0b": "垂直制表符（Word 里按 Shift+Enter 产生）", "\x0c": "换页符", "\x00": "空字符",
}


def char_name(ch: str) -> str:
    """What an editor would call the character, with its code point."""
    name = _NAMES.get(ch)
    if name is None:
        if CONTROL.match(ch):
            name = "控制字符"
        elif BIDI.match(ch):
            name = "文字方向控制符"
        else:
            name = unicodedata.name(ch, "看不见的字符")
    return f"{name}（U+{ord(ch):04X}）"


def column(line: str, index: int) -> str:
    """'第 N 个字符' for messages (1-based, counted as an editor counts)."""
    return f"第 {index + 1} 个字符"


def line_problems(line: str) -> list[tuple[str, str]]:
    """(code, message) for every invisible or dangerous character on one line of a Markdown file."""
    found = []
    if len(line) > MAX_LINE_CHARS:
        found.append(("line-too-long", f"这一行有 {len(line)} 个字符，超过 {MAX_LINE_CHARS}：多半是粘贴进来的整段文件。"
                      "请分成多个段落（段落之间空一行）。"))
        return found  # the per-character checks below would repeat the same blob
    for match in CONTROL.finditer(line):
        found.append(("control-char", f"{column(line, match.start())}是看不见的{char_name(match.group())}，"
                      "网页和公众号都无法处理它。请删除；要换行就直接按回车。"))
    for match in BIDI.finditer(line):
        found.append(("bidi-char", f"{column(line, match.start())}是看不见的{char_name(match.group())}，"
                      "它会让这一行显示的顺序和实际内容不同。请删除。"))
    for match in INVISIBLE.finditer(line):
        found.append(("invisible-char", f"{column(line, match.start())}是看不见的{char_name(match.group())}，"
                      "常见于从网页或 Word 复制的文字，会让搜索找不到这个词。请删除。"))
    return found


def bullet_problem(line: str) -> str | None:
    """A line that starts with a pasted bullet (•) is a list item Markdown does not recognise."""
    match = BULLET.match(line)
    if not match:
        return None
    fixed = match.group(1) + "- " + line[match.end():]
    return (f"这一行以“{match.group(2)}”开头，Markdown 不认这种圆点，整段会挤成一段文字。"
            f"列表项请以“- ”开头（减号加空格），改成：{fixed.strip()}")


def plain_text_problems(value: str) -> list[tuple[str, str]]:
    """(code, message) for a front-matter value that is not plain one-paragraph text."""
    found = []
    for pattern, code in ((CONTROL, "control-char"), (BIDI, "bidi-char"), (INVISIBLE, "invisible-char")):
        bad = pattern.search(value)
        if bad:
            found.append((code, f"值里有看不见的{char_name(bad.group())}。请删除它（最好把这个值重新打一遍）。"))
    if TAG.search(value):
        found.append(("markup-in-text", "这里只能写纯文字，不能写 HTML 标签或“<…>”。书名请用《》，强调请放在正文里。"))
    return found


_NOT_WORDS = re.compile(r"[\s\u3000，。、；：？！,.;:?!“”‘’\"'（）()《》〈〉【】\[\]—\-…·]")


def comparable(text: str) -> str:
    """Text as two editors would count it the same: without spaces and punctuation, full-width letters and
    digits folded to ASCII (so a question pasted twice with different punctuation is one question)."""
    return _NOT_WORDS.sub("", unicodedata.normalize("NFKC", text)).lower()
