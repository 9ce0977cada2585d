"""Drawing a test paper from a bank, reproducibly: the same bank, size and paper number (seed) always give
the same questions in the same order, so a lecturer can print 30 copies of one paper or hand out paper 2
to the next class.

Each question is ranked by a hash of "<seed>:<id>" (32-bit FNV-1a, then MurmurHash3's final mix, without
which nearby seeds draw nearly the same questions) and the first `count` are taken. Ranking by the
question's id (not its place in the file) means that fixing a question's wording, reordering the file or
adding questions to the bank leaves an existing paper unchanged, unless a new question outranks one
already drawn. assets/pufa/quiz.js draws the same papers in the browser with the same hash; a browser test
compares the two.
"""

from __future__ import annotations

from ..content import vocabulary
from ..content.records import Question

DEFAULT_COUNT = 10
MAX_COUNT = 50
MAX_SEED = 9999


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 text: small, fixed, and the same in JavaScript (Math.imul)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def mix(value: int) -> int:
    """MurmurHash3's fmix32: every input bit moves every output bit."""
    value ^= value >> 16
    value = (value * 0x85EBCA6B) & 0xFFFFFFFF
    value ^= value >> 13
    value = (value * 0xC2B2AE35) & 0xFFFFFFFF
    return value ^ (value >> 16)


def rank(seed: int, qid: int) -> int:
    return mix(fnv1a(f"{seed}:{qid}"))


def draw(questions: tuple[Question, ...] | list[Question], count: int, seed: int) -> list[Question]:
    """`count` questions for paper number `seed`, grouped by type (单选 first, then 判断) and ranked within."""
    ranked = sorted(questions, key=lambda q: (rank(seed, q.id), q.id))[:max(0, count)]
    order = vocabulary.names("question_types")
    return sorted(ranked, key=lambda q: order.index(q.type))  # sorted() is stable: rank order within a type


def default_count(questions) -> int:
    return min(DEFAULT_COUNT, len(questions))
