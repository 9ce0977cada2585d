"""Editorial guidance for 讲稿, with the numbers kept in the lecture schema (x-recommend, x-body-min-chars),
so the check and the schema can never disagree: warnings, not errors."""

from __future__ import annotations

import re

from ..content.loader import Source
from ..content.schema import schema
from ..problems import Problem, problem

_MARKUP = re.compile(r"\]\([^)]*\)|<[^>]*>|[#>*_`|\-\[\]()!]|\s")


def check_lecture(source: Source) -> list[Problem]:
    lecture, fm = source.record, source.fm
    spec = schema("lecture")
    recommend = spec["properties"]["minutes"].get("x-recommend", {})
    low, high = recommend.get("minimum"), recommend.get("maximum")
    problems = []
    if low is not None and high is not None and not low <= lecture.minutes <= high:
        problems.append(problem("lecture-minutes", source.shown, fm.line(("minutes",)),
                                f"讲稿时长写的是 {lecture.minutes} 分钟，建议 {low}～{high} 分钟（一节课或一次会议的宣讲时间）。"
                                "如果确实需要更长或更短，可以忽略这条提示。"))
    minimum = spec.get("x-body-min-chars")
    length = body_chars(lecture.body)
    if minimum and length < minimum:
        problems.append(problem("lecture-length", source.shown, fm.body_line,
                                f"讲稿正文约 {length} 字，少于建议的 {minimum} 字（按每分钟约 150 字，够讲 15 分钟）。"
                                "请补充情景示例或问答。"))
    return problems


def body_chars(markdown: str) -> int:
    """Characters a lecturer reads aloud: the body without Markdown syntax, link targets and spaces."""
    return len(_MARKUP.sub("", markdown))
