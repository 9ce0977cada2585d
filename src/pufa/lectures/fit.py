"""How much text fits in a slide's text box: a small, deliberately pessimistic line-fitting estimator.

A deck is opened in PowerPoint, WPS and LibreOffice, each with its own fonts (微软雅黑 on Windows, WenQuanYi
Micro Hei and DejaVu Sans on Linux), and none of them is asked to shrink text to fit: autofit is off, so
what is measured here is what renders. Widths are counted in em: a full-width (CJK) character is 1 em,
ASCII a little more than Microsoft YaHei's 0.55 em because LibreOffice draws it with the wider DejaVu
Sans, and a quarter em between CJK and a Latin letter or digit, where LibreOffice and WPS add space
(2026 年 11 月). Lines break as CJK text does: anywhere between characters, except that closing punctuation never
starts a line and opening punctuation never ends one (kinsoku), and an ASCII word is kept whole unless it
is longer than a line. Every box keeps a safety margin on top of that, so a deck never overflows even
where a renderer breaks one character earlier than this estimate.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

PT = 12700  # EMU per point
WIDTH_SAFETY = 0.95  # of a line's width, for renderers that break earlier than estimated
HEIGHT_SAFETY = 0.95  # of a box's height

# Characters that may not begin a line (closing punctuation) or end one (opening punctuation).
NO_LINE_START = set("，。、；：！？）】」』》〉”’…—％%,.;:!?)]}·")
NO_LINE_END = set("（【「『《〈“‘([{")
_ASCII_WORD = re.compile(r"[!-~]+")


def char_em(ch: str) -> float:
    """A character's advance width in em, rounded up for the widest font a deck may be drawn with."""
    if ch == " ":
        return 0.33
    if ch < "\x80":
        return 0.75 if ch.isupper() or ch in "MWmw@%&" else 0.62
    if unicodedata.east_asian_width(ch) in ("W", "F", "A"):  # “”…— are full width in CJK fonts
        return 1.0
    return 0.7


AUTOSPACE_EM = 0.25  # the space renderers put between CJK and Latin letters or digits


def _wide(ch: str) -> bool:
    return ch > "\x7f" and unicodedata.east_asian_width(ch) in ("W", "F")


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _gap(a: str, b: str) -> float:
    """Extra space between two neighbouring characters (CJK next to a Latin letter or digit)."""
    return AUTOSPACE_EM if (_latin(a) and _wide(b)) or (_wide(a) and _latin(b)) else 0.0


def text_em(text: str) -> float:
    return sum(char_em(ch) for ch in text) + sum(_gap(a, b) for a, b in zip(text, text[1:]))


def _tokens(text: str) -> list[str]:
    """Units a line never breaks inside: an ASCII word, or a character with the punctuation glued to it."""
    units: list[str] = []
    i = 0
    while i < len(text):
        match = _ASCII_WORD.match(text, i)
        unit = match.group() if match else text[i]
        i += len(unit)
        if units and (unit[0] in NO_LINE_START or units[-1][-1] in NO_LINE_END):
            units[-1] += unit
        else:
            units.append(unit)
    return units


def wrap(text: str, width_em: float) -> list[str]:
    """The lines `text` takes in a box `width_em` wide (a long ASCII word is broken where it must be)."""
    lines: list[str] = []
    for part in text.split("\n"):
        line, used = "", 0.0
        for unit in _tokens(part):
            width, gap = text_em(unit), _gap(line[-1], unit[0]) if line else 0.0
            if used + gap + width > width_em and line.strip():
                lines.append(line.rstrip())
                line, used, gap = "", 0.0, 0.0
                if unit == " ":
                    continue
            if width > width_em:  # longer than a whole line: broken between characters
                for ch in unit:
                    if used + char_em(ch) > width_em and line:
                        lines.append(line)
                        line, used = "", 0.0
                    line += ch
                    used += char_em(ch)
                continue
            line += unit
            used += gap + width
        lines.append(line.rstrip())
    return lines


@dataclass(frozen=True)
class Style:
    """How a paragraph is set: size and fixed line spacing in points, space before it, left indent."""

    size: float
    line: float  # fixed line pitch (a:lnSpc/a:spcPts), so every renderer uses the same
    before: float = 0.0
    indent: float = 0.0  # marL: room for a bullet or a number


@dataclass(frozen=True)
class Box:
    """A text box in points, with its insets (the same numbers written into a:bodyPr)."""

    left: float
    top: float
    width: float
    height: float
    inset_x: float = 7.2
    inset_y: float = 3.6

    def emu(self) -> tuple[int, int, int, int]:
        return tuple(round(v * PT) for v in (self.left, self.top, self.width, self.height))

    def line_em(self, style: Style) -> float:
        """How many em one line of `style` may hold, with the safety margin."""
        return (self.width - 2 * self.inset_x - style.indent) * WIDTH_SAFETY / style.size


def height(paragraphs: list[str], style: Style, box: Box) -> float:
    """The height `paragraphs` take in `box`, insets included."""
    em = box.line_em(style)
    return 2 * box.inset_y + sum(style.before + len(wrap(p, em)) * style.line for p in paragraphs)


def fits(paragraphs: list[str], style: Style, box: Box) -> bool:
    return height(paragraphs, style, box) <= box.height * HEIGHT_SAFETY


ELLIPSIS = "…"  # one character: renderers break a line between the two halves of ……


def clip(text: str, style: Style, box: Box, *, lines: int, suffix: str = "") -> str:
    """`text` + `suffix` as it fits in at most `lines` lines of the box, `text` cut with an ellipsis when it
    does not fit whole."""
    em = box.line_em(style)
    if len(wrap(text + suffix, em)) <= lines:
        return text + suffix
    n = len(text)
    while n and len(wrap(text[:n] + ELLIPSIS + suffix, em)) > lines:
        n -= 1
    return cut_at(text, n).rstrip("，、；：,;: ") + ELLIPSIS + suffix


def cut_at(text: str, n: int) -> str:
    """The first `n` characters, moved back to the start of an ASCII word the cut would split (a word as
    long as the whole cut is split all the same: the caller adds an ellipsis)."""
    m = n
    while 0 < m < len(text) and _word_char(text[m - 1]) and _word_char(text[m]):
        m -= 1
    return text[:m] if m else text[:n]


def _word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


BREAKS = {"：": 0, "—": 0, ":": 0, "，": 2, "；": 2, ",": 2, ";": 2, "、": 6, " ": 6}  # where, and how gladly (em)


def balance(text: str, style: Style, box: Box) -> str:
    """A title that takes more than one line, broken by hand ("\n") after the clause boundary nearest its
    middle, when the lines then still fit: 发现了就要报告：/密切接触孩子的单位怎么做 rather than a last line
    of one character. A weaker boundary (、) must be that much nearer the middle to be chosen."""
    em = box.line_em(style)
    count = len(wrap(text, em))
    if count < 2 or "\n" in text:
        return text
    middle = text_em(text) / count
    best = None
    for i, ch in enumerate(text[:-1]):
        if ch not in BREAKS or text[i + 1] == ch:  # never between the two halves of ——
            continue
        head, tail = text[:i + 1].rstrip(), text[i + 1:].lstrip()
        if len(wrap(head, em)) == 1 and len(wrap(tail, em)) <= count - 1:
            score = abs(text_em(head) - middle) + BREAKS[ch]
            best = (score, head + "\n" + tail) if best is None or score < best[0] else best
    return best[1] if best else text


def pages(items: list[str], style: Style, box: Box, *, most: int) -> list[list[str]]:
    """`items` in order over as few pages of `box` as they fit in (at most `most` a page), spread evenly so
    that a continuation page is not left with a single line. An item too tall even alone must have been
    clipped by the caller; it gets a page of its own."""
    greedy: list[list[str]] = []
    for item in items:
        if greedy and len(greedy[-1]) < most and fits(greedy[-1] + [item], style, box):
            greedy[-1].append(item)
        else:
            greedy.append([item])
    count = len(greedy)
    if count < 2:
        return greedy
    base, extra = divmod(len(items), count)
    even, start = [], 0
    for i in range(count):
        size = base + (1 if i < extra else 0)
        even.append(items[start:start + size])
        start += size
    return even if all(len(page) <= most and fits(page, style, box) for page in even) else greedy
