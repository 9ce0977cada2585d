"""Small, pure helpers that templates call to present records (dates in Chinese, groupings)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .content import AUDIENCES, Content, LawTopic, Lecture

FACT_LABELS = {
    "adopted": "通过日期", "adopted_by": "通过机关", "order_no": "主席令", "revisions": "修订修正",
    "effective": "施行日期", "chapters": "章数", "articles": "条数",
}


def zh_date(value: dt.date | dt.datetime | None) -> str:
    """2026-03-08 → 2026年3月8日; a date-time adds 时:分 (Beijing time)."""
    if value is None:
        return ""
    text = f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, dt.datetime):
        text += f" {value:%H:%M}"
    return text


@dataclass
class Presenter:
    content: Content
    publisher: str

    def lectures_for(self, topic: LawTopic) -> list[Lecture]:
        order = list(AUDIENCES)
        return sorted(self.content.lectures_for(topic.slug), key=lambda r: order.index(r.audience))

    def topic_of(self, lecture: Lecture) -> LawTopic | None:
        return self.content.law(lecture.topic)

    def audience_id(self, audience: str) -> str:
        return AUDIENCES[audience]

    def laws_named(self, slugs) -> list[LawTopic]:
        return [law for slug in slugs if (law := self.content.law(slug))]

    def places_named(self, slugs) -> list:
        return [place for slug in slugs if (place := self.content.place(slug))]

    def events_for_law(self, law: LawTopic) -> list:
        return [e for e in self.content.events if law.slug in e.laws]

    def fact_label(self, key: str) -> str:
        return FACT_LABELS[key]

    def rule_text(self, event) -> str:
        return rule_text(event)


_LUNAR_MONTHS = "正二三四五六七八九十冬腊"
_LUNAR_DAYS = ["初一", "初二", "初三", "初四", "初五", "初六", "初七", "初八", "初九", "初十",
               "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
               "廿一", "廿二", "廿三", "廿四", "廿五", "廿六", "廿七", "廿八", "廿九", "三十"]
_ORDINALS = {1: "第一个", 2: "第二个", 3: "第三个", 4: "第四个", 5: "第五个", -1: "最后一个"}
_WEEKDAYS = "一二三四五六日"


def rule_text(event) -> str:
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
