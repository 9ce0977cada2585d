"""Body-image copies the 公众号 accepts: JPEG or PNG under 1 MB, at most 1080 px wide, no metadata,
no transparency (flattened onto white, so nothing vanishes on WeChat's dark page).

`media/uploadimg` takes only JPG/PNG below 1 MB, so WebP and GIF are converted and large files are
downscaled or recompressed. The same input always gives the same bytes (no timestamps, fixed
encoder settings), so bundles rebuild identically and upload caches keyed by content hash work.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_BYTES = 1_000_000  # "< 1 MB"; the decimal megabyte is the stricter reading
MAX_WIDTH = 1080
JPEG_QUALITIES = (85, 78, 70, 62, 55)
WHITE = (255, 255, 255)


class ImageError(ValueError):
    """An image that cannot become a WeChat body image; `str()` is a Chinese message for editors."""


@dataclass(frozen=True)
class BodyImage:
    data: bytes
    format: str  # "jpeg" or "png"
    width: int
    height: int

    @property
    def extension(self) -> str:
        return "jpg" if self.format == "jpeg" else "png"

    @property
    def mime(self) -> str:
        return f"image/{self.format}"


def prepare_body_image(data: bytes, *, name: str = "") -> BodyImage:
    """Convert any Pillow-readable image into a WeChat body image (JPEG for photos, PNG otherwise)."""
    label = f"“{name}”" if name else ""
    try:
        source = Image.open(io.BytesIO(data))
        source.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise ImageError(f"无法读取图片{label}：公众号正文只支持 JPG/PNG 图片，SVG 等矢量图请先导出为 PNG。") from exc

    photo = source.format in ("JPEG", "MPO") or (source.format == "WEBP" and not _has_alpha(source))
    image = _to_srgb(ImageOps.exif_transpose(source) or source)
    if image.width > MAX_WIDTH:
        height = max(1, round(image.height * MAX_WIDTH / image.width))
        image = image.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)

    # Transparent pixels show the page behind them, and in WeChat's dark mode that page is
    # #191919: dark lines and text drawn on transparency vanish. Flatten onto white, as on the site.
    image = _flatten(image)
    if not photo:
        png = _as_png(image)
        if len(png) < MAX_BYTES:
            return BodyImage(png, "png", image.width, image.height)
    return _fit_jpeg(image, label)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _to_srgb(image: Image.Image) -> Image.Image:
    # Metadata goes, but an embedded colour profile must be applied first or colours shift.
    icc = image.info.get("icc_profile")
    if icc:
        try:
            mode = "RGBA" if _has_alpha(image) else "RGB"
            image = ImageCms.profileToProfile(
                image.convert(mode), ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                ImageCms.createProfile("sRGB"), outputMode=mode,
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass
    if image.mode in ("RGB", "RGBA", "L", "LA"):
        clean = Image.new(image.mode, image.size)
        clean.paste(image)
        return clean
    return image.convert("RGBA" if _has_alpha(image) else "RGB")


def _as_png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _as_jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=False, subsampling="4:2:0")
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    if _has_alpha(image):
        rgba = image.convert("RGBA")
        base = Image.new("RGB", rgba.size, WHITE)
        base.paste(rgba, mask=rgba.getchannel("A"))
        return base
    return image.convert("RGB") if image.mode not in ("RGB", "L") else image


def _fit_jpeg(image: Image.Image, label: str) -> BodyImage:
    while True:
        for quality in JPEG_QUALITIES:
            data = _as_jpeg(image, quality)
            if len(data) < MAX_BYTES:
                return BodyImage(data, "jpeg", image.width, image.height)
        image = _smaller(image, label)


def _smaller(image: Image.Image, label: str) -> Image.Image:
    if image.width < 200:
        raise ImageError(f"图片{label}压缩后仍超过 1 MB，请换一张较小的图片。")
    size = (round(image.width * 0.8), max(1, round(image.height * 0.8)))
    return image.resize(size, Image.Resampling.LANCZOS if image.mode != "P" else Image.Resampling.NEAREST)
