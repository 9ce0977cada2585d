"""What the self-test page and the test paper show, worked out once per build (templates only lay it out).

The self-test page is the bank's own page (docs/laws/<topic>/questions.md): every question with its options,
and its answer, explanation and legal basis under a <details> that works without JavaScript;
assets/pufa/quiz.js adds marking and a score. The paper page (laws/<topic>/paper/) prints paper 1 of the
default size as it is; quiz.js draws any other paper number and size from the same bank in the browser.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .. import html as fragments
from ..content import vocabulary
from ..content.records import LawTopic, Question, QuestionBank
from . import paper

LETTERS = "ABCDEF"
TRUE_FALSE = (("对", "对"), ("错", "错"))  # the choices of a 判断 question
# Paper section headings by question type, in the order the paper prints them.
HEADINGS = {"单选": "单项选择题（每题只有一个正确答案，把字母填在括号里）", "判断": "判断题（正确的填“对”，错误的填“错”）"}
ORDINALS = "一二三四五六"


@dataclass(frozen=True)
class QuizItem:
    number: int  # on this page, from 1
    id: int
    type: str
    question: str
    choices: tuple[tuple[str, str], ...]  # (value, label) to answer with: (A, A. 2022年12月1日) …, or (对, 对), (错, 错)
    options: tuple[str, ...]  # a choice question's options as written (empty for 判断): printed on the paper
    answer: str
    answer_text: str
    explanation: str
    basis: str  # 《反电信网络诈骗法》第三十一条, or ""


@dataclass(frozen=True)
class QuizView:
    title: str
    summary: str
    topic_title: str
    topic_url: str
    counts: str  # 共 24 题：单选题 16 道，判断题 8 道
    items: tuple[QuizItem, ...]
    paper: str  # route of the printable paper
    byline: str


@dataclass(frozen=True)
class PaperSection:
    heading: str
    items: tuple[QuizItem, ...]


@dataclass(frozen=True)
class PaperView:
    title: str
    topic_title: str
    topic_url: str
    bank: str  # route of the self-test page
    seed: int
    count: int
    max_count: int
    max_seed: int
    sections: tuple[PaperSection, ...]
    key: tuple[QuizItem, ...]
    source: str  # where the questions come from, printed under the key
    data: Markup  # the bank as JSON, for quiz.js to draw other papers


def basis_text(law: LawTopic | None, question: Question) -> str:
    if not question.basis:
        return ""
    name = law.law.short_name if law and law.law else ""
    return f"《{name}》{question.basis}" if name else question.basis


def item(number: int, question: Question, law: LawTopic | None) -> QuizItem:
    choices = (tuple((LETTERS[i], f"{LETTERS[i]}. {text}") for i, text in enumerate(question.options))
               if question.options else TRUE_FALSE)
    return QuizItem(number, question.id, question.type, question.question, choices, question.options, question.answer,
                    question.answer_text, question.explanation, basis_text(law, question))


def as_data(x: QuizItem) -> dict:
    """A question as data, for quiz.js and api/materials.json: the same fields the pages show."""
    return {"id": x.id, "type": x.type, "question": x.question,
            "options": list(x.options),
            "answer": x.answer, "answer_text": x.answer_text, "explanation": x.explanation, "basis": x.basis}


def counts_text(questions) -> str:
    parts = [f"{name}题 {n} 道" for name in vocabulary.names("question_types")
             if (n := sum(1 for q in questions if q.type == name))]
    return f"共 {len(questions)} 题：" + "，".join(parts)


def quiz_view(bank: QuestionBank, law: LawTopic | None, byline: str) -> QuizView:
    topic_title = law.title if law else bank.topic
    return QuizView(bank.title, bank.summary, topic_title, law.url if law else "", counts_text(bank.questions),
                    tuple(item(i, q, law) for i, q in enumerate(bank.questions, start=1)), bank.paper_url, byline)


def paper_title(law: LawTopic | None, bank: QuestionBank) -> str:
    return f"《{law.law.short_name}》知识测试卷" if law and law.law else f"{bank.title}（试卷）"


def sections(chosen: list[Question], law: LawTopic | None) -> tuple[tuple[PaperSection, ...], tuple[QuizItem, ...]]:
    numbered = [item(i, q, law) for i, q in enumerate(chosen, start=1)]
    found = []
    for name in vocabulary.names("question_types"):
        group = tuple(x for x in numbered if x.type == name)
        if group:
            found.append(PaperSection(f"{ORDINALS[len(found)]}、{HEADINGS[name]}", group))
    return tuple(found), tuple(numbered)


def paper_view(bank: QuestionBank, law: LawTopic | None, publisher: str) -> PaperView:
    count, seed = paper.default_count(bank.questions), 1
    parts, key = sections(paper.draw(bank.questions, count, seed), law)
    source = (f"题目选自{publisher}普法网站“{law.title if law else bank.title}”题库。"
              "答案依据现行法律，法律全文以国家法律法规数据库公布的文本为准。")
    data = {"types": vocabulary.names("question_types"), "headings": HEADINGS, "ordinals": ORDINALS,
            "letters": LETTERS, "questions": [as_data(item(0, q, law)) for q in bank.questions]}
    return PaperView(paper_title(law, bank), law.title if law else bank.title, law.url if law else "", bank.url, seed,
                     count, min(paper.MAX_COUNT, len(bank.questions)), paper.MAX_SEED, parts, key, source,
                     fragments.json_for_script(data))
