"""The built site is valid HTML: the Nu Html Checker (vnu.jar) finds no error in pufa's markup.

One page of every page type, the WeChat preview page and the WeChat `article.html` are checked in a
single run of the checker (one JVM start). vnu.jar comes from the npm package `vnu-jar`, pinned by
hash in tests/npm_tools.py and fetched by `make test` before pytest starts; it runs on Debian's Java
(`default-jre-headless`, installed by .ci/run).
"""

from __future__ import annotations

import json
import re
import os
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, build_site
from npm_tools import vnu_jar
from pufa import npm
from pufa.checks import check_project
from pufa.clock import build_today
from pufa.project import open_project
from pufa.wechat.bundle import read_article

JAVA = "/usr/bin/java"

# Material for MkDocs' own markup, which every page inherits and pufa does not write: its drawer,
# search and table-of-contents toggles are checkboxes carrying autocomplete="off", and the table of
# contents' title is a <label for="__toc"> whose checkbox is not on every page. These exact messages
# are Material's; any other message, or these same messages about pufa's markup elsewhere, fails.
MATERIAL_MESSAGES = {
    "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, “datetime-local”, “email”, "
    "“hidden”, “month”, “number”, “password”, “range”, “search”, “tel”, “text”, “time”, “url”, or “week”.",
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
}
MATERIAL_EXTRACTS = ('class="md-toggle"', 'class="md-search__', 'for="__toc"')


def _content():
    """The real site's content as the build sees it (the national pack included)."""
    return check_project(open_project(ROOT / "mkdocs.yml"), build_today(), render=False).content.published()


def _java() -> str:
    if Path(JAVA).exists():
        return JAVA
    message = f"Java is not installed at {JAVA} (Debian package: apt-get install default-jre-headless)"
    if os.environ.get("PUFA_REQUIRE_SYSTEM_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("validity") / "site"
    result = build_site(dest, env={"PUFA_TODAY": "2026-03-10", "SOURCE_DATE_EPOCH": "1773100800"})
    assert result.returncode == 0, result.stderr[-4000:]
    return dest


def page_types(site: Path) -> dict[str, Path]:
    """One built file for each kind of page, picked from the content so the list follows it."""
    content = _content()
    law = content.laws[0]
    def first(pattern: str, holding: str = "") -> Path:
        """The first page matching `pattern` whose HTML holds `holding` (a list that is not empty)."""
        return next(p for p in sorted(site.glob(pattern)) if holding in p.read_text("utf-8"))

    observance = next(e for e in content.events if e.kind == "observance")
    local = next((e for e in content.events if e.kind == "local"), observance)
    pages = {
        "home": site / "index.html",
        "law": site / law.url / "index.html",
        "lecture": site / content.lectures_for(law.slug)[0].url / "index.html",
        "laws-index": site / "laws" / "index.html",
        "laws-audience": first("laws/for/*/index.html"),
        "laws-topic": first("laws/topics/*/index.html", 'class="pufa-cards"'),
        "events-index": site / "events" / "index.html",
        "events-month": first("events/[0-9]*/[0-9]*/index.html"),
        "event-observance": site / observance.url / "index.html",
        "event-local": site / local.url / "index.html",
        "parks-index": site / "parks" / "index.html",
        "parks-kind": first("parks/kinds/*/index.html", 'class="pufa-place"'),
        "place": site / content.places[0].url / "index.html",
        "about": site / "about" / "index.html",
        "sitemap": site / "sitemap" / "index.html",
        "search": site / "search" / "index.html",
        "404": site / "404.html",
        "wechat-preview": site / "wechat" / law.slug / "index.html",
        "wechat-article": site / "wechat" / law.slug / "article.html",
    }
    for kind, path in pages.items():
        assert path.is_file(), f"{kind}: {path} was not built"
    return pages


def run_vnu(files: list[Path]) -> list[dict]:
    """All errors the Nu checker reports for `files`, in one JVM run."""
    java = _java()
    try:
        jar = vnu_jar()
    except npm.FetchError as exc:
        pytest.fail(f"{exc}（make test 会先下载 vnu.jar）")
    result = subprocess.run([java, "-jar", str(jar), "--format", "json", "--errors-only", "--stdout",
                             *map(str, files)], capture_output=True, text=True, timeout=300)
    assert result.stdout.strip(), result.stderr[-2000:]
    return [m for m in json.loads(result.stdout)["messages"] if m["type"] in ("error", "non-document-error")]


def is_material(message: dict) -> bool:
    return message["message"] in MATERIAL_MESSAGES and any(
        marker in message.get("extract", "") for marker in MATERIAL_EXTRACTS)


@pytest.fixture(scope="module")
def errors(site) -> dict[str, list[dict]]:
    pages = page_types(site)
    found = run_vnu(list(pages.values()))
    by_kind: dict[str, list[dict]] = {kind: [] for kind in pages}
    kind_of = {path.resolve(): kind for kind, path in pages.items()}
    for message in found:  # vnu names files as file:/path
        by_kind[kind_of[Path(unquote(urlsplit(message["url"]).path)).resolve()]].append(message)
    return by_kind


def test_no_errors_in_pufas_markup(errors):
    ours = [f"{kind}: line {m.get('lastLine')}: {m['message']}\n    {m.get('extract', '').strip()[:160]}"
            for kind, messages in errors.items() for m in messages if not is_material(m)]
    assert not ours, "\n".join(ours)


def test_the_checker_reports_what_it_should(tmp_path):
    """The harness: a heading jump and an aria-label on a plain <p> (the errors once found) are reported."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>x</title></head><body>'
                   '<h1>主题</h1><h3>专题</h3><p aria-label="用地图应用导航">导航</p></body></html>', "utf-8")
    messages = [m["message"] for m in run_vnu([bad])]
    assert any("skipping 1 heading level" in m for m in messages), messages
    assert any("aria-label" in m and "“p”" in m for m in messages), messages


def test_wechat_article_is_a_valid_page_around_the_exact_fragment(site, errors):
    law = _content().laws[0]
    folder = site / "wechat" / law.slug
    document = (folder / "article.html").read_text("utf-8")
    fragment = read_article(folder)
    assert document.startswith("<!doctype html>") and '<html lang="zh-CN">' in document
    assert '<meta charset="utf-8">' in document and f"<title>{law.title}</title>" in document
    assert f"<body>\n{fragment}\n</body>" in document
    assert f'<template id="wechat-html">{fragment}</template>' in (folder / "index.html").read_text("utf-8")
    assert errors["wechat-article"] == [] and errors["wechat-preview"] == []


@pytest.mark.browser
def test_screen_readers_get_the_labels_that_were_ignored(browser, site):
    """aria-label on a plain <p> or <span> is never read; as a named group and image they are."""
    content = _content()
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto((site / content.places[0].url / "index.html").as_uri())
        group = page.get_by_role("group", name=f"用地图应用导航到{content.places[0].title}")
        assert group.count() == 1 and group.get_by_role("link").count() >= 1
        page.goto((site / "parks" / "index.html").as_uri())
        # The number reads as 地图编号 N (hidden text, no role needed), in the heading of each place card.
        cards = page.locator("li.pufa-place")
        assert cards.count() >= 1
        assert page.get_by_role("heading", name=re.compile(r"^地图编号 \d+ ")).count() == cards.count()
    finally:
        context.close()
