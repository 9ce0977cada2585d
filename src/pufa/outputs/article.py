"""One article per page, the same for every channel: the preface its page shows and its sanitized body.

The page, the feeds, the WeChat bundle, the download pack and materials.json all start from this object,
so a fact marked 待核实 on the page is marked 待核实 everywhere, and whatever the sanitizer removed from the
page is absent everywhere too.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.records import Event, LawTopic, Record


@dataclass(frozen=True)
class Section:
    title: str
    anchor: str
    level: int


@dataclass(frozen=True)
class Article:
    record: Record
    preface: str  # the facts above the body, rendered once by the page's own partial
    body: str  # the sanitized body, images as plain <img> (no <picture>)
    sections: tuple[Section, ...] = ()

    @property
    def html(self) -> str:
        # str(): the preface may arrive as Markup, and Markup + str would escape the whole body.
        return str(self.preface) + self.body

    @property
    def is_law(self) -> bool:
        return isinstance(self.record, LawTopic)

    @property
    def is_event(self) -> bool:
        return isinstance(self.record, Event)
