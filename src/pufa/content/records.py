"""Typed content records: what every domain module receives instead of Markdown files.

Only `pufa.content` reads files and YAML; everything else works on these records. Dates are
`datetime.date`; local date-times are naive `datetime.datetime` in Asia/Shanghai (the only zone the
site uses), so callers attach `SHANGHAI` where a zone is needed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .. import urls

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Revision:
    date: dt.date
    kind: str  # 修订 (full revision) or 修正 (amendment)
    note: str = ""


@dataclass(frozen=True)
class LawFacts:
    name: str  # official full name, e.g. 中华人民共和国反电信网络诈骗法
    short_name: str
    adopted: dt.date
    effective: dt.date
    source_url: str
    revisions: tuple[Revision, ...] = ()
    parts: int | None = None  # 编, for a law divided into parts (民法典)
    chapters: int | None = None
    articles: int | None = None
    adopted_by: str = ""
    order_no: str = ""  # 主席令 number
    flk_id: str = ""
    checked_on: dt.date | None = None
    # Fact keys not yet confirmed on the official database: shown as 待核实, never as certain.
    to_verify: tuple[str, ...] = ()

    def verified(self, key: str) -> bool:
        return key not in self.to_verify


@dataclass(frozen=True)
class Record:
    """Fields every content record shares."""

    path: str  # source path relative to docs_dir, '/'-separated
    title: str
    slug: str
    summary: str
    body: str  # Markdown body without front matter
    body_line: int  # 1-based line in the file where the body starts
    published: dt.date | None = None
    updated: dt.date | None = None
    draft: bool = False
    author: str = ""
    origin: str = "site"  # site: the site's docs/; pack: pufa's national pack
    keywords: tuple[str, ...] = ()  # search keywords from the front matter (pufa/search_terms.py)


@dataclass(frozen=True)
class LawTopic(Record):
    law: LawFacts | None = None
    audiences: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    cover: str | None = None  # docs-relative path

    @property
    def url(self) -> str:
        return urls.law(self.slug)


@dataclass(frozen=True)
class Lecture(Record):
    """A 讲稿 for one audience of one law topic: docs/laws/<topic-slug>/<audience-id>.md."""

    topic: str = ""  # law topic slug
    audience: str = ""  # one of AUDIENCES
    minutes: int = 15
    outline: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return urls.lecture(self.topic, self.audience)


@dataclass(frozen=True)
class Question:
    """One question of a bank. `answer` is a letter (A, B, …) for 单选 and 对 or 错 for 判断."""

    id: int
    type: str  # 单选 | 判断 (vocabulary question_types)
    question: str
    answer: str
    explanation: str
    options: tuple[str, ...] = ()
    basis: str = ""  # an article or chapter of the topic's own law, e.g. 第三十一条; "" when none is certain
    line: int = 0  # where it starts in the file, for messages

    @property
    def answer_text(self) -> str:
        """The answer as a reader reads it: B（2022年12月1日）, or 对 / 错."""
        if not self.options:
            return self.answer
        index = ord(self.answer) - ord("A")
        return f"{self.answer}（{self.options[index]}）" if 0 <= index < len(self.options) else self.answer


@dataclass(frozen=True)
class QuestionBank(Record):
    """The question bank of one law topic: docs/laws/<topic-slug>/questions.md."""

    topic: str = ""  # law topic slug (the folder)
    questions: tuple[Question, ...] = ()

    @property
    def url(self) -> str:
        return urls.questions(self.topic)

    @property
    def paper_url(self) -> str:
        return urls.paper(self.topic)


@dataclass(frozen=True)
class AnnouncedRange:
    year: int
    start: dt.date
    end: dt.date
    theme: str = ""
    source_url: str = ""


@dataclass(frozen=True)
class Rule:
    """When an observance falls.

    type fixed:     month, day (and `days` for a span such as a whole month)
    type weekday:   month, weekday (0=Monday … 6=Sunday), ordinal (1…5, or -1 for the last)
    type lunar:     month, day in the Chinese lunar calendar
    type announced: only the `announced` ranges an editor entered; never computed
    """

    type: str
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    ordinal: int | None = None
    days: int = 1


@dataclass(frozen=True)
class Event(Record):
    kind: str = "observance"  # observance | local
    laws: tuple[str, ...] = ()  # related law topic slugs
    places: tuple[str, ...] = ()  # related place slugs
    audiences: tuple[str, ...] = ()
    # observance
    rule: Rule | None = None
    announced: tuple[AnnouncedRange, ...] = ()
    first_year: int | None = None
    basis: str = ""  # legal basis in words, e.g. 国家安全法第十四条
    basis_status: str = ""  # verified | secondary | to_verify
    source_url: str = ""
    checked_on: dt.date | None = None
    # local event
    start: dt.date | dt.datetime | None = None
    end: dt.date | dt.datetime | None = None
    venue: str = ""
    organiser: str = ""
    place: str = ""  # slug of a listed place, when the venue is one

    @property
    def url(self) -> str:
        return urls.event(self.slug)


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float
    crs: str  # wgs84 | gcj02 | bd09, as the editor picked it
    line: int = 0  # where it stands in the file, for messages


@dataclass(frozen=True)
class Photo:
    src: str  # docs-relative path
    alt: str
    caption: str = ""


@dataclass(frozen=True)
class Place(Record):
    kind: str = ""
    level: str = ""  # for model villages: one of the site's county.yml model_village_levels
    town: str = ""  # empty when not yet known
    address: str = ""
    location: Location | None = None
    photos: tuple[Photo, ...] = ()
    hours: str = ""
    features: tuple[str, ...] = ()
    built: str = ""
    source: str = ""
    source_url: str = ""
    laws: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return urls.place(self.slug)


@dataclass
class Content:
    """Everything the loader read from docs/, with every problem it found."""

    laws: list[LawTopic] = field(default_factory=list)
    lectures: list[Lecture] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    banks: list[QuestionBank] = field(default_factory=list)

    def law(self, slug: str) -> LawTopic | None:
        return next((r for r in self.laws if r.slug == slug), None)

    def event(self, slug: str) -> Event | None:
        return next((r for r in self.events if r.slug == slug), None)

    def place(self, slug: str) -> Place | None:
        return next((r for r in self.places if r.slug == slug), None)

    def lectures_for(self, topic: str) -> list[Lecture]:
        return [r for r in self.lectures if r.topic == topic]

    def bank_for(self, topic: str) -> QuestionBank | None:
        return next((r for r in self.banks if r.topic == topic), None)

    def published(self, include_drafts: bool = False) -> Content:
        keep = (lambda r: True) if include_drafts else (lambda r: not r.draft)
        return Content(
            laws=[r for r in self.laws if keep(r)],
            lectures=[r for r in self.lectures if keep(r)],
            events=[r for r in self.events if keep(r)],
            places=[r for r in self.places if keep(r)],
            banks=[r for r in self.banks if keep(r)],
        )
