"""Observance rules that never (or not always) give a date, and announced dates that are due or missed.

An announced observance (国家网络安全宣传周, 宪法宣传周) has dates only when an editor enters them. From
about a month before its usual window (learned from the years already entered) the check reminds the
editor, naming the line to add; once the window has passed the pages say the dates were not entered.
"""

from __future__ import annotations

import datetime as dt

from .. import calendar
from ..content.loader import Source
from ..problems import Problem, problem


def check_event(source: Source, today: dt.date) -> list[Problem]:
    event, fm = source.record, source.fm
    if event.kind != "observance" or event.rule is None:
        return []
    if event.rule.type in ("fixed", "weekday", "lunar"):
        return _gaps(source, today)
    gap = calendar.announced_gap(event, today)
    if gap is None:
        return []
    window = calendar.usual_window(event)
    line = fm.line(("announced",))
    if source.origin == "pack":
        add = (f"这一页来自 pufa 的全国内容包：公布后，升级 pufa 即可得到今年的日期；等不及的话，可以把它复制到 "
               f"docs/{source.rel}，在 announced 下自己加上今年的一项（此后这一页不再随 pufa 更新）。不要按往年推测日期。")
    else:
            add = (f"官方公布后，请在第 {line} 行的 announced 下加一项：- {{year: {today.year}, start: {today.year}-月-日, "
               f"end: {today.year}-月-日, theme: 主题, source_url: 公布来源网址}}。不要按往年推测日期。")
    if gap == "due":
        return [problem("announced-due", source.shown, line, f"“{event.title}”往年在{window.text}举办（{_years(window)}），"
                        f"今年（{today.year} 年）的日期还没有录入。{add}")]
    return [problem("announced-missed", source.shown, line, f"“{event.title}”往年在{window.text}举办，今年的这段时间已经过去，"
                    f"但没有录入今年的日期，网页上显示“今年的日期未录入”。如果今年举办过：{add}")]


def _gaps(source: Source, today: dt.date) -> list[Problem]:
    event = source.record
    if event.rule.type == "fixed" and not _exists(event.rule.month, event.rule.day):
        return []  # 4月31日: the loader's bad-date already says so, on the same line
    first = max(today.year, event.first_year or today.year)
    missing = calendar.missing_years(event, first)
    line = source.fm.line(("rule",))
    if len(missing) == 28:
        return [problem("rule-never", source.shown, line, f"日期规则“{calendar.rule_text(event)}”在任何一年都不存在，网页上将没有日期。"
                        "请核对月份、星期和第几个（最后一个写 -1）。")]
    if missing:
        shown = "、".join(str(y) for y in missing[:3]) + ("等" if len(missing) > 3 else "")
        return [problem("rule-some-years", source.shown, line, f"日期规则“{calendar.rule_text(event)}”在 {shown} 年不存在，"
                        "这些年份网页上没有日期。请核对规则；如果确实如此，可以忽略这条提示。")]
    return []


def _exists(month: int, day: int) -> bool:
    try:
        dt.date(2000, month, day)  # a leap year: 2月29日 exists
    except ValueError:
        return False
    return True


def _years(window: calendar.Window) -> str:
    return "、".join(str(y) for y in window.years) + " 年"
