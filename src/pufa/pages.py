"""Pages the build generates from the content records (no Markdown file behind them).

Each is a small Markdown source with front matter naming its template; the template reads the
records through the presenter. An editor's file at the same path takes precedence.
"""

from __future__ import annotations

import datetime as dt

from .content import AUDIENCES, Content
from .content.schema import vocabulary
from .places import KINDS

# ASCII ids for per-kind place pages: parks/kinds/<id>/
KIND_IDS = {"法治文化公园": "park", "法治文化广场": "square", "法治文化街巷": "street", "法治文化长廊": "corridor",
            "法治文化漫画墙": "mural", "民主法治示范村": "model-village", "民主法治示范社区": "model-community",
            "其他法治文化阵地": "other"}
assert set(KIND_IDS) == set(KINDS)


SECTIONS_MARKER = "<!-- pufa:sections -->"  # in docs/index.md: where the home page's generated sections go


def month_path(year: int, month: int) -> str:
    return f"events/{year}/{month:02d}.md"


def calendar_years(today: dt.date) -> tuple[int, ...]:
    """The years that get month pages: this year and next."""
    return today.year, today.year + 1


def generated(content: Content, today: dt.date) -> dict[str, str]:
    out = {}
    for year in calendar_years(today):
        for month in range(1, 13):
            out[month_path(year, month)] = _page(f"{year}年{month}月法治宣传日历", "events-month.html",
                                                 pufa_month=f"{year}-{month:02d}")
    for audience, audience_id in AUDIENCES.items():
        out[f"laws/for/{audience_id}.md"] = _page(f"给{audience}的普法材料", "laws-audience.html", pufa_audience=audience)
    for topic, topic_id in vocabulary()["topics"].items():
        if any(topic in law.topics for law in content.laws):
            out[f"laws/topics/{topic_id}.md"] = _page(f"主题：{topic}", "laws-topic.html", pufa_topic=topic)
    for kind, kind_id in KIND_IDS.items():
        out[f"parks/kinds/{kind_id}.md"] = _page(kind, "parks-kind.html", pufa_kind=kind)
    out["sitemap.md"] = _page("网站地图", "sitemap.html")
    out["search.md"] = _page("搜索", "search.html")
    return out


def _page(title: str, template: str, **meta: str) -> str:
    # Generated lists repeat what the content pages say: kept out of the search index.
    lines = [f"title: {title}", f"template: {template}", "pufa_generated: true"]
    lines += [f"{key}: {value}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"
