"""Every 公众号 bundle stays readable in WeChat's light and dark mode.

WeChat recolours articles for dark mode in the reader's client with its open-source algorithm
mp-darkmode (MIT; release 1.2.1, the unchanged `dist/darkmode.min.js` of github.com/wechatjs/mp-darkmode,
vendored in tests/vendor/ with its licence and those of the libraries it bundles). Each bundle's 正文
is put in a phone-width column in a real Chromium, once as published (light: white page) and once
after `Darkmode.run(…, {mode: "dark"})` on WeChat's dark page (#191919, the algorithm's default);
then the contrast of every text run against the colour really painted behind it (translucent
backgrounds composited up to the page) must be at least 4.5:1 (WCAG 2.2 AA for body text).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT, build_site
from pufa.wechat.article import to_wechat_html
from pufa.wechat.bundle import build_bundle, read_article

pytestmark = pytest.mark.browser

MP_DARKMODE = ROOT / "tests" / "vendor" / "mp-darkmode.min.js"
FIXTURE = ROOT / "tests" / "fixtures" / "wechat" / "article.html"
MINIMUM = 4.5
PAGE = {"light": ("#ffffff", "#191919"), "dark": ("#191919", "#a3a3a3")}  # page background, default text
# The harness page: a WeChat-like article column (375 px phone, 16 px margins).
HARNESS = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>dark mode</title>
<style>html{{background:{bg};color:{fg}}}body{{margin:0;padding:0 16px;width:343px;font-size:17px}}</style>
</head><body><div id="js_content">{article}</div></body></html>"""

# Every visible text node: its colour and the background actually behind it, both composited.
MEASURE = """() => {
  const rgba = (value) => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, below) => [0, 1, 2].map(i => top[i] * top[3] + below[i] * (1 - top[3])).concat([1]);
  const channel = (c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
  const luminance = (c) => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const behind = (el) => {
    const chain = [];
    for (let node = el; node; node = node.parentElement) chain.unshift(node);
    let color = rgba(getComputedStyle(document.documentElement).backgroundColor);
    for (const node of chain.slice(1)) color = over(rgba(getComputedStyle(node).backgroundColor), color);
    return color;
  };
  const hex = (c) => "#" + c.slice(0, 3).map(v => Math.round(v).toString(16).padStart(2, "0")).join("");
  const runs = [];
  const walker = document.createTreeWalker(document.getElementById("js_content"), NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const words = text.data.trim();
    const el = text.parentElement;
    const style = getComputedStyle(el);
    if (!words || parseFloat(style.fontSize) === 0 || style.visibility === "hidden") continue;
    const bg = behind(el);
    const fg = over(rgba(style.color), bg);
    runs.push({text: words.slice(0, 24), tag: el.tagName.toLowerCase(), color: hex(fg), background: hex(bg),
               ratio: Math.round(contrast(fg, bg) * 100) / 100});
  }
  return runs;
}"""


@pytest.fixture(scope="module")
def bundles(tmp_path_factory) -> list[Path]:
    """Every WeChat bundle of the real site, built once with the date pinned."""
    dest = tmp_path_factory.mktemp("darkmode") / "site"
    result = build_site(dest, env={"PUFA_TODAY": "2026-03-10", "SOURCE_DATE_EPOCH": "1773100800"})
    assert result.returncode == 0, result.stderr[-4000:]
    index = json.loads((dest / "wechat" / "index.json").read_text("utf-8"))
    return [dest / "wechat" / entry["path"] for entry in index["bundles"]]


def theme_sample() -> str:
    """Every look THEME_CSS has, including boxes of each tone and marks no page uses yet."""
    boxes = "".join(f'<div class="admonition {kind}"><p class="admonition-title">{kind}</p><p>提示内容 12338</p></div>'
                    for kind in ("note", "tip", "warning", "danger", "example"))
    extra = ('<p>重点：<mark>高亮的文字</mark>，代码 <code>pufa check</code>，<kbd>Ctrl</kbd>。</p>'
             '<dl><dt>术语</dt><dd>解释</dd></dl>'
             '<div class="footnote"><ol><li><p>脚注内容。</p></li></ol></div>'
             '<figure><img src="x.png" alt="图"><figcaption>图片说明文字</figcaption></figure>'
             '<p><iframe src="https://v.qq.com/x"></iframe></p>')
    html = FIXTURE.read_text("utf-8") + boxes + extra
    return to_wechat_html(html, page_url="https://pufa.example.cn/laws/x/", site_url="https://pufa.example.cn/",
                          source_url="https://www.gov.cn/x.htm").html


@pytest.fixture(scope="module")
def articles(bundles) -> dict[str, str]:
    """Every bundle's 正文 (exactly what is pasted or sent), plus a sample of the whole theme."""
    found = {bundle.name: read_article(bundle) for bundle in bundles}
    found["(theme sample)"] = theme_sample()
    return found


@pytest.fixture(scope="module")
def measured(browser, articles) -> dict[str, dict[str, list[dict]]]:
    return {mode: {name: measure(browser, html, mode) for name, html in articles.items()} for mode in PAGE}


def measure(browser, article: str, mode: str) -> list[dict]:
    background, text = PAGE[mode]
    context = browser.new_context(viewport={"width": 375, "height": 812})
    try:
        page = context.new_page()
        page.route("**/*", lambda route: route.abort())  # the article's images: not needed, never fetched
        page.set_content(HARNESS.format(bg=background, fg=text, article=article))
        if mode == "dark":
            page.add_script_tag(content=MP_DARKMODE.read_text("utf-8"))
            errors = page.evaluate("""() => { const errors = [];
              Darkmode.run(document.body.querySelectorAll('*'), {mode: 'dark', needJudgeFirstPage: false,
                                                                   error: (e) => errors.push(String(e))});
              return errors; }""")
            assert errors == []
            assert page.evaluate("document.documentElement.classList.contains('data_color_scheme_dark')")
        return page.evaluate(MEASURE)
    finally:
        context.close()


def lowest(runs: list[dict]) -> dict:
    return min(runs, key=lambda run: run["ratio"])


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_text_run_has_enough_contrast(measured, mode):
    failures, worst = [], None
    for name, runs in measured[mode].items():
        assert runs, name
        low = lowest(runs)
        worst = low if worst is None or low["ratio"] < worst["ratio"] else worst
        failures += [f"{name}: {r['ratio']}:1 {r['color']} on {r['background']} <{r['tag']}> {r['text']}"
                     for r in runs if r["ratio"] < MINIMUM]
    print(f"{mode}: {sum(map(len, measured[mode].values()))} text runs in {len(measured[mode])} articles, lowest "
          f"{worst['ratio']}:1 ({worst['color']} on {worst['background']}, <{worst['tag']}> {worst['text']})")
    assert not failures, "\n".join(sorted(set(failures))[:40])


def test_no_light_slab_behind_text_in_dark_mode(measured):
    """Boxes, table headers and code stay dark in dark mode: no light block glares on the dark page."""
    slabs = [f"{name}: {run['background']} behind <{run['tag']}> {run['text']}"
             for name, runs in measured["dark"].items() for run in runs if perceived(run["background"]) > 60]
    assert not slabs, "\n".join(slabs[:20])


def perceived(color: str) -> float:
    """Perceived brightness 0–255 (the W3C measure mp-darkmode itself uses)."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_body_images_have_no_transparent_pixels(bundles, tmp_path):
    """A transparent PNG shows the dark page through it, and a dark drawing on it vanishes: every body
    image of every bundle is opaque, and a transparent line drawing comes out black on white."""
    drawing = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    drawing.paste((30, 30, 30, 255), (0, 55, 300, 65))
    data = io.BytesIO()
    drawing.save(data, "PNG")
    build_bundle(tmp_path, slug="drawing", title="示意图", author="司法局", digest="示意图。",
                 page_url="https://pufa.example.cn/laws/x/", site_url="https://pufa.example.cn/",
                 html='<p><img src="line.png" alt="示意图"></p>', images={"line.png": data.getvalue()},
                 cover_title="示意图")
    files = [(tmp_path / "drawing", tmp_path / "drawing" / image["file"])
             for image in json.loads((tmp_path / "drawing" / "meta.json").read_text("utf-8"))["images"]]
    for bundle in bundles:
        meta = json.loads((bundle / "meta.json").read_text("utf-8"))
        files += [(bundle, bundle / image["file"]) for image in meta["images"]]
    for bundle, path in files:
        with Image.open(path) as im:
            assert im.mode in ("RGB", "L") and "transparency" not in im.info, f"{bundle.name}/{path.name}: {im.mode}"
    with Image.open(files[0][1]) as line:
        assert line.convert("RGB").getpixel((5, 5)) == (255, 255, 255)
        assert line.convert("RGB").getpixel((5, 60)) == (30, 30, 30)


def test_the_measurement_catches_what_the_old_theme_did(browser):
    """The harness itself: a solid near-white box is turned into a light slab by the algorithm and
    grey #666 text is left unreadable, while a translucent tint with flippable text passes."""
    solid = '<section style="background:#f3f5f8;padding:8px"><p style="color:#666">第二条 本法所称…</p></section>'
    dark = measure(browser, solid, "dark")
    assert perceived(dark[0]["background"]) > 150 or dark[0]["ratio"] < MINIMUM
    grey = measure(browser, '<p style="color:#666">摘录</p>', "dark")
    assert grey[0]["ratio"] < MINIMUM and grey[0]["color"] == "#666666"
    tint = ('<section style="background:rgba(30,90,160,.08);padding:8px">'
            '<p style="color:#3f3f3f">第二条 本法所称…</p></section>')
    for mode in PAGE:
        assert lowest(measure(browser, tint, mode))["ratio"] >= MINIMUM
