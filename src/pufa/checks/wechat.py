"""公众号 limits, warned about before anyone pastes or pushes an article (warnings, not errors)."""

from __future__ import annotations

from .. import urls
from ..content.loader import Source
from ..problems import Problem, problem
from ..wechat.article import to_wechat_html
from ..wechat.limits import findings

# The front-matter key each 公众号 field comes from, so a warning sits on the line to change.
FIELD_KEYS = {"title": "title", "author": "author", "digest": "summary", "content_source_url": "slug"}


def check_article(source: Source, html: str, *, site_url: str, publisher: str) -> list[Problem]:
    """The limits an article would break if it were sent as it is, measured on its rendered body."""
    record = source.record
    base = site_url or "https://example.invalid/"
    meta = {"title": record.title, "author": record.author or publisher, "digest": record.summary,
            "content_source_url": urls.absolute(base, record.url)}
    article = to_wechat_html(html, page_url=record.url, site_url=base)
    body_line = source.fm.body_line if source.fm else 1
    return [problem("wechat-limit", source.shown,
                    source.fm.line((FIELD_KEYS[f.field],)) if f.field and source.fm else body_line,
                    f"公众号限制：{f.message}") for f in findings(meta, article)]
