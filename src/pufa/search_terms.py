"""What a page adds to the search index beyond its text: keywords, kept out of readers' sight.

Readers search with words a page may not contain: a date as they write it (4·15, 四月十五, 三八), a
law's everyday short name (反诈), the group a 讲稿 is for (学生 for 学校). Each content page gets a
list of search keywords: the editor's own (`keywords:` in the front matter) and the ones pufa derives
from the record. partials/pufa-search-meta.html writes them, with the summary, as Pagefind metadata
on an empty hidden element, so Pagefind indexes and weighs them (assets/pufa/search.js sets the
weights) while nothing new is shown or read aloud.
"""

from __future__ import annotations

import re

from .content import vocabulary
from .content.records import Content, Event, LawTopic, Lecture, Place, QuestionBank, Record, Rule

DIGITS = "〇一二三四五六七八九"
# Runs of Han characters, and of letters and digits: the pieces a browser's word segmenter never joins.
RUNS = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+)|([0-9A-Za-z]+)")
# Month names of the Chinese lunar calendar as calendars print them.
LUNAR_MONTHS = ("正月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "冬月", "腊月")


def chinese_number(n: int) -> str:
    """1–99 in Chinese numerals as dates are written: 4 → 四, 10 → 十, 15 → 十五, 26 → 二十六."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else "十" if tens == 1 else DIGITS[tens] + "十") + (DIGITS[ones] if ones else "")


def lunar_day(day: int) -> str:
    """A lunar day as calendars print it: 初一 … 初十, 十一 … 二十, 廿一 … 三十."""
    if day <= 10:
        return "初" + chinese_number(day)
    if 20 < day < 30:
        return "廿" + DIGITS[day - 20]
    return chinese_number(day)


def date_spellings(rule: Rule | None) -> tuple[str, ...]:
    """The ways people write the day an observance falls on, from its rule.

    A fixed day (4 月 15 日): 4·15, 4.15, 4-15, 4/15, 4月15日, 4月15号, 四月十五日, 四月十五号, 四月十五,
    415 and 四一五 (as 三八, 六一, 三一五 are said). A month-long observance: the month. A lunar day
    (九月初九): with and without 农历, and 九月九. Rules that move from year to year (a weekday, dates
    announced each year) have no fixed spelling.
    """
    if rule is None or rule.month is None or rule.day is None:
        return ()
    m, d = rule.month, rule.day
    if rule.type == "lunar":
        month = LUNAR_MONTHS[m - 1]
        spellings = [f"农历{month}{lunar_day(d)}", f"{month}{lunar_day(d)}", f"{chinese_number(m)}月{chinese_number(d)}",
                     f"农历{m}月{d}日"]
        return tuple(dict.fromkeys(spellings))
    if rule.type != "fixed":
        return ()
    if rule.days >= 28 and d == 1:  # the whole month
        return (f"{m}月", f"{chinese_number(m)}月")
    cm, cd = chinese_number(m), chinese_number(d)
    said = "".join(DIGITS[int(c)] for c in f"{m}{d}")
    return (f"{m}·{d}", f"{m}.{d}", f"{m}-{d}", f"{m}/{d}", f"{m}月{d}日", f"{m}月{d}号",
            f"{cm}月{cd}日", f"{cm}月{cd}号", f"{cm}月{cd}", f"{m}{d}", said)


def keywords(record: Record, content: Content | None = None) -> tuple[str, ...]:
    """Every search keyword of a page: the editor's first, then those derived from the record."""
    found = list(getattr(record, "keywords", ()) or ())
    if isinstance(record, LawTopic):
        found += list(record.topics) + ([record.law.short_name] if record.law else [])
    elif isinstance(record, Lecture):
        topic = content.law(record.topic) if content else None
        audience = vocabulary.term("audiences", record.audience)
        found += [record.audience, *(audience.words if audience else ()), "讲稿"]
        if topic is not None:
            found += list(topic.topics) + ([topic.law.short_name] if topic.law else [])
    elif isinstance(record, QuestionBank):
        topic = content.law(record.topic) if content else None
        found += ["知识测试", "题库", "自测", "答题"] + ([topic.law.short_name] if topic and topic.law else [])
    elif isinstance(record, Event):
        found += date_spellings(record.rule)
    elif isinstance(record, Place):
        found += [w for w in (record.kind, record.town) if w]
    return tuple(dict.fromkeys(w.strip() for w in found if w and w.strip()))


def search_meta(record: Record | None, content: Content | None = None, title: str = "") -> dict[str, str]:
    """The Pagefind metadata fields of a page, as partials/pufa-search-meta.html writes them.

    name     the page's title, spelled as index_words() explains (Pagefind's own `title`, the <h1>
             shown in results, stays as it is);
    talk     the same for a 讲稿 or a question bank, whose title weighs less: a 讲稿 retells its law
             topic for one audience and a bank tests it, so a question finds the topic, and the
             audience's words (or 知识测试, 题库) find the 讲稿 (or the bank);
    terms    the keywords, spelled as index_words() explains;
    keywords the keywords as written, joined by 、, for search.js to tell a query that names one.
    assets/pufa/search.js gives each field its weight."""
    name = record.title if record is not None else title
    words = keywords(record, content) if record is not None else ()
    fields = {"talk" if isinstance(record, (Lecture, QuestionBank)) else "name": " ".join(index_words([name] if name else [])),
              "terms": " ".join(index_words(words)), "keywords": "、".join(w.replace(" ", "") for w in words)}
    return {k: v for k, v in fields.items() if v}


def index_words(phrases) -> list[str]:
    """Phrases spelled so that Pagefind matches them against a Chinese query.

    Pagefind segments page text into words but takes metadata apart only at spaces, and it matches a
    query word against any indexed word that starts with it. The browser cuts 四月十五 into 四月 + 十五
    and 国家宪法日 into 国家 + 宪法 + 日, so a phrase is written as itself (4·15 stays whole for a query
    typed the same way), its runs of letters and digits (4, 15), and every tail of its runs of Han
    characters down to two (四月十五, 月十五, 十五): each word of the query then begins one of them,
    however the browser cut it, and Pagefind's coverage of the query measures how much of the phrase it
    names. A lone last character is left out: the page's text has it anyway, and it is in so many pages
    that it tells nothing (search.js does not look such characters up either)."""
    words: list[str] = []
    for phrase in phrases:
        for part in phrase.split():
            words.append(part)
            for han, alnum in RUNS.findall(part):
                words += [han[i:] for i in range(len(han) - 1)] if han else [alnum]
    return list(dict.fromkeys(words))
