"""Search: the Pagefind index of the built site, and the search dialog in a real Chromium."""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from conftest import QuietHandler
from pufa.search import index_site, page_url, spaced_han


PREFIX = "pufa/"  # the site is served under a sub-path, as on a government portal

# Query → the page that must come first. Content is still being written: a case whose page is not in
# the build is skipped, not failed.
FIRST_HITS = [
    ("电信诈骗", "laws/anti-telecom-fraud/"),
    ("未成年人网络保护", "laws/minors-protection/"),
    ("国家安全教育日", "events/national-security-day/"),
    ("宪法宣传周", "events/constitution-week/"),
    ("法治文化公园", "parks/constitution-culture-park/"),
]
# Bytes of Pagefind files the first query of a visit loads, as a server that gzips JS, JSON and WASM
# would send them (Pagefind's index and fragment files are gzipped already).
FIRST_QUERY_BUDGET = 350_000


@pytest.fixture(scope="session")
def search_site(site) -> Path:
    """The real site: the plugin indexes it with Pagefind after every build."""
    return site


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


# --- the index ---------------------------------------------------------------------------------------

def test_han_characters_are_spaced_in_text_only():
    html = '<h1 title="电信诈骗">电信诈骗 app</h1><p data-x=\'a>b 宪法\'>宪法12<b>条</b></p>'
    # Attributes keep their text; no space before the end of a block (Pagefind then ends it with ". ").
    assert spaced_han(html) == '<h1 title="电信诈骗"> 电  信  诈  骗  app</h1><p data-x=\'a>b 宪法\'> 宪  法 12<b> 条</b></p>'


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
    entry = (bundle / "pagefind-entry.json").read_text("utf-8")
    assert f'"page_count":{len(marked)}' in entry


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


@pytest.mark.browser
@pytest.mark.parametrize("query, expected", FIRST_HITS, ids=[q for q, _ in FIRST_HITS])
def test_query_finds_the_page_about_it_first(browser, served_search, search_site, query, expected):
    if not (search_site / expected / "index.html").exists():
        pytest.skip(f"/{expected} is not in the site yet")
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
    assert "<mark>宪法</mark>" in excerpt  # highlighted, and shown without the index's spaces

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
