"""Search: the Pagefind index of the built site, and the search dialog in a real Chromium."""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import json
import re
import shutil
from html import unescape
import threading
from pathlib import Path

import pytest
import yaml

from conftest import QuietHandler, build_site
from pufa import search
from pufa.npm import FetchError
from pufa.search import index_site, page_url


PREFIX = "pufa/"  # the site is served under a sub-path, as on a government portal
TODAY = "2026-12-01"  # the site's "today" (upcoming dates are page text, so they take part in ranking)
# What citizens type and the page they expect first (issue 18); `old` marks the previous issue's five.
QUERIES = yaml.safe_load((Path(__file__).parent / "search_queries.yaml").read_text("utf-8"))
OLD = [(q["query"], q["first"]) for q in QUERIES if q.get("old")]
# Bytes of Pagefind files the first query of a visit loads, as a server that gzips JS, JSON and WASM
# would send them (Pagefind's index and fragment files are gzipped already). The budget is
# 150 KB at 1,000 pages (scripts/bench_search.py); the real site is smaller.
FIRST_QUERY_BUDGET = 150_000


@pytest.fixture(scope="session")
def search_site(tmp_path_factory) -> Path:
    """The real site built on a fixed day; the plugin indexes it with Pagefind after the build."""
    dest = tmp_path_factory.mktemp("search") / "site"
    result = build_site(dest, env={"PUFA_TODAY": TODAY})
    assert result.returncode == 0, result.stderr[-4000:]
    return dest


@pytest.fixture(scope="session")
def served_search(search_site):
    """The site over HTTP under /pufa/ (a folder holding a link named pufa to the site)."""
    root = search_site.parent / "www-search"
    root.mkdir(exist_ok=True)
    if not (root / PREFIX.strip("/")).exists():
        (root / PREFIX.strip("/")).symlink_to(search_site, target_is_directory=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{PREFIX}"
    server.shutdown()


# --- Pagefind itself ------------------------------------------------------------------------------

def test_each_platform_has_its_own_pinned_package():
    names = {(s, m): search.pagefind_package(s, m) for s, m in
             [("linux", "x86_64"), ("linux", "aarch64"), ("darwin", "arm64"), ("darwin", "x86_64"), ("win32", "AMD64")]}
    assert [p.name for p in names.values()] == ["@pagefind/linux-x64", "@pagefind/linux-arm64", "@pagefind/darwin-arm64",
                                                "@pagefind/darwin-x64", "@pagefind/windows-x64"]
    assert {p.version for p in names.values()} == {search.PAGEFIND_VERSION}
    assert len({p.integrity for p in names.values()}) == 5
    assert all(re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", p.integrity) for p in names.values())
    with pytest.raises(FetchError, match="支持"):
        search.pagefind_package("linux", "riscv64")


def test_a_build_without_pagefind_says_how_to_get_it(tmp_path, monkeypatch):
    """The build never downloads: a machine without the pinned Pagefind gets a message naming the fix."""
    monkeypatch.setenv("PUFA_TOOLS_DIR", str(tmp_path / "empty"))
    (tmp_path / "index.html").write_text("<html><body><article data-pagefind-body>宪法</article></body></html>", "utf-8")
    with pytest.raises(FetchError, match="make tools") as raised:
        index_site(tmp_path)
    assert search.PAGEFIND_VERSION in str(raised.value)
    assert not (tmp_path / "empty").exists()  # nothing was fetched


# --- the index ---------------------------------------------------------------------------------------

def test_page_urls_are_site_relative():
    assert page_url("index.html") == "/"
    assert page_url("laws/anti-telecom-fraud/index.html") == "/laws/anti-telecom-fraud/"
    assert page_url("about.html") == "/about.html"


def test_index_covers_content_pages_only(search_site):
    bundle = search_site / "pagefind"
    for name in ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json"):
        assert (bundle / name).is_file()
    assert list((bundle / "index").iterdir()) and list((bundle / "fragment").iterdir())
    assert not (bundle / "pagefind-ui.js").exists()  # Pagefind's own interface is not used
    assert not (search_site / "search" / "search_index.json").exists()  # nor Material's search
    marked = [p for p in search_site.rglob("*.html") if "data-pagefind-body" in p.read_text("utf-8")]
    for unmarked in ("404.html", "search/index.html"):
        assert "data-pagefind-body" not in (search_site / unmarked).read_text("utf-8")
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    assert entry["version"] == search.PAGEFIND_VERSION
    assert entry["languages"]["zh-cn"]["page_count"] == len(marked)


def fragments(site: Path) -> list[dict]:
    """Pagefind's per-page data (what its API returns for a result): gzip, a signature, then JSON."""
    out = []
    for path in sorted((site / "pagefind" / "fragment").iterdir()):
        data = gzip.decompress(path.read_bytes())
        out.append(json.loads(data[data.index(b"{"):]))
    return out


def test_titles_in_the_index_are_the_pages_own(search_site):
    """Result titles come back exactly as the page's <h1>: no spaces between characters, nothing added."""
    for fragment in fragments(search_site):
        html = (search_site / fragment["url"].lstrip("/") / "index.html").read_text("utf-8")
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)[1]
        h1 = re.sub(r'<a class="headerlink".*?</a>', "", h1)  # the ¶ link Pagefind is told to skip
        assert fragment["meta"]["title"] == unescape(re.sub(r"<[^>]+>", "", h1)).strip(), fragment["url"]


def test_keywords_reach_the_index_but_not_the_reader(search_site):
    day = search_site / "events" / "national-security-day" / "index.html"
    html = day.read_text("utf-8")
    span = re.search(r"<span hidden data-pagefind-meta=[^>]*></span>", html)[0]
    assert "四月十五日" in span and "4·15" in span  # derived from the rule, not typed by an editor
    article = re.search(r"<article.*?</article>", html, re.S)[0]
    assert "四月十五日" not in re.sub(r"<[^>]+>", "", article)  # no text a reader or screen reader meets
    meta = next(f["meta"] for f in fragments(search_site) if f["url"] == "/events/national-security-day/")
    assert "四月十五日" in meta["keywords"].split("、")


def test_index_is_reproducible(search_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(search_site, copy, symlinks=True)
    stats = index_site(copy)
    assert stats.pages > 20 and stats.skipped >= 2 and stats.bundle_bytes > 0
    assert tree_digest(copy / "pagefind") == tree_digest(search_site / "pagefind")


def test_index_needs_marked_pages(tmp_path):
    (tmp_path / "index.html").write_text("<html><body><h1>首页</h1></body></html>", "utf-8")
    with pytest.raises(ValueError, match="data-pagefind-body"):
        index_site(tmp_path)


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


# --- the dialog in a browser -------------------------------------------------------------------------

def open_search(page):
    page.locator("a[data-pufa-search]").click()
    dialog = page.get_by_role("dialog", name="搜索")
    dialog.wait_for()
    return dialog


def type_with_ime(page, text: str) -> None:
    """Type as a Chinese input method does: composition updates (pinyin) first, then the committed text."""
    cdp = page.context.new_cdp_session(page)
    for partial in ("d", "dian", "dianxin"):
        cdp.send("Input.imeSetComposition", {"text": partial, "selectionStart": len(partial), "selectionEnd": len(partial)})
    cdp.send("Input.insertText", {"text": text})
    cdp.detach()


def hits(page) -> list[str]:
    page.locator(".pufa-search__hit").first.wait_for()
    return page.locator(".pufa-search__hit").evaluate_all("links => links.map(a => a.href)")


def ask(page, query: str) -> list[str]:
    """Run one query in the open dialog (Enter, as a reader would) and return the result links in order."""
    box = page.get_by_role("searchbox", name="搜索关键词")
    box.fill(query)
    box.press("Enter")  # searches at once, clearing the previous results
    page.wait_for_function("""() => {
        const status = document.querySelector(".pufa-search__status").textContent;
        return status.startsWith("没有找到") || (status.startsWith("找到") && document.querySelector(".pufa-search__hit"));
    }""")
    return page.locator(".pufa-search__hit").evaluate_all("links => links.map(a => a.href)")


@pytest.mark.browser
def test_the_query_set_finds_the_expected_page_first(browser, served_search, search_site):
    """Issue 18: top-1 ≥ 95 % and top-3 = 100 % over tests/search_queries.yaml, through the real dialog."""
    page = browser.new_page()
    page.goto(served_search + "about/")
    open_search(page)
    first = top3 = 0
    report = []
    for entry in QUERIES:
        assert (search_site / entry["first"] / "index.html").exists(), f"{entry['first']} is not in the site"
        found = [u[len(served_search):] for u in ask(page, entry["query"])]
        first += found[:1] == [entry["first"]]
        top3 += entry["first"] in found[:3]
        if found[:1] != [entry["first"]]:
            report.append(f"{entry['query']} → {found[:3]} (expected {entry['first']})")
    page.close()
    n = len(QUERIES)
    print(f"\nquery set: top-1 {first}/{n} ({first / n:.0%}), top-3 {top3}/{n} ({top3 / n:.0%})\n" + "\n".join(report))
    assert n >= 60
    assert top3 == n, "\n".join(report)
    assert first >= 0.95 * n, "\n".join(report)


@pytest.mark.browser
@pytest.mark.parametrize("query, expected", OLD, ids=[q for q, _ in OLD])
def test_query_finds_the_page_about_it_first(browser, served_search, query, expected):
    """The previous issue's five queries, typed through an input method; the first query's bytes stay in budget."""
    context = browser.new_context()
    page = context.new_page()
    pagefind: list = []
    page.on("response", lambda r: pagefind.append(r) if "/pagefind/" in r.url else None)
    page.goto(served_search + "about/")
    open_search(page)
    type_with_ime(page, query)
    first = hits(page)[0]
    assert first == served_search + expected
    # The first query of a visit: Pagefind's code, its WASM, and the index chunks and excerpts it needs.
    sizes = [(r.url, len(r.body()), len(gzip.compress(r.body(), 9))) for r in pagefind if r.ok]
    sent = sum(min(raw, gz) for _, raw, gz in sizes)
    report = ", ".join(f"{u.split('/pagefind/')[1].split('?')[0]} {raw}" for u, raw, _ in sizes)
    print(f"{query}: {len(sizes)} files, {sum(raw for _, raw, _ in sizes)} bytes, ~{sent} bytes gzipped ({report})")
    assert sent < FIRST_QUERY_BUDGET, report
    context.close()


@pytest.mark.browser
def test_dialog_is_accessible_and_waits_for_the_input_method(browser, served_search):
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(served_search + "about/")
    page.wait_for_load_state("load")
    # Reading a page costs nothing of search: no Pagefind, no dialog styles, no Material search index.
    assert not [u for u in requests if "/pagefind/" in u or "search.css" in u or "search_index" in u or "/workers/" in u]

    button = page.locator("a[data-pufa-search]")
    assert button.get_attribute("aria-label") == "搜索"
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="搜索")
    dialog.wait_for()
    box = page.get_by_role("searchbox", name="搜索关键词")
    assert box.evaluate("el => el === document.activeElement")

    # Mid-composition (pinyin on screen): nothing is searched.
    cdp = context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "xianfa", "selectionStart": 6, "selectionEnd": 6})
    page.wait_for_timeout(700)
    assert page.locator(".pufa-search__status").text_content() == ""
    assert not [u for u in requests if "/pagefind/index/" in u]
    cdp.send("Input.insertText", {"text": "宪法"})
    hits(page)
    assert "个相关页面" in page.locator(".pufa-search__status").text_content()
    excerpt = page.locator(".pufa-search__excerpt").first.inner_html()
    assert "<mark>宪法</mark>" in excerpt  # highlighted whole
    shown = page.locator(".pufa-search__results").inner_text()
    assert "\u200b" not in shown  # Pagefind's zero-width word marks are taken out
    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff] [\u4e00-\u9fff]", shown)  # no spaced-out characters

    # Tab stays inside the dialog.
    for _ in range(12):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('dialog') !== null")
    # Escape closes it and gives focus back to the header button.
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert button.evaluate("el => el === document.activeElement")
    context.close()


@pytest.mark.browser
def test_results_link_to_sections(browser, served_search, search_site):
    page = browser.new_page()
    page.goto(served_search)
    open_search(page)
    page.get_by_role("searchbox").fill("电信诈骗")
    hits(page)
    sections = page.locator(".pufa-search__sections a").evaluate_all("links => links.map(a => a.href)")
    assert sections, "no result links to a section of its page"
    for href in sections:
        path, anchor = href[len(served_search):].split("#")
        html = (search_site / path / "index.html").read_text("utf-8")
        assert f'id="{anchor}"' in html or f'id="{_unquote(anchor)}"' in html
    page.close()


@pytest.mark.browser
def test_search_page_opens_the_dialog_with_a_query(browser, served_search):
    page = browser.new_page()
    page.goto(served_search + "search/?q=电信诈骗")
    page.get_by_role("dialog", name="搜索").wait_for()
    assert hits(page)[0] == served_search + "laws/anti-telecom-fraud/"
    page.close()


@pytest.mark.browser
def test_without_javascript_search_is_a_page_that_says_so(browser, served_search):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_search + "laws/")
    page.locator("a[data-pufa-search]").click()
    page.wait_for_url(served_search + "search/")
    text = page.locator("article").inner_text()
    assert "搜索需要浏览器开启 JavaScript" in text
    assert page.locator("article").get_by_role("link", name="网站地图").get_attribute("href") == "../sitemap/"
    assert page.locator("article").get_by_role("link", name="首页").get_attribute("href") == ".."
    context.close()


def _unquote(text: str) -> str:
    from urllib.parse import unquote
    return unquote(text)
