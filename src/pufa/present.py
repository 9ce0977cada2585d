"""What templates call to present records: Chinese dates, groupings, calendar and map data.

Templates decide looks; this module decides facts and hands them over as plain values. It only
delegates to the domain modules (calendar, places) and never builds HTML, except the schematic map
SVG and JSON-LD, which the places module owns.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from . import calendar, places
from .content import AUDIENCES, Content, Event, LawTopic, Lecture, Place
from .content.schema import vocabulary
from .exports import event_ics_path, has_calendar_entries
from .pages import KIND_IDS, calendar_years, month_path

FACT_LABELS = {
    "adopted": "通过日期", "adopted_by": "通过机关", "order_no": "主席令", "revisions": "修订修正",
    "effective": "施行日期", "chapters": "章数", "articles": "条数",
}
DAYS_AHEAD = 60  # the calendar home's "now and the next weeks"


def zh_date(value: dt.date | dt.datetime | None) -> str:
    """2026-03-08 → 2026年3月8日; a date-time adds 时:分 (Beijing time)."""
    if value is None:
        return ""
    text = f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, dt.datetime):
        text += f" {value:%H:%M}"
    return text


def json_for_script(value) -> str:
    """JSON safe inside a <script> element (no "</script>" can close it early)."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@dataclass
class Presenter:
    content: Content
    publisher: str
    today: dt.date
    site_url: str = ""
    map_src: str = places.DEFAULT_SRC
    bbox: places.BoundingBox = places.ZAOYANG_BBOX
    tianditu_key: str = ""
    pictures: object = None  # pictures.SiteImages
    _towns: list = field(default_factory=lambda: vocabulary()["towns"])

    # --- law topics and lectures ---
    def lectures_for(self, topic: LawTopic) -> list[Lecture]:
        order = list(AUDIENCES)
        return sorted(self.content.lectures_for(topic.slug), key=lambda r: order.index(r.audience))

    def topic_of(self, lecture: Lecture) -> LawTopic | None:
        return self.content.law(lecture.topic)

    def audience_id(self, audience: str) -> str:
        return AUDIENCES[audience]

    def laws_named(self, slugs) -> list[LawTopic]:
        return [law for slug in slugs if (law := self.content.law(slug))]

    def places_named(self, slugs) -> list[Place]:
        return [place for slug in slugs if (place := self.content.place(slug))]

    def laws_sorted(self) -> list[LawTopic]:
        return sorted(self.content.laws, key=lambda law: law.published)

    def laws_for_audience(self, audience: str) -> list[tuple[LawTopic, Lecture | None]]:
        """Each topic that lists the audience, with the 讲稿 for it (None while it is being written)."""
        return [(law, next((r for r in self.content.lectures_for(law.slug) if r.audience == audience), None))
                for law in self.laws_sorted() if audience in law.audiences]

    def laws_on_topic(self, topic: str) -> list[LawTopic]:
        return [law for law in self.laws_sorted() if topic in law.topics]

    def audience_filters(self) -> list[tuple[str, str]]:
        return list(AUDIENCES.items())

    def topic_filters(self) -> list[tuple[str, str, int]]:
        """(topic, id, number of law topics) for every topic in use."""
        return [(topic, topic_id, len(self.laws_on_topic(topic)))
                for topic, topic_id in vocabulary()["topics"].items() if self.laws_on_topic(topic)]

    def fact_label(self, key: str) -> str:
        return FACT_LABELS[key]

    # --- calendar ---
    def rule_text(self, event: Event) -> str:
        return rule_text(event)

    def status(self, event: Event) -> calendar.Status:
        return calendar.status(event, self.today)

    def next_dates(self, event: Event, count: int = 3) -> list[calendar.Occurrence]:
        # Ten years ahead, to the end of that year (replace(year=…) would fail on 29 February).
        found = calendar.occurrences(event, self.today, dt.date(self.today.year + 10, 12, 31))
        return found[:count]

    def date_text(self, occurrence: calendar.Occurrence) -> str:
        return calendar.date_text(occurrence)

    def upcoming(self, events=None, days: int = DAYS_AHEAD) -> list[calendar.Occurrence]:
        return calendar.upcoming(self.content.events if events is None else events, self.today, days)

    def upcoming_for_law(self, law: LawTopic, days: int = 366) -> list[calendar.Occurrence]:
        return self.upcoming([e for e in self.content.events if law.slug in e.laws], days)

    def places_for_law(self, law: LawTopic) -> list[Place]:
        return [p for p in self.places_sorted() if law.slug in p.laws]

    def events_for_law(self, law: LawTopic) -> list[Event]:
        return [e for e in self.content.events if law.slug in e.laws]

    def pending(self) -> list[Event]:
        """Announced days whose dates for this year are not yet entered: shown as 待公布."""
        return [e for e in sorted(self.content.events, key=lambda e: e.title) if self.status(e).kind == "pending"]

    def observances(self) -> list[Event]:
        return sorted((e for e in self.content.events if e.kind == "observance"), key=_calendar_order)

    def local_events(self) -> list[Event]:
        return sorted((e for e in self.content.events if e.kind == "local"), key=lambda e: str(e.start), reverse=True)

    def calendar_months(self) -> list[tuple[int, int, str, int]]:
        """(year, month, month page path, number of occurrences) for every month with a page."""
        out = []
        for year in calendar_years(self.today):
            counts = calendar.by_month(self.content.events, year)
            out += [(year, month, month_path(year, month), len(counts[month])) for month in range(1, 13)]
        return out

    def month(self, key: str) -> list[calendar.Occurrence]:
        year, month = (int(part) for part in key.split("-"))
        return calendar.by_month(self.content.events, year)[month]

    def calendar_data(self, events=None) -> str:
        """Occurrences for calendar.js; a page embeds only the events it shows."""
        return calendar.browser_json(self.content.events if events is None else events, self.today)

    def ics_path(self, event: Event) -> str | None:
        return event_ics_path(event.slug) if has_calendar_entries(event) else None

    def webcal(self, path: str) -> str:
        """A webcal:// address for a site-relative path, which phones open as a subscription."""
        parts = urlsplit(self.site_url.rstrip("/") + "/" + path)
        return f"webcal://{parts.netloc}{parts.path}"

    # --- places ---
    def places_sorted(self) -> list[Place]:
        """Places in list order: by town (vocabulary order), then title; numbers on the map follow it."""
        return list(self._place_order)

    @functools.cached_property
    def _place_order(self) -> tuple[Place, ...]:
        # Every place card asks for its number: sorted once per build, not once per card.
        grouped = places.group_by_town(sorted(self.content.places, key=lambda p: p.title), self._towns)
        return tuple(place for _, members in grouped for place in members)

    def places_by_town(self) -> list[tuple[str, list[Place]]]:
        return places.group_by_town(self.places_sorted(), self._towns)

    def places_by_kind(self) -> list[tuple[str, list[Place]]]:
        return places.group_by_kind(self.places_sorted())

    def places_of_kind(self, kind: str) -> list[Place]:
        return [p for p in self.places_sorted() if p.kind == kind]

    def place_number(self, place: Place) -> int:
        return self._place_order.index(place) + 1

    def kind_id(self, kind: str) -> str:
        return KIND_IDS[kind]

    def kind_counts(self) -> list[tuple[str, str, int]]:
        return [(kind, KIND_IDS[kind], len(self.places_of_kind(kind))) for kind in places.KINDS]

    def picture(self, photo, page, lazy: bool = True) -> str:
        """<picture> markup for a front-matter photo (resized WebP/JPEG, width and height set)."""
        return self.pictures.picture(photo.src, alt=photo.alt, page_url=page.url, lazy=lazy)

    def nav_links(self, place: Place) -> list[places.NavLink]:
        return places.nav_links(place, src=self.map_src, referer=self.map_src)

    def wgs84(self, place: Place) -> tuple[float, float] | None:
        return places.to_wgs84(place.location) if place.location else None

    def place_jsonld(self, place: Place) -> str:
        url = self.site_url.rstrip("/") + "/" + place.url
        return json_for_script(places.place_jsonld(place, url, site_url=self.site_url, src=self.map_src))

    def map_svg(self, selection: list[Place] | None = None, id_prefix: str = "places-map") -> str:
        chosen = self.places_sorted() if selection is None else selection
        return places.schematic_svg(chosen, self.bbox, id_prefix=id_prefix)

    def map_points(self) -> str:
        """The located places for the interactive map (WGS-84, as the 天地图 tiles use CGCS2000)."""
        points = []
        for number, place in enumerate(self.places_sorted(), start=1):
            if place.location:
                lat, lon = places.to_wgs84(place.location)
                points.append({"n": number, "title": place.title, "lat": round(lat, 6), "lon": round(lon, 6),
                               "url": place.url})
        return json_for_script(points)

    def coverage(self) -> list[places.CoverageRow]:
        return places.coverage(self.content.places)


def _calendar_order(event: Event) -> tuple:
    rule = event.rule
    return (rule.month or 13, rule.day or 0, event.title) if rule else (14, 0, event.title)


_LUNAR_MONTHS = "正二三四五六七八九十冬腊"
_LUNAR_DAYS = ["初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十",
               "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
               "廿一", "廿二", "廿三", "廿四", "廿五", "廿六", "廿七", "廿八", "廿九", "三十"]
_ORDINALS = {1: "第一个", 2: "第二个", 3: "第三个", 4: "第四个", 5: "第五个", -1: "最后一个"}
_WEEKDAYS = "一二三四五六日"


def rule_text(event: Event) -> str:
    """How an observance's date is determined, in words: 每年3月最后一个星期一."""
    rule = event.rule
    if rule is None:
        return ""
    if rule.type == "fixed":
        text = f"每年{rule.month}月{rule.day}日"
        return text + (f"起，共 {rule.days} 天" if rule.days > 1 else "")
    if rule.type == "weekday":
        return f"每年{rule.month}月{_ORDINALS[rule.ordinal]}星期{_WEEKDAYS[rule.weekday]}"
    if rule.type == "lunar":
        return f"每年农历{_LUNAR_MONTHS[rule.month - 1]}月{_LUNAR_DAYS[rule.day - 1]}"
    return "每年另行公布"
