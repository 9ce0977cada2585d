"""prepare_body_image: JPEG/PNG under 1 MB, ≤ 1080 px wide, no metadata, same bytes every time."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from pufa.wechat.images import MAX_BYTES, ImageError, prepare_body_image


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def noise(width: int, height: int, seed: int = 1) -> Image.Image:
    return Image.frombytes("RGB", (width, height), random.Random(seed).randbytes(width * height * 3))


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_large_png_photo_becomes_small_jpeg():
    source = encode(noise(1600, 1000), "PNG")
    assert len(source) > MAX_BYTES
    result = prepare_body_image(source)
    assert result.format == "jpeg" and result.extension == "jpg" and result.mime == "image/jpeg"
    assert len(result.data) < MAX_BYTES
    image = opened(result.data)
    assert image.format == "JPEG" and image.size == (1080, 675) == (result.width, result.height)


def test_webp_is_converted():
    photo = encode(Image.linear_gradient("L").resize((900, 600)).convert("RGB"), "WEBP", quality=80)
    result = prepare_body_image(photo)
    assert result.format == "jpeg" and opened(result.data).size == (900, 600)
    transparent = encode(Image.new("RGBA", (300, 200), (200, 30, 30, 120)), "WEBP", lossless=True)
    result = prepare_body_image(transparent)
    assert result.format == "png" and opened(result.data).mode == "RGB"


def test_transparency_is_flattened_onto_white():
    """WeChat's dark page would show through: a black line drawn on transparency must stay visible."""
    drawing = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    drawing.paste((20, 20, 20, 255), (0, 45, 200, 55))
    result = opened(prepare_body_image(encode(drawing, "PNG")).data)
    assert result.mode == "RGB" and "transparency" not in result.info
    assert result.getpixel((5, 5)) == (255, 255, 255) and result.getpixel((5, 50)) == (20, 20, 20)
    palette = Image.new("P", (50, 50), 0)
    palette.info["transparency"] = 0
    result = opened(prepare_body_image(encode(palette, "PNG")).data)
    assert result.mode in ("RGB", "L") and "transparency" not in result.info


def test_gif_is_converted_to_png():
    gif = encode(Image.new("P", (120, 80), 3), "GIF")
    result = prepare_body_image(gif)
    assert result.format == "png" and opened(result.data).format == "PNG"


def test_small_png_stays_png_and_narrow_images_keep_their_size():
    drawing = encode(Image.new("RGB", (640, 400), (240, 240, 240)), "PNG")
    result = prepare_body_image(drawing)
    assert result.format == "png" and (result.width, result.height) == (640, 400)


def test_metadata_is_stripped_and_orientation_applied():
    exif = Image.Exif()
    exif[0x010F] = "TestCamera"  # Make
    exif[0x0112] = 6  # rotate 90° clockwise when shown
    source = encode(noise(400, 200), "JPEG", exif=exif.tobytes(), quality=90)
    assert opened(source).getexif().get(0x010F) == "TestCamera"
    result = prepare_body_image(source)
    image = opened(result.data)
    assert image.size == (200, 400)
    assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info


def test_large_transparent_png_is_flattened_under_limit():
    pixels = noise(1200, 900, seed=3).convert("RGBA")
    pixels.putalpha(Image.linear_gradient("L").resize((1200, 900)))
    source = encode(pixels, "PNG")
    assert len(source) > MAX_BYTES
    result = prepare_body_image(source)
    assert len(result.data) < MAX_BYTES and result.width <= 1080 and opened(result.data).mode == "RGB"


def test_same_input_same_bytes():
    source = encode(noise(1300, 700, seed=5), "PNG")
    assert prepare_body_image(source).data == prepare_body_image(source).data


def test_unreadable_image_has_a_chinese_message():
    with pytest.raises(ImageError, match="SVG"):
        prepare_body_image(b'<svg xmlns="http://www.w3.org/2000/svg"/>', name="map.svg")
