"""The guarantee on every page body: keep only what allowlist.yaml allows (nh3, a Rust HTML sanitizer).

Every Markdown file arrives in a pull request, some from outside the bureau. `pufa check` tells the editor
line by line what the build would remove or refuse (pufa.checks.html); whatever a check misses, this
removes: it runs on the rendered body as the last step before the page, the feeds, the packs, WeChat and
the search index are written.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import nh3
import yaml


@dataclass(frozen=True)
class AllowList:
    tags: frozenset[str]
    removed_with_content: frozenset[str]
    attributes: dict[str, frozenset[str]]
    style_properties: frozenset[str]
    url_schemes: frozenset[str]
    classes: frozenset[str]
    class_prefixes: tuple[str, ...]
    reserved_id_prefixes: tuple[str, ...]

    def attribute_allowed(self, tag: str, name: str) -> bool:
        return name in self.attributes.get("*", ()) or name in self.attributes.get(tag, ())

    def class_allowed(self, name: str) -> bool:
        return name in self.classes or name.startswith(self.class_prefixes)

    def id_reserved(self, value: str) -> bool:
        return value.startswith(self.reserved_id_prefixes)


@cache
def allowlist() -> AllowList:
    data = yaml.safe_load(resources.files("pufa.site").joinpath("allowlist.yaml").read_text("utf-8"))
    return AllowList(
        tags=frozenset(data["tags"]),
        removed_with_content=frozenset(data["removed_with_content"]),
        attributes={tag: frozenset(names) for tag, names in data["attributes"].items()},
        style_properties=frozenset(data["style_properties"]),
        url_schemes=frozenset(data["url_schemes"]),
        classes=frozenset(name for group in data["classes"].values() for name in group),
        class_prefixes=tuple(data["class_prefixes"]),
        reserved_id_prefixes=tuple(data["reserved_id_prefixes"]),
    )


# Only one forced attribute: nh3 adds forced ones in hash order, which would vary between builds.
_INPUT_VALUES = {"input": {"type": {"checkbox"}, "checked": {"", "checked"}}}
_INPUT_FORCED = {"input": {"disabled": "disabled"}}


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def sanitize_html(text: str) -> str:
    """Keep only the allow-list; the guarantee for every rendered page body. Control characters go too:
    no browser shows them, and XML (feeds, WeChat's editor) cannot hold them."""
    allowed = allowlist()
    attributes = {tag: set(names) for tag, names in allowed.attributes.items()}
    return nh3.clean(
        _CONTROL.sub("", text),
        tags=set(allowed.tags),
        clean_content_tags=set(allowed.removed_with_content),
        attributes=attributes,
        attribute_filter=_filter_attribute,
        url_schemes=set(allowed.url_schemes),
        # No `target` is allowed, so there is no window.opener to protect; internal links stay plain.
        link_rel=None,
        strip_comments=True,
        tag_attribute_values=_INPUT_VALUES,
        set_tag_attribute_values=_INPUT_FORCED,
        filter_style_properties=set(allowed.style_properties),
    )


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    allowed = allowlist()
    if name == "class":
        kept = [c for c in value.split() if allowed.class_allowed(c)]
        return " ".join(kept) or None
    if name in ("id", "name") and allowed.id_reserved(value):
        return None
    if name in ("src", "srcset"):  # fetched when the page loads: this site's own files only
        urls = [candidate.split()[0] for candidate in value.split(",") if candidate.split()] if name == "srcset" else [value]
        return value if all(is_local(url) for url in urls) else None
    if name == "href" and odd_host(value):
        return None
    return value


def url_allowed(url: str) -> bool:
    scheme = url_scheme(url)
    return scheme is None or scheme in allowlist().url_schemes


_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))


def browser_view(url: str) -> str:
    """The URL as a browser reads an attribute: entities decoded, leading/trailing C0 controls and spaces
    dropped, tabs and newlines removed anywhere."""
    return re.sub(r"[\t\n\r]", "", html.unescape(url)).strip(_C0_AND_SPACE)


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see ('javascript' for ' JaVa&#x09;Script:…'), or None if relative."""
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", browser_view(url))
    return match.group(1).lower() if match else None


def is_local(url: str) -> bool:
    """A URL of this site's own files: no scheme, no host (`//x`), none of the forms browsers read as a host."""
    return url_scheme(url) is None and not re.match(r"^[\\/][\\/]", browser_view(url))


def odd_host(url: str) -> bool:
    """`/\\evil.example` and `\\\\evil.example` are what browsers read as `//evil.example`: a host in disguise."""
    value = browser_view(url)
    return url_scheme(value) is None and re.match(r"^[\\/][\\/]", value) is not None and not value.startswith("//")
