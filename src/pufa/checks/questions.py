"""Rules for a question bank that need its law topic: the topic exists, every article or chapter it cites
exists in that law, and the bank is large enough to draw papers from (a warning, from the schema's
x-recommend)."""

from __future__ import annotations

import re

from ..content.loader import Loaded, Source
from ..content.schema import schema
from ..problems import Problem, problem

_DIGITS = dict(zip("零一二三四五六七八九", range(10)))
_BASIS = re.compile(r"^第([一二三四五六七八九十百零]+)(条|章)")


def chinese_number(text: str) -> int:
    """一百四十三 → 143; 十二 → 12 (Chinese numerals as laws number their articles)."""
    total, digit = 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (digit or 1) * {"十": 10, "百": 100}[ch]
            digit = 0
    return total + digit


def check_bank(source: Source, loaded: Loaded) -> list[Problem]:
    bank, fm = source.record, source.fm
    problems = []
    law = loaded.content.law(bank.topic)
    if law is None and any(s.kind == "law" and s.slug == bank.topic for s in loaded.sources.values()):
        return []  # the topic's own file is broken: its errors are the root cause, reported there
    if law is None:
        known = "、".join(sorted(r.slug for r in loaded.content.laws)) or "（暂无）"
        return [problem("question-bank-place", source.shown, 1, f"题库放在 laws/{bank.topic}/ 文件夹里，但没有网址名为 {bank.topic} 的法律专题。"
                        f"题库要放在所属专题的文件夹里；现有专题：{known}。")]
    facts = law.law
    for i, q in enumerate(bank.questions):
        match = _BASIS.match(q.basis)
        if not match:
            continue
        number, unit = chinese_number(match.group(1)), match.group(2)
        most = facts.articles if unit == "条" else facts.chapters
        if most and number > most:
            problems.append(problem("question-basis", source.shown, fm.line(("questions", i, "basis")),
                                    f"{q.basis}不存在：《{facts.name}》共 {most} {unit}。请对照国家法律法规数据库的文本改正条文号，"
                                    "拿不准就删掉这一行。"))
    low = schema("questions")["properties"]["questions"].get("x-recommend", {}).get("minimum")
    if low and len(bank.questions) < low:
        problems.append(problem("question-count", source.shown, fm.line(("questions",)),
                                f"题库现在有 {len(bank.questions)} 道题，建议至少 {low} 道，抽题组卷时每套试卷才不会总是同样的题。"))
    return problems
