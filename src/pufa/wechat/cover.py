"""Draw the article cover (900×383, the 2.35:1 headline slot) and its square thumbnail.

WeChat also shows the cover cropped to 1:1 (message list, share card) and may ignore the crop
fields, so the title sits inside the centred 383×383 square. Drawing is deterministic: same title,
same bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from .. import media

WIDTH, HEIGHT = 900, 383
SQUARE = HEIGHT
SQUARE_LEFT = (WIDTH - SQUARE) // 2
PADDING = 30
MAX_SIZE, MIN_SIZE = 60, 26
MAX_LINES = 3
LINE_HEIGHT = 1.3
THUMB_MAX_BYTES = 64_000  # thumb material: ≤ 64 KB JPG

FONT_PATH = Path(__file__).parent / "fonts" / "NotoSansCJKsc-Bold-subset.otf"

BACKGROUND_LEFT = (16, 58, 112)
BACKGROUND_RIGHT = (30, 90, 160)
DISC = (255, 255, 255, 20)
TITLE_COLOR = (255, 255, 255)
SUBTITLE_COLOR = (243, 211, 138)

# Line-breaking rules for Chinese: these never start a line / never end one.
NO_START = set("，。、；：！？）》」』】〕…’”·%,.;:!?)]}")
NO_END = set("（《「『【〔‘“([{")
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-_%/+]*|\s+|.")


def draw_cover(
    title: str,
    *,
    subtitle: str = "",
    fonts: Sequence[str | Path] = (),
) -> bytes:
    """A 900×383 JPEG with the title (at most 3 lines, shrunk to fit) inside the centred square.

    `fonts` are extra font files tried, in order, for characters the shipped subset lacks.
    """
    return _jpeg(_cover_image(title, subtitle, tuple(map(str, fonts))), quality=90)


def draw_thumb(
    title: str,
    *,
    subtitle: str = "",
    fonts: Sequence[str | Path] = (),
) -> bytes:
    """The cover's centred square as a JPEG of at most 64 KB (WeChat's thumb material limit)."""
    return thumb_from_cover(draw_cover(title, subtitle=subtitle, fonts=fonts))


def cover_crops(cover: bytes) -> dict[str, str]:
    """draft/add's crop fields for this cover: the centred 2.35:1 and 1:1 areas as fractions
    `X1_Y1_X2_Y2` of the image (top left to bottom right, six decimals)."""
    with Image.open(io.BytesIO(cover)) as image:
        width, height = image.size
    return {"pic_crop_235_1": _centred(width, height, 2.35), "pic_crop_1_1": _centred(width, height, 1.0)}


def _centred(width: int, height: int, ratio: float) -> str:
    crop_w, crop_h = min(width, height * ratio), min(height, width / ratio)
    # Less than a pixel off (900×383 is 2.3499:1) is the whole side, not a sliver crop.
    crop_w = width if width - crop_w < 1 else crop_w
    crop_h = height if height - crop_h < 1 else crop_h
    x1, y1 = (width - crop_w) / 2 / width, (height - crop_h) / 2 / height
    return "_".join(_fraction(v) for v in (x1, y1, 1 - x1, 1 - y1))


def _fraction(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def cover_from_photo(data: bytes) -> bytes:
    """An editor's own cover picture, centre-cropped to 900×383."""
    with media.open_header(data) as source:  # an editor's photo: opened with the same guard as every image
        image = media.flatten(media.clean_pixels(source))
    return _jpeg(ImageOps.fit(image, (WIDTH, HEIGHT), Image.Resampling.LANCZOS), quality=88)


def thumb_from_cover(cover: bytes) -> bytes:
    image = Image.open(io.BytesIO(cover)).convert("RGB")
    left = (image.width - image.height) // 2
    square = image.crop((left, 0, left + image.height, image.height))
    if square.width > SQUARE:
        square = square.resize((SQUARE, SQUARE), Image.Resampling.LANCZOS)
    for quality in (85, 75, 65, 55, 45, 35):
        data = _jpeg(square, quality=quality)
        if len(data) <= THUMB_MAX_BYTES:
            return data
    return _jpeg(square.resize((200, 200), Image.Resampling.LANCZOS), quality=60)


def missing_glyphs(text: str, *, fonts: Sequence[str | Path] = ()) -> list[str]:
    """Characters of `text` that no available font can draw (they would show as boxes)."""
    chain = _font_chain(tuple(map(str, fonts)), 40)
    seen: list[str] = []
    for ch in text:
        if not ch.isspace() and _font_for(ch, chain) is None and ch not in seen:
            seen.append(ch)
    return seen


# --- drawing --------------------------------------------------------------------------------


def _cover_image(title: str, subtitle: str, extra: tuple[str, ...]) -> Image.Image:
    image = _background()
    draw = ImageDraw.Draw(image)
    box_width = SQUARE - 2 * PADDING
    sub_size = 20
    sub_height = round(sub_size * 2.2) if subtitle else 0
    box_height = SQUARE - 2 * PADDING - sub_height

    title = " ".join(title.split())
    size, lines = _fit(title, extra, box_width, box_height)
    chain = _font_chain(extra, size)
    step = round(size * LINE_HEIGHT)
    top = PADDING + (box_height - step * len(lines)) // 2
    for i, line in enumerate(lines):
        _draw_line(draw, line, chain, top + i * step + (step - size) // 2)

    if subtitle:
        sub_chain = _font_chain(extra, sub_size)
        sub_lines = _wrap(subtitle, sub_chain, box_width)[:1]
        y = SQUARE - PADDING - sub_size - 4
        rule_y = y - 14
        draw.line((WIDTH // 2 - 24, rule_y, WIDTH // 2 + 24, rule_y), fill=SUBTITLE_COLOR, width=2)
        _draw_line(draw, sub_lines[0] if sub_lines else "", sub_chain, y, SUBTITLE_COLOR)
    return image


def _background() -> Image.Image:
    gradient = Image.linear_gradient("L").rotate(90).resize((WIDTH, HEIGHT))
    left = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND_LEFT)
    right = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND_RIGHT)
    image = Image.composite(left, right, gradient)
    # Soft discs in the side panels only: the square stays calm behind the title.
    overlay = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    draw.ellipse((-120, -60, 200, 260), fill=DISC)
    draw.ellipse((60, 220, 240, 400), fill=DISC)
    draw.ellipse((720, -80, 1000, 200), fill=DISC)
    draw.ellipse((680, 250, 820, 390), fill=DISC)
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")


def _fit(title: str, extra: tuple[str, ...], width: int, height: int) -> tuple[int, list[str]]:
    for size in range(MAX_SIZE, MIN_SIZE - 1, -2):
        chain = _font_chain(extra, size)
        lines = _wrap(title, chain, width)
        if len(lines) <= MAX_LINES and len(lines) * size * LINE_HEIGHT <= height:
            return size, _balance(title, chain, width, len(lines))
    chain = _font_chain(extra, MIN_SIZE)
    lines = _wrap(title, chain, width)
    if len(lines) > MAX_LINES:
        last = lines[MAX_LINES - 1]
        while last and _width(last + "…", chain) > width:
            last = last[:-1]
        lines = lines[: MAX_LINES - 1] + [last + "…"]
    return MIN_SIZE, lines


def _balance(title: str, chain: list, width: int, count: int) -> list[str]:
    # Narrow the measure while the line count holds, so a title does not end on one lonely character.
    best = _wrap(title, chain, width)
    for narrower in range(width - 4, width // 2, -4):
        lines = _wrap(title, chain, narrower)
        if len(lines) > count:
            break
        best = lines
    return best


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    opening = ""
    for piece in TOKEN.findall(text):
        if piece.isspace():
            tokens.append(" ")
        elif piece in NO_END:
            opening += piece
        elif piece[0] in NO_START and tokens and tokens[-1] != " ":
            tokens[-1] += piece
        else:
            tokens.append(opening + piece)
            opening = ""
    if opening:
        tokens.append(opening)
    return tokens


def _wrap(text: str, chain: list, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        if _width(line + token, chain) <= width or not line.strip():
            line = (line + token).lstrip()
            while _width(line, chain) > width and len(line) > 1:  # a word longer than the measure
                cut = len(line) - 1
                while cut > 1 and _width(line[:cut], chain) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        else:
            lines.append(line.rstrip())
            line = token.lstrip()
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _draw_line(draw: ImageDraw.ImageDraw, line: str, chain: list, y: int, fill=TITLE_COLOR) -> None:
    x = WIDTH / 2 - _width(line, chain) / 2
    for ch in line:
        font = _font_for(ch, chain) or chain[0]
        draw.text((round(x), y), ch, font=font, fill=fill)
        x += font.getlength(ch)


def _width(text: str, chain: list) -> float:
    return sum((_font_for(ch, chain) or chain[0]).getlength(ch) for ch in text)


def _jpeg(image: Image.Image, *, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, subsampling="4:2:0")
    return out.getvalue()


# --- fonts ----------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _font_chain(extra: tuple[str, ...], size: int) -> list[ImageFont.FreeTypeFont]:
    # BASIC layout: the same glyph advances with or without libraqm, so output does not depend on it.
    return [
        ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)
        for path in (str(FONT_PATH), *extra)
    ]


def _font_for(ch: str, chain: list) -> ImageFont.FreeTypeFont | None:
    for font in chain:
        if _has_glyph(font.path, font.size, ch):
            return font
    return None


@lru_cache(maxsize=8192)
def _has_glyph(path: str, size: int, ch: str) -> bool:
    if ch.isspace():
        return True
    font = _font_chain((), size)[0] if path == str(FONT_PATH) else ImageFont.truetype(
        path, size, layout_engine=ImageFont.Layout.BASIC
    )
    # A character the font lacks renders as .notdef, the same bitmap as a private-use code point.
    return _mask(font, ch) != _mask(font, "\U0010fffd")


def _mask(font: ImageFont.FreeTypeFont, ch: str) -> tuple:
    mask = font.getmask(ch)
    return mask.size, bytes(mask)
