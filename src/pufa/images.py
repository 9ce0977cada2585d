"""Photos from phones: checked before anything decodes them, published without metadata, in phone sizes.

Images come in pull requests like Markdown does, so each one is untrusted: its header is read and
judged (format, pixel count, animation) before a single pixel is decoded. Published files are
always re-encoded from pixels alone, so no EXIF (GPS), XMP, ICC or PNG text can survive.
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import posixpath
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from PIL import ExifTags, Image, ImageCms, UnidentifiedImageError

from .problems import ERROR, WARNING, Problem
from .safety import IMAGE_MAX_BYTES, check_file_size

# Bump when any encoder setting or processing step changes: it is part of every cache key.
PIPELINE_VERSION = "1"
MAX_PIXELS = 40_000_000  # a 48-megapixel phone photo must be scaled down first; 12 MP is typical
DEFAULT_WIDTHS = (480, 960, 1440)
DEFAULT_SIZES = "(max-width: 760px) 100vw, 760px"

# Formats published, with the extensions each may carry. MPO is how Pillow names the JPEGs that
# many phones write (a JPEG with a depth map or gain map appended); only its first image is used.
ALLOWED_FORMATS: dict[str, tuple[str, ...]] = {
    "JPEG": (".jpg", ".jpeg"),
    "MPO": (".jpg", ".jpeg"),
    "PNG": (".png",),
    "WEBP": (".webp",),
}
# Parsers allowed to read a header, so a rejected format can be named; only ALLOWED ones decode.
# (The JPEG parser also recognises MPO.)
_IDENTIFY_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "AVIF")
_EXTENSION_FOR = {"JPEG": ".jpg", "MPO": ".jpg", "PNG": ".png", "WEBP": ".webp"}

WEBP_OPTIONS = {"quality": 80, "method": 4}
JPEG_OPTIONS = {"quality": 82, "optimize": True, "progressive": True, "subsampling": "4:2:0"}
PNG_OPTIONS = {"optimize": True}

_SRGB = ImageCms.createProfile("sRGB")
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}

_FORMAT_ADVICE = {
    "GIF": "不接受 GIF 图片：静态图请另存为 PNG（截图、图表）或 JPEG（照片）；动图请挑选一帧另存为 JPEG，或做成视频后附上链接。",
    "SVG": "不接受 SVG 图片：SVG 文件里可以藏脚本和外部链接。请在绘图软件里“导出为 PNG”（宽度 1500 像素以上）后再提交。",
    "HEIC": "这是苹果手机的 HEIC 格式，多数浏览器无法显示：请把照片转成 JPEG 再提交"
    "（在手机“设置→相机→格式”里选“兼容性最佳”，以后拍的照片就是 JPEG）。",
}


@dataclass(frozen=True)
class ImageInfo:
    path: str  # relative to the repository root, as in Problem
    format: str  # JPEG, PNG or WEBP (phone "MPO" JPEGs are reported as JPEG)
    width: int  # as displayed, i.e. after EXIF orientation
    height: int
    mode: str
    has_alpha: bool
    size_bytes: int
    sha256: str


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    format: str  # webp | jpeg | png
    path: Path  # the file in the cache folder

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def mime(self) -> str:
        return f"image/{self.format}"


@dataclass(frozen=True)
class ImageVariants:
    source_sha256: str
    width: int  # the source as displayed
    height: int
    variants: tuple[Variant, ...]  # ascending width within each format
    encoded: int  # files encoded by this call: 0 when everything came from the cache

    @property
    def webp(self) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.format == "webp")

    @property
    def fallback(self) -> tuple[Variant, ...]:
        return tuple(v for v in self.variants if v.format != "webp")


class ImageRejected(ValueError):
    """Raised by render_variants for an image that inspect_image would reject."""


class _TooManyPixels(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Inspection
# ---------------------------------------------------------------------------------------------


def inspect_image(path: Path, rel: str) -> tuple[ImageInfo | None, list[Problem]]:
    """Check one image file; the info is None whenever there is an error among the problems."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [Problem(rel, 1, f"读不到这个图片文件（{exc.strerror}）。", ERROR, "image-unreadable")]
    too_big = check_file_size(rel, size, IMAGE_MAX_BYTES)
    if too_big:
        return None, [too_big]  # not even read: the limit also bounds the work done per file
    data = path.read_bytes()
    unsupported = _sniff_unsupported(data, rel)
    if unsupported:
        return None, [Problem(rel, 1, _FORMAT_ADVICE[unsupported], ERROR, "image-format")]
    try:
        im = _open_header(data)
    except _TooManyPixels as exc:
        return None, [_pixels_problem(rel, *exc.args)]
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None, [_pixels_problem(rel)]
    except UnidentifiedImageError:
        return None, [Problem(
            rel, 1, "无法识别这个图片文件（可能不是图片，或文件已损坏）：请用图片软件重新导出为 JPEG 或 PNG。",
            ERROR, "image-format",
        )]
    except Exception as exc:  # any other failure to parse untrusted bytes: a broken file
        return None, [_corrupt_problem(rel, exc)]

    with im:
        rejected = _rejection(im)
        if rejected:
            return None, [Problem(rel, 1, rejected, ERROR, "image-format")]
        problems = []
        suffix = posixpath.splitext(rel)[1].lower()
        if suffix not in ALLOWED_FORMATS[im.format]:
            right = posixpath.splitext(posixpath.basename(rel))[0] + _EXTENSION_FOR[im.format]
            problems.append(Problem(
                rel, 1,
                f"文件扩展名是“{suffix or '（无）'}”，但内容其实是 {_format_name(im.format)} 图片："
                f"请把文件改名为 {right}，并同时修改引用它的地方。",
                ERROR, "image-extension",
            ))
        width, height = _display_size(im)
        fmt, mode, alpha = _format_name(im.format), im.mode, has_alpha(im)
        if _has_gps(im):
            problems.append(Problem(
                rel, 1,
                "照片里带有拍摄地点（GPS 坐标）。网站发布的图片会自动去掉它，但原图仍保存在仓库里、任何人都能下载："
                "如果拍摄地点涉及住址等隐私，请换成去掉位置信息的照片（手机分享时关闭“位置”即可）。",
                WARNING, "image-gps",
            ))
    try:
        # verify() checks structure and checksums but leaves the image unusable; a fresh copy then
        # decodes every pixel, which is what finds a truncated JPEG.
        with _open_header(data) as check:
            check.verify()
        with _open_header(data) as check:
            check.load()
    except Exception as exc:  # decoders report broken data in many ways
        return None, problems + [_corrupt_problem(rel, exc)]
    if any(p.is_error for p in problems):
        return None, problems
    digest = hashlib.sha256(data).hexdigest()
    return ImageInfo(rel, fmt, width, height, mode, alpha, size, digest), problems


def _open_header(data: bytes) -> Image.Image:
    """Open without decoding; refuse too many pixels before any decoder runs.

    Pillow itself warns above Image.MAX_IMAGE_PIXELS and raises above twice that; the warning is
    turned into an error here (without touching the global), and our own, lower limit follows.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Corrupt EXIF data": never published anyway
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        im = Image.open(io.BytesIO(data), formats=_IDENTIFY_FORMATS)
    if im.width * im.height > MAX_PIXELS:
        im.close()
        raise _TooManyPixels(im.width, im.height)
    return im


def _sniff_unsupported(data: bytes, rel: str) -> str | None:
    """Formats Pillow cannot even identify but editors commonly send."""
    head = data[:256].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if rel.lower().endswith(".svg") or head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head:
        return "SVG"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "HEIC"
    return None


def _rejection(im: Image.Image) -> str | None:
    if im.format not in ALLOWED_FORMATS:
        return _FORMAT_ADVICE.get(
            im.format, f"不接受 {im.format} 格式的图片：照片请另存为 JPEG，截图和图表请另存为 PNG。"
        )
    # An MPO holds extra images (depth, gain map), not an animation.
    if im.format != "MPO" and getattr(im, "n_frames", 1) > 1:
        return (
            f"不接受动图（{_format_name(im.format)}，共 {im.n_frames} 帧）：网站只显示静态图片。"
            "请挑选最能说明问题的一帧另存为 JPEG，或把动画做成视频后附上链接。"
        )
    return None


def _pixels_problem(rel: str, width: int | None = None, height: int | None = None) -> Problem:
    size = f"尺寸 {width}×{height}，共 {width * height / 10_000:.0f} 万像素，" if width and height else ""
    return Problem(
        rel, 1,
        f"图片像素太多：{size}超过上限 {MAX_PIXELS // 10_000} 万像素。请把长边缩小到 6000 像素以内再提交。",
        ERROR, "image-pixels",
    )


def _corrupt_problem(rel: str, exc: BaseException) -> Problem:
    return Problem(
        rel, 1, f"图片文件已损坏或不完整（{exc}），可能没有上传完：请重新导出或重新上传原图。", ERROR, "image-corrupt"
    )


def _format_name(fmt: str) -> str:
    return "JPEG" if fmt == "MPO" else fmt


def _header_exif(im: Image.Image) -> Image.Exif:
    """EXIF as read with the header (JPEG APP1, WebP EXIF, PNG eXIf before the pixels).

    Image.getexif() would decode a whole PNG to look for a late eXIf chunk; reading only the
    header keeps cache hits decode-free and gives one orientation for sizing and for turning.
    """
    exif = Image.Exif()
    try:
        with warnings.catch_warnings():  # Pillow warns about corrupt EXIF; it is never published anyway
            warnings.simplefilter("ignore")
            if im.info.get("exif"):
                exif.load(im.info["exif"])
                exif.get_ifd(ExifTags.IFD.GPSInfo)  # parse the GPS block here, where failure is caught
    except Exception:  # malformed EXIF in an untrusted file: treat it as absent
        return Image.Exif()
    return exif


def _has_gps(im: Image.Image) -> bool:
    return bool(_header_exif(im).get_ifd(ExifTags.IFD.GPSInfo))


def _orientation(im: Image.Image) -> int:
    return _header_exif(im).get(ExifTags.Base.Orientation, 1)


def _display_size(im: Image.Image) -> tuple[int, int]:
    # Orientations 5–8 turn the picture by 90°: phones store portrait photos that way.
    if _orientation(im) in (5, 6, 7, 8):
        return im.height, im.width
    return im.width, im.height


def has_alpha(im: Image.Image) -> bool:
    """Whether the image declares transparency (known from the header, without decoding)."""
    return im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info


# ---------------------------------------------------------------------------------------------
# Metadata
# ---------------------------------------------------------------------------------------------


# EXIF orientation → the transpose that turns the stored pixels upright (as ImageOps.exif_transpose).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def strip_metadata(img: Image.Image, orientation: int | None = None) -> Image.Image:
    """Turned upright, converted to sRGB (RGB or RGBA), and rebuilt from pixels only.

    The result carries no EXIF (GPS), XMP, ICC profile, PNG text or any other `info`: it is a new
    image made from raw pixel bytes, so nothing can ride along whatever the source held.
    `orientation` defaults to the image's EXIF orientation.
    """
    if orientation is None:
        orientation = _orientation(img)
    if orientation in _UPRIGHT:
        img = img.transpose(_UPRIGHT[orientation])  # keeps `info`, needed below for the ICC profile
    mode = "RGBA" if has_alpha(img) else "RGB"
    icc = img.info.get("icc_profile")
    if icc:
        # Colours are converted, not just untagged: an iPhone's Display P3 photo would look dull.
        img = _to_srgb(img, icc)
    if img.mode in ("I", "F") or img.mode.startswith("I;16"):
        # 16-bit grey from a PNG: scale to 8 bits (a plain convert would clip nearly all to white).
        img = img.convert("I").point(lambda v: v / 256).convert("L")
    if img.mode != mode:
        img = img.convert(mode)
    return Image.frombytes(mode, img.size, img.tobytes())


def _to_srgb(img: Image.Image, icc: bytes) -> Image.Image:
    if img.mode not in ("RGB", "RGBA", "CMYK"):
        return img
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(img, source, _SRGB, outputMode="RGB" if img.mode == "CMYK" else img.mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return img  # a broken or mismatched profile: fall back to a plain conversion


# ---------------------------------------------------------------------------------------------
# Variants
# ---------------------------------------------------------------------------------------------


def render_variants(src: Path, *, cache_dir: Path, widths: tuple[int, ...] = DEFAULT_WIDTHS) -> ImageVariants:
    """WebP plus a JPEG (PNG when the source declares transparency) per width, cached by content.

    A cached file is named from sha256(source bytes hash + PIPELINE_VERSION + width + format), so
    a rebuild finds it from the header alone and neither decodes nor encodes anything.
    """
    if not any(w > 0 for w in widths):
        raise ValueError("render_variants needs at least one positive width")
    data = src.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    try:
        im = _open_header(data)
    except _TooManyPixels as exc:
        raise ImageRejected(_pixels_problem(src.name, *exc.args).message) from None
    except Exception as exc:  # bombs by Pillow's own limit, unknown or broken files
        raise ImageRejected(f"{src.name}：无法作为图片读取（{exc}）。") from None
    with im:
        rejected = _rejection(im)
        if rejected:
            raise ImageRejected(rejected)
        width, height = _display_size(im)
        orientation = _orientation(im)
        fallback = "png" if has_alpha(im) else "jpeg"
        plan = []
        for w in sorted({min(w, width) for w in widths if w > 0}):  # never wider than the source
            h = max(1, round(height * w / width))
            for fmt in ("webp", fallback):
                key = hashlib.sha256(f"{digest}:{PIPELINE_VERSION}:{w}:{fmt}".encode()).hexdigest()
                plan.append(Variant(w, h, fmt, Path(cache_dir) / f"{key[:20]}-{w}w.{_SUFFIX[fmt]}"))
        missing = [v for v in plan if not v.path.is_file()]
        if missing:
            Path(cache_dir).mkdir(parents=True, exist_ok=True)
            try:
                clean = strip_metadata(im, orientation)
            except Exception as exc:  # a truncated or corrupt file shows up only when decoding
                raise ImageRejected(_corrupt_problem(src.name, exc).message) from None
            for variant in missing:
                _write_atomically(variant.path, _encode(_resized(clean, variant), variant.format))
    variants = tuple(sorted(plan, key=lambda v: (v.format != "webp", v.width)))
    return ImageVariants(digest, width, height, variants, encoded=len(missing))


_SUFFIX = {"webp": "webp", "jpeg": "jpg", "png": "png"}


def _resized(img: Image.Image, variant: Variant) -> Image.Image:
    if img.size == (variant.width, variant.height):
        return img
    return img.resize((variant.width, variant.height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _encode(img: Image.Image, fmt: str) -> bytes:
    """Fixed settings and no metadata arguments: the same pixels always give the same bytes."""
    out = io.BytesIO()
    if fmt == "webp":
        img.save(out, "WEBP", **WEBP_OPTIONS)
    elif fmt == "jpeg":
        img.save(out, "JPEG", **JPEG_OPTIONS)
    else:
        img.save(out, "PNG", **PNG_OPTIONS)
    return out.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    # An interrupted build must not leave a half-written file that later counts as cached.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------


def picture_html(
    variants: ImageVariants, *, alt: str, url_prefix: str, lazy: bool, sizes: str = DEFAULT_SIZES
) -> str:
    """A <picture>: WebP sources, and an <img> fallback sized like the largest variant.

    `url_prefix` is where the cache files are published, relative to the page or absolute
    (e.g. '../../assets/images/'). The first image of a page should pass lazy=False so the
    browser fetches it at once.
    """
    prefix = url_prefix if not url_prefix or url_prefix.endswith("/") else url_prefix + "/"

    def srcset(items: tuple[Variant, ...]) -> str:
        return ", ".join(f"{_url(prefix + v.name)} {v.width}w" for v in items)

    largest = variants.fallback[-1]
    img = [
        ("src", _url(prefix + largest.name)),
        ("srcset", srcset(variants.fallback)),
        ("sizes", sizes),
        ("alt", alt),
        ("width", str(largest.width)),
        ("height", str(largest.height)),
    ]
    if lazy:
        img += [("loading", "lazy"), ("decoding", "async")]
    source = [("type", "image/webp"), ("srcset", srcset(variants.webp)), ("sizes", sizes)]
    return f"<picture><source{_attrs(source)}><img{_attrs(img)}></picture>"


def _url(url: str) -> str:
    # Commas and spaces would split a srcset entry; Chinese folder names become UTF-8 escapes.
    return quote(url, safe="/:@!$&'()*+;=-._~%#?")


def _attrs(pairs: list[tuple[str, str]]) -> str:
    return "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in pairs)


def clean_copy(src: Path, *, cache_dir: Path) -> Path:
    """The source at full size in its own format, with every metadata block removed, cached by content.

    Published in place of the original, so a link to the file itself never leaks EXIF GPS.
    """
    data = src.read_bytes()
    fmt = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp"}[src.suffix.lower()]
    key = hashlib.sha256(f"{hashlib.sha256(data).hexdigest()}:{PIPELINE_VERSION}:clean:{fmt}".encode()).hexdigest()
    target = Path(cache_dir) / f"{key[:20]}-clean.{_SUFFIX[fmt]}"
    if not target.is_file():
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        with _open_header(data) as im:
            clean = strip_metadata(im, _orientation(im))
            if fmt == "jpeg" and clean.mode == "RGBA":
                clean = clean.convert("RGB")
            _write_atomically(target, _encode(clean, fmt))
    return target
