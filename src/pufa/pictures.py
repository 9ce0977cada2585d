"""The site's content images: resized, stripped variants for every image under docs/, and the
<picture> markup that pages use for them.

Glue between `images` (the Pillow pipeline) and the build: the plugin calls `prepare()` once per
build and `rewrite_html()` for each page; templates call `picture()` for front-matter photos.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin

import lxml.html

from . import images

SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
PUBLISHED = "assets/images"  # where variant files are published in the site


@dataclass
class SiteImages:
    cache_dir: Path
    variants: dict[str, images.ImageVariants] = field(default_factory=dict)  # docs-relative path → variants
    clean: dict[str, Path] = field(default_factory=dict)  # docs-relative path → stripped full-size copy
    encoded: int = 0  # files encoded in this build (0 when everything came from the cache)

    def prepare(self, docs_dir: Path, paths: list[str]) -> None:
        for rel in paths:
            source = docs_dir / rel
            found = images.render_variants(source, cache_dir=self.cache_dir)
            self.variants[rel] = found
            self.encoded += found.encoded
            self.clean[rel] = images.clean_copy(source, cache_dir=self.cache_dir)

    def published_files(self) -> dict[str, Path]:
        """Site-relative path → file, for every variant."""
        return {f"{PUBLISHED}/{v.name}": v.path for found in self.variants.values() for v in found.variants}

    def picture(self, rel: str, *, alt: str, page_url: str, lazy: bool = True) -> str:
        found = self.variants[rel]
        return images.picture_html(found, alt=alt, url_prefix=_relative(page_url, PUBLISHED + "/"), lazy=lazy)

    def rewrite_html(self, html: str, page_url: str, *, eager_first: bool = True) -> str:
        """Replace each <img> of a docs image by its <picture>; only the first image loads eagerly
        (none, when the template already shows an image above the content)."""
        if "<img" not in html:
            return html
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        first = eager_first
        for img in root.xpath(".//img[@src]"):
            rel = site_path(page_url, img.get("src"))
            if rel not in self.variants or img.getparent() is not None and img.getparent().tag == "picture":
                continue
            picture = lxml.html.fragment_fromstring(
                self.picture(rel, alt=img.get("alt", ""), page_url=page_url, lazy=not first))
            picture.tail = img.tail
            img.getparent().replace(img, picture)
            first = False
        return (root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


def site_path(page_url: str, src: str) -> str | None:
    """The site path a page-relative URL points to; for static files it is also their docs path."""
    if "://" in src or src.startswith(("data:", "//")):
        return None
    joined = urljoin("https://site.invalid/" + page_url, src).removeprefix("https://site.invalid/")
    path = posixpath.normpath(unquote(joined.split("#")[0].split("?")[0]))
    return None if path.startswith("../") else path


def _relative(page_url: str, target: str) -> str:
    """A site-relative target as seen from a page URL such as laws/x/ (MkDocs' relative URLs)."""
    return "../" * page_url.count("/") + target
