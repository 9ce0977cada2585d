"""Content images on the site: a metadata-free copy of every image under docs/, resized WebP and JPEG/PNG
variants for phones, and the <picture> markup that offers them.

The plugin calls `prepare()` once per build and `rewrite_html()` for each page body; a front-matter photo
becomes a `Picture` that the template lays out. Every file is cached by the source's content hash and the
pipeline version, so a rebuild finds it from the image header alone and decodes nothing unchanged.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import lxml.html

from .. import html as fragments, media, urls
from ..cache import ContentCache
from ..checks.images import rejection

PIPELINE_VERSION = "2"  # bump when any encoder setting or processing step changes: it is part of every key
WIDTHS = (480, 960, 1440)
SIZES = "(max-width: 760px) 100vw, 760px"
SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
_EXTENSION = {"webp": ".webp", "jpeg": ".jpg", "png": ".png"}


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    format: str  # webp | jpeg | png
    path: Path  # the file in the cache folder

    @property
    def route(self) -> str:
        return urls.IMAGES + self.path.name

    @property
    def mime(self) -> str:
        return f"image/{self.format}"


@dataclass(frozen=True)
class Picture:
    """What a template needs to lay out one <picture>: routes, widths, the fallback size and alt text."""

    webp: tuple[tuple[str, int], ...]  # (route, width), ascending
    fallback: tuple[tuple[str, int], ...]
    width: int  # of the largest fallback, for the <img> box
    height: int
    alt: str
    sizes: str = SIZES


@dataclass
class SiteImages:
    cache_dir: Path
    variants: dict[str, tuple[Variant, ...]] = field(default_factory=dict)  # docs-relative path → variants
    clean: dict[str, Path] = field(default_factory=dict)  # docs-relative path → stripped full-size copy

    def prepare(self, docs_dir: Path, paths: list[str]) -> None:
        cache = ContentCache(self.cache_dir, PIPELINE_VERSION)
        for rel in paths:
            data = (docs_dir / rel).read_bytes()
            self.variants[rel], _ = render_variants(data, cache)
            self.clean[rel] = clean_copy(data, Path(rel).suffix, cache)

    def published_files(self) -> dict[str, Path]:
        """Site-relative route → file, for every variant."""
        return {v.route: v.path for found in self.variants.values() for v in found}

    def picture(self, rel: str, alt: str) -> Picture | None:
        found = self.variants.get(rel)
        if not found:
            return None
        webp = tuple((v.route, v.width) for v in found if v.format == "webp")
        fallback = [v for v in found if v.format != "webp"]
        largest = fallback[-1]
        return Picture(webp, tuple((v.route, v.width) for v in fallback), largest.width, largest.height, alt)

    def rewrite_html(self, body: str, page_url: str, *, eager_first: bool = True) -> str:
        """Replace each <img> of a docs image by its <picture>; only the first image loads eagerly (none,
        when the template already shows an image above the content)."""
        if "<img" not in body:
            return body
        root = fragments.parse(body)
        first = eager_first
        for img in root.xpath(".//img[@src]"):
            rel = urls.resolve(page_url, img.get("src"))
            if rel not in self.variants or (img.getparent() is not None and img.getparent().tag == "picture"):
                continue
            picture = self.picture(rel, img.get("alt", ""))
            element = lxml.html.fragment_fromstring(picture_html(picture, prefix="../" * page_url.count("/"), lazy=not first))
            element.tail = img.tail
            img.getparent().replace(img, element)
            first = False
        return fragments.serialize(root)


def render_variants(data: bytes, cache: ContentCache) -> tuple[tuple[Variant, ...], int]:
    """WebP plus JPEG (PNG when the source declares transparency) per width, cached by content; and how
    many files had to be encoded (0 on a warm rebuild, where only the header is read)."""
    digest = hashlib.sha256(data).hexdigest()
    with media.open_header(data) as im:
        refused = rejection(im)
        if refused:
            raise ValueError(refused)  # pufa check refuses it first; the build never gets here
        width, height = media.display_size(im)
        turn = media.orientation(im)
        fallback = "png" if media.has_alpha(im) else "jpeg"
        plan = []
        for w in sorted({min(w, width) for w in WIDTHS}):  # never wider than the source
            h = max(1, round(height * w / width))
            for fmt in ("webp", fallback):
                path = cache.path(digest, str(w), fmt, suffix=f"-{w}w{_EXTENSION[fmt]}")
                plan.append(Variant(w, h, fmt, path))
        missing = [v for v in plan if not v.path.is_file()]
        if missing:
            clean = media.clean_pixels(im, turn)
            for variant in missing:
                cache.file((digest, str(variant.width), variant.format),
                           lambda v=variant: media.encode(media.resized(clean, v.width, v.height), v.format),
                           suffix=f"-{variant.width}w{_EXTENSION[variant.format]}")
    return tuple(sorted(plan, key=lambda v: (v.format != "webp", v.width))), len(missing)


def clean_copy(data: bytes, suffix: str, cache: ContentCache) -> Path:
    """The source at full size in its own format, every metadata block removed: published in place of the
    original, so a link to the file itself never leaks EXIF GPS."""
    fmt = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp"}[suffix.lower()]

    def make() -> bytes:
        with media.open_header(data) as im:
            return media.encode(media.clean_pixels(im), fmt)
    path, _ = cache.file((hashlib.sha256(data).hexdigest(), "clean", fmt), make, suffix=f"-clean{_EXTENSION[fmt]}")
    return path


def picture_html(picture: Picture, *, prefix: str, lazy: bool) -> str:
    """<picture> markup for page bodies, with URLs relative to the page (`prefix` leads back to the root).
    Templates lay out front-matter photos with partials/pufa-picture.html from the same `Picture`."""
    def srcset(items) -> str:
        return ", ".join(f"{_url(prefix + route)} {width}w" for route, width in items)
    img = [("src", _url(prefix + picture.fallback[-1][0])), ("srcset", srcset(picture.fallback)), ("sizes", picture.sizes),
           ("alt", picture.alt), ("width", str(picture.width)), ("height", str(picture.height))]
    if lazy:
        img += [("loading", "lazy"), ("decoding", "async")]
    source = [("type", "image/webp"), ("srcset", srcset(picture.webp)), ("sizes", picture.sizes)]
    return f"<picture><source{_attrs(source)}><img{_attrs(img)}></picture>"


def _url(url: str) -> str:
    # Commas and spaces would split a srcset entry; Chinese folder names become UTF-8 escapes.
    return quote(url, safe="/:@!$&'()*+;=-._~%#?")


def _attrs(pairs) -> str:
    return "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in pairs)
