"""Photos from phones, judged before anything decodes them: format, size, pixels, extension, GPS.

Every image is untrusted input: a decompression bomb is refused from its header, a GIF, SVG or HEIC is
explained instead of failing later, and a truncated upload is found by decoding once here.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from .. import media
from ..problems import Problem, problem

IMAGE_MAX_BYTES = 10 * 1024 * 1024  # a 12-megapixel phone photo is 3–6 MB
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_EXTENSION_FOR = {"JPEG": ".jpg", "MPO": ".jpg", "PNG": ".png", "WEBP": ".webp"}
SIZE_ADVICE = (f"请把照片缩小到长边不超过 {media.LONG_EDGE_ADVICE} 像素、以 JPEG（质量 85 左右）另存后再提交；"
               "网站会自动生成手机用的小图。")

_FORMAT_ADVICE = {
    "GIF": "不接受 GIF 图片：静态图请另存为 PNG（截图、图表）或 JPEG（照片）；动图请挑选一帧另存为 JPEG，或做成视频后附上链接。",
    "SVG": "不接受 SVG 图片：SVG 文件里可以藏脚本和外部链接。请在绘图软件里“导出为 PNG”（宽度 1500 像素以上）后再提交。",
    "HEIC": "这是苹果手机的 HEIC 格式，多数浏览器无法显示：请把照片转成 JPEG 再提交"
    "（在手机“设置→相机→格式”里选“兼容性最佳”，以后拍的照片就是 JPEG）。",
}


@dataclass(frozen=True)
class ImageInfo:
    path: str  # as shown to editors
    format: str  # JPEG, PNG or WEBP (phone "MPO" JPEGs are reported as JPEG)
    width: int  # as displayed, i.e. after EXIF orientation
    height: int
    gps: tuple[float, float] | None  # where the photo was taken (WGS-84), if recorded


def inspect_image(path: Path, shown: str) -> tuple[ImageInfo | None, list[Problem]]:
    """Check one image file; the info is None whenever there is an error among the problems."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [problem("image-unreadable", shown, 1, f"读不到这个图片文件（{exc.strerror}）。")]
    if size > IMAGE_MAX_BYTES:  # not even read: the limit also bounds the work done per file
        return None, [problem("file-too-large", shown, 1, f"图片太大：{size / 1024 / 1024:.1f} MB，上限是 "
                              f"{IMAGE_MAX_BYTES // 1024 // 1024} MB。{SIZE_ADVICE}")]
    data = path.read_bytes()
    unsupported = _sniff_unsupported(data, shown)
    if unsupported:
        return None, [problem("image-format", shown, 1, _FORMAT_ADVICE[unsupported])]
    try:
        im = media.open_header(data)
    except media.TooManyPixels as exc:
        return None, [pixels_problem(shown, exc.width, exc.height)]
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None, [pixels_problem(shown)]
    except UnidentifiedImageError:
        return None, [problem("image-format", shown, 1, "无法识别这个图片文件（可能不是图片，或文件已损坏）："
                              "请用图片软件重新导出为 JPEG 或 PNG。")]
    except Exception as exc:  # any other failure to parse untrusted bytes: a broken file
        return None, [corrupt_problem(shown, exc)]
    with im:
        rejected = rejection(im)
        if rejected:
            return None, [problem("image-format", shown, 1, rejected)]
        problems = []
        suffix = posixpath.splitext(shown)[1].lower()
        if suffix not in media.ACCEPTED[im.format]:
            right = posixpath.splitext(posixpath.basename(shown))[0] + _EXTENSION_FOR[im.format]
            problems.append(problem("image-extension", shown, 1, f"文件扩展名是“{suffix or '（无）'}”，但内容其实是 "
                                    f"{format_name(im.format)} 图片：请把文件改名为 {right}，并同时修改引用它的地方。"))
        width, height = media.display_size(im)
        gps = media.gps_position(im)
        if gps is not None:
            problems.append(problem("image-gps", shown, 1, "照片里带有拍摄地点（GPS 坐标）。网站发布的图片会自动去掉它，"
                                    "但原图仍保存在仓库里、任何人都能下载：如果拍摄地点涉及住址等隐私，请换成去掉位置信息的照片"
                                    "（手机分享时关闭“位置”即可）。"))
    try:
        # verify() checks structure and checksums but leaves the image unusable; a fresh copy then decodes
        # every pixel, which is what finds a truncated JPEG.
        with media.open_header(data) as check:
            check.verify()
        with media.open_header(data) as check:
            check.load()
    except Exception as exc:  # decoders report broken data in many ways
        return None, problems + [corrupt_problem(shown, exc)]
    if any(p.is_error for p in problems):
        return None, problems
    return ImageInfo(shown, format_name(im.format), width, height, gps), problems


def _sniff_unsupported(data: bytes, name: str) -> str | None:
    """Formats Pillow cannot even identify but editors commonly send."""
    head = data[:256].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if name.lower().endswith(".svg") or head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head:
        return "SVG"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "HEIC"
    return None


def rejection(im: Image.Image) -> str | None:
    """Why an opened image cannot be published, in Chinese; None when it can."""
    if im.format not in media.ACCEPTED:
        return _FORMAT_ADVICE.get(im.format, f"不接受 {im.format} 格式的图片：照片请另存为 JPEG，截图和图表请另存为 PNG。")
    # An MPO holds extra images (depth, gain map), not an animation.
    if im.format != "MPO" and getattr(im, "n_frames", 1) > 1:
        return (f"不接受动图（{format_name(im.format)}，共 {im.n_frames} 帧）：网站只显示静态图片。"
                "请挑选最能说明问题的一帧另存为 JPEG，或把动画做成视频后附上链接。")
    return None


def pixels_problem(shown: str, width: int | None = None, height: int | None = None) -> Problem:
    size = f"尺寸 {width}×{height}，共 {width * height / 10_000:.0f} 万像素，" if width and height else ""
    return problem("image-pixels", shown, 1, f"图片像素太多：{size}超过上限 {media.MAX_PIXELS // 10_000} 万像素。{SIZE_ADVICE}")


def corrupt_problem(shown: str, exc: BaseException) -> Problem:
    return problem("image-corrupt", shown, 1, f"图片文件已损坏或不完整（{exc}），可能没有上传完：请重新导出或重新上传原图。")


def format_name(fmt: str) -> str:
    return "JPEG" if fmt == "MPO" else fmt
