"""Access for everyone: WCAG 2.2 AA on every page type (axe-core in a real Chromium), 长者模式, 朗读,
pages without JavaScript, what a government page carries (footer identifiers, <head> metadata), the
网站地图, and the site deployed under a portal's sub-path.

axe-core is vendored in tests/vendor/axe.min.js (npm package axe-core, MPL-2.0); screenshots of each
page type in both modes go to $PUFA_TEST_ARTIFACTS/screenshots/ when that is set, else to the session's
temporary folder (never into the repository).
"""

from __future__ import annotations

import functools
import html.parser
import http.server
import os
import re
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from conftest import ROOT, QuietHandler, build_site, check
from pufa.checks import check_project
from pufa.clock import build_today
from pufa.county import load_county
from pufa.project import open_project

AXE = ROOT / "tests" / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PHONE = {"width": 390, "height": 844}


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its !!python tags (only plain values are needed here)."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=_ConfigLoader)
GOV = CONFIG["extra"]["gov"]
PUBLISHER = load_county(ROOT / "county.yml")[0].publisher  # 主办单位: county.yml's publisher


def _content():
    """The real site's published content: its own docs/ and the national pack."""
    return check_project(open_project(ROOT / "mkdocs.yml"), build_today(), render=False).content.published()


def _page_types(site: Path) -> dict[str, str]:
    """One site path for each kind of page, picked from the content so the test follows it."""
    content = _content()
    law = content.laws[0]
    month = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob("events/[0-9]*/[0-9]*/index.html"))[0]
    return {
        "home": "", "law": law.url, "lecture": content.lectures_for(law.slug)[0].url, "laws-index": "laws/",
        "audience": "laws/for/village/", "events-index": "events/", "month": month, "event": content.events[0].url,
        "parks-index": "parks/", "place": content.places[0].url, "about": "about/", "sitemap": "sitemap/",
        "404": "404.html", "questions": content.bank_for(law.slug).url, "paper": content.bank_for(law.slug).paper_url,
    }


PAGE_TYPES = ["home", "law", "lecture", "laws-index", "audience", "events-index", "month", "event", "parks-index",
              "place", "about", "sitemap", "404", "questions", "paper"]
ARTICLES = ["law", "lecture", "event", "place"]


@pytest.fixture(scope="module")
def paths(site) -> dict[str, str]:
    return _page_types(site)


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    artifacts = os.environ.get("PUFA_TEST_ARTIFACTS")
    folder = Path(artifacts) / "screenshots" if artifacts else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_page(browser, url: str, *, elder: int = 0, js: bool = True, init: str | None = None, viewport=PHONE):
    """A fresh browser context (nothing remembered), the page loaded, in 长者模式 through the ?elder= link."""
    context = browser.new_context(viewport=viewport, java_script_enabled=js, locale="zh-CN")
    if init:
        context.add_init_script(init)
    page = context.new_page()
    response = page.goto(url + (f"?elder={elder}" if elder else ""))
    assert response is not None
    return page


# --- axe-core: zero violations on every page type, in normal and in 长者模式 ------------------------

# Material's own search dialog (.md-search, no accessible name) is left to its own test below: pufa's
# Pagefind search replaces it, and until then it would fail every page here.
AXE_RUN = """async (tags) => {
    const result = await axe.run({exclude: [[".md-search"]]}, {runOnly: {type: "tag", values: tags}});
    const where = n => n.target.join(" ") + " (" + (n.failureSummary || "").replace(/\\s+/g, " ") + ")";
    return result.violations.map(v => v.id + ": " + v.help + " — " + v.nodes.slice(0, 3).map(where).join("; "));
}"""

AXE_PAGE_TYPES = PAGE_TYPES


@pytest.mark.browser
@pytest.mark.parametrize("elder", [0, 1], ids=["normal", "elder"])
@pytest.mark.parametrize("kind", AXE_PAGE_TYPES)
def test_axe_finds_nothing(browser, served, paths, screenshots, kind, elder):
    page = open_page(browser, served + paths[kind], elder=elder)
    try:
        page.screenshot(path=str(screenshots / f"{kind}-{'elder' if elder else 'normal'}.png"))
        page.add_script_tag(content=AXE.read_text("utf-8"))
        violations = page.evaluate(AXE_RUN, AXE_TAGS)
        assert violations == [], "\n".join(violations)
        # Nothing moves by itself: no running animation once the page has loaded.
        assert page.evaluate("document.getAnimations().filter(a => a.playState === 'running').length") == 0
    finally:
        page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("elder", [0, 1], ids=["normal", "elder"])
def test_axe_finds_nothing_in_the_open_search_dialog(browser, served, elder):
    page = open_page(browser, served, elder=elder)
    try:
        opener = page.locator("[data-pufa-search]")
        assert opener.count() > 0, "the search dialog's opener is missing"
        opener.first.click()
        page.locator("dialog[open] input").fill("诈骗")
        page.wait_for_function("document.querySelector('dialog[open] [role=status]')?.textContent.trim()")
        page.add_script_tag(content=AXE.read_text("utf-8"))
        violations = page.evaluate(AXE_RUN, AXE_TAGS)
        assert violations == [], "\n".join(violations)
    finally:
        page.context.close()


def test_material_search_dialog_is_replaced(site):
    """Material's search dialog has no accessible name (axe: aria-dialog-name); pufa's search replaces it."""
    unnamed = [path.relative_to(site).as_posix() for path, text in _pages(site)
               if re.search(r'<div class="md-search"(?![^>]*aria-label)[^>]*role="dialog"', text)]
    assert unnamed == [], f"{len(unnamed)} pages still carry Material's unnamed search dialog, e.g. {unnamed[:3]}"


# --- reflow: 320 CSS px (400 % of 1280) and 640 CSS px (200 %), no horizontal scrolling ----------------

OVERFLOW = """() => {
    document.documentElement.style.setProperty("overflow-x", "visible", "important");  // Material hides it
    const wide = [];
    for (const el of document.querySelectorAll("body *")) {
        const r = el.getBoundingClientRect();
        const own = !el.closest(".md-typeset__scrollwrap, table, pre, .md-sidebar, .md-skip");  // scroll or off-canvas
        if (r.width && r.right > innerWidth + 1 && own)
            wide.push(el.tagName.toLowerCase() + "." + el.className);
    }
    return {scroll: document.documentElement.scrollWidth, width: innerWidth, wide: wide.slice(0, 5)};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("elder", [0, 2], ids=["normal", "elder-larger"])
def test_text_reflows_at_320_and_640_px(browser, served, paths, elder):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        if elder:
            page.goto(served + "?elder=2")
        failures = []
        for width in (320, 640):
            page.set_viewport_size({"width": width, "height": 640})
            for kind in PAGE_TYPES:
                page.goto(served + paths[kind])
                found = page.evaluate(OVERFLOW)
                if found["scroll"] > found["width"] or found["wide"]:
                    failures.append(f"{kind} at {width}px: {found}")
        assert failures == []
    finally:
        context.close()


def test_zoom_is_never_disabled(site):
    for path in site.rglob("*.html"):
        viewport = re.search(r'<meta name="viewport" content="([^"]*)"', path.read_text("utf-8"))
        if viewport:
            assert not re.search(r"user-scalable\s*=\s*(no|0)|maximum-scale", viewport.group(1)), path


# --- keyboard -------------------------------------------------------------------------------------

@pytest.mark.browser
def test_skip_link_is_first_visible_on_focus_and_lands_on_content(browser, served, paths):
    for kind in ("home", "laws-index", "404"):  # with and without a table of contents
        page = open_page(browser, served + paths[kind])
        try:
            page.keyboard.press("Tab")
            skip = page.evaluate("""() => {
                const a = document.activeElement, r = a.getBoundingClientRect();
                return {text: a.textContent.trim(), href: a.getAttribute("href"), opacity: getComputedStyle(a).opacity,
                        top: r.top, height: r.height}; }""")
            assert skip["text"] == "跳到正文" and skip["href"] == "#pufa-main", kind
            assert float(skip["opacity"]) == 1 and skip["top"] >= 0 and skip["height"] > 10, skip
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.id") == "pufa-main"
            page.keyboard.press("Tab")  # on into the content (or past it, when it has no links)
            assert page.evaluate("""() => { const main = document.getElementById("pufa-main");
                return !!(main.compareDocumentPosition(document.activeElement)
                          & (Node.DOCUMENT_POSITION_FOLLOWING | Node.DOCUMENT_POSITION_CONTAINED_BY)); }"""), kind
        finally:
            page.context.close()


FOCUS_STATE = """() => {
    const el = document.activeElement, r = el.getBoundingClientRect(), s = getComputedStyle(el);
    const header = document.querySelector(".md-header").getBoundingClientRect();
    return {tag: el.tagName.toLowerCase(), text: (el.textContent || el.getAttribute("aria-label") || "").trim().slice(0, 9),
            visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight
                     && r.right > 0 && r.left < innerWidth,
            ring: (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none",
            underHeader: !el.closest(".md-header, .md-skip") && r.bottom <= header.bottom,
            inFooter: !!el.closest(".md-footer"), materialSearch: !!el.closest(".md-search")};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("elder", [0, 1], ids=["normal", "elder"])
def test_keyboard_reaches_everything_with_a_visible_focus(browser, served, paths, elder):
    """Tab from the top of a topic page to its footer: every stop is on screen, not under the sticky
    header, and shows the focus ring."""
    page = open_page(browser, served + paths["law"], elder=elder)
    try:
        problems, reached_footer = [], False
        for _ in range(400):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS_STATE)
            if state["tag"] == "body":
                break
            if state["materialSearch"]:  # see test_material_search_dialog_is_replaced
                continue
            if not (state["visible"] and state["ring"]) or state["underHeader"]:
                problems.append(state)
            reached_footer = reached_footer or state["inFooter"]
        assert problems == []
        assert reached_footer
    finally:
        page.context.close()


# --- without JavaScript ---------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("kind", ["home", "law", "lecture", "events-index", "month", "event", "parks-index", "place",
                                  "sitemap", "search", "questions", "paper"])
def test_pages_work_without_javascript(browser, served, site, paths, kind):
    path = paths.get(kind, "search/")
    assert (site / path / "index.html").exists(), f"no {kind} page in this build"
    page = open_page(browser, served + path, js=False)
    try:
        assert page.locator("article.md-content__inner h1").first.inner_text().strip()
        assert len(page.locator("article.md-content__inner").inner_text()) > 20
        assert page.locator("article.md-content__inner a[href]").count() > 0
        assert page.locator("footer.md-footer").get_by_text("网站地图").is_visible()
        # The JavaScript-only reading aids are not offered; the sections are, and the phone menu opens.
        assert not page.locator(".pufa-access__inner").is_visible()
        assert page.locator(".pufa-sections").get_by_role("link", name="法治文化阵地").is_visible()
        page.locator("label.md-header__button[for=__drawer]").click()
        assert page.locator(".md-nav--primary").get_by_role("link", name="法律专题").first.is_visible()
        if kind == "events-index":
            assert page.locator("[data-pufa-upcoming] li:not([hidden])").count() > 0
        if kind == "parks-index":
            assert page.locator(".pufa-cards .pufa-place").count() > 0
    finally:
        page.context.close()


# --- 长者模式 -------------------------------------------------------------------------------------

TEXT_STYLE = """() => {
    const parse = s => {
        const m = /rgba?\\(([^)]+)\\)/.exec(s);
        if (!m) return null;
        const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
        return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
    const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    const lum = c => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);  // WCAG 2 luminance
    const background = el => { const layers = [];
        for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
            if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
        return layers.reverse().reduce((under, layer) => over(layer, under), [255, 255, 255, 1]); };
    const out = [];
    for (const el of document.querySelectorAll("body *")) {
        const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        const r = el.getBoundingClientRect(), s = getComputedStyle(el);
        if (!own || r.width <= 1 || r.height <= 1 || s.visibility === "hidden") continue;
        if (el.closest("[hidden], .md-skip, svg, script")) continue;
        let opacity = 1; for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
        if (opacity === 0) continue;
        const bg = background(el), fg = parse(s.color);
        const color = over([fg[0], fg[1], fg[2], fg[3] * opacity], bg);
        const [a, b] = [lum(color), lum(bg)].sort((x, y) => y - x);
        const tag = el.tagName.toLowerCase();
        out.push({text: el.textContent.trim().slice(0, 16), tag, cls: String(el.className).slice(0, 40),
                  size: parseFloat(s.fontSize), lineHeight: s.lineHeight === "normal" ? 0 : parseFloat(s.lineHeight),
                  contrast: Math.round((a + 0.05) / (b + 0.05) * 100) / 100, block: /^(p|li|dd|td)$/.test(tag)});
    }
    return out;
}"""

TARGETS = """() => [...document.querySelectorAll("button, .md-button, summary, .md-header__button, .pufa-access a, "
                                                + ".pufa-tags a, .pufa-months a, .md-footer a, .pufa-cards h3 a")]
    .map(el => ({el, r: el.getBoundingClientRect()}))
    .filter(({el, r}) => r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden"
                         && !el.closest("[hidden], .md-search"))
    .map(({el, r}) => ({text: el.textContent.trim().slice(0, 16), w: r.width, h: r.height}))"""
NO_SIDEBARS = "[...document.querySelectorAll('.md-sidebar')].every(s => getComputedStyle(s).display === 'none')"
MOVING = """() => [...document.querySelectorAll("*")].filter(el => {
    const s = getComputedStyle(el);
    return s.animationName !== "none" || s.transitionDuration.split(",").some(d => parseFloat(d) > 0);
}).length"""


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["home", "law", "lecture", "events-index", "event", "parks-index", "place", "sitemap",
                                  "questions", "paper"])
def test_elder_mode_text_contrast_and_targets(browser, served, paths, kind):
    page = open_page(browser, served + paths[kind], elder=1)
    try:
        texts = page.evaluate(TEXT_STYLE)
        assert texts
        assert [t for t in texts if t["size"] < 18] == [], "text under 18 px"
        assert [t for t in texts if t["contrast"] < 7] == [], "text contrast under 7:1"
        assert [t for t in texts if t["block"] and t["lineHeight"] < 1.5 * t["size"]] == [], "line height under 1.5"
        assert [t for t in page.evaluate(TARGETS) if t["w"] < 48 or t["h"] < 48] == [], "targets under 48 px"
        # One column: no sidebars, no phone menu; the sections are listed instead.
        assert page.evaluate(NO_SIDEBARS)
        assert not page.locator("label.md-header__button[for=__drawer]").is_visible()
        assert page.locator(".pufa-sections").get_by_role("link", name="法律专题").is_visible()
        # Nothing animates or transitions, whatever the system's motion setting.
        assert page.evaluate(MOVING) == 0
    finally:
        page.context.close()


BODY_SIZE = "parseFloat(getComputedStyle(document.querySelector('article.md-content__inner p')).fontSize)"
ELDER = "document.documentElement.getAttribute('data-pufa-elder')"
STORED = "localStorage.getItem('pufa.elder')"
# Records html's 长者模式 attribute at the moment <body> is parsed: before anything can be painted.
AT_FIRST_PAINT = """new MutationObserver((changes, observer) => { if (document.body) {
    window.__elderAtBody = document.documentElement.getAttribute("data-pufa-elder"); observer.disconnect(); } })
    .observe(document, {childList: true, subtree: true});"""


@pytest.mark.browser
def test_elder_switch_link_form_and_memory(browser, served, paths):
    page = open_page(browser, served + paths["law"], init=AT_FIRST_PAINT)
    try:
        switch = page.locator("[data-pufa-elder-button='1']")
        larger = page.locator("[data-pufa-elder-button='2']")
        assert switch.inner_text() == "长者模式" and larger.inner_text() == "更大字号"
        assert switch.get_attribute("aria-pressed") == "false" and page.evaluate(ELDER) is None
        normal = page.evaluate(BODY_SIZE)
        assert normal >= 16
        switch.click()
        assert switch.get_attribute("aria-pressed") == "true" and page.evaluate(ELDER) == "1"
        level1 = page.evaluate(BODY_SIZE)
        assert level1 >= 18 and level1 > normal
        larger.click()
        assert larger.get_attribute("aria-pressed") == "true" and page.evaluate(ELDER) == "2"
        assert page.evaluate(BODY_SIZE) >= 24
        # Remembered on the next page, and applied before <body> exists (no flash of the normal layout).
        page.goto(served + paths["event"])
        assert page.evaluate("window.__elderAtBody") == "2" and page.evaluate(STORED) == "2"
        switch.click()
        assert page.evaluate(ELDER) is None and page.evaluate(STORED) == "0"
        # The link form: ?elder=1 on, ?elder=0 off; the parameter is removed once applied.
        page.goto(served + paths["place"] + "?elder=1#top")
        assert page.evaluate("window.__elderAtBody") == "1" and page.evaluate(STORED) == "1"
        assert "elder=" not in page.url and page.url.endswith("#top")
        page.goto(served + "?elder=0")
        assert page.evaluate("window.__elderAtBody") is None and page.evaluate(STORED) == "0"
    finally:
        page.context.close()


# --- 朗读 -----------------------------------------------------------------------------------------

# Headless Chromium may have no voices: a stand-in speechSynthesis that records what it is asked.
SPEECH_STUB = """
window.__speech = {spoken: [], calls: []};
class FakeUtterance { constructor(text) { this.text = text; this.lang = ""; this.voice = null; } }
const voices = [{name: "English", lang: "en-US"}, {name: "普通话", lang: "zh-CN"}];
const synth = {
    getVoices: () => voices,
    speak(u) {
        window.__speech.spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.name});
        window.__speech.last = u;
    },
    pause() { window.__speech.calls.push("pause"); }, resume() { window.__speech.calls.push("resume"); },
    cancel() { window.__speech.calls.push("cancel"); },
};
Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
Object.defineProperty(window, "SpeechSynthesisUtterance", {value: FakeUtterance, configurable: true});
"""
NO_SPEECH = """Object.defineProperty(window, "speechSynthesis", {value: undefined, configurable: true});"""


@pytest.mark.browser
@pytest.mark.parametrize("kind", ARTICLES)
def test_read_aloud_reads_the_article_body(browser, served, paths, kind):
    page = open_page(browser, served + paths[kind], init=SPEECH_STUB)
    try:
        start = page.get_by_role("button", name="朗读正文")
        pause = page.locator("[data-pufa-read-pause]")
        stop = page.locator("[data-pufa-read-stop]")
        assert start.is_visible() and pause.is_hidden() and stop.is_hidden()
        page.evaluate("""() => document.querySelector("article.md-content__inner").insertAdjacentHTML("beforeend",
            "<pre><code>CODE_IS_NOT_READ</code></pre>"
            + "<p>正文<button type=button>BUTTON_IS_NOT_READ</button>最后一段。</p>")""")
        start.click()
        assert pause.is_visible() and stop.is_visible()
        spoken = page.evaluate("window.__speech.spoken")
        assert spoken and all(u["lang"] == "zh-CN" and u["voice"] == "普通话" for u in spoken)
        assert max(len(u["text"]) for u in spoken) <= 240
        read = "".join(u["text"] for u in spoken)
        assert page.locator("article h1").first.inner_text().strip() in read
        first_paragraph = page.locator("article.md-content__inner > p").first.inner_text().strip()
        assert re.sub(r"\s+", "", first_paragraph)[:30] in re.sub(r"\s+", "", read)
        assert read.endswith("正文最后一段。")
        noises = ("¶", "CODE_IS_NOT_READ", "BUTTON_IS_NOT_READ", "朗读正文", "跳到正文", "网站地图", "政府网站标识码")
        for noise in noises:
            assert noise not in read
        for button in page.locator("article .md-button").all():
            assert button.inner_text().strip() not in read
        assert page.evaluate("window.__speech.calls") == ["cancel"]
        pause.click()
        assert pause.inner_text() == "继续"
        pause.click()
        assert pause.inner_text() == "暂停"
        stop.click()
        assert page.evaluate("window.__speech.calls") == ["cancel", "pause", "resume", "cancel"]
        assert pause.is_hidden() and stop.is_hidden()
        assert page.evaluate("document.activeElement.hasAttribute('data-pufa-read-start')")
        # Reading to the end resets the controls too.
        start.click()
        page.evaluate("window.__speech.last.onend()")
        assert stop.is_hidden()
    finally:
        page.context.close()


@pytest.mark.browser
def test_read_aloud_hidden_without_speech_and_off_articles(browser, served, paths):
    page = open_page(browser, served + paths["law"], init=NO_SPEECH)
    try:
        assert page.locator("[data-pufa-read]").count() == 1 and not page.locator("[data-pufa-read]").is_visible()
        page.goto(served + paths["laws-index"])
        assert page.locator("[data-pufa-read]").count() == 0
    finally:
        page.context.close()


# --- nothing that pops up, plays or moves by itself -------------------------------------------------

def test_no_autoplay_marquee_popups_or_document_write(site):
    for path in site.rglob("*.html"):
        text = path.read_text("utf-8")
        for pattern in (r"<marquee", r"<blink", r"\sautoplay\b", r"document\.write", r"window\.open\(", r"\balert\(",
                        r"conac\.cn/[^\"']*\.js"):
            assert not re.search(pattern, text, re.I), f"{path}: {pattern}"
    for path in (site / "assets" / "pufa").glob("*.js"):
        assert not re.search(r"setInterval|window\.open|\balert\(|document\.write", path.read_text("utf-8")), path


# --- what a government page carries ---------------------------------------------------------------

def _pages(site: Path):
    """Every page rendered with the site's templates (the WeChat previews and API files are not pages)."""
    for path in sorted(site.rglob("*.html")):
        text = path.read_text("utf-8")
        if 'class="md-footer"' in text:
            yield path, text


def _meta(text: str) -> dict[str, str]:
    return dict(re.findall(r'<meta name="([A-Z][A-Za-z]+)" content="([^"]*)">', text))


def test_every_page_carries_the_footer_identifiers(site):
    pages = list(_pages(site))
    assert len(pages) > 50
    for path, text in pages:
        footer = text[text.index('<footer class="md-footer">'):]
        assert re.search(r'<a class="pufa-gov__badge" href="https://bszs\.conac\.cn/[^"]*"[^>]*>\s*'
                         r'<img src="[^"]*assets/images/conac-placeholder\.png"[^>]*alt="党政机关网站标识', footer), path
        assert "政府网站标识码：（待分配）" in footer  # never a made-up number
        assert re.search(r'<a href="https://beian\.miit\.gov\.cn/"[^>]*>ICP备案号：（待分配）</a>', footer)
        assert re.search(r'<a href="https://beian\.mps\.gov\.cn/"[^>]*>公安机关备案号：（待分配）</a>', footer)
        assert f"主办单位：{PUBLISHER}" in footer and "联系方式：（待分配）" in footer
        assert re.search(r'<a href="([^"]*sitemap/|\./)">网站地图</a>', footer), path
        assert f'<a href="{GOV["correction_url"]}" rel="noopener">我为政府网站找错</a>' in footer
        assert "Material for MkDocs" not in footer


def test_every_page_carries_the_government_metadata(site):
    content = _content()
    records = {r.url: r for r in content.laws + content.lectures + content.events + content.places + content.banks}
    columns = {"laws": "法律专题", "events": "活动日历", "parks": "法治文化阵地", "about": "关于本站"}
    for path, text in _pages(site):
        url = path.relative_to(site).as_posix().removesuffix("index.html")
        meta = _meta(text)
        assert meta["SiteName"] == CONFIG["site_name"], path
        assert meta["SiteDomain"] == urlsplit(CONFIG["site_url"]).netloc, path
        assert meta["SiteIDCode"] == ""  # 待分配: empty, not invented
        assert meta["ArticleTitle"] and meta["ContentSource"], path
        if url == "":
            assert meta["ColumnName"] == "首页"
        elif url.split("/")[0] in columns:
            assert meta["ColumnName"] == columns[url.split("/")[0]], path
        record = records.get(url)
        if record is not None:
            assert meta["ArticleTitle"] == record.title
            assert meta["PubDate"] == f"{record.published:%Y-%m-%d} 00:00"
            assert meta["Url"] == CONFIG["site_url"] + url
            assert meta["Keywords"]
        else:
            assert "PubDate" not in meta, path


def test_sitemap_links_every_page(site):
    sitemap = (site / "sitemap" / "index.html").read_text("utf-8")
    linked = {urljoin("https://x/sitemap/", href) for href in re.findall(r'<a href="([^"#]*)"', sitemap)}
    missing = []
    for path, _ in _pages(site):
        url = path.relative_to(site).as_posix().removesuffix("index.html")
        if path.name == "index.html" and url not in ("sitemap/", "search/") and "https://x/" + url not in linked:
            missing.append(url)
    assert missing == []
    content = _content()
    records = content.laws + content.lectures + content.events + content.places + content.banks
    assert all(f'href="../{r.url}"' in sitemap for r in records)


def test_content_images_need_alt_text(docs):
    """`pufa check` refuses a content image without alt text, in Markdown and in HTML."""
    from PIL import Image
    Image.new("RGB", (40, 30), "red").save(docs / "parks" / "images" / "a.png")
    (docs / "parks" / "park.md").write_text(
        "---\ntitle: 宪法文化公园\nslug: park\nkind: 法治文化公园\naddress: 枣阳市沿河路\n"
        "source: 《枣阳市2023年法治政府建设年度报告》\npublished: 2026-11-26\n---\n\n"
        "![](images/a.png)\n\n![  ](images/a.png)\n\n![公园入口的宪法宣传栏](images/a.png)\n\n"
        '<img src="images/a.png">\n\n<img src="images/a.png" alt="">\n\n'
        '<img src="images/a.png" alt="宣传栏">\n', "utf-8")
    missing = sorted((p.path, p.line) for p in check(docs.parent) if p.code == "missing-alt")
    assert missing == [("docs/parks/park.md", line) for line in (10, 12, 16, 18)]


# --- deployed under a portal's sub-path ---------------------------------------------------------------

PORTAL = "https://portal.example.gov.cn/pufa/"


LOCATED_PLACE = """\
---
title: 测试法治文化广场
slug: test-located-place
summary: 只在测试构建里出现的阵地。
kind: 法治文化广场
address: 枣阳市测试路
location: {lat: 32.131234, lon: 112.751234, crs: wgs84}
source: 本测试虚构的信息来源
published: 2026-11-26
---

测试。
"""


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and name in ("href", "src", "poster"):
                self.urls.append(value)
            elif value and name == "srcset":
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory):
    """The site built for https://portal.example.gov.cn/pufa/ and served under /pufa/ on 127.0.0.1."""
    project = tmp_path_factory.mktemp("portal")
    for name in ("mkdocs.yml", "county.yml", "overrides", "docs"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, project / name)
    # A place with coordinates, so places.geojson has a feature whose URL must carry the prefix.
    (project / "docs" / "parks" / "test-located-place.md").write_text(LOCATED_PLACE, "utf-8")
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^site_url: .*$", f"site_url: {PORTAL}", config.read_text("utf-8")), "utf-8")
    dest = project / "site"
    result = build_site(dest, config=config)
    assert result.returncode == 0, result.stderr[-4000:]

    class UnderPrefix(QuietHandler):
        def translate_path(self, path):
            if not path.startswith("/pufa/"):
                return str(dest / "__not_here__")
            return super().translate_path(path[len("/pufa"):])

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(UnderPrefix, directory=str(dest)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield dest, f"http://127.0.0.1:{server.server_address[1]}/pufa/"
    server.shutdown()


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_subpath_every_internal_link_resolves(subpath_site):
    dest, base = subpath_site
    local = urlsplit(base)
    seen: dict[str, int] = {}
    broken = []
    for path in sorted(dest.rglob("*.html")):
        page_url = base + path.relative_to(dest).as_posix()
        parser = _Links()
        parser.feed(path.read_text("utf-8"))
        for raw in parser.urls:
            if raw.startswith(PORTAL):  # canonical and absolute links name the portal: check them here
                raw = base + raw[len(PORTAL):]
            target = urljoin(page_url, raw).split("#", 1)[0]
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https") or parts.netloc != local.netloc:
                if parts.netloc == urlsplit(PORTAL).netloc and not parts.path.startswith("/pufa/"):
                    broken.append(f"{path.relative_to(dest)}: {raw} leaves /pufa/")  # webcal:// and the like
                continue
            if not parts.path.startswith("/pufa/"):
                broken.append(f"{path.relative_to(dest)}: {raw} leaves /pufa/")
                continue
            if target not in seen:
                seen[target] = _status(target)
            if seen[target] != 200:
                broken.append(f"{path.relative_to(dest)}: {raw} → {seen[target]}")
    assert len(seen) > 100
    assert broken == []


def test_subpath_feeds_calendars_and_geojson_carry_the_prefix(subpath_site):
    dest, _ = subpath_site
    for name in ("feed.xml", "atom.xml", "calendar.ics", "places.geojson"):
        text = (dest / name).read_bytes().decode("utf-8").replace("\r\n ", "")  # unfold iCalendar lines
        urls = re.findall(r"https?://portal\.example\.gov\.cn[^\s\"'<>\\]*", text)
        assert urls, name
        assert all(u.startswith(PORTAL) for u in urls), (name, [u for u in urls if not u.startswith(PORTAL)][:3])
    events = (dest / "events" / "index.html").read_text("utf-8")
    webcal = re.findall(r'href="(webcal://[^"]*)"', events)
    assert webcal and all(w.startswith("webcal://portal.example.gov.cn/pufa/") for w in webcal)
    footer = (dest / "404.html").read_text("utf-8")
    assert 'href="/pufa/sitemap/"' in footer
