"""Lecturers' kit: an editable slide deck for every 讲稿, from the same sanitized article as its page.

deck.py decides what the slides say (plain data), fit.py how much text fits in a box, slides.py writes
the .pptx. This module hands the build its files: {route: bytes}, written by pufa.outputs and packed into
each topic's download pack.

Writing a deck takes python-pptx about 0.15 s, some 5 s for a site's 36 decks, so decks are cached by
content: the key is everything the deck says (its Deck, pictures included) and the code that lays it
out (the source of fit.py and slides.py, and the versions of python-pptx and segno). A changed 讲稿 or
layout makes a new deck; an unchanged one is copied from the cache, byte for byte the same.
"""

from __future__ import annotations

from functools import cache
from importlib import metadata, resources
from typing import TYPE_CHECKING

from .. import urls
from ..cache import ContentCache
from ..content.records import Content
from ..outputs.article import Article
from ..outputs.packs import site_reader
from .deck import Deck, DeckImage, DeckSection, Hotline, deck_for
from .slides import deck_pptx

if TYPE_CHECKING:
    from ..outputs import Site

CACHE_VERSION = "1"  # bump when a deck's bytes change for a reason the cache key does not see

__all__ = ["Deck", "DeckImage", "DeckSection", "Hotline", "deck_for", "deck_pptx", "slide_files"]


def slide_files(site: Site, content: Content, articles: dict[str, Article]) -> dict[str, bytes]:
    """downloads/slides/<topic>-<audience-id>.pptx for every 讲稿 the build rendered."""
    read = site_reader(site.dir)
    decks = ContentCache(site.cache_dir / "slides", CACHE_VERSION)
    out = {}
    for lecture in sorted(content.lectures, key=lambda r: r.path):
        article = articles.get(lecture.path)
        if article is None:
            continue
        topic = content.law(lecture.topic)
        topic_title = topic.law.short_name if topic and topic.law and topic.law.short_name else \
            topic.title if topic else lecture.topic
        deck = deck_for(lecture, article, topic_title=topic_title, publisher=site.publisher or site.name,
                        page_url=urls.absolute(site.url, lecture.url), read_image=read)
        out[urls.slides(lecture.topic, lecture.audience)] = decks.get_or_make(
            (_layout_code(), repr(deck)), lambda: deck_pptx(deck), suffix=".pptx")
    return out


@cache
def _layout_code() -> str:
    """What, besides the Deck, decides a deck's bytes: the layout code and the libraries writing the file."""
    folder = resources.files(__package__)
    sources = "".join(folder.joinpath(name).read_text("utf-8") for name in ("fit.py", "slides.py"))
    return sources + "".join(f"{name}={metadata.version(name)};" for name in ("python-pptx", "segno"))
