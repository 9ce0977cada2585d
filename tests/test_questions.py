"""Question banks: what an editor writes is checked at its line (in Chinese, every problem at once), papers
are drawn reproducibly, and the real site publishes every topic's bank the same way on every channel
(self-test page, paper page, materials.json, the topic's zip)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import lxml.html
import pytest

from conftest import ROOT, check
from pufa.checks import check_project
from pufa import urls
from pufa.clock import build_today
from pufa.content.records import Question
from pufa.project import open_project
from pufa.quiz import paper

TOPIC = """---
title: 示例法：测试用的专题
slug: example-law
summary: 这是一个用于测试的示例法律专题，不是真实内容，十个字以上。
law:
  name: 中华人民共和国示例法
  short_name: 示例法
  adopted: 2020-05-28
  effective: 2021-01-01
  chapters: 3
  articles: 30
  source_url: https://flk.npc.gov.cn/
audiences: [学校]
topics: [普法]
published: 2026-11-26
---

## 这部法律管什么

示例专题的正文。
"""


def choice(qid: int, *, answer: str = "B", question: str | None = None, basis: str = "第二条", options=None) -> str:
    options = options or ["选项一", "选项二", "选项三", "选项四"]
    lines = [f"  - id: {qid}", "    type: 单选", f"    question: {question or f'示例单选题第{qid}题问的是什么？'}",
             "    options:", *(f"      - {o}" for o in options), f"    answer: {answer}",
             f"    explanation: 这是第{qid}题的一句话解释。"]
    return "\n".join(lines + ([f"    basis: {basis}"] if basis else [])) + "\n"


def judge(qid: int, *, answer: str = "错", question: str | None = None, extra: str = "") -> str:
    return (f"  - id: {qid}\n    type: 判断\n    question: {question or f'示例判断题第{qid}题说得对不对？'}\n"
            f"{extra}    answer: {answer}\n    explanation: 这是第{qid}题的一句话解释。\n")


def bank(items: str, *, head: str = "") -> str:
    return ("---\ntitle: 示例法知识自测\nsummary: 测试用的题库，检验对示例法的了解，十个字以上。\npublished: 2026-12-02\n"
            f"{head}questions:\n{items}---\n\n这是测试用的题库。\n")


def write(docs: Path, text: str, topic: str = "example-law") -> str:
    (docs / "laws").mkdir(exist_ok=True)
    (docs / "laws" / "example-law.md").write_text(TOPIC, "utf-8")
    folder = docs / "laws" / topic
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "questions.md").write_text(text, "utf-8")
    return f"docs/laws/{topic}/questions.md"


def line_of(text: str, needle: str, after: int = 0) -> int:
    """The first line after `after` containing `needle`; a needle starting with "- id:" must be the whole line."""
    lines = text.split("\n")
    whole = needle.startswith("- id:")
    return next(n for n, line in enumerate(lines, 1) if n > after and (line.strip() == needle if whole else needle in line))


def found(problems, path: str) -> list[tuple[int, str, str]]:
    return sorted((p.line, p.code, p.message) for p in problems if p.path == path)


GOOD = "".join(choice(i) if i % 2 else judge(i) for i in range(1, 21))


def test_a_good_bank_of_twenty_passes_without_a_word(site_root):
    path = write(site_root / "docs", bank(GOOD))
    assert found(check(site_root, render=False), path) == []


def test_an_answer_not_among_the_options_is_named_at_its_line(site_root):
    text = bank(choice(1, answer="E") + GOOD.replace("id: 1\n", "id: 99\n", 1).replace("示例单选题第1题", "另一道题", 1))
    path = write(site_root / "docs", text)
    problems = found(check(site_root, render=False), path)
    assert [(line, code) for line, code, _ in problems] == [(line_of(text, "answer: E"), "question-answer")]
    assert "A、B、C、D" in problems[0][2]


@pytest.mark.parametrize("answer", ["正确", "√", "B"])
def test_a_true_false_answer_must_be_dui_or_cuo(site_root, answer):
    text = bank(judge(1, answer=answer) + GOOD.replace("id: 1\n", "id: 99\n", 1).replace("示例单选题第1题", "另一道题", 1))
    path = write(site_root / "docs", text)
    problems = found(check(site_root, render=False), path)
    assert [(line, code) for line, code, _ in problems] == [(line_of(text, f"answer: {answer}"), "question-answer")]
    assert "对 或 错" in problems[0][2]


def test_a_question_without_an_answer_is_a_missing_field_at_the_question(site_root):
    items = "  - id: 1\n    type: 判断\n    question: 这道题忘了写答案。\n    explanation: 一句话解释写在这里。\n"
    text = bank(items + GOOD.replace("id: 1\n", "id: 99\n", 1).replace("示例单选题第1题", "另一道题", 1))
    path = write(site_root / "docs", text)
    problems = found(check(site_root, render=False), path)
    assert [(line, code) for line, code, _ in problems] == [(line_of(text, "- id: 1"), "missing-key")]
    assert "answer（答案）" in problems[0][2]


def test_duplicate_questions_and_ids_name_the_first_line(site_root):
    twin = choice(30, question="示例单选题第1题问的是什么?")  # the same question, other punctuation
    text = bank(GOOD + twin + judge(2, question="一道新的判断题，题号却重复了。"))
    path = write(site_root / "docs", text)
    problems = found(check(site_root, render=False), path)
    first_q = line_of(text, "示例单选题第1题")
    first_id = line_of(text, "- id: 2")
    assert [(line, code) for line, code, _ in problems] == [
        (line_of(text, "示例单选题第1题问的是什么?"), "question-duplicate"),
        (line_of(text, "- id: 2", after=first_id), "question-duplicate")]
    assert f"第 {first_q} 行" in problems[0][2] and f"第 {first_id} 行" in problems[1][2]


def test_options_on_a_true_false_question_and_none_on_a_choice(site_root):
    text = bank(judge(1, extra="    options: [对, 错, 不一定]\n")
                + "  - id: 2\n    type: 单选\n    question: 这道单选题没有写选项。\n    answer: A\n    explanation: 一句话解释写在这里。\n"
                + GOOD.replace("id: 1\n", "id: 91\n", 1).replace("id: 2\n", "id: 92\n", 1)
                .replace("示例单选题第1题", "另一道题", 1).replace("示例判断题第2题", "另一道判断题", 1))
    path = write(site_root / "docs", text)
    problems = found(check(site_root, render=False), path)
    assert [(line, code) for line, code, _ in problems] == [(line_of(text, "options: [对"), "question-options"),
                                                            (line_of(text, "这道单选题没有写选项"), "question-options")]


def test_an_article_beyond_the_law_is_named_with_the_law_s_size(site_root):
    text = bank(choice(1, basis="第三十一条") + GOOD.replace("id: 1\n", "id: 91\n", 1).replace("示例单选题第1题", "另一道题", 1))
    path = write(site_root / "docs", text)
    problems = found(check(site_root, render=False), path)
    assert [(line, code) for line, code, _ in problems] == [(line_of(text, "basis: 第三十一条"), "question-basis")]
    assert "共 30 条" in problems[0][2]


def test_a_basis_naming_the_law_or_in_arabic_numerals_is_refused(site_root):
    text = bank(choice(1, basis="《示例法》第2条") + GOOD.replace("id: 1\n", "id: 91\n", 1).replace("示例单选题第1题", "另一道题", 1))
    path = write(site_root / "docs", text)
    problems = found(check(site_root, render=False), path)
    assert [(line, code) for line, code, _ in problems] == [(line_of(text, "basis: 《示例法》"), "pattern")]
    assert "汉字数字" in problems[0][2]


def test_every_problem_of_a_bank_is_reported_at_once(site_root):
    text = bank(choice(1, answer="F") + judge(1, answer="是") + judge(3, question="示例单选题第1题问的是什么？")
                + choice(4, basis="第九十九条") + "  - id: 5\n    type: 多选\n    question: 多选题不支持。\n    answer: AB\n"
                "    explanation: 一句话解释写在这里。\n")
    path = write(site_root / "docs", text)
    codes = [code for _, code, _ in found(check(site_root, render=False), path)]
    # Schema (多选), answers, the duplicate id and question are all there at once; the article range is a
    # rule across files, checked once the file itself is valid.
    assert codes.count("question-answer") == 2 and codes.count("question-duplicate") == 2 and "not-in-list" in codes


def test_an_explanation_of_more_than_one_sentence_is_a_warning(site_root):
    long = GOOD.replace("这是第2题的一句话解释。", "这是第一句。这是第二句。", 1)
    text = bank(long)
    path = write(site_root / "docs", text)
    problems = [p for p in check(site_root, render=False) if p.path == path]
    assert [(p.line, p.code, p.is_error) for p in problems] == [(line_of(text, "这是第一句。"), "question-explanation", False)]


def test_a_small_bank_is_a_warning_and_a_bank_outside_a_topic_an_error(site_root):
    small = bank("".join(judge(i) for i in range(1, 6)))
    path = write(site_root / "docs", small)
    assert [(code, p) for _, code, p in found(check(site_root, render=False), path)][0][0] == "question-count"
    stray = write(site_root / "docs", bank(GOOD), topic="no-such-law")
    problems = found(check(site_root, render=False), stray)
    assert [code for _, code, _ in problems] == ["question-bank-place"] and "example-law" in problems[0][2]


def test_pufa_new_questions_writes_a_draft_that_the_check_accepts(site_root):
    import subprocess
    import sys
    (site_root / "docs" / "laws").mkdir(exist_ok=True)
    (site_root / "docs" / "laws" / "example-law.md").write_text(TOPIC, "utf-8")
    made = subprocess.run([sys.executable, "-m", "pufa.cli", "new", "questions", "example-law"], cwd=site_root,
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    path = "docs/laws/example-law/questions.md"
    problems = found(check(site_root, render=False), path)
    assert {code for _, code, _ in problems} <= {"placeholder-draft", "question-count"} and problems


# --- drawing papers -------------------------------------------------------------------------------

def questions(n: int) -> list[Question]:
    return [Question(i, "单选" if i % 3 else "判断", f"第{i}题", "A" if i % 3 else "对", "解释。", ("甲", "乙", "丙") if i % 3 else ())
            for i in range(1, n + 1)]


def test_a_paper_is_the_same_for_the_same_seed_and_differs_between_seeds():
    bank_ = questions(30)
    first = [q.id for q in paper.draw(bank_, 10, 7)]
    assert first == [q.id for q in paper.draw(list(reversed(bank_)), 10, 7)]  # the file's order does not matter
    assert len(set(first)) == 10
    papers = {tuple(sorted(q.id for q in paper.draw(bank_, 10, seed))) for seed in range(1, 21)}
    assert len(papers) == 20


def test_a_paper_prints_choices_first_and_survives_a_new_question_it_does_not_draw():
    bank_ = questions(30)
    drawn = paper.draw(bank_, 12, 3)
    types = [q.type for q in drawn]
    assert types == sorted(types, key=["单选", "判断"].index)
    grown = bank_ + [Question(31, "判断", "新题", "对", "解释。")]
    untouched = [seed for seed in range(1, 21) if 31 not in {q.id for q in paper.draw(grown, 12, seed)}]
    assert untouched  # some papers do not draw the new question; those must stay exactly as they were
    for seed in untouched:
        assert [q.id for q in paper.draw(grown, 12, seed)] == [q.id for q in paper.draw(bank_, 12, seed)]


def test_the_hash_is_32_bit_fnv1a_then_mixed():
    # Published FNV-1a test vectors: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
    assert [paper.fnv1a(s) for s in ("", "a", "foobar")] == [0x811C9DC5, 0xE40C292C, 0xBF9CF968]
    # MurmurHash3's fmix32 of 1 (a published constant of its avalanche step).
    assert paper.mix(1) == 0x514E28B7


# --- the real site --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def content():
    return check_project(open_project(ROOT / "mkdocs.yml"), build_today(), render=False).content.published()


def test_every_law_topic_has_a_bank_of_at_least_twenty_with_both_types(content):
    assert len(content.laws) >= 6
    for law in content.laws:
        found_bank = content.bank_for(law.slug)
        assert found_bank is not None, law.slug
        assert len(found_bank.questions) >= 20, law.slug
        assert {q.type for q in found_bank.questions} == {"单选", "判断"}, law.slug


def page_text(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_text("utf-8")).xpath("//article")[0]


def test_the_self_test_page_shows_every_question_with_its_answer_under_details(site, content):
    for law in content.laws:
        bank_ = content.bank_for(law.slug)
        article = page_text(site / bank_.url / "index.html")
        sets = article.xpath(".//fieldset[@data-answer]")
        assert len(sets) == len(bank_.questions)
        for fieldset, q in zip(sets, bank_.questions):
            assert q.question in fieldset.xpath("string(legend)")
            assert fieldset.get("data-answer") == q.answer
            radios = fieldset.xpath(".//input[@type='radio']")
            assert len(radios) == (len(q.options) or 2) and len({r.get("name") for r in radios}) == 1
            answer = fieldset.xpath(".//details")[0].text_content()
            assert q.answer_text in answer and q.explanation in answer
            if q.basis:
                assert f"{law.law.short_name}》{q.basis}" in answer


def test_the_paper_page_prints_paper_one_and_its_key_without_javascript(site, content):
    for law in content.laws:
        bank_ = content.bank_for(law.slug)
        article = page_text(site / bank_.paper_url / "index.html")
        expected = paper.draw(bank_.questions, paper.default_count(bank_.questions), 1)
        shown = [re.sub(r"（\s*）$", "", p.text_content().strip()) for p in article.xpath(".//p[@class='pufa-paper__q']")]
        assert shown == [q.question for q in expected]
        key = [li.xpath("string(strong)") for li in article.xpath(".//ol[@data-pufa-key-body]/li")]
        assert key == [q.answer_text for q in expected]
        data = json.loads(article.xpath(".//script[@id='pufa-paper-data']")[0].text)
        assert [q["id"] for q in data["questions"]] == [q.id for q in bank_.questions]


def test_topics_and_lectures_link_their_bank_and_paper(site, content):
    for law in content.laws:
        bank_ = content.bank_for(law.slug)
        for record in [law, *content.lectures_for(law.slug)]:
            page = site / record.url / "index.html"
            links = {(urls.resolve(record.url, a.get("href")) or "").rstrip("/") for a in
                     lxml.html.fromstring(page.read_text("utf-8")).xpath("//article//a[@href]")}
            assert {bank_.url.rstrip("/"), bank_.paper_url.rstrip("/")} <= links, record.url


def test_materials_json_and_the_zip_carry_the_same_bank(site, content):
    data = json.loads((site / "api" / "materials.json").read_text("utf-8"))
    for topic in data["topics"]:
        bank_ = content.bank_for(topic["slug"])
        items = topic["questions"]["items"]
        assert [i["id"] for i in items] == [q.id for q in bank_.questions]
        assert [(i["answer"], i["explanation"]) for i in items] == [(q.answer, q.explanation) for q in bank_.questions]
        assert topic["questions"]["paper"].endswith(bank_.paper_url)
        with zipfile.ZipFile(site / "downloads" / f"{topic['slug']}.zip") as pack:
            names = pack.namelist()
            assert f"{topic['slug']}/markdown/{bank_.path}" in names
            printable = pack.read(f"{topic['slug']}/{topic['slug']}.html").decode("utf-8")
            assert all(q.explanation in printable for q in bank_.questions)

