"""An editor's first day: a green check means a good build, and every mistake is named at its line.

Each case writes what an editor would write into a fresh county site and asserts the exact file, line, code
and the gist of the Chinese message `pufa check` gives (in-process, fast). The builds at the end prove the
other half of "one truth": every tree the check accepts builds, with `mkdocs build` and with `pufa build`.
"""

from __future__ import annotations

import io
import os
import random
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT, check, make_site

LAW = """---
title: {title}
slug: {slug}
summary: 这是一个用于测试的示例法律专题，不是真实内容，十个字以上。
law:
  name: {name}
  short_name: 示例法
  adopted: 2020-05-28
  effective: 2021-01-01
{extra}  source_url: https://flk.npc.gov.cn/
  to_verify: [chapters, articles]
audiences: [学校, 社区]
topics: [民法典]
published: 2026-11-26
{front}---

## 要点

正文。

## 继承

正文。
"""
EVENT = """---
title: 示例活动
slug: {slug}
summary: 这是一个用于测试的示例活动，不是真实活动。
kind: local
start: 2027-03-01
venue: 示例地点
organiser: 示例县司法局
audiences: [学校]
{front}published: 2026-11-26
---

{body}
"""
PLACE = """---
title: 示例阵地
slug: {slug}
kind: 法治文化长廊
address: 示例县示例路
{front}source: 示例，仅用于测试
published: 2026-11-26
---

正文。
"""


def law(slug="civil-code", name="中华人民共和国民法典", extra="", front="", title="民法典：示例专题") -> str:
    return LAW.format(slug=slug, name=name, extra=extra, front=front, title=title)


def at(problems, path: str, code: str) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in problems if p.path == path and p.code == code]


def errors(problems) -> list[str]:
    return [p.format() for p in problems if p.is_error]


# --- laws as they really are -------------------------------------------------------------------------


def test_the_civil_code_with_parts_and_84_chapters_is_accepted(site_root):
    (site_root / "docs" / "laws" / "civil-code.md").write_text(
        law(extra="  parts: 7\n  chapters: 84\n  articles: 1260\n"), "utf-8")
    assert errors(check(site_root)) == []


@pytest.mark.parametrize("name, warned", [
    ("反分裂国家法", False),  # its official name has no 中华人民共和国
    ("中华人民共和国政府信息公开条例", False),
    ("某省法治宣传教育条例", False),  # local regulations are not national laws
    ("全国人民代表大会常务委员会关于开展第八个五年法治宣传教育的决议", None),  # 决议 is not a law name ending
    ("示例保护法", True),
])
def test_law_names_follow_the_official_forms(site_root, name, warned):
    (site_root / "docs" / "laws" / "demo.md").write_text(law(slug="demo", name=name), "utf-8")
    found = check(site_root)
    if warned is None:
        assert at(found, "docs/laws/demo.md", "pattern") and "法典" in at(found, "docs/laws/demo.md", "pattern")[0][1]
    else:
        assert bool(at(found, "docs/laws/demo.md", "law-name-prefix")) is warned
        assert errors(found) == []


def test_a_broken_law_is_reported_once_not_on_every_file_that_names_it(site_root):
    docs = site_root / "docs"
    (docs / "laws" / "civil-code.md").write_text(law(extra="  chapters: many\n"), "utf-8")  # a schema error
    (docs / "events" / "code-month.md").write_text(EVENT.format(slug="code-month", front="laws: [civil-code]\n",
                                                                 body="正文。"), "utf-8")
    found = check(site_root)
    assert at(found, "docs/laws/civil-code.md", "wrong-type")
    assert not [p for p in found if p.path == "docs/events/code-month.md" and p.is_error]


def test_a_file_that_cannot_be_read_is_named_not_a_traceback(site_root, monkeypatch):
    """A file the checkout left unreadable (permissions, a sync tool's lock) is one problem on that file."""
    target = site_root / "docs" / "laws" / "civil-code.md"
    target.write_text(law(), "utf-8")
    real = Path.read_bytes

    def read_bytes(self):  # root reads anything, so the refusal is simulated rather than made with chmod
        if self == target:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    found = check(site_root)
    assert at(found, "docs/laws/civil-code.md", "unreadable")
    assert [p.code for p in found if p.path == "docs/laws/civil-code.md"] == ["unreadable"]


# --- pufa new, and the 民法典 topic an editor adds on day one ---------------------------------------------


def pufa(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pufa.cli", *args], cwd=root, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def fill(path: Path, values: dict[str, str]) -> None:
    """Replace the 待填写 placeholders in values the way an editor does, never touching a comment line."""
    lines = path.read_text("utf-8").split("\n")
    end = lines.index("---", 1)
    comment = lambda n, line: n < end and line.lstrip().startswith("#")  # noqa: E731
    comments = [line for n, line in enumerate(lines) if comment(n, line)]
    out = []
    for n, line in enumerate(lines):
        if not comment(n, line) and "待填写" in line:
            key = line.split(":", 1)[0].strip(" -") if ":" in line else ""
            value = values.get(key, values.get("*"))
            line = re.sub(r"待填写[^#\n]*?(?=\s+#|$)", value, line) if "#" in line else re.sub(r"待填写.*$", value, line)
        out.append(line)
    text = "\n".join(out).replace("draft: true ", "draft: false").replace("draft: true\n", "draft: false\n")
    path.write_text(text, "utf-8")
    assert [line for n, line in enumerate(text.split("\n")) if comment(n, line)] == comments


def test_a_civil_code_topic_with_a_lecture_and_an_event_is_added_with_pufa_new(site_root):
    for args in (("new", "law", "civil-code"), ("new", "lecture", "civil-code", "社区"), ("new", "event", "civil-code-talk")):
        result = pufa(site_root, *args)
        assert result.returncode == 0, result.stderr
    docs = site_root / "docs"
    draft_problems = check(site_root)
    assert not errors(draft_problems)  # a fresh draft has warnings for its blanks, no errors
    assert at(draft_problems, "docs/laws/civil-code.md", "placeholder-draft")
    fill(docs / "laws" / "civil-code.md", {"title": "民法典：示例专题", "summary": "这是一个用于测试的民法典示例专题，不是真实内容。",
                                           "name": "中华人民共和国民法典", "short_name": "民法典",
                                           "adopted_by": "第十三届全国人民代表大会第三次会议", "*": "示例正文。"})
    fill(docs / "laws" / "civil-code" / "community.md", {"title": "民法典进社区（示例）",
                                                         "summary": "这是一篇用于测试的示例讲稿，不是真实讲稿。", "*": "示例提纲"})
    fill(docs / "events" / "civil-code-talk.md", {"title": "民法典宣讲（示例）", "summary": "这是一个用于测试的示例活动，不是真实活动。",
                                                  "venue": "示例地点", "*": "示例正文。"})
    event = docs / "events" / "civil-code-talk.md"
    event.write_text(event.read_text("utf-8").replace("laws: []", "laws: [civil-code]"), "utf-8")
    found = check(site_root)
    assert errors(found) == []
    assert not [p for p in found if p.code.startswith("placeholder")]
    built = pufa(site_root, "build")
    assert built.returncode == 0, built.stderr[-3000:]
    page = (site_root / "site" / "laws" / "civil-code" / "index.html").read_text("utf-8")
    assert "民法典宣讲（示例）" in page and "民法典进社区（示例）" in page


def test_pufa_new_lecture_needs_an_existing_topic_and_a_known_audience(site_root):
    assert pufa(site_root, "new", "lecture", "nothing", "学校").returncode == 1
    (site_root / "docs" / "laws" / "civil-code.md").write_text(law(), "utf-8")
    assert pufa(site_root, "new", "lecture", "civil-code", "医院").returncode == 2
    assert pufa(site_root, "new", "lecture", "civil-code", "学校").returncode == 0
    assert (site_root / "docs" / "laws" / "civil-code" / "school.md").is_file()


# --- what the build would refuse, the check reports first ------------------------------------------------


def links_site(root: Path) -> None:
    docs = root / "docs"
    (docs / "laws" / "civil-code.md").write_text(law(), "utf-8")
    (docs / "laws" / "draft-law.md").write_text(law(slug="draft-law", front="draft: true\n"), "utf-8")
    body = ("[没写 .md](../../laws/civil-code/)\n\n[断开的小节](../laws/civil-code.md#没有这一节)\n\n"
            "[草稿](../laws/draft-law.md)\n\n[不存在](../laws/nothing.md)\n\n[绝对路径](/laws/civil-code/)\n")
    (docs / "events" / "links.md").write_text(EVENT.format(slug="links", front="laws: [draft-law]\n", body=body), "utf-8")
    (docs / "parks" / "park.md").write_text(PLACE.format(slug="park", front=""), "utf-8")
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text("utf-8").replace("  - 关于本站: about.md\n",
                                                        "  - 关于本站: about.md\n  - 不存在: nothing.md\n"), "utf-8")
    (docs / "laws" / "README.md").write_text("# 说明\n", "utf-8")
    mkdocs.write_text(mkdocs.read_text("utf-8") + "unknown_setting: 1\n", "utf-8")


def test_every_mkdocs_strict_mode_warning_is_reported_by_pufa_check_in_chinese_at_its_line(site_root):
    links_site(site_root)
    found = check(site_root)
    path = "docs/events/links.md"
    assert at(found, path, "link-not-md")[0][0] == 14
    assert at(found, path, "missing-anchor")[0][0] == 16
    assert [line for line, _ in at(found, path, "draft-target")] == [10, 18]  # front matter and body
    assert "草稿" in at(found, path, "draft-target")[0][1]
    assert at(found, path, "missing-file")[0][0] == 20
    assert at(found, path, "absolute-link")[0][0] == 22
    assert at(found, "mkdocs.yml", "nav-missing")
    assert at(found, "docs/laws/README.md", "readme-conflict")
    assert [line for line, _ in at(found, "mkdocs.yml", "mkdocs") if True]
    for p in found:
        assert re.search(r"[\u4e00-\u9fff]", p.message), p.format()


def test_mkdocs_build_fails_on_broken_links_even_when_quiet(site_root):
    links_site(site_root)
    mkdocs = site_root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text("utf-8").replace("unknown_setting: 1\n", "").replace("  - 不存在: nothing.md\n", ""),
                      "utf-8")
    (site_root / "docs" / "laws" / "README.md").unlink()
    quiet = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site_root / "out")], cwd=site_root,
                           capture_output=True, text=True, timeout=600)
    assert quiet.returncode != 0
    assert "docs/events/links.md:" in quiet.stderr and "错误：" in quiet.stderr


# --- section homes, Word paste, coordinates -------------------------------------------------------------


def test_section_and_home_pages_are_validated(site_root):
    docs = site_root / "docs"
    index = docs / "laws" / "index.md"
    index.write_text(index.read_text("utf-8").replace("title: 法律专题", "titel: 法律专题\ntemplte: laws-index.html"), "utf-8")
    home = docs / "index.md"
    home.write_text(home.read_text("utf-8").replace("<!-- pufa:sections -->\n", ""), "utf-8")
    found = check(site_root)
    unknown = at(found, "docs/laws/index.md", "unknown-key")
    assert {line for line, _ in unknown} == {2, 3} and any("template" in m for _, m in unknown)
    assert at(found, "docs/laws/index.md", "missing-key")  # the title
    assert at(found, "docs/index.md", "sections-marker")
    home.write_text(home.read_text("utf-8").replace("title:", "template: main.html\ntitle:"), "utf-8")
    assert at(check(site_root), "docs/index.md", "section-template")


def test_a_home_page_without_its_template_line_still_shows_its_sections(site_root):
    home = site_root / "docs" / "index.md"
    home.write_text(home.read_text("utf-8").replace("title:", "# 这一行模板名被删掉也没关系\ntitle:"), "utf-8")
    built = pufa(site_root, "build")
    assert built.returncode == 0, built.stderr[-2000:]
    assert "近期法治宣传日和活动" in (site_root / "site" / "index.html").read_text("utf-8")


@pytest.mark.parametrize("line, code, gist", [
    ("venue:\u00a0示例地点", "odd-space", "不换行空格"),
    ("venue:\u3000示例地点", "odd-space", "全角空格"),
    ("venue: “示例地点”", "curly-quotes", "英文引号"),
])
def test_word_paste_in_front_matter_is_named_on_its_own_line(site_root, line, code, gist):
    text = EVENT.format(slug="paste", front="", body="正文。").replace("venue: 示例地点", line)
    (site_root / "docs" / "events" / "paste.md").write_text(text, "utf-8")
    found = at(check(site_root), "docs/events/paste.md", code)
    assert found and found[0][0] == 7 and gist in found[0][1]


@pytest.mark.parametrize("body, code, gist", [
    ("• 第一条\n• 第二条", "pasted-bullet", "- 第一条"),
    ("防范\u200b诈骗", "invisible-char", "零宽空格"),
    ("诈\u00ad骗", "invisible-char", "软连字符"),
    ("第一行\x0b第二行", "control-char", "Shift+Enter"),
])
def test_word_paste_in_the_body_is_named_with_the_fix(site_root, body, code, gist):
    (site_root / "docs" / "events" / "paste.md").write_text(EVENT.format(slug="paste", front="", body=body), "utf-8")
    found = at(check(site_root), "docs/events/paste.md", code)
    assert found and found[0][0] == 13 and gist in found[0][1]


def test_an_unclosed_bracket_is_reported_on_the_line_that_opened_it(site_root):
    text = EVENT.format(slug="bracket", front="", body="正文。").replace("audiences: [学校]", "audiences: [学校, 社区")
    (site_root / "docs" / "events" / "bracket.md").write_text(text, "utf-8")
    found = at(check(site_root), "docs/events/bracket.md", "yaml-syntax")
    assert found[0][0] == 9 and "方括号" in found[0][1]


@pytest.mark.parametrize("location, ok", [
    ("  lat: 32.130000\n  lon: 112.750000\n  crs: gcj02\n", True),  # YAML would drop the zeros: counted as written
    ("  lat: 32.1300\n  lon: 112.7512\n  crs: gcj02\n", True),
    ("  lat: 32.13\n  lon: 112.75\n  crs: gcj02\n", False),
])
def test_coordinate_decimals_are_counted_as_written(site_root, location, ok):
    (site_root / "docs" / "parks" / "p.md").write_text(PLACE.format(slug="p", front="location:\n" + location), "utf-8")
    found = at(check(site_root), "docs/parks/p.md", "location-precision")
    assert (found == []) is ok
    if not ok:
        assert "4 位小数" in found[0][1]


def test_the_place_template_example_passes(site_root):
    assert pufa(site_root, "new", "place", "demo").returncode == 0
    path = site_root / "docs" / "parks" / "demo.md"
    text = path.read_text("utf-8").replace("# location:", "location:").replace("#   lat:", "  lat:") \
        .replace("#   lon:", "  lon:").replace("#   crs:", "  crs:")
    path.write_text(text, "utf-8")
    found = check(site_root)
    assert not at(found, "docs/parks/demo.md", "location") and not at(found, "docs/parks/demo.md", "location-precision")


def test_a_pasted_amap_pair_becomes_the_exact_lines_to_write(site_root):
    (site_root / "docs" / "parks" / "p.md").write_text(PLACE.format(slug="p", front="location: 112.765432,32.123456\n"), "utf-8")
    found = at(check(site_root), "docs/parks/p.md", "pasted-location")
    assert found[0][0] == 6 and "lat: 32.123456" in found[0][1] and "lon: 112.765432" in found[0][1]


def jpeg_taken_at(lat: float, lon: float) -> bytes:
    def dms(value):
        d = int(value)
        m = int((value - d) * 60)
        return (float(d), float(m), round(((value - d) * 60 - m) * 60, 4))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: dms(lat), 3: "E", 4: dms(lon)}
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (90, 120, 160)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_baidu_coordinates_labelled_gcj02_are_caught_by_the_photos_gps(site_root):
    from pufa.places.geo import gcj02_to_bd09, to_gcj02
    taken = (32.1200, 112.7600)  # WGS-84, as the phone records it
    gcj = to_gcj02(lat=taken[0], lon=taken[1])
    bd = gcj02_to_bd09(lat=gcj[0], lon=gcj[1])
    (site_root / "docs" / "parks" / "images").mkdir(exist_ok=True)
    (site_root / "docs" / "parks" / "images" / "p-1.jpg").write_bytes(jpeg_taken_at(*taken))
    front = (f"location:\n  lat: {bd[0]:.6f}\n  lon: {bd[1]:.6f}\n  crs: gcj02\n"
             "photos:\n  - {src: images/p-1.jpg, alt: 长廊入口的宣传栏}\n")
    (site_root / "docs" / "parks" / "p.md").write_text(PLACE.format(slug="p", front=front), "utf-8")
    found = at(check(site_root), "docs/parks/p.md", "location-photo")
    assert found and "crs: bd09" in found[0][1]


def test_a_duplicate_slug_is_reported_on_the_newer_file_naming_both(site_root):
    docs = site_root / "docs"
    (docs / "events" / "a-old.md").write_text(EVENT.format(slug="same", front="", body="正文。")
                                               .replace("published: 2026-11-26", "published: 2025-01-01"), "utf-8")
    (docs / "events" / "z-new.md").write_text(EVENT.format(slug="same", front="", body="正文。"), "utf-8")
    found = check(site_root)
    assert not at(found, "docs/events/a-old.md", "duplicate-slug")
    message = at(found, "docs/events/z-new.md", "duplicate-slug")[0][1]
    assert "docs/events/a-old.md" in message and "新的网址名" in message


def test_image_names_with_spaces_and_capitals(site_root):
    docs = site_root / "docs"
    (docs / "parks" / "images").mkdir(exist_ok=True)
    Image.new("RGB", (800, 600)).save(docs / "parks" / "images" / "IMG_1234.JPG", quality=80)
    front = "photos:\n  - {src: images/IMG_1234.JPG, alt: 长廊入口的宣传栏}\n"
    body_page = PLACE.format(slug="p", front=front).replace("正文。", "![长廊照片](images/长廊 照片 2.jpg)")
    (docs / "parks" / "p.md").write_text(body_page, "utf-8")
    found = check(site_root)
    assert not at(found, "docs/parks/p.md", "pattern")
    spaced = at(found, "docs/parks/p.md", "image-path-space")
    assert spaced and "(<images/长廊 照片 2.jpg>)" in spaced[0][1]


def test_one_size_advice_everywhere():
    sources = "\n".join(p.read_text("utf-8") for p in (ROOT / "src" / "pufa").rglob("*.py"))
    sources += (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    assert "4000 像素" in sources or "4000} 像素" in sources
    assert not re.search(r"(3000|6000) 像素", sources)


def test_a_fifth_monday_of_february_is_flagged_for_the_years_it_does_not_exist(site_root):
    text = """---
title: 示例宣传日
slug: odd-day
summary: 这是一个用于测试的示例宣传日，不是真实的宣传日。
kind: observance
rule: {type: weekday, month: 2, weekday: 星期一, ordinal: 5}
source_url: https://www.gov.cn/
published: 2026-11-26
---

正文。
"""
    (site_root / "docs" / "events" / "odd-day.md").write_text(text, "utf-8")
    found = at(check(site_root), "docs/events/odd-day.md", "rule-some-years")
    assert found and found[0][0] == 6 and "2027" in found[0][1]


# --- keeping the calendar current ------------------------------------------------------------------------


def test_announced_dates_that_are_due_or_missed_are_named_and_the_pages_say_so(tmp_path):
    """On 2026-12-02 the 宪法宣传周 is under way in its usual window and 网络安全宣传周's has passed."""
    site_root = make_site(tmp_path / "s")
    found = check(site_root)
    due = at(found, "pufa/pack/events/constitution-week.md", "announced-due")
    missed = at(found, "pufa/pack/events/cybersecurity-week.md", "announced-missed")
    assert due and "12月1日" in due[0][1] and "2026" in due[0][1]
    assert missed and "今年的日期未录入" in missed[0][1]
    built = pufa(site_root, "build")
    assert built.returncode == 0, built.stderr[-2000:]
    calendar = (site_root / "site" / "events" / "index.html").read_text("utf-8")
    assert "今年的日期尚未公布" in calendar and "今年的日期未录入" in calendar


# --- every tree the check accepts builds ---------------------------------------------------------------


def tree_with_everything(root: Path) -> None:
    docs = root / "docs"
    (docs / "laws" / "civil-code.md").write_text(law(extra="  parts: 7\n  chapters: 84\n  articles: 1260\n"), "utf-8")
    body = "[专题](../laws/civil-code.md) 和 [小节](../laws/civil-code.md#继承)，[日历](index.md)。\n\n![现场](event.jpg)\n"
    Image.new("RGB", (900, 600), (200, 60, 60)).save(docs / "events" / "event.jpg", quality=80)
    (docs / "events" / "talk.md").write_text(EVENT.format(slug="talk", front="laws: [civil-code]\n", body=body), "utf-8")
    (docs / "events" / "draft-talk.md").write_text(EVENT.format(slug="draft-talk", front="draft: true\n",
                                                                 body="[草稿](talk.md)"), "utf-8")
    (docs / "parks" / "park.md").write_text(PLACE.format(slug="park", front="laws: [civil-code]\n"), "utf-8")
    (docs / "laws" / "leaflet.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")


def tree_without_the_pack(root: Path) -> None:
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text("utf-8").replace("  - pufa\n", "  - pufa:\n      national_pack: false\n"), "utf-8")


def tree_with_exclusions_and_an_override(root: Path) -> None:
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text("utf-8").replace("  - pufa\n", "  - pufa:\n      pack_exclude: [police-day]\n"),
                      "utf-8")
    pack = ROOT / "src" / "pufa" / "pack" / "events" / "constitution-day.md"
    own = re.sub(r"^laws: .*\n", "", pack.read_text("utf-8"), flags=re.M)  # this site has no 宪法 topic yet
    (root / "docs" / "events" / "constitution-day.md").write_text(own + "\n本地的宣传安排另见通知。\n", "utf-8")


@pytest.mark.parametrize("make", [tree_with_everything, tree_without_the_pack, tree_with_exclusions_and_an_override],
                         ids=lambda f: f.__name__)
def test_every_tree_the_check_accepts_builds(tmp_path, make):
    root = make_site(tmp_path / "s")
    make(root)
    assert errors(check(root)) == []
    built = pufa(root, "build")
    assert built.returncode == 0, built.stderr[-3000:]
    plain = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "plain")], cwd=root,
                           capture_output=True, text=True, timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert plain.returncode == 0, plain.stderr[-3000:]
    if make is tree_with_exclusions_and_an_override:
        assert not (root / "site" / "events" / "police-day").exists()
        assert "本地的宣传安排另见通知" in (root / "site" / "events" / "constitution-day" / "index.html").read_text("utf-8")


# --- pufa serve ---------------------------------------------------------------------------------------------


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError("condition not met in time")


# When the suite runs under `faketime` (to prove it does not depend on the real date), libfaketime shifts the
# monotonic clock too, and glibc's timed waits then never time out: MkDocs' file watcher would hang. A
# monotonic clock carries no date, so the preview server keeps the real one; its date is still the faked one.
SERVE_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "FAKETIME_DONT_FAKE_MONOTONIC": "1"}


def test_pufa_serve_prints_its_address_and_shows_pufas_messages_instead_of_hanging(site_root):
    for attempt in range(5):  # a port another process holds is simply tried again with another
        port = random.randint(20000, 45000)
        server = subprocess.Popen([sys.executable, "-m", "pufa.cli", "serve", "-a", f"127.0.0.1:{port}"], cwd=site_root,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=SERVE_ENV)
        lines: list[str] = []
        while True:
            line = server.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "本地预览地址" in line or "Address already in use" in line:
                break
        if any("本地预览地址" in line for line in lines):
            break
        server.kill()
    else:
        pytest.fail("pufa serve did not start")
    import threading
    threading.Thread(target=lambda: [lines.append(line) for line in server.stdout], daemon=True).start()  # keep its pipe drained
    try:
        assert f"http://127.0.0.1:{port}/" in "".join(lines)
        status, _ = fetch(f"http://127.0.0.1:{port}/")
        assert status == 200
        page = site_root / "docs" / "events" / "broken.md"
        page.write_text(EVENT.format(slug="broken", front="", body="正文。").replace("venue: 示例地点", "venue：示例地点"),
                        "utf-8")
        wait_for(lambda: fetch(f"http://127.0.0.1:{port}/")[0] == 500)
        status, text = fetch(f"http://127.0.0.1:{port}/events/")
        assert status == 500 and "docs/events/broken.md:7" in text and "中文冒号" in text
        page.unlink()
        wait_for(lambda: fetch(f"http://127.0.0.1:{port}/")[0] == 200)  # fixed: the preview comes back
    finally:
        server.terminate()
        server.wait(timeout=30)
