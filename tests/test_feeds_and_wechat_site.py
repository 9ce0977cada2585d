"""Feeds and WeChat bundles as published by a real build, and `pufa wechat push` end to end."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import feedparser
import pytest
from PIL import Image

from conftest import check
from test_wechat_push import APPID, SECRET, FakeWeChat

pytestmark = pytest.mark.build
SITE_URL = "https://pufa.zaoyang.example/"


@pytest.mark.parametrize("feed", ["feed.xml", "atom.xml", "laws/feed.xml", "laws/atom.xml", "events/feed.xml",
                                  "events/atom.xml"])
def test_feeds_parse_with_full_content_and_absolute_urls(site, feed):
    parsed = feedparser.parse((site / feed).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.entries
    for entry in parsed.entries:
        assert entry.link.startswith(SITE_URL)
        html = entry.content[0].value
        assert len(html) > len(entry.summary) and entry.summary
        for url in re.findall(r'(?:href|src)="([^"]+)"', html):
            assert re.match(r"(https?:|mailto:|tel:)", url), (entry.link, url)
        assert "headerlink" not in html
        assert entry.get("published_parsed") and entry.get("author")
    if feed.endswith("atom.xml"):
        dates = [e.updated_parsed for e in parsed.entries]
        assert dates == sorted(dates, reverse=True)


def test_rss_has_enclosures_creator_and_categories(site):
    xml = (site / "laws" / "feed.xml").read_text("utf-8")
    parsed = feedparser.parse(xml)
    entry = next(e for e in parsed.entries if e.link.endswith("/laws/anti-telecom-fraud/"))
    enclosure = entry.enclosures[0]
    cover = site / "wechat" / "anti-telecom-fraud" / "cover.jpg"
    assert enclosure.href == SITE_URL + "wechat/anti-telecom-fraud/cover.jpg"
    assert int(enclosure.length) == cover.stat().st_size and enclosure.type == "image/jpeg"
    assert "<dc:creator>枣阳市司法局</dc:creator>" in xml
    assert {t.term for t in entry.tags} >= {"反诈"}
    assert "+0800" in entry.published
    newest = max(e.published_parsed for e in parsed.entries)
    assert parsed.feed.updated_parsed >= newest  # lastBuildDate comes from the content, not the clock
    assert "<lastBuildDate>" in xml


def test_autodiscovery_on_every_page(site):
    for page in list(site.rglob("index.html"))[:50]:
        html = page.read_text("utf-8")
        assert 'type="application/rss+xml"' in html and 'type="application/atom+xml"' in html, page


def test_two_builds_give_identical_feeds_and_bundles(site, site_again):
    again = site_again
    for rel in ["feed.xml", "atom.xml", "laws/feed.xml", "events/atom.xml", "wechat/index.json"]:
        assert (again / rel).read_bytes() == (site / rel).read_bytes(), rel
    for bundle in (site / "wechat").iterdir():
        if bundle.is_dir():
            for file in bundle.iterdir():
                assert (again / "wechat" / bundle.name / file.name).read_bytes() == file.read_bytes(), file


def test_every_law_topic_and_event_has_a_bundle(site):
    index = json.loads((site / "wechat" / "index.json").read_text("utf-8"))
    slugs = {b["slug"] for b in index["bundles"]}
    articles = {p.parent.name for p in (site / "laws").glob("*/index.html")} - {"for", "topics"}
    articles |= {p.parent.name for p in (site / "events").glob("*/index.html") if not p.parent.name.isdigit()}
    assert slugs == articles
    for slug in slugs:
        folder = site / "wechat" / slug
        meta = json.loads((folder / "meta.json").read_text("utf-8"))
        assert len(meta["title"]) <= 32 and len(meta["author"]) <= 16 and len(meta["digest"]) <= 120
        assert meta["content_source_url"].startswith(SITE_URL)
        with Image.open(folder / "cover.jpg") as cover:
            assert cover.size == (900, 383) and cover.format == "JPEG"
        assert (folder / "thumb.jpg").stat().st_size <= 64 * 1024
        article = (folder / "article.html").read_text("utf-8")
        assert not re.search(r"\s(class|id)=|<style|<script|<iframe", article)
        assert "复制到公众号" in (folder / "index.html").read_text("utf-8")


def test_wechat_limit_breaks_are_warnings_in_pufa_check_on_the_line_to_change(site_root):
    (site_root / "docs" / "events" / "long.md").write_text(
        "---\ntitle: 这是一个非常非常长的活动标题用来测试公众号标题长度限制是否能够正确生效呢\nslug: long-title\n"
        "summary: 用来测试公众号标题长度限制的示例活动，正文很短。\nkind: observance\n"
        "rule: {type: fixed, month: 4, day: 15}\nsource_url: https://www.gov.cn/\npublished: 2026-11-26\n---\n\n正文。\n",
        "utf-8")
    found = [p for p in check(site_root) if p.path == "docs/events/long.md"]
    assert [(p.line, p.code, p.severity) for p in found] == [(2, "wechat-limit", "warning")]  # title's line; never an error
    assert found[0].message.startswith("公众号限制：标题 36 字，超过公众号上限 32 字")


def test_pufa_wechat_push_against_the_fake_api(site, tmp_path):
    shutil.copytree(site / "wechat", tmp_path / "site" / "wechat")
    fake = FakeWeChat()
    try:
        env = {**os.environ, "PUFA_WECHAT_APPID": APPID, "PUFA_WECHAT_SECRET": SECRET,
               "PUFA_WECHAT_API_BASE": fake.base, "NO_PROXY": "127.0.0.1"}
        result = subprocess.run([sys.executable, "-m", "pufa.cli", "wechat", "push", "anti-telecom-fraud",
                                 "-d", str(tmp_path / "site"), "--state-file", str(tmp_path / "state.json")],
                                capture_output=True, text=True, env=env, timeout=120)
        assert result.returncode == 0, result.stderr
        assert "已放入公众号草稿箱" in result.stdout and len(fake.drafts) == 1
        missing = {k: v for k, v in env.items() if k != "PUFA_WECHAT_SECRET"}
        result = subprocess.run([sys.executable, "-m", "pufa.cli", "wechat", "push", "anti-telecom-fraud",
                                 "-d", str(tmp_path / "site"), "--state-file", str(tmp_path / "state.json")],
                                capture_output=True, text=True, env=missing, timeout=120)
        assert result.returncode == 2 and "PUFA_WECHAT_SECRET" in result.stderr
    finally:
        fake.close()
