"""materials.json: every topic, 讲稿 and section for lecturers' tools, with the facts as the page shows them.

A fact not yet checked carries `verified: false` and the same 待核实 note the page shows. Keys are sorted
and the format has a version; fields are only ever added.
"""

from __future__ import annotations

import json

from .. import urls
from ..content import vocabulary
from ..content.records import Content
from ..quiz import views as quiz
from .article import Article

SCHEMA_VERSION = 1


def materials_index(content: Content, articles: dict[str, Article], site_url: str, facts) -> dict:
    """`facts(law)` gives the law's preface facts (the same rows the page shows)."""
    base = urls.absolute(site_url, "")
    topics = []
    for topic in sorted(content.laws, key=lambda t: t.slug):
        lectures = sorted(content.lectures_for(topic.slug), key=lambda r: vocabulary.position("audiences", r.audience))
        topics.append({
            "slug": topic.slug,
            "title": topic.title,
            "summary": topic.summary,
            "law": topic.law.name,
            "facts": [{"label": f.label, "text": f.text, "verified": not f.verify, "note": f.verify.strip("（）")}
                      for f in facts(topic)],
            "audiences": list(topic.audiences),
            "topics": list(topic.topics),
            "url": base + topic.url,
            "published": topic.published.isoformat(),
            "updated": (topic.updated or topic.published).isoformat(),
            "download": base + urls.pack(topic.slug),
            "sections": _sections(articles.get(topic.path), base + topic.url),
            "questions": _bank(content, topic, base),
            "lectures": [{
                "title": lecture.title,
                "audience": lecture.audience,
                "audience_id": vocabulary.ids("audiences")[lecture.audience],
                "summary": lecture.summary,
                "minutes": lecture.minutes,
                "outline": list(lecture.outline),
                "questions": list(lecture.questions),
                "url": base + lecture.url,
                "slides": base + urls.slides(lecture.topic, lecture.audience),
                "sections": _sections(articles.get(lecture.path), base + lecture.url),
            } for lecture in lectures],
        })
    return {"version": SCHEMA_VERSION, "site": base, "audiences": vocabulary.names("audiences"), "topics": topics}


def _bank(content: Content, topic, base: str) -> dict | None:
    """The topic's question bank as the self-test page shows it (the same answers, explanations and bases)."""
    bank = content.bank_for(topic.slug)
    if bank is None:
        return None
    return {"title": bank.title, "url": base + bank.url, "paper": base + bank.paper_url,
            "items": [quiz.as_data(quiz.item(i, q, topic)) for i, q in enumerate(bank.questions, start=1)]}


def _sections(article: Article | None, url: str) -> list[dict]:
    if article is None:
        return []
    return [{"title": s.title, "anchor": s.anchor, "level": s.level, "url": f"{url}#{s.anchor}"} for s in article.sections]


def materials_json(index: dict) -> bytes:
    return json.dumps(index, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"
