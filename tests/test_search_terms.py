"""Search keywords: the `keywords:` front-matter field, and what pufa derives for the index (pufa/search_terms.py)."""

from __future__ import annotations

import pytest

from pufa.content import load
from pufa.content.records import Rule
from pufa.search_terms import chinese_number, date_spellings, index_words, keywords, lunar_day, search_meta

from test_content_rules import EVENT, LAW, only, problems_for, write

COUNTY = (("model_village_levels", ()), ("towns", ()))  # no place in these tests needs the county's lists


def with_keywords(text: str, line: str) -> str:
    """A valid file with a `keywords:` line after its summary."""
    head, summary, rest = text.partition("\nsummary:")
    end = rest.index("\n") + 1
    return head + summary + rest[:end] + line + "\n" + rest[end:]


# --- the front-matter field ----------------------------------------------------------------------

@pytest.mark.parametrize("sample, kind", [(LAW, "law"), (EVENT, "event")])
def test_keywords_are_read_into_the_record(docs, sample, kind):
    write(docs, "laws/anti-fraud.md", LAW if kind != "law" else with_keywords(LAW, "keywords: [反诈, 被骗了怎么办]"))
    if kind == "event":
        write(docs, "events/day.md", with_keywords(EVENT, 'keywords: ["4·15", 国安日]'))
    loaded = load(docs, county=COUNTY)
    assert loaded.problems == []
    content = loaded.content
    record = content.laws[0] if kind == "law" else content.events[0]
    assert record.keywords == (("反诈", "被骗了怎么办") if kind == "law" else ("4·15", "国安日"))


def test_a_number_written_without_quotes_is_explained(docs):
    rel, line, code, message = only(problems_for(docs, "laws/anti-fraud.md", with_keywords(LAW, "keywords: [反诈, 12315]")))
    assert (line, code) == (5, "wrong-type")
    assert "搜索关键词" in message and '"12315"' in message


def test_keywords_joined_by_commas_are_refused(docs):
    rel, line, code, message = only(problems_for(docs, "laws/anti-fraud.md", with_keywords(LAW, "keywords: [反诈，刷单]")))
    assert (line, code) == (5, "pattern")
    assert "分开写成列表" in message


def test_an_overlong_keyword_is_refused(docs):
    rel, line, code, message = only(problems_for(docs, "laws/anti-fraud.md", with_keywords(LAW, "keywords: [" + "诈" * 17 + "]")))
    assert code == "too-long" and "16" in message


def test_too_many_and_repeated_keywords(docs):
    many = "keywords: [" + ", ".join(f"词{i}" for i in range(13)) + "]"
    assert only(problems_for(docs, "laws/anti-fraud.md", with_keywords(LAW, many)))[2] == "item-count"
    repeated = only(problems_for(docs, "laws/anti-fraud.md", with_keywords(LAW, "keywords: [反诈, 反诈]")))
    assert repeated[2] == "duplicate-item" and "重复" in repeated[3]


# --- dates as people write them ------------------------------------------------------------------

def test_chinese_numerals():
    assert [chinese_number(n) for n in (1, 4, 10, 12, 15, 20, 26, 31)] == ["一", "四", "十", "十二", "十五", "二十", "二十六", "三十一"]
    assert [lunar_day(n) for n in (1, 9, 10, 11, 20, 21, 30)] == ["初一", "初九", "初十", "十一", "二十", "廿一", "三十"]


def test_a_fixed_day_is_spelled_every_way():
    spellings = date_spellings(Rule("fixed", month=4, day=15))
    for typed in ("4·15", "4.15", "4-15", "4/15", "4月15日", "4月15号", "四月十五日", "四月十五", "415", "四一五"):
        assert typed in spellings
    assert {"三八", "3·8"} <= set(date_spellings(Rule("fixed", month=3, day=8)))
    assert {"十二月四日", "12·4"} <= set(date_spellings(Rule("fixed", month=12, day=4)))


def test_a_month_long_observance_is_its_month():
    assert date_spellings(Rule("fixed", month=5, day=1, days=31)) == ("5月", "五月")


def test_a_lunar_day_is_spelled_as_calendars_print_it():
    spellings = date_spellings(Rule("lunar", month=9, day=9))
    assert {"农历九月初九", "九月初九", "九月九"} <= set(spellings)
    assert "腊月初八" in date_spellings(Rule("lunar", month=12, day=8))


def test_moving_days_have_no_spelling():
    assert date_spellings(Rule("weekday", month=5, weekday=6, ordinal=3)) == ()
    assert date_spellings(Rule("announced")) == ()
    assert date_spellings(None) == ()


# --- what the index gets --------------------------------------------------------------------------

def test_index_words_let_every_cut_of_the_query_begin_a_word():
    words = index_words(["四月十五日", "4·15"])
    # The browser cuts 四月十五日 into 四月 + 十五 + 日, and 4·15 into 4 + 15; search.js does not look up
    # a character as common as 日, and the page's text has it anyway.
    for query_word in ("四月", "十五", "4", "15"):
        assert any(w.startswith(query_word) for w in words), query_word
    assert "4·15" in words  # typed the same way, it matches whole
    assert "日" not in words


def test_records_get_derived_keywords(docs):
    write(docs, "laws/anti-fraud.md", with_keywords(LAW, "keywords: [被骗了怎么办]"))
    write(docs, "events/day.md", EVENT)
    write(docs, "laws/anti-fraud/school.md", LECTURE)
    loaded = load(docs, county=COUNTY)
    assert loaded.problems == []
    content = loaded.content
    law, event, lecture = content.laws[0], content.events[0], content.lectures[0]
    assert keywords(law)[:3] == ("被骗了怎么办", "反诈", "反电信网络诈骗法")  # the editor's first
    assert "4·15" in keywords(event) and "四月十五日" in keywords(event)
    assert {"学校", "学生", "讲稿", "反诈"} <= set(keywords(lecture, content))
    # A 讲稿's title weighs less than a page's name (search.js), so it goes in its own field.
    assert set(search_meta(lecture, content)) == {"talk", "terms", "keywords"}
    assert set(search_meta(law, content)) == {"name", "terms", "keywords"}
    assert search_meta(law, content)["keywords"].split("、")[0] == "被骗了怎么办"
    assert search_meta(None, None, "活动日历") == {"name": "活动日历 动日历 日历"}


LECTURE = """\
---
title: 不贪小便宜，不借卡给人
topic: anti-fraud
audience: 学校
summary: 面向中小学生和老师的反诈讲稿，讲清常见套路。
minutes: 20
outline: [认识套路, 守住两卡, 一停二问三报]
questions: [遇到刷单怎么办？, 同学借卡怎么办？, 被骗了找谁？]
published: 2026-11-26
---

正文。
"""
