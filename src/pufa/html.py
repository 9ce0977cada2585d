"""HTML fragments, handled once: parse, serialise, drop permalinks, make URLs absolute, JSON for <script>.

Every output that reworks a page body (feeds, packs, WeChat, pictures) goes through these, so a comment,
a bare text node or a headerlink is treated the same way everywhere.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from markupsafe import Markup


def parse(fragment: str) -> lxml.html.HtmlElement:
    """A fragment inside a <div> wrapper (serialize() gives back its inside)."""
    return lxml.html.fragment_fromstring(fragment or "", create_parent="div")


def serialize(root: lxml.html.HtmlElement) -> str:
    """The inside of a parse() wrapper: its leading text and every child, comments included."""
    return (root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


def drop_permalinks(root: lxml.html.HtmlElement) -> None:
    """The ¶ after each heading means nothing outside the page."""
    for anchor in root.xpath(".//a[contains(concat(' ', normalize-space(@class), ' '), ' headerlink ')]"):
        anchor.drop_tree()


def drop_comments(root: lxml.html.HtmlElement) -> None:
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        node.drop_tree()


def absolutize(fragment: str, page_url: str) -> str:
    """Resolve every link and image against the page's absolute URL and drop the ¶ permalinks (feeds)."""
    if not fragment.strip():
        return fragment
    root = parse(fragment)
    drop_permalinks(root)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attr in ("href", "src", "poster"):
            value = element.get(attr)
            if value is not None and not value.startswith(("#", "mailto:", "tel:", "data:")):
                element.set(attr, urljoin(page_url, value))
        if element.get("srcset"):
            element.set("srcset", ", ".join(
                " ".join([urljoin(page_url, part.split()[0]), *part.split()[1:]])
                for part in element.get("srcset").split(",") if part.strip()))
        if element.get("href", "").startswith("#"):
            element.set("href", page_url + element.get("href"))
    return serialize(root)


def json_for_script(value) -> Markup:
    """JSON safe inside a <script> element (no "</script>" can close it early), marked safe for templates."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
