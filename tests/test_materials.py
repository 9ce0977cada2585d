"""Material for lecturers as published: materials.json, the download packs, printable pages."""

from __future__ import annotations

import io
import json
import re
import zipfile
from html.parser import HTMLParser

import pytest

from conftest import ROOT
from pufa import urls
from pufa.checks import check_project
from pufa.clock import build_today
from pufa.content import vocabulary
from pufa.project import open_project

pytestmark = pytest.mark.build
TOPICS = {"anti-telecom-fraud", "minors-protection", "national-security", "women-rights", "constitution",
          "legal-publicity-education"}


@pytest.fixture(scope="module")
def materials(site):
    return json.loads((site / "api" / "materials.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def content():
    result = check_project(open_project(ROOT / "mkdocs.yml"), build_today(), render=False)
    assert result.errors == []
    return result.content.published()


def test_the_six_topics_are_live(materials):
    assert {t["slug"] for t in materials["topics"]} >= TOPICS


def test_every_topic_has_material_for_every_audience_it_lists(materials):
    for topic in materials["topics"]:
        have = {lecture["audience"] for lecture in topic["lectures"]}
        assert set(topic["audiences"]) <= have, topic["slug"]
        for lecture in topic["lectures"]:
            assert 3 <= len(lecture["questions"]) <= 5 and lecture["outline"]
            assert 15 <= lecture["minutes"] <= 20
            assert lecture["url"].startswith(materials["site"]) and lecture["audience_id"] == vocabulary.ids("audiences")[lecture["audience"]]


def test_every_fact_field_is_present(content):
    for topic in content.laws:
        law = topic.law
        assert law.name.startswith("中华人民共和国") and law.short_name
        assert law.adopted and law.effective and law.source_url.startswith("https://flk.npc.gov.cn/")
        # A fact is either given, or explicitly waiting for verification.
        for key in ("chapters", "articles"):
            assert getattr(law, key) or key in law.to_verify, (topic.slug, key)


def test_lectures_are_long_enough_for_a_15_minute_talk(content):
    for lecture in content.lectures:
        han = len(re.findall(r"[\u4e00-\u9fff]", lecture.body))
        assert han >= 2400, (lecture.path, han)


def test_sections_have_readable_anchors_that_exist(materials, site):
    topic = next(t for t in materials["topics"] if t["slug"] == "anti-telecom-fraud")
    anchors = {s["anchor"] for s in topic["sections"]}
    assert {"这部法律管什么", "要点", "情景示例", "常见问答", "求助渠道", "法条摘录"} <= anchors
    html = (site / "laws" / "anti-telecom-fraud" / "index.html").read_text("utf-8")
    for section in topic["sections"]:
        assert f'id="{section["anchor"]}"' in html
        assert section["url"].endswith("#" + section["anchor"])


class External(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data", "action", "poster") and value and not value.startswith(("data:", "#")):
                self.refs.append((tag, name, value))


def test_download_packs(site, content):
    for topic in content.laws:
        data = (site / "downloads" / f"{topic.slug}.zip").read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as pack:
            names = set(pack.namelist())
            assert f"{topic.slug}/{topic.slug}.html" in names
            assert f"{topic.slug}/markdown/{topic.path}" in names
            for lecture in content.lectures_for(topic.slug):
                assert f"{topic.slug}/markdown/{lecture.path}" in names
                assert pack.read(f"{topic.slug}/markdown/{lecture.path}") == (ROOT / "docs" / lecture.path).read_bytes()
            printable = pack.read(f"{topic.slug}/{topic.slug}.html").decode("utf-8")
        parser = External()
        parser.feed(printable)
        assert parser.refs == [], (topic.slug, parser.refs[:5])
        assert "@page" in printable and "<script" not in printable
        # The topic, each 讲稿, and the question bank (with its answers) as the last article.
        assert printable.count("<article>") == 1 + len(content.lectures_for(topic.slug)) + (content.bank_for(topic.slug) is not None)
        assert "讨论题" in printable and "flk.npc.gov.cn" in printable


def test_packs_are_reproducible(site, site_again):
    again = site_again
    for pack in (site / "downloads").glob("*.zip"):
        assert (again / "downloads" / pack.name).read_bytes() == pack.read_bytes()
    assert (again / "api" / "materials.json").read_bytes() == (site / "api" / "materials.json").read_bytes()


def test_audience_pages_lead_to_printable_lectures(site):
    html = (site / "laws" / "for" / "school" / "index.html").read_text("utf-8")
    assert 'href="../../anti-telecom-fraud/school/"' in html
    home = (site / "index.html").read_text("utf-8")
    assert 'href="laws/for/school/"' in home  # home → 进学校 → 讲稿: three taps to print


def test_topic_filters_work_without_javascript(site):
    index = (site / "laws" / "index.html").read_text("utf-8")
    assert 'href="for/village/"' in index and 'href="topics/anti-fraud/"' in index
    page = (site / "laws" / "topics" / "anti-fraud" / "index.html").read_text("utf-8")
    assert "反电信网络诈骗法" in page and "未成年人保护法" not in page.split("按宣讲对象")[0]


def test_print_stylesheet(site):
    css = (site / "assets" / "pufa" / "pufa.css").read_text("utf-8")
    block = css[css.index("@media print"):]
    assert "size: A4" in css
    for hidden in (".md-header", ".md-sidebar", ".md-footer"):
        assert hidden in block
    assert 'content: "（" attr(href) "）"' in block and "break-before: page" in block


@pytest.mark.parametrize("src, route", [
    ("images/a.jpg", "laws/x/images/a.jpg"), ("../../assets/images/b.png", "assets/images/b.png"),
    ("https://evil.example/p.png", None), ("//evil.example/p.png", None), ("data:image/png;base64,AAAA", None),
    ("javascript:alert(1)", None), ("../../../../secret.png", None), ("", None)])
def test_only_the_sites_own_files_are_read_into_packs_and_slides(src, route):
    assert urls.own_route("laws/x/", src) == route
