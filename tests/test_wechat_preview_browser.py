"""The bundle preview in a real Chromium: “复制到公众号” puts the exact rich HTML on the clipboard."""

from __future__ import annotations

from pathlib import Path

import pytest

from pufa.wechat.bundle import build_bundle, read_article

pytestmark = pytest.mark.browser

SITE = "https://pufa.example.cn/"
READ_CLIPBOARD = """async () => {
  const out = {};
  for (const item of await navigator.clipboard.read())
    for (const type of item.types) out[type] = await (await item.getType(type)).text();
  return out;
}"""


@pytest.fixture(scope="module")
def preview(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wechat")
    build_bundle(
        out, slug="xianfa", title="宪法宣传周", author="枣阳市司法局", digest="一起学宪法。",
        page_url=SITE + "laws/xianfa/", site_url=SITE,
        html="<p>宪法是<strong>国家的根本法</strong>，见<a href='https://flk.npc.gov.cn/'>数据库</a>。</p>",
        images={}, cover_title="宪法宣传周",
    )
    return out / "xianfa"


def open_preview(browser, preview: Path, *, modern: bool):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    if not modern:
        page.add_init_script("delete window.ClipboardItem;")
    page.goto((preview / "index.html").as_uri())
    return context, page, requests


@pytest.mark.parametrize("modern", [True, False], ids=["clipboard-api", "execCommand-fallback"])
def test_copy_button_puts_the_article_on_the_clipboard(browser, preview, modern):
    context, page, requests = open_preview(browser, preview, modern=modern)
    try:
        page.click("text=复制到公众号")
        page.wait_for_function("document.getElementById('status').textContent.length > 0")
        assert "已复制正文" in page.text_content("#status")
        clipboard = page.evaluate(READ_CLIPBOARD)
        assert "国家的根本法" in clipboard["text/plain"]
        rich = clipboard["text/html"]
        assert 'style="' in rich and "国家的根本法</strong>" in rich and "[1] 数据库：https://flk.npc.gov.cn/" in rich
        assert "class=" not in rich
        # Exactly the fragment between article.html's <body> tags, as the browser serialises it: it may
        # add a charset tag and writes the guard paragraphs' no-break space as &nbsp;.
        copied = rich.removeprefix('<meta charset="utf-8">').removeprefix("<meta charset='utf-8'>")
        assert copied.replace("&nbsp;", "\u00a0") == read_article(preview)
        assert all(url.startswith("file://") for url in requests), requests
    finally:
        context.close()


def test_title_button_copies_plain_text(browser, preview):
    context, page, _ = open_preview(browser, preview, modern=True)
    try:
        page.click("text=复制标题")
        page.wait_for_function("document.getElementById('status').textContent.length > 0")
        assert page.evaluate(READ_CLIPBOARD)["text/plain"] == "宪法宣传周"
    finally:
        context.close()
