"""Build the real site and read the pages a visitor gets."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, build_site

pytestmark = pytest.mark.build

DRAFT_PLACE = ("---\ntitle: 示例阵地\nslug: demo-place\nkind: 法治文化长廊\naddress: 示例地址\n"
               "source: 示例，仅用于演示\npublished: 2026-11-26\ndraft: true\n---\n\n示例。\n")


def pufa_build(project: Path) -> subprocess.CompletedProcess:
    """`pufa build` in the project's folder, as an editor or the deploy job runs it."""
    return subprocess.run([sys.executable, "-m", "pufa.cli", "build"], cwd=project, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def edited(tmp_path_factory) -> Path:
    """A copy of the site's sources with an editor's changes (a fact marked unverified, a draft place),
    published once with `pufa build` into its site/ folder."""
    project = tmp_path_factory.mktemp("edited")
    for name in ("mkdocs.yml", "county.yml", "overrides", "docs"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, project / name)
    # The real laws are all checked now, so an editor's copy marks one fact as not yet checked.
    law = project / "docs" / "laws" / "national-security.md"
    text = law.read_text("utf-8")
    assert "  to_verify:" not in text and text.count("  checked_on: 2026-12-02\n") == 1
    law.write_text(text.replace("  checked_on: 2026-12-02\n", "  checked_on: 2026-12-02\n  to_verify: [articles]\n"), "utf-8")
    (project / "docs" / "parks" / "demo.md").write_text(DRAFT_PLACE, "utf-8")
    result = pufa_build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    return project


class Resources(HTMLParser):
    """Collect every URL a browser would fetch on its own (not links a reader clicks)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"])
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("href") and not {"alternate", "canonical"} & set((a.get("rel") or "").split()):
            self.urls.append(a["href"])
        for key in ("srcset",):
            if a.get(key):
                self.urls += [part.split()[0] for part in a[key].split(",")]


def parse(path: Path) -> tuple[str, Resources]:
    html = path.read_text("utf-8")
    parser = Resources()
    parser.feed(html)
    return html, parser


def test_home_page(site):
    html, _ = parse(site / "index.html")
    assert "<title>枣阳普法</title>" in html
    assert 'lang="zh"' in html
    for words in ("1200 人", "558 个村（社区）", "枣阳市2023年法治政府建设年度报告", "宪法文化公园"):
        assert words in html


def test_law_topic_page_uses_its_slug_and_shows_facts(site):
    page = site / "laws" / "anti-telecom-fraud" / "index.html"
    html, parsed = parse(page)
    assert "《中华人民共和国反电信网络诈骗法》" in html
    assert "2022年12月1日" in html and "国家法律法规数据库" in html
    # Chinese headings get readable, stable anchors a lecturer can link to.
    assert {"这部法律管什么", "要点", "情景示例", "常见问答", "求助渠道"} <= set(parsed.ids)
    # Every lecture of the topic is linked.
    for audience in ("school", "community", "village", "enterprise", "organ", "unit"):
        assert f'href="{audience}/"' in html or f'href="./{audience}/"' in html


def test_unverified_facts_say_so(edited):
    html, _ = parse(edited / "site" / "laws" / "national-security" / "index.html")
    assert re.search(r"<dt>篇章</dt><dd>7 章 <span class=\"pufa-verify\">（条数待核实）</span>", html)
    assert "84 条" not in html
    # The lecturers' data says so too.
    materials = json.loads((edited / "site" / "api" / "materials.json").read_text("utf-8"))
    topic = next(t for t in materials["topics"] if t["slug"] == "national-security")
    facts = {fact["label"]: fact for fact in topic["facts"]}
    assert (facts["篇章"]["text"], facts["篇章"]["verified"], facts["篇章"]["note"]) == ("7 章", False, "条数待核实")
    assert facts["通过"]["verified"] and facts["施行"]["verified"]


def test_one_page_of_each_content_type(site):
    lecture, _ = parse(site / "laws" / "anti-telecom-fraud" / "school" / "index.html")
    assert "宣讲对象：学校" in lecture and "讨论题" in lecture
    event, _ = parse(site / "events" / "national-security-day" / "index.html")
    assert "每年4月15日" in event
    place, _ = parse(site / "parks" / "constitution-culture-park" / "index.html")
    assert "枣阳市沿河路" in place and "所在街道（镇）待核实" in place


def test_no_page_requests_another_host(site):
    offenders = []
    for page in site.rglob("*.html"):
        _, parsed = parse(page)
        for url in parsed.urls:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") or url.startswith("//"):
                offenders.append((page.relative_to(site).as_posix(), url))
    assert offenders == []
    for css in site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text("utf-8")), css


def test_no_google_fonts_and_a_cjk_font_stack(site):
    html, _ = parse(site / "index.html")
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    css = (site / "assets" / "pufa" / "pufa.css").read_text("utf-8")
    assert "PingFang SC" in css and "Microsoft YaHei" in css and "Noto Sans CJK SC" in css


def test_drafts_never_reach_a_production_build(edited):
    site = edited / "site"
    assert (site / "parks" / "constitution-culture-park" / "index.html").exists()
    assert not (site / "parks" / "demo-place").exists()
    assert not [p for p in site.rglob("*") if p.is_file() and "示例阵地".encode() in p.read_bytes()]


def test_drafts_show_in_serve(project, tmp_path):
    (project / "docs" / "parks" / "demo.md").write_text(DRAFT_PLACE, "utf-8")
    code = f"""
import os, sys
os.chdir({str(project)!r})
from mkdocs.config import load_config
from mkdocs.commands.build import build
config = load_config('mkdocs.yml', site_dir={str(tmp_path / 'serve')!r})
config.plugins.on_startup(command='serve', dirty=False)
build(config, serve_url='http://127.0.0.1:8000/')
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "serve" / "parks" / "demo-place" / "index.html").exists()
    assert "示例阵地" in (tmp_path / "serve" / "parks" / "index.html").read_text("utf-8")


def test_a_content_error_fails_the_build_with_the_editors_message(project, tmp_path):
    park = project / "docs" / "parks" / "constitution-culture-park.md"
    park.write_text(park.read_text("utf-8").replace("kind: 法治文化公园", "kind: 公园"), "utf-8")
    result = build_site(tmp_path / "out", config=project / "mkdocs.yml")
    assert result.returncode != 0
    assert "docs/parks/constitution-culture-park.md:5: 错误：kind（阵地类型） 不能写“公园”" in result.stderr
    assert "内容检查发现 1 个错误" in result.stderr


def test_pufa_build_keeps_the_old_site_when_a_build_fails(edited, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(edited, project)  # with the site `pufa build` published there
    index = project / "site" / "index.html"
    before = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    park = project / "docs" / "parks" / "constitution-culture-park.md"
    park.write_text(park.read_text("utf-8").replace("published: 2026-11-26", "published: 2026-02-30"), "utf-8")
    (project / "docs" / "index.md").write_text("---\ntitle: 改过的首页\n---\n\n改过。\n", "utf-8")
    second = pufa_build(project)
    assert second.returncode == 1
    assert "构建失败，已发布的网站保持不变" in second.stderr
    assert {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()} == before
    assert "改过" not in index.read_text("utf-8")
    assert not list(project.glob(".site-building-*"))
