"""Covers: 900×383 JPEG, title inside the centred square, thumb ≤ 64 KB, no crash on odd glyphs."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from conftest import require_tool
from PIL import Image

from pufa.wechat import cover
from pufa.wechat.cover import (
    FONT_PATH,
    MAX_LINES,
    SQUARE_LEFT,
    cover_crops,
    cover_from_photo,
    draw_cover,
    draw_thumb,
    missing_glyphs,
)

LONG = "《中华人民共和国反电信网络诈骗法》宣传月：枣阳市各乡镇普法活动安排"


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def white_pixels(image: Image.Image) -> list[tuple[int, int]]:
    rgb = image.convert("RGB")
    width, height = rgb.size
    data = rgb.load()
    return [(x, y) for y in range(0, height, 2) for x in range(width) if min(data[x, y]) > 215]


def text_rows(image: Image.Image) -> int:
    """How many separate bands of white (title) pixels there are, top to bottom."""
    rows = sorted({y for _, y in white_pixels(image)})
    bands = 0
    previous = None
    for y in rows:
        if previous is None or y - previous > 8:
            bands += 1
        previous = y
    return bands


def test_font_and_licence_are_shipped():
    fonts = FONT_PATH.parent
    assert FONT_PATH.is_file() and FONT_PATH.stat().st_size < 3 * 1024 * 1024
    assert "SIL OPEN FONT LICENSE" in (fonts / "OFL.txt").read_text(encoding="utf-8").upper()
    assert (fonts / "README.md").is_file()


TITLES = ["反电信网络诈骗法：十问十答", "宪法", LONG, "4·15 全民国家安全教育日 National Security Day"]


@pytest.mark.parametrize("title", TITLES)
def test_cover_is_900x383_jpeg_with_title_inside_the_square(title):
    image = opened(draw_cover(title, subtitle="枣阳市司法局"))
    assert image.format == "JPEG" and image.size == (900, 383)
    pixels = white_pixels(image)
    assert len(pixels) > 200, "the title is drawn"
    xs = [x for x, _ in pixels]
    assert min(xs) >= SQUARE_LEFT and max(xs) < SQUARE_LEFT + 383
    assert 1 <= text_rows(image) <= MAX_LINES


def test_long_titles_shrink_and_wrap_to_three_lines_at_most():
    assert text_rows(opened(draw_cover(LONG))) == 3
    assert text_rows(opened(draw_cover("宪法"))) == 1


def test_cover_is_deterministic():
    assert draw_cover("民法典进社区", subtitle="枣阳市司法局") == draw_cover("民法典进社区", subtitle="枣阳市司法局")
    assert draw_thumb("民法典进社区") == draw_thumb("民法典进社区")


def test_thumb_is_a_small_square_jpeg():
    data = draw_thumb(LONG, subtitle="枣阳市司法局")
    image = opened(data)
    assert image.format == "JPEG" and image.width == image.height
    assert len(data) <= 64_000


def test_thumb_of_a_busy_photo_still_fits_64_kb():
    noisy = Image.frombytes("RGB", (1200, 800), bytes((i * 7919) % 251 for i in range(1200 * 800 * 3)))
    out = io.BytesIO()
    noisy.save(out, "PNG")
    cover_jpeg = cover_from_photo(out.getvalue())
    assert opened(cover_jpeg).size == (900, 383)
    assert len(cover.thumb_from_cover(cover_jpeg)) <= 64_000


def test_chinese_line_breaking_keeps_punctuation_off_line_starts():
    chain = cover._font_chain((), 40)
    for width in range(120, 330, 10):
        for line in cover._wrap("反诈，要记牢！“三不一多”：不轻信、不透露、不转账，多核实。", chain, width):
            assert line[0] not in cover.NO_START, line
            assert line[-1] not in cover.NO_END, line
    assert cover._wrap("Hello World", chain, 1000) == ["Hello World"]


def test_missing_glyphs_are_reported_not_fatal():
    title = "测试𠀀标题😀"
    assert missing_glyphs(title) == ["𠀀", "😀"]
    image = opened(draw_cover(title))
    assert image.size == (900, 383)
    assert missing_glyphs("枣阳市司法局：宪法宣传周") == []


def test_a_fallback_font_draws_what_the_subset_lacks():
    # 镕 (U+9555) is outside GB2312, so the shipped subset lacks it; ask fontconfig for a font that has it.
    listing = shutil.which("fc-list") and subprocess.run(
        ["fc-list", ":charset=9555", "file"], capture_output=True, text=True, check=False
    ).stdout
    fonts = sorted(line.split(":")[0].strip() for line in (listing or "").splitlines() if line.strip())
    if not fonts:
        require_tool("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "A font that covers 镕", "fonts-wqy-microhei")
    assert missing_glyphs("朱镕") == ["镕"]
    assert missing_glyphs("朱镕", fonts=[fonts[0]]) == []
    assert draw_cover("朱镕", fonts=[fonts[0]]) != draw_cover("朱镕")


def test_crops_are_the_centred_areas_as_fractions():
    def jpeg(size):
        out = io.BytesIO()
        Image.new("RGB", size).save(out, "JPEG")
        return out.getvalue()

    # 900×383 is 2.35:1 to within a pixel, so the wide crop is the whole picture.
    assert cover_crops(jpeg((900, 383))) == {"pic_crop_235_1": "0_0_1_1", "pic_crop_1_1": "0.287222_0_0.712778_1"}
    assert cover_crops(jpeg((1000, 1000))) == {"pic_crop_235_1": "0_0.287234_1_0.712766", "pic_crop_1_1": "0_0_1_1"}
    assert cover_crops(jpeg((2000, 500)))["pic_crop_235_1"] == "0.20625_0_0.79375_1"
