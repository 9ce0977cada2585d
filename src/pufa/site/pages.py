"""Pages the build generates from the content (no Markdown file behind them): each carries its view.

They are first-class MkDocs pages (`File.generated`, `generated_by = "pufa"`): the month pages of the
calendar, the 法律六进 audience pages, the topic and place-kind filters, the site map and the search page.
An editor's Markdown file at the same path replaces a generated page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import urls
from ..content import vocabulary
from ..content.records import Content
from ..quiz.views import paper_title
from .views import calendar_years, topics_in_use


@dataclass(frozen=True)
class GeneratedPage:
    route: str
    title: str
    template: str
    kind: str  # month | audience | topic | place-kind | paper | sitemap | search (views.build_views reads it)
    key: str = ""  # 2026-03, an audience, a topic, a place kind, a law topic's slug (paper)

    @property
    def src_uri(self) -> str:
        return urls.source_of(self.route)


def generated_pages(content: Content, today: dt.date) -> list[GeneratedPage]:
    pages = []
    for year in calendar_years(today):
        for month in range(1, 13):
            pages.append(GeneratedPage(urls.month(year, month), f"{year}年{month}月法治宣传日历", "events-month.html",
                                       "month", f"{year}-{month:02d}"))
    for term in vocabulary.terms("audiences"):
        pages.append(GeneratedPage(urls.audience(term.name), f"给{term.name}的普法材料", "laws-audience.html", "audience", term.name))
    for topic in topics_in_use(content):
        pages.append(GeneratedPage(urls.topic(topic), f"主题：{topic}", "laws-topic.html", "topic", topic))
    for term in vocabulary.terms("place_kinds"):
        pages.append(GeneratedPage(urls.place_kind(term.name), term.name, "parks-kind.html", "place-kind", term.name))
    for bank in content.banks:
        law = content.law(bank.topic)
        pages.append(GeneratedPage(urls.paper(bank.topic), paper_title(law, bank), "paper.html", "paper", bank.topic))
    pages.append(GeneratedPage(urls.SITEMAP, "网站地图", "sitemap.html", "sitemap"))
    pages.append(GeneratedPage(urls.SEARCH, "搜索", "search.html", "search"))
    return pages


def routes(content: Content, today: dt.date) -> list[str]:
    return [page.route for page in generated_pages(content, today)]
