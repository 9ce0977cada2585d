"""Untrusted image files in (pufa.checks.images judges them, pufa.media decodes them), metadata-free
phone-sized variants out (pufa.site.pictures)."""

from __future__ import annotations

import dataclasses
import io
import random
import re
import resource
import warnings
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from pufa import media
from pufa.cache import ContentCache
from pufa.checks import images
from pufa.site import pictures
from pufa.site.sanitize import sanitize_html

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"
# The renderer refuses from the header what `pufa check` refuses, without decoding (the build stops first anyway).
TOO_MANY_PIXELS = (media.TooManyPixels, Image.DecompressionBombWarning, Image.DecompressionBombError)
SRGB_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description GPSLatitude="32,7.5N"/></rdf:RDF></x:xmpmeta>'


# ---------------------------------------------------------------------------------------------
# Making test images
# ---------------------------------------------------------------------------------------------


def halves(size, left="red", right="blue", mode="RGB"):
    """Left half one colour, right half another: shows where a rotation went."""
    im = Image.new(mode, size, right)
    im.paste(Image.new(mode, (size[0] // 2, size[1]), left), (0, 0))
    return im


def phone_jpeg(path: Path, size=(1000, 600), orientation=6) -> Path:
    """A phone photo stored sideways, with GPS, camera EXIF, XMP and an ICC profile."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Phone"
    exif[ExifTags.Base.DateTime] = "2024:04:15 09:30:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (32.0, 7.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (112.0, 45.0, 0.0)
    halves(size).save(path, "JPEG", exif=exif, icc_profile=SRGB_ICC, xmp=XMP, quality=95)
    return path


def png_with_text(path: Path, size=(800, 500), mode="RGBA") -> Path:
    info = PngInfo()
    info.add_text("Author", "张三 13800000000")
    info.add_text("Comment", "compressed", zip=True)
    info.add_itxt("Description", "拍摄于某某村", lang="zh")
    info.add(b"tIME", bytes([0x07, 0xE8, 4, 15, 9, 30, 0]))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    im = halves(size, (255, 0, 0, 128), (0, 0, 255, 255), mode) if mode == "RGBA" else halves(size, mode=mode)
    im.save(path, "PNG", pnginfo=info, exif=exif, icc_profile=SRGB_ICC)
    return path


def plain(path: Path, size, mode="RGB", fmt=None, **save) -> Path:
    colour = {"RGB": (30, 120, 200), "RGBA": (30, 120, 200, 255), "L": 128, "CMYK": (0, 255, 255, 0)}.get(mode, 0)
    Image.new(mode, size, colour).save(path, fmt, **save)
    return path


def noisy_jpeg(path: Path, size=(300, 300)) -> Path:
    rng = random.Random(7)
    Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3)).save(path, "JPEG", quality=95)
    return path


def png_declaring(path: Path, width: int, height: int) -> Path:
    """A tiny PNG whose IHDR claims width × height: a decompression bomb that costs nothing to make."""
    buf = io.BytesIO()
    Image.new("RGB", (1, 1)).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    assert data[12:16] == b"IHDR"
    data[16:20] = width.to_bytes(4, "big")
    data[20:24] = height.to_bytes(4, "big")
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")  # Pillow checks chunk CRCs
    path.write_bytes(bytes(data))
    return path


def render(path: Path, cache_dir: Path, version: str = pictures.PIPELINE_VERSION):
    """The variants of one image file, rendered into `cache_dir`, and how many files were encoded."""
    return pictures.render_variants(path.read_bytes(), ContentCache(cache_dir, version))


def header_has_alpha(path: Path) -> bool:
    with media.open_header(path.read_bytes()) as im:
        return media.has_alpha(im)


# ---------------------------------------------------------------------------------------------
# Reading what came out
# ---------------------------------------------------------------------------------------------


def png_chunks(data: bytes) -> list[str]:
    chunks, i = [], 8
    while i < len(data):
        length = int.from_bytes(data[i : i + 4], "big")
        chunks.append(data[i + 4 : i + 8].decode("latin-1"))
        i += 12 + length
    return chunks


def webp_chunks(data: bytes) -> list[str]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    chunks, i = [], 12
    while i < len(data):
        size = int.from_bytes(data[i + 4 : i + 8], "little")
        chunks.append(data[i : i + 4].decode("latin-1"))
        i += 8 + size + (size & 1)
    return chunks


def jpeg_markers(data: bytes) -> list[int]:
    markers, i = [], 2
    while i + 4 <= len(data) and data[i] == 0xFF and data[i + 1] != 0xDA:  # up to start of scan
        markers.append(data[i + 1])
        i += 2 + int.from_bytes(data[i + 2 : i + 4], "big")
    return markers


def assert_no_metadata(path: Path) -> None:
    data = path.read_bytes()
    for needle in (b"Exif\x00\x00", b"ICC_PROFILE", b"xmpmeta", b"ns.adobe.com/xap", b"Author", "张三".encode()):
        assert needle not in data, (path.name, needle)
    with Image.open(path) as im:
        assert not im.getexif(), path.name
        assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "photoshop", "comment"} & im.info.keys()
        assert im.mode in ("RGB", "RGBA")
        fmt = im.format
    if fmt == "PNG":
        assert set(png_chunks(data)) <= {"IHDR", "IDAT", "IEND"}, png_chunks(data)
    elif fmt == "WEBP":
        assert not {"EXIF", "XMP ", "ICCP"} & set(webp_chunks(data))
    else:
        assert fmt == "JPEG"
        assert not [m for m in jpeg_markers(data) if 0xE1 <= m <= 0xEF or m == 0xFE], jpeg_markers(data)


def colour_near(pixel, expected, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=False))


# ---------------------------------------------------------------------------------------------
# inspect_image
# ---------------------------------------------------------------------------------------------


def test_phone_photo_is_accepted_with_display_size_and_a_gps_warning(tmp_path):
    info, problems = images.inspect_image(phone_jpeg(tmp_path / "a.jpg"), "docs/parks/a.jpg")
    assert info is not None
    assert (info.format, info.width, info.height) == ("JPEG", 600, 1000)
    assert not header_has_alpha(tmp_path / "a.jpg")
    assert info.path == "docs/parks/a.jpg"
    assert info.gps == pytest.approx((32.125, 112.75))  # 32°7'30" N, 112°45' E as the phone wrote it
    assert [(p.code, p.severity, p.line) for p in problems] == [("image-gps", "warning", 1)]
    assert "GPS" in problems[0].message and "仓库" in problems[0].message


@pytest.mark.parametrize(
    "name, make, fmt, alpha",
    [
        ("a.png", lambda p: png_with_text(p), "PNG", True),
        ("a.webp", lambda p: plain(p, (64, 48)), "WEBP", False),
        ("a.JPG", lambda p: plain(p, (64, 48), "CMYK", "JPEG"), "JPEG", False),
        ("a.jpeg", lambda p: plain(p, (64, 48), "L", "JPEG"), "JPEG", False),
    ],
)
def test_allowed_images_pass_without_problems(tmp_path, name, make, fmt, alpha):
    path = tmp_path / name
    make(path)
    info, problems = images.inspect_image(path, f"docs/{name}")
    assert problems == []
    assert info.format == fmt and header_has_alpha(path) == alpha


def test_phone_mpo_jpeg_is_a_jpeg_not_an_animation(tmp_path):
    path = tmp_path / "depth.jpg"
    halves((64, 48)).save(path, "MPO", save_all=True, append_images=[Image.new("RGB", (64, 48))])
    with Image.open(path) as im:
        assert im.format == "MPO" and im.n_frames == 2
    info, problems = images.inspect_image(path, "docs/depth.jpg")
    assert problems == [] and info.format == "JPEG"
    variants, encoded = render(path, tmp_path / "c")
    assert encoded == 2 and [(v.format, v.width) for v in variants] == [("webp", 64), ("jpeg", 64)]


@pytest.mark.parametrize(
    "name, make, needle",
    [
        ("a.gif", lambda p: plain(p, (10, 10), "P", "GIF"), "GIF"),
        ("a.bmp", lambda p: plain(p, (10, 10), "RGB", "BMP"), "JPEG"),
        ("a.tif", lambda p: plain(p, (10, 10), "RGB", "TIFF"), "TIFF"),
        ("script.svg", lambda p: p.write_bytes((FIXTURES / "script.svg").read_bytes()), "SVG"),
        ("disguised.png", lambda p: p.write_bytes((FIXTURES / "script.svg").read_bytes()), "SVG"),
        ("IMG_0001.heic", lambda p: p.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)), "HEIC"),
        ("noise.jpg", lambda p: p.write_bytes(random.Random(1).randbytes(2000)), "无法识别"),
        ("empty.png", lambda p: p.write_bytes(b""), "无法识别"),
    ],
)
def test_unsupported_formats_are_rejected_with_advice(tmp_path, name, make, needle):
    path = tmp_path / name
    make(path)
    info, problems = images.inspect_image(path, f"docs/{name}")
    assert info is None
    assert [p.code for p in problems] == ["image-format"]
    assert needle in problems[0].message and problems[0].is_error


@pytest.mark.parametrize("fmt", ["WEBP", "PNG"])
def test_animated_images_are_rejected(tmp_path, fmt):
    path = tmp_path / f"anim.{fmt.lower()}"
    frames = [Image.new("RGB", (16, 16), c) for c in ("red", "blue", "green")]
    frames[0].save(path, fmt, save_all=True, append_images=frames[1:])
    info, problems = images.inspect_image(path, f"docs/{path.name}")
    assert info is None and problems[0].code == "image-format"
    assert "动图" in problems[0].message and "3 帧" in problems[0].message
    with pytest.raises(ValueError, match="动图"):
        render(path, tmp_path / "c")


@pytest.mark.parametrize(
    "name, make, fix",
    [
        ("photo.png", lambda p: plain(p, (20, 20), fmt="JPEG"), "photo.jpg"),
        ("chart.jpg", lambda p: plain(p, (20, 20), fmt="PNG"), "chart.png"),
        ("photo", lambda p: plain(p, (20, 20), fmt="WEBP"), "photo.webp"),
    ],
)
def test_extension_must_match_the_real_format(tmp_path, name, make, fix):
    path = tmp_path / name
    make(path)
    info, problems = images.inspect_image(path, f"docs/{name}")
    assert info is None
    assert [p.code for p in problems] == ["image-extension"]
    assert fix in problems[0].message


@pytest.mark.parametrize("fmt, suffix", [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_truncated_files_are_reported_as_corrupt(tmp_path, fmt, suffix):
    whole = io.BytesIO()
    rng = random.Random(3)
    Image.frombytes("RGB", (200, 200), rng.randbytes(200 * 200 * 3)).save(whole, fmt)
    path = tmp_path / f"cut.{suffix}"
    path.write_bytes(whole.getvalue()[: len(whole.getvalue()) * 2 // 3])
    info, problems = images.inspect_image(path, f"docs/cut.{suffix}")
    assert info is None and [p.code for p in problems] == ["image-corrupt"]
    assert "重新" in problems[0].message
    with pytest.raises(OSError):  # the decoder meets the missing data
        render(path, tmp_path / "c")


@pytest.mark.parametrize(
    "width, height",
    [
        (8000, 6000),  # 48 MP: under Pillow's own limit, over ours
        (10000, 10000),  # 100 MP: Pillow warns (turned into an error)
        (30000, 30000),  # 900 MP: Pillow raises DecompressionBombError
    ],
)
def test_decompression_bombs_are_refused_from_the_header(tmp_path, width, height):
    path = png_declaring(tmp_path / "bomb.png", width, height)
    assert path.stat().st_size < 100
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pillow_limit, filters = Image.MAX_IMAGE_PIXELS, list(warnings.filters)
    info, problems = images.inspect_image(path, "docs/bomb.png")
    assert info is None and [p.code for p in problems] == ["image-pixels"]
    assert "4000 万像素" in problems[0].message
    if width == 8000:
        assert "8000×6000" in problems[0].message
    with pytest.raises(TOO_MANY_PIXELS):
        render(path, tmp_path / "c")
    # Nothing was decoded (an RGB 30000×30000 buffer alone is 2.7 GB) and nothing global changed.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < 200 * 1024
    assert pillow_limit == Image.MAX_IMAGE_PIXELS and filters == warnings.filters


def test_file_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    path = plain(tmp_path / "big.jpg", (64, 64), fmt="JPEG")
    monkeypatch.setattr(images, "IMAGE_MAX_BYTES", 100)
    info, problems = images.inspect_image(path, "docs/big.jpg")
    assert info is None and [p.code for p in problems] == ["file-too-large"]


def test_malformed_exif_does_not_crash_the_check(tmp_path):
    path = tmp_path / "odd.jpg"
    Image.new("RGB", (40, 30), "red").save(path, "JPEG", exif=b"Exif\x00\x00MM\x00\x2a\xff\xff\xff\xffgarbage")
    info, problems = images.inspect_image(path, "docs/odd.jpg")
    assert problems == [] and (info.width, info.height) == (40, 30)
    variants, _ = render(path, tmp_path / "c")
    for v in variants:
        assert_no_metadata(v.path)


def test_missing_file(tmp_path):
    info, problems = images.inspect_image(tmp_path / "nope.jpg", "docs/nope.jpg")
    assert info is None and problems[0].code == "image-unreadable"


# ---------------------------------------------------------------------------------------------
# clean_pixels (what every published image is made from)
# ---------------------------------------------------------------------------------------------


def test_strip_metadata_turns_upright_and_leaves_nothing_behind(tmp_path):
    with Image.open(phone_jpeg(tmp_path / "a.jpg")) as src:
        assert src.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the source really has GPS
        clean = media.clean_pixels(src)
    assert clean.size == (600, 1000) and clean.mode == "RGB"
    assert clean.info == {} and not clean.getexif()
    assert colour_near(clean.getpixel((300, 100)), (255, 0, 0))  # the left half is now on top
    assert colour_near(clean.getpixel((300, 900)), (0, 0, 255))


@pytest.mark.parametrize("orientation, top_left", [(1, "red"), (3, "blue"), (8, "blue"), (2, "blue")])
def test_every_orientation_is_applied(tmp_path, orientation, top_left):
    with Image.open(phone_jpeg(tmp_path / "a.jpg", (200, 100), orientation)) as src:
        clean = media.clean_pixels(src)
    assert clean.size == ((100, 200) if orientation >= 5 else (200, 100))
    expected = {"red": (255, 0, 0), "blue": (0, 0, 255)}[top_left]
    assert colour_near(clean.getpixel((5, 5)), expected)


@pytest.mark.parametrize(
    "mode, make, out_mode, pixel",
    [
        ("CMYK", lambda: Image.new("CMYK", (8, 8), (0, 255, 255, 0)), "RGB", (255, 0, 0)),
        ("P+tRNS", lambda: _palette_with_transparency(), "RGBA", (0, 0, 0, 0)),
        ("LA", lambda: Image.new("LA", (8, 8), (200, 100)), "RGBA", (200, 200, 200, 100)),
        ("L", lambda: Image.new("L", (8, 8), 77), "RGB", (77, 77, 77)),
        ("1", lambda: Image.new("1", (8, 8), 1), "RGB", (255, 255, 255)),
        ("I;16", lambda: Image.new("I;16", (8, 8), 32768), "RGB", (128, 128, 128)),
    ],
)
def test_modes_become_rgb_or_rgba(mode, make, out_mode, pixel):
    clean = media.clean_pixels(make())
    assert clean.mode == out_mode
    assert colour_near(clean.getpixel((0, 0)), pixel, tolerance=2)


def _palette_with_transparency():
    im = Image.new("P", (8, 8), 0)
    im.putpalette([0, 0, 0, 255, 255, 255])
    im.info["transparency"] = 0
    return im


def test_broken_icc_profile_falls_back_to_plain_conversion():
    im = Image.new("RGB", (4, 4), (10, 20, 30))
    im.info["icc_profile"] = b"not a profile"
    clean = media.clean_pixels(im)
    assert clean.info == {} and clean.getpixel((0, 0)) == (10, 20, 30)


# ---------------------------------------------------------------------------------------------
# render_variants
# ---------------------------------------------------------------------------------------------


def sizes_of(variants):
    return [(v.format, v.width, v.height) for v in variants]


def test_variants_widths_formats_and_real_sizes(tmp_path):
    src = plain(tmp_path / "wide.jpg", (1200, 800), fmt="JPEG")
    variants, encoded = render(src, tmp_path / "cache")
    assert sizes_of(variants) == [
        ("webp", 480, 320), ("webp", 960, 640), ("webp", 1200, 800),
        ("jpeg", 480, 320), ("jpeg", 960, 640), ("jpeg", 1200, 800),
    ]
    assert encoded == 6
    for v in variants:
        assert v.path.parent == tmp_path / "cache"
        with Image.open(v.path) as im:
            assert (im.format, im.size) == ({"webp": "WEBP", "jpeg": "JPEG"}[v.format], (v.width, v.height))
        assert v.path.name.endswith({"webp": ".webp", "jpeg": ".jpg"}[v.format]) and v.mime == f"image/{v.format}"
        assert v.route == "assets/images/" + v.path.name


def test_small_source_is_never_enlarged(tmp_path):
    src = plain(tmp_path / "small.png", (300, 157), fmt="PNG")
    variants, _ = render(src, tmp_path / "cache")
    assert sizes_of(variants) == [("webp", 300, 157), ("jpeg", 300, 157)]  # opaque PNG → JPEG fallback


def test_phone_photo_variants_are_upright_and_clean(tmp_path):
    src = phone_jpeg(tmp_path / "a.jpg")
    variants, _ = render(src, tmp_path / "cache")
    assert sizes_of(variants) == [("webp", 480, 800), ("webp", 600, 1000), ("jpeg", 480, 800), ("jpeg", 600, 1000)]
    for v in variants:
        assert_no_metadata(v.path)
        with Image.open(v.path) as im:
            rgb = im.convert("RGB")
            assert colour_near(rgb.getpixel((v.width // 2, v.height // 10)), (255, 0, 0))
            assert colour_near(rgb.getpixel((v.width // 2, v.height * 9 // 10)), (0, 0, 255))


def test_png_with_text_and_alpha_gets_a_png_fallback_without_chunks(tmp_path):
    src = png_with_text(tmp_path / "chart.png")
    with Image.open(src) as im:
        assert im.text["Author"].startswith("张三")  # the source really carries text
    variants, _ = render(src, tmp_path / "cache")
    assert sizes_of(variants) == [("webp", 480, 300), ("webp", 800, 500), ("png", 480, 300), ("png", 800, 500)]
    for v in variants:
        assert_no_metadata(v.path)
        with Image.open(v.path) as im:
            assert im.mode == "RGBA"
            assert abs(im.getpixel((10, 10))[3] - 128) <= 2  # transparency kept


def test_cmyk_jpeg_becomes_rgb(tmp_path):
    src = plain(tmp_path / "print.jpg", (600, 400), "CMYK", "JPEG")
    variants, _ = render(src, tmp_path / "cache")
    assert sizes_of(variants) == [("webp", 480, 320), ("webp", 600, 400), ("jpeg", 480, 320), ("jpeg", 600, 400)]
    for v in variants:
        assert_no_metadata(v.path)
        with Image.open(v.path) as im:
            assert colour_near(im.convert("RGB").getpixel((v.width // 2, v.height // 2)), (255, 0, 0))


def test_second_run_encodes_nothing(tmp_path):
    src = phone_jpeg(tmp_path / "a.jpg")
    cache = tmp_path / "cache"
    first, encoded = render(src, cache)
    stamps = {v.path: v.path.stat().st_mtime_ns for v in first}
    second, again_encoded = render(src, cache)
    assert encoded == 4 and again_encoded == 0
    assert second == first
    assert {v.path: v.path.stat().st_mtime_ns for v in second} == stamps
    assert sorted(p.name for p in cache.iterdir()) == sorted(p.name for p in stamps)  # no temp files left

    # The same bytes under another name are the same cached files.
    copy = tmp_path / "copy.jpg"
    copy.write_bytes(src.read_bytes())
    assert render(copy, cache)[1] == 0

    # Only what is missing is encoded again; a new pipeline version re-encodes everything.
    first[0].path.unlink()
    assert render(src, cache)[1] == 1
    again, encoded = render(src, cache, version="test")
    assert encoded == 4 and not {v.path for v in again} & set(stamps)


def test_output_bytes_are_deterministic(tmp_path):
    src = png_with_text(tmp_path / "chart.png")
    photo = phone_jpeg(tmp_path / "a.jpg")
    for source in (src, photo):
        one, _ = render(source, tmp_path / "one")
        two, _ = render(source, tmp_path / "two")
        assert [v.path.name for v in one] == [v.path.name for v in two]
        for a, b in zip(one, two, strict=True):
            assert a.path.read_bytes() == b.path.read_bytes()


# ---------------------------------------------------------------------------------------------
# picture_html
# ---------------------------------------------------------------------------------------------


class Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def parse(fragment):
    parser = Elements()
    parser.feed(fragment)
    parser.close()
    return parser.elements


@pytest.fixture
def picture(tmp_path):
    """The <picture> of a 1200×800 photo in docs/parks/p.jpg, as the build lays it out."""
    docs = tmp_path / "docs"
    (docs / "parks").mkdir(parents=True)
    plain(docs / "parks" / "p.jpg", (1200, 800), fmt="JPEG")
    site_images = pictures.SiteImages(cache_dir=tmp_path / "cache")
    site_images.prepare(docs, ["parks/p.jpg"])
    return site_images, site_images.picture("parks/p.jpg", "")


def test_picture_html_lazy(picture):
    site_images, plain_picture = picture
    alt = '宣传栏"><script>alert(1)</script>'
    found = site_images.picture("parks/p.jpg", alt)
    html = pictures.picture_html(found, prefix="../../", lazy=True)
    (picture_tag, _), (source, s), (img, i) = parse(html)
    assert (picture_tag, source, img) == ("picture", "source", "img")
    assert s["type"] == "image/webp" and s["sizes"] == pictures.SIZES
    assert s["srcset"] == ", ".join(f"../../{route} {width}w" for route, width in found.webp)
    assert i["srcset"] == ", ".join(f"../../{route} {width}w" for route, width in found.fallback)
    assert [width for _, width in found.webp] == [480, 960, 1200]
    assert all(route.startswith("assets/images/") for route, _ in found.webp + found.fallback)
    assert i["src"] == f"../../{found.fallback[-1][0]}"
    assert (i["width"], i["height"]) == ("1200", "800")
    assert i["alt"] == alt and "<script" not in html
    assert (i["loading"], i["decoding"]) == ("lazy", "async")


def test_picture_html_first_image_is_not_lazy(picture):
    _, found = picture
    html = pictures.picture_html(dataclasses.replace(found, sizes="100vw"), prefix="/pufa/", lazy=False)
    img = parse(html)[2][1]
    assert "loading" not in img and "decoding" not in img
    assert img["src"].startswith("/pufa/assets/images/") and img["sizes"] == "100vw"


def test_picture_html_urls_cannot_break_srcset(picture):
    _, found = picture
    html = pictures.picture_html(found, prefix="图片, 2024 年/", lazy=True)
    srcset = parse(html)[1][1]["srcset"]
    assert len(srcset.split(", ")) == 3 and " 2024" not in srcset
    assert srcset.startswith("%E5%9B%BE%E7%89%87%2C%202024%20%E5%B9%B4/")
    assert 'alt=""' in html  # decorative images keep an empty alt


def test_picture_html_survives_the_sanitizer_unchanged(picture):
    site_images, _ = picture
    found = site_images.picture("parks/p.jpg", '法治"文化"广场 & 公园')
    for lazy in (True, False):
        html = pictures.picture_html(found, prefix="../", lazy=lazy)
        assert sanitize_html(html) == html
        assert re.search(r'alt="法治&quot;文化&quot;广场 &amp; 公园"', html)
