"""Every check an editor's change goes through: the loader's format checks plus the domain rules.

`pufa check` and the build both call `check_site()`, so the messages are the same everywhere.
Domain modules return plain Chinese messages; this module places them at a file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import markdown

from . import places
from .content import Content, Problem, load
from .problems import WARNING
from .wechat.article import to_wechat_html
from .wechat.golive import site_url_problem
from .wechat.limits import check_limits


@dataclass(frozen=True)
class Settings:
    """What the checks need from mkdocs.yml (the pufa plugin's options)."""

    bbox: places.BoundingBox = places.ZAOYANG_BBOX


def settings_from_mkdocs(config_file: Path) -> Settings:
    """The pufa plugin's options in mkdocs.yml, or the defaults when there is no such file."""
    if not config_file.exists():
        return Settings()
    from mkdocs.config import load_config
    plugin = load_config(str(config_file)).plugins.get("pufa")
    return Settings(bbox=places.BoundingBox(*plugin.config.bbox)) if plugin else Settings()


def check_site(docs_dir: Path, *, prefix: str = "docs", settings: Settings = Settings(),
               wechat: bool = True) -> tuple[Content, list[Problem]]:
    """All problems in `docs_dir`. `wechat=False` skips the 公众号 limits, which a build reports from the
    bundles it makes anyway (rendering every article twice would slow every build)."""
    content, problems = load(docs_dir, prefix=prefix)
    shown = (lambda rel: f"{prefix}/{rel}" if prefix else rel)
    for place in content.places:
        if place.location is not None:
            problems += [Problem(shown(place.path), place.location.line, message, code="location")
                         for message in places.check_location(place.location, settings.bbox)]
    for record in (content.laws + content.events) if wechat else ():
        problems += [Problem(shown(record.path), 1, f"公众号限制：{message}", WARNING, code="wechat-limit")
                     for message in wechat_limits(record)]
    return content, sorted(set(problems))


def wechat_limits(record) -> list[str]:
    """What would break a 公众号 limit if this article were sent as it is (warnings, not errors)."""
    meta = {"title": record.title, "author": record.author or "枣阳市司法局", "digest": record.summary,
            "content_source_url": "https://example.invalid/" + record.url}
    html = markdown.markdown(record.body, extensions=["tables", "admonition", "attr_list"])
    # Checked as it would be sent: links become numbered references, lists become sections.
    return check_limits(meta, to_wechat_html(html, page_url=record.url, site_url="https://example.invalid/"))


def site_url_problems(config_file: Path) -> list[Problem]:
    """A warning at mkdocs.yml's `site_url:` line when the 公众号 cannot use that address."""
    if not config_file.exists():
        return []
    lines = config_file.read_text("utf-8").splitlines()
    found = next(((n, m) for n, line in enumerate(lines, 1)
                  if (m := re.match(r"site_url\s*:\s*(.*?)\s*(?:#.*)?$", line))), None)
    line, value = (found[0], found[1].group(1).strip("'\"")) if found else (1, "")
    problem = site_url_problem(value)
    return [Problem(config_file.name, line, problem, WARNING, code="site-url")] if problem else []
