"""What each page shows, worked out once per build: small frozen views that templates only lay out.

A view holds text, numbers, routes (site-relative URLs from pufa.urls, which templates pass through
MkDocs' `url` filter) and, where pufa renders markup itself, `Markup`. Templates never decide what kind of
record they hold, never build a URL and never compute a fact. `build_views()` makes every view of a
build; the plugin hands each page its own view, generated pages included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from .. import calendar, html as fragments, urls
from ..content import vocabulary
from ..content.records import Content, Event, LawTopic, Lecture, Place
from ..quiz import views as quiz
from ..county import County
from ..outputs import geodata, ics
from ..places import maplinks
from ..places.geo import to_wgs84
from . import mapsvg
from .pictures import Picture, SiteImages

DAYS_AHEAD = 60  # the calendar home's "now and the next weeks"
HOME_DAYS = 30
UNKNOWN_TOWN = "所在街道（镇）待核实"
VERIFY = "（待核实）"


def zh_date(value: dt.date | dt.datetime | None) -> str:
    """2026-03-08 → 2026年3月8日; a date-time adds 时:分 (Beijing time)."""
    if value is None:
        return ""
    text = f"{value.year}年{value.month}月{value.day}日"
    return text + (f" {value:%H:%M}" if isinstance(value, dt.datetime) else "")


# --- building blocks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    title: str
    url: str  # a route
    note: str = ""


@dataclass(frozen=True)
class Status:
    """An event's status as of the build day; calendar.js recomputes it in the reader's browser."""

    slug: str
    kind: str
    text: str
    when: str  # the next dates in words, or "" when there is none


@dataclass(frozen=True)
class Agenda:
    """One dated occurrence in a list."""

    date_text: str
    end_iso: str
    title: str
    url: str
    theme: str
    status: Status


@dataclass(frozen=True)
class Fact:
    label: str
    text: str
    verify: str = ""  # "" (checked), VERIFY, or a note such as （来自公开报道，以官方文本为准）
    url: str = ""  # an external source to link the text to


@dataclass(frozen=True)
class Preface:
    """The facts above an article's body. Rendered once (partials/pufa-preface.html) into `html`, which
    the page, the feeds, WeChat, the packs and materials.json all use."""

    heading: str
    facts: tuple[Fact, ...] = ()
    lists: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (id, heading, items) for 提纲 and 讨论题
    note: str = ""
    closing_heading: tuple[str, str] | None = None  # (id, text) of a heading after the facts (讲稿)


@dataclass(frozen=True)
class LawCard:
    title: str
    url: str
    summary: str
    audiences: tuple[str, ...]


@dataclass(frozen=True)
class LectureCard:
    title: str
    url: str
    audience: str
    minutes: int
    parts: int
    questions: int
    summary: str = ""
    law: str = ""  # the law's short name


@dataclass(frozen=True)
class PlaceCard:
    number: int
    slug: str
    title: str
    url: str
    kind: str  # with the level, e.g. 民主法治示范村（全国）
    town: str
    address: str
    hours: str
    features: tuple[str, ...]
    photo: Picture | None
    nav: tuple[maplinks.NavLink, ...]
    located: bool


@dataclass(frozen=True)
class Filters:
    audiences: tuple[Link, ...]
    topics: tuple[Link, ...]  # note: the number of topics
    current: str = ""  # the audience or topic of this page


@dataclass(frozen=True)
class MapView:
    svg: Markup
    points: Markup  # JSON for the interactive map
    key: str  # a 天地图 key; "" shows the schematic only


# --- page views ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LawView:
    title: str
    summary: str
    preface: Markup
    lectures: tuple[LectureCard, ...]
    pack: str
    quiz: Link | None  # the topic's self-test, when it has a question bank
    paper: str  # its printable test paper ("" without a bank)
    upcoming: tuple[Agenda, ...]
    events: tuple[Link, ...]
    places: tuple[Link, ...]
    byline: str
    calendar: Markup


@dataclass(frozen=True)
class LectureView:
    title: str
    summary: str
    preface: Markup
    topic: Link
    audience: str
    minutes: int
    byline: str
    slides: str  # route of its editable slide deck
    quiz: Link | None  # the topic's self-test and paper, for the end of the talk
    paper: str


@dataclass(frozen=True)
class EventView:
    title: str
    summary: str
    preface: Markup
    status: Status
    ics: str  # route of its .ics, "" when it has no dates yet
    webcal: str
    laws: tuple[Link, ...]
    calendar: Markup


@dataclass(frozen=True)
class PlaceView:
    title: str
    summary: str
    card: PlaceCard
    facts: tuple[Fact, ...]
    photos: tuple[tuple[Picture, str], ...]  # (picture, caption)
    laws: tuple[Link, ...]
    jsonld: Markup


@dataclass(frozen=True)
class HomeView:
    upcoming: tuple[Agenda, ...]
    laws: tuple[LawCard, ...]
    audiences: tuple[Link, ...]
    places: tuple[Link, ...]
    calendar: Markup


@dataclass(frozen=True)
class LawsView:
    title: str
    intro: str
    laws: tuple[LawCard, ...]
    lectures: tuple[tuple[LawCard, LectureCard | None], ...]
    filters: Filters


@dataclass(frozen=True)
class CalendarView:
    upcoming: tuple[Agenda, ...]
    pending: tuple[Link, ...]
    years: tuple[tuple[int, tuple[tuple[int, str, int], ...]], ...]  # (year, ((month, route, count), …))
    observances: tuple[tuple[Link, Status], ...]  # link note: the rule in words
    local: tuple[tuple[Link, Status], ...]  # link note: date · venue
    today: str
    ics: str
    webcal: str
    calendar: Markup


@dataclass(frozen=True)
class MonthView:
    title: str
    occurrences: tuple[Agenda, ...]


@dataclass(frozen=True)
class PlacesView:
    title: str
    kinds: tuple[Link, ...]  # note: count
    towns: tuple[tuple[str, tuple[PlaceCard, ...]], ...]
    places: tuple[PlaceCard, ...]  # the same places in list order, ungrouped
    map: MapView | None
    coverage: tuple[tuple[str, int, str, str], ...]  # (label, listed, reported, still missing)
    coverage_source: str
    empty_text: str


@dataclass(frozen=True)
class SitemapView:
    laws: tuple[tuple[Link, tuple[Link, ...]], ...]
    audiences: tuple[Link, ...]
    topics: tuple[Link, ...]
    years: tuple[tuple[int, tuple[tuple[int, str, int], ...]], ...]
    observances: tuple[Link, ...]
    local: tuple[Link, ...]
    towns: tuple[tuple[str, tuple[Link, ...]], ...]
    kinds: tuple[Link, ...]
    data: tuple[Link, ...]


@dataclass
class Views:
    """Every view of a build, by the docs-relative path of the page that shows it."""

    pages: dict[str, object] = field(default_factory=dict)
    articles: dict[str, Markup] = field(default_factory=dict)  # record path → rendered preface

    def get(self, src_uri: str):
        return self.pages.get(src_uri)


# --- building -------------------------------------------------------------------------------------


@dataclass
class Context:
    content: Content
    county: County
    today: dt.date
    site_url: str
    pictures: SiteImages | None
    map_src: str
    tianditu_key: str
    render_preface: Callable[[Preface], Markup]

    def status(self, event: Event) -> Status:
        st = calendar.status(event, self.today)
        return Status(event.slug, st.kind, st.text, calendar.date_text(st.occurrence) if st.occurrence else "")

    def agenda(self, occurrences) -> tuple[Agenda, ...]:
        return tuple(Agenda(calendar.date_text(o), o.end_date.isoformat(), o.event.title, o.event.url, o.theme,
                            self.status(o.event)) for o in occurrences)

    def calendar_json(self, events) -> Markup:
        return Markup(calendar.browser_json(events, self.today))

    def laws(self) -> list[LawTopic]:
        return sorted(self.content.laws, key=lambda law: (law.published, law.slug))

    def lectures(self, law: LawTopic) -> list[Lecture]:
        return sorted(self.content.lectures_for(law.slug), key=lambda r: vocabulary.position("audiences", r.audience))

    def places(self) -> list[Place]:
        """Places in list order: by town (county order), then title; numbers on the map follow it."""
        order = {town: i for i, town in enumerate(self.county.town_names)}
        return sorted(self.content.places, key=lambda p: (order.get(p.town, len(order)), p.title, p.slug))


def build_views(ctx: Context, generated: dict[str, tuple[str, str]]) -> Views:
    """Every view: content pages by their path, section homes, and the generated pages in `generated`
    (docs path → (kind, key))."""
    views = Views()
    places = ctx.places()
    numbers = {p.slug: i for i, p in enumerate(places, start=1)}
    cards = {p.slug: _place_card(ctx, p, numbers[p.slug]) for p in places}
    filters = _filters(ctx)
    for law in ctx.content.laws:
        views.pages[law.path] = _law(ctx, law)
    for lecture in ctx.content.lectures:
        views.pages[lecture.path] = _lecture(ctx, lecture)
    for event in ctx.content.events:
        views.pages[event.path] = _event(ctx, event)
    for place in places:
        views.pages[place.path] = _place(ctx, place, cards[place.slug])
    for bank in ctx.content.banks:
        views.pages[bank.path] = quiz.quiz_view(bank, ctx.content.law(bank.topic), _byline(bank, ctx))
    views.pages["index.md"] = _home(ctx, places)
    views.pages["laws/index.md"] = LawsView("", "", tuple(_law_card(law) for law in ctx.laws()), (), filters)
    views.pages["events/index.md"] = _calendar(ctx)
    views.pages["parks/index.md"] = _places(ctx, places, cards, title="", kind=None)
    for src_uri, (kind, key) in generated.items():
        views.pages[src_uri] = _generated(ctx, kind, key, places, cards, filters)
    for path, view in views.pages.items():
        if hasattr(view, "preface"):
            views.articles[path] = view.preface
    return views


def _generated(ctx: Context, kind: str, key: str, places, cards, filters):
    if kind == "month":
        year, month = (int(part) for part in key.split("-"))
        return MonthView(f"{year}年{month}月法治宣传日历", ctx.agenda(calendar.by_month(ctx.content.events, year)[month]))
    if kind == "audience":
        items = []
        for law in ctx.laws():
            if key in law.audiences:
                lecture = next((r for r in ctx.content.lectures_for(law.slug) if r.audience == key), None)
                items.append((_law_card(law), _lecture_card(lecture, law) if lecture else None))
        return LawsView(f"给{key}的普法材料", f"下面是面向{key}的讲稿，每篇附提纲和讨论题，约 15～20 分钟，可以直接打印使用。",
                        (), tuple(items), Filters(filters.audiences, filters.topics, key))
    if kind == "topic":
        laws = tuple(_law_card(law) for law in ctx.laws() if key in law.topics)
        return LawsView(f"主题：{key}", "", laws, (), Filters(filters.audiences, filters.topics, key))
    if kind == "place-kind":
        return _places(ctx, [p for p in places if p.kind == key], cards, title=key, kind=key)
    if kind == "sitemap":
        return _sitemap(ctx, places, filters)
    if kind == "paper":
        return quiz.paper_view(ctx.content.bank_for(key), ctx.content.law(key), ctx.county.publisher)
    return None  # the search page shows no data


def _law_card(law: LawTopic) -> LawCard:
    return LawCard(law.title, law.url, law.summary, law.audiences)


def _lecture_card(lecture: Lecture, law: LawTopic | None = None) -> LectureCard:
    return LectureCard(lecture.title, lecture.url, lecture.audience, lecture.minutes, len(lecture.outline),
                       len(lecture.questions), lecture.summary, law.law.short_name if law else "")


def _byline(record, ctx: Context, *, updated: bool = True) -> str:
    text = f"发布：{zh_date(record.published)}"
    if updated and record.updated:
        text += f" · 更新：{zh_date(record.updated)}"
    return f"{text} · {record.author or ctx.county.publisher}"


def _verify(law, key: str) -> str:
    return "" if law.verified(key) else VERIFY


def law_preface(law: LawTopic) -> Preface:
    facts = law.law
    # A fact not yet checked is flagged in `verify`, never only in the text: the page marks it and
    # materials.json says verified: false.
    adopted = zh_date(facts.adopted) + (f"，{facts.adopted_by}" if facts.adopted_by else "")
    checked = facts.verified("adopted") and (not facts.adopted_by or facts.verified("adopted_by"))
    rows = [Fact("正式名称", f"《{facts.name}》"), Fact("通过", adopted, "" if checked else VERIFY)]
    if facts.revisions:
        text = "；".join(f"{zh_date(r.date)}{r.kind}" + (f"（{r.note}）" if r.note else "") for r in facts.revisions)
        rows.append(Fact("修订修正", text, _verify(facts, "revisions")))
    if facts.order_no:
        rows.append(Fact("主席令", f"{facts.order_no}（现行文本）", _verify(facts, "order_no")))
    rows.append(Fact("施行", zh_date(facts.effective), _verify(facts, "effective")))
    structure, unchecked = [], []
    for key, unit in (("parts", "编"), ("chapters", "章"), ("articles", "条")):
        value = getattr(facts, key)
        if value and facts.verified(key):
            structure.append(f"{value} {unit}")
        elif value or key != "parts":
            unchecked.append(f"{unit}数")
    rows.append(Fact("篇章", "，".join(structure), f"（{'、'.join(unchecked)}待核实）" if unchecked else ""))
    checked = f"（{zh_date(facts.checked_on)}核对）" if facts.checked_on else ""
    rows.append(Fact("官方文本", "国家法律法规数据库" + checked, url=facts.source_url))
    return Preface("法律信息", tuple(rows), note="以上是通俗解读的依据，不是法律文本。法律全文以国家法律法规数据库公布的文本为准。")


def _quiz_links(ctx: Context, topic: str) -> tuple[Link | None, str]:
    bank = ctx.content.bank_for(topic)
    if bank is None:
        return None, ""
    return Link(bank.title, bank.url, quiz.counts_text(bank.questions)), bank.paper_url


def _law(ctx: Context, law: LawTopic) -> LawView:
    events = [e for e in ctx.content.events if law.slug in e.laws]
    upcoming = calendar.upcoming(events, ctx.today, 366)
    places = [p for p in ctx.places() if law.slug in p.laws]
    bank, paper = _quiz_links(ctx, law.slug)
    return LawView(
        title=law.title, summary=law.summary, preface=ctx.render_preface(law_preface(law)),
        lectures=tuple(_lecture_card(r) for r in ctx.lectures(law)), pack=urls.pack(law.slug),
        quiz=bank, paper=paper, upcoming=ctx.agenda(upcoming), events=tuple(Link(e.title, e.url) for e in events),
        places=tuple(Link(p.title, p.url, p.address) for p in places), byline=_byline(law, ctx),
        calendar=ctx.calendar_json(events) if events else Markup(""))


def lecture_preface(lecture: Lecture) -> Preface:
    return Preface("", facts=(Fact("宣讲对象", lecture.audience), Fact("时长", f"约 {lecture.minutes} 分钟")),
                   lists=(("pufa-outline", "提纲", lecture.outline), ("pufa-questions", "讨论题", lecture.questions)),
                   closing_heading=("pufa-talk", "讲稿"))


def _lecture(ctx: Context, lecture: Lecture) -> LectureView:
    topic = ctx.content.law(lecture.topic)
    return LectureView(lecture.title, lecture.summary, ctx.render_preface(lecture_preface(lecture)),
                       Link(topic.title if topic else lecture.topic, topic.url if topic else urls.law(lecture.topic)),
                       lecture.audience, lecture.minutes, f"发布：{zh_date(lecture.published)} · {lecture.author or ctx.county.publisher}",
                       urls.slides(lecture.topic, lecture.audience), *_quiz_links(ctx, lecture.topic))


def event_preface(event: Event, today: dt.date) -> Preface:
    rows = []
    if event.kind == "local":
        found = calendar.occurrences(event, dt.date.min, dt.date.max)
        rows.append(Fact("时间", calendar.date_text(found[0]) if found else zh_date(event.start)))
        rows.append(Fact("地点", event.venue))
        rows.append(Fact("主办", event.organiser))
        if event.audiences:
            rows.append(Fact("对象", "、".join(event.audiences)))
    else:
        rows.append(Fact("日期", calendar.rule_text(event)))
        upcoming = calendar.occurrences(event, today, dt.date(today.year + 10, 12, 31))[:3]
        if upcoming:
            text = "；".join(calendar.date_text(o) + (f"（主题：{o.theme}）" if o.theme else "") for o in upcoming)
            rows.append(Fact("接下来", text))
        elif event.rule.type == "announced":
            rows.append(Fact("接下来", "每年的日期由主办部门公布，公布后本站随即更新"))
        if event.first_year:
            rows.append(Fact("首次举办", f"{event.first_year}年"))
        if event.basis:
            note = {"to_verify": VERIFY, "secondary": "（来自公开报道，以官方文本为准）"}.get(event.basis_status, "")
            rows.append(Fact("设立依据", event.basis, note))
        for r in event.announced:
            rows.append(Fact(f"{r.year}年公布的日期", f"{zh_date(r.start)}至{zh_date(r.end)}"
                             + (f"，主题：{r.theme}" if r.theme else ""), url=r.source_url))
    if event.source_url:
        checked = f"（{zh_date(event.checked_on)}查阅）" if event.checked_on else ""
        rows.append(Fact("来源", "查看来源网页" + checked, url=event.source_url))
    return Preface("时间和依据", tuple(rows))


def _event(ctx: Context, event: Event) -> EventView:
    laws = [law for slug in event.laws if (law := ctx.content.law(slug))]
    ics_route = urls.event_ics(event.slug) if ics.has_calendar_entries(event) else ""
    return EventView(event.title, event.summary, ctx.render_preface(event_preface(event, ctx.today)), ctx.status(event),
                     ics_route, urls.webcal(ctx.site_url, ics_route) if ics_route else "",
                     tuple(Link(law.title, law.url, law.summary) for law in laws), ctx.calendar_json([event]))


def _place_card(ctx: Context, place: Place, number: int) -> PlaceCard:
    photo = place.photos[0] if place.photos else None
    picture = ctx.pictures.picture(photo.src, photo.alt) if photo and ctx.pictures else None
    kind = place.kind + (f"（{place.level}）" if place.level else "")
    nav = maplinks.nav_links(place, area=ctx.county.area, src=ctx.map_src, referer=ctx.map_src)
    return PlaceCard(number, place.slug, place.title, place.url, kind, place.town or UNKNOWN_TOWN, place.address,
                     place.hours, place.features, picture, tuple(nav), place.location is not None)


def _place(ctx: Context, place: Place, card: PlaceCard) -> PlaceView:
    facts = [Fact("类型", card.kind), Fact("所在地", card.town), Fact("地址", place.address)]
    if place.hours:
        facts.append(Fact("开放时间", place.hours))
    if place.built:
        facts.append(Fact("建成", place.built))
    if place.location:
        lat, lon = to_wgs84(place.location)
        facts.append(Fact("坐标", f"北纬 {lat:.6f}°，东经 {lon:.6f}°（WGS-84）"))
    if place.features:
        facts.append(Fact("特色", "、".join(place.features)))
    facts.append(Fact("信息来源", place.source, url=place.source_url))
    photos = tuple((ctx.pictures.picture(p.src, p.alt), p.caption) for p in place.photos if ctx.pictures
                   and ctx.pictures.picture(p.src, p.alt))
    laws = tuple(Link(law.title, law.url) for slug in place.laws if (law := ctx.content.law(slug)))
    jsonld = geodata.place_jsonld(place, urls.absolute(ctx.site_url, place.url), area=ctx.county.area,
                                  site_url=ctx.site_url, src=ctx.map_src)
    return PlaceView(place.title, place.summary, card, tuple(facts), photos, laws, fragments.json_for_script(jsonld))


def _home(ctx: Context, places) -> HomeView:
    audiences = tuple(Link(f"进{t.name}", urls.audience(t.name)) for t in vocabulary.terms("audiences"))
    return HomeView(ctx.agenda(calendar.upcoming(ctx.content.events, ctx.today, HOME_DAYS)),
                    tuple(_law_card(law) for law in ctx.laws()), audiences,
                    tuple(Link(p.title, p.url, f"{p.kind} · {p.address}") for p in places[:5]),
                    ctx.calendar_json(ctx.content.events))


def _filters(ctx: Context) -> Filters:
    audiences = tuple(Link(t.name, urls.audience(t.name)) for t in vocabulary.terms("audiences"))
    topics = []
    for term in vocabulary.terms("topics"):
        count = sum(1 for law in ctx.content.laws if term.name in law.topics)
        if count:
            topics.append(Link(term.name, urls.topic(term.name), str(count)))
    return Filters(audiences, tuple(topics))


def topics_in_use(content: Content) -> list[str]:
    return [t.name for t in vocabulary.terms("topics") if any(t.name in law.topics for law in content.laws)]


def calendar_years(today: dt.date) -> tuple[int, ...]:
    """The years that get month pages: this year and next."""
    return today.year, today.year + 1


def _months(ctx: Context):
    years = []
    for year in calendar_years(ctx.today):
        counts = calendar.by_month(ctx.content.events, year)
        years.append((year, tuple((m, urls.month(year, m), len(counts[m])) for m in range(1, 13))))
    return tuple(years)


def _calendar_order(event: Event) -> tuple:
    rule = event.rule
    return (rule.month or 13, rule.day or 0, event.title) if rule else (14, 0, event.title)


def _calendar(ctx: Context) -> CalendarView:
    events = ctx.content.events
    pending = [e for e in sorted(events, key=lambda e: e.title) if calendar.status(e, ctx.today).kind in ("pending", "due")]
    observances = sorted((e for e in events if e.kind == "observance"), key=_calendar_order)
    local = sorted((e for e in events if e.kind == "local"), key=lambda e: str(e.start), reverse=True)
    return CalendarView(
        upcoming=ctx.agenda(calendar.upcoming(events, ctx.today, DAYS_AHEAD)),
        pending=tuple(Link(e.title, e.url) for e in pending), years=_months(ctx),
        observances=tuple((Link(e.title, e.url, calendar.rule_text(e)), ctx.status(e)) for e in observances),
        local=tuple((Link(e.title, e.url, f"{zh_date(e.start)} · {e.venue}"), ctx.status(e)) for e in local),
        today=zh_date(ctx.today), ics=urls.CALENDAR_ICS, webcal=urls.webcal(ctx.site_url, urls.CALENDAR_ICS),
        calendar=ctx.calendar_json(events))


def _places(ctx: Context, chosen, cards, *, title: str, kind: str | None) -> PlacesView:
    county = ctx.county
    kinds = tuple(Link(t.name, urls.place_kind(t.name), str(sum(1 for p in ctx.content.places if p.kind == t.name)))
                  for t in vocabulary.terms("place_kinds"))
    groups: dict[str, list[PlaceCard]] = {}
    for place in chosen:
        groups.setdefault(place.town if place.town in county.town_names else UNKNOWN_TOWN, []).append(cards[place.slug])
    order = list(county.town_names) + [UNKNOWN_TOWN]
    towns = tuple((town, tuple(groups[town])) for town in order if town in groups)
    map_view = None
    if kind is None:
        points = [{"n": cards[p.slug].number, "title": p.title, "lat": round(to_wgs84(p.location)[0], 6),
                   "lon": round(to_wgs84(p.location)[1], 6), "url": p.url} for p in chosen if p.location]
        box = county.bbox or mapsvg.bbox_around(chosen, county.box)
        svg = mapsvg.schematic_svg(chosen, box, title=f"{county.name}法治文化阵地分布示意图")
        map_view = MapView(Markup(svg), fragments.json_for_script(points), ctx.tianditu_key)
    coverage, source = (), ""
    if county.coverage and kind is None:
        rows = []
        for figure in county.coverage.figures:
            listed = sum(1 for p in ctx.content.places if p.kind == figure.kind and (not figure.level or p.level == figure.level))
            missing = max(figure.count - listed, 0)
            rows.append((figure.label, listed, figure.shown, f"{missing}{'+' if '余' in figure.shown else ''}"))
        coverage = tuple(rows)
        source = f"与{county.coverage.source}公布的数量对照" + (f"（{county.coverage.as_of}）" if county.coverage.as_of else "")
    empty = f"这一类阵地还没有收录。欢迎向{county.publisher}提供准确的名称、地址和照片。" if kind else "还没有收录阵地。"
    return PlacesView(title, kinds, towns, tuple(card for _, group in towns for card in group), map_view, coverage, source,
                      empty)


def _bank_links(ctx: Context, law: LawTopic) -> tuple[Link, ...]:
    bank = ctx.content.bank_for(law.slug)
    return (Link(f"知识自测：{bank.title}", bank.url), Link("打印测试卷和参考答案", bank.paper_url)) if bank else ()


def _sitemap(ctx: Context, places, filters: Filters) -> SitemapView:
    laws = tuple((Link(law.title, law.url), tuple(Link(f"{r.audience}：{r.title}", r.url) for r in ctx.lectures(law))
                  + _bank_links(ctx, law)) for law in ctx.laws())
    events = ctx.content.events
    observances = tuple(Link(e.title, e.url) for e in sorted((e for e in events if e.kind == "observance"), key=_calendar_order))
    local = tuple(Link(e.title, e.url) for e in sorted((e for e in events if e.kind == "local"), key=lambda e: str(e.start),
                                                        reverse=True))
    towns: dict[str, list[Link]] = {}
    for place in places:
        towns.setdefault(place.town if place.town in ctx.county.town_names else UNKNOWN_TOWN, []).append(Link(place.title, place.url))
    order = list(ctx.county.town_names) + [UNKNOWN_TOWN]
    data = (Link("RSS 订阅", urls.feed()), Link("Atom 订阅", urls.atom()),
            Link("全部宣传日和活动（.ics 日历文件）", urls.CALENDAR_ICS), Link("全部阵地的位置数据（GeoJSON）", urls.PLACES_GEOJSON))
    kinds = tuple(Link(t.name, urls.place_kind(t.name)) for t in vocabulary.terms("place_kinds"))
    return SitemapView(laws, filters.audiences, filters.topics, _months(ctx), observances, local,
                       tuple((t, tuple(towns[t])) for t in order if t in towns), kinds, data)
