"""Body-image copies the 公众号 accepts: JPEG or PNG under 1 MB, at most 1080 px wide, no metadata,
no transparency (flattened onto white, so nothing vanishes on WeChat's dark page).

`media/uploadimg` takes only JPG/PNG below 1 MB, so WebP and GIF are converted and large files are
downscaled or recompressed. The same input always gives the same bytes (no timestamps, fixed
encoder settings), so bundles rebuild identically and upload caches keyed by content hash work.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from .. import media

MAX_BYTES = 1_000_000  # "< 1 MB"; the decimal megabyte is the stricter reading
MAX_WIDTH = 1080
JPEG_QUALITIES = (85, 78, 70, 62, 55)


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
        source = media.open_header(data)  # the bomb-guarded open every image goes through
        photo = source.format in ("JPEG", "MPO") or (source.format == "WEBP" and not media.has_alpha(source))
        image = media.clean_pixels(source)  # upright, sRGB, no metadata
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise ImageError(f"无法读取图片{label}：公众号正文只支持 JPG/PNG 图片，SVG 等矢量图请先导出为 PNG。") from exc
    if image.width > MAX_WIDTH:
        height = max(1, round(image.height * MAX_WIDTH / image.width))
        image = image.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)

    # Transparent pixels show the page behind them, and in WeChat's dark mode that page is
    # #191919: dark lines and text drawn on transparency vanish. Flatten onto white, as on the site.
    image = media.flatten(image)
    if not photo:
        png = _as_png(image)
        if len(png) < MAX_BYTES:
            return BodyImage(png, "png", image.width, image.height)
    return _fit_jpeg(image, label)


def _as_png(image: Image.Image) -> bytes:
    return media.encode(image, "png")


def _as_jpeg(image: Image.Image, quality: int) -> bytes:
    # Baseline, not progressive: the 公众号 editor re-encodes progressive JPEGs (wechat.md §5).
    return media.encode(image, "jpeg", quality=quality, progressive=False)


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
