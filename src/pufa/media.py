"""Opening an untrusted image and turning it into clean pixels: written once, used by every output.

Images arrive in pull requests like Markdown does. The header is read and judged (format, pixel count)
before a single pixel is decoded; decoded pixels are turned upright (EXIF orientation), converted to
sRGB from any embedded profile, and rebuilt from raw bytes so that no EXIF (GPS), XMP, ICC or PNG text
can ride along. Encoders use fixed settings, so the same pixels always give the same bytes.
"""

from __future__ import annotations

import io
import warnings

from PIL import ExifTags, Image, ImageCms

MAX_PIXELS = 40_000_000  # a 48-megapixel phone photo must be scaled down first; 12 MP is typical
LONG_EDGE_ADVICE = 4000  # the one size advice editors get: long edge at most 4,000 px
# Parsers allowed to read a header, so a rejected format can be named; only ACCEPTED ones decode.
IDENTIFY = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "AVIF")
# Formats accepted, with their extensions. MPO is how Pillow names the JPEGs many phones write
# (a JPEG with a depth or gain map appended); only its first image is used.
ACCEPTED: dict[str, tuple[str, ...]] = {"JPEG": (".jpg", ".jpeg"), "MPO": (".jpg", ".jpeg"), "PNG": (".png",),
                                        "WEBP": (".webp",)}
WHITE = (255, 255, 255)
_SRGB = ImageCms.createProfile("sRGB")

ENCODERS = {
    "webp": ("WEBP", {"quality": 80, "method": 4}),
    "jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True, "subsampling": "4:2:0"}),
    "png": ("PNG", {"optimize": True}),
}


class TooManyPixels(ValueError):
    def __init__(self, width: int, height: int):
        super().__init__(width, height)
        self.width, self.height = width, height


def open_header(data: bytes) -> Image.Image:
    """Open without decoding; refuse too many pixels before any decoder runs.

    Pillow itself warns above Image.MAX_IMAGE_PIXELS and raises above twice that; the warning is turned
    into an error here (without touching the global), and pufa's own, lower limit follows.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Corrupt EXIF data": never published anyway
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        im = Image.open(io.BytesIO(data), formats=IDENTIFY)
    if im.width * im.height > MAX_PIXELS:
        im.close()
        raise TooManyPixels(im.width, im.height)
    return im


def header_exif(im: Image.Image) -> Image.Exif:
    """EXIF as read with the header (JPEG APP1, WebP EXIF, PNG eXIf before the pixels), or empty.

    Image.getexif() would decode a whole PNG to look for a late eXIf chunk; reading only the header keeps
    cache hits decode-free and gives one orientation for sizing and for turning.
    """
    exif = Image.Exif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if im.info.get("exif"):
                exif.load(im.info["exif"])
                exif.get_ifd(ExifTags.IFD.GPSInfo)  # parse the GPS block here, where failure is caught
    except Exception:  # malformed EXIF in an untrusted file: treat it as absent
        return Image.Exif()
    return exif


def orientation(im: Image.Image) -> int:
    return header_exif(im).get(ExifTags.Base.Orientation, 1)


def display_size(im: Image.Image) -> tuple[int, int]:
    """Width and height as shown: orientations 5–8 turn the picture by 90° (portrait phone photos)."""
    return (im.height, im.width) if orientation(im) in (5, 6, 7, 8) else (im.width, im.height)


def gps_position(im: Image.Image) -> tuple[float, float] | None:
    """Where a photo was taken, (lat, lon) in WGS-84 as phones record it, or None."""
    gps = header_exif(im).get_ifd(ExifTags.IFD.GPSInfo)
    try:
        lat = _degrees(gps[ExifTags.GPS.GPSLatitude]) * (-1 if gps.get(ExifTags.GPS.GPSLatitudeRef) == "S" else 1)
        lon = _degrees(gps[ExifTags.GPS.GPSLongitude]) * (-1 if gps.get(ExifTags.GPS.GPSLongitudeRef) == "W" else 1)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0, 0) else None


def _degrees(value) -> float:
    d, m, s = (float(part) for part in value)
    return d + m / 60 + s / 3600


def has_alpha(im: Image.Image) -> bool:
    """Whether the image declares transparency (known from the header, without decoding)."""
    return im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in im.info


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


def clean_pixels(img: Image.Image, turn: int | None = None) -> Image.Image:
    """Turned upright, converted to sRGB (RGB or RGBA), and rebuilt from pixels only.

    The result carries no EXIF (GPS), XMP, ICC profile, PNG text or any other `info`: it is a new image made
    from raw pixel bytes. `turn` defaults to the image's EXIF orientation.
    """
    turn = orientation(img) if turn is None else turn
    if turn in _UPRIGHT:
        img = img.transpose(_UPRIGHT[turn])  # keeps `info`, needed below for the ICC profile
    mode = "RGBA" if has_alpha(img) else "RGB"
    icc = img.info.get("icc_profile")
    if icc:
        # Colours are converted, not just untagged: an iPhone's Display P3 photo would look dull.
        img = to_srgb(img, icc)
    if img.mode in ("I", "F") or img.mode.startswith("I;16"):
        # 16-bit grey from a PNG: scale to 8 bits (a plain convert would clip nearly all to white).
        img = img.convert("I").point(lambda v: v / 256).convert("L")
    if img.mode != mode:
        img = img.convert(mode)
    return Image.frombytes(mode, img.size, img.tobytes())


def to_srgb(img: Image.Image, icc: bytes) -> Image.Image:
    if img.mode not in ("RGB", "RGBA", "CMYK", "P", "L", "LA"):
        return img
    if img.mode in ("P", "L", "LA"):
        img = img.convert("RGBA" if has_alpha(img) else "RGB")
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(img, source, _SRGB, outputMode="RGB" if img.mode == "CMYK" else img.mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return img  # a broken or mismatched profile: fall back to a plain conversion


def flatten(img: Image.Image, background: tuple[int, int, int] = WHITE) -> Image.Image:
    """An RGB image with any transparency composited onto `background` (JPEG has no alpha; WeChat's dark
    mode would show a transparent PNG's dark lines on a dark page)."""
    if has_alpha(img) or img.mode in ("RGBA", "LA", "PA"):
        rgba = img.convert("RGBA")
        base = Image.new("RGB", rgba.size, background)
        base.paste(rgba, mask=rgba.getchannel("A"))
        return base
    return img if img.mode == "RGB" else img.convert("RGB")


def resized(img: Image.Image, width: int, height: int) -> Image.Image:
    if img.size == (width, height):
        return img
    return img.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def encode(img: Image.Image, fmt: str, **overrides) -> bytes:
    """Fixed settings and no metadata arguments: the same pixels always give the same bytes."""
    name, options = ENCODERS[fmt]
    if fmt == "jpeg" and img.mode not in ("RGB", "L"):
        img = flatten(img)
    out = io.BytesIO()
    img.save(out, name, **{**options, **overrides})
    return out.getvalue()
