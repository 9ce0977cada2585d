"""公众号 limits, warned about before anyone pastes or pushes an article (warnings, not errors)."""

from __future__ import annotations

from .. import urls
from ..content.loader import Source
from ..problems import Problem, problem
from ..wechat.article import to_wechat_html
from ..wechat.limits import check_limits


def check_article(source: Source, html: str, *, site_url: str, publisher: str) -> list[Problem]:
    """The limits an article would break if it were sent as it is, measured on its rendered body."""
    record = source.record
    base = site_url or "https://example.invalid/"
    meta = {"title": record.title, "author": record.author or publisher, "digest": record.summary,
            "content_source_url": urls.absolute(base, record.url)}
    article = to_wechat_html(html, page_url=record.url, site_url=base)
    return [problem("wechat-limit", source.shown, 1, f"公众号限制：{message}") for message in check_limits(meta, article)]
