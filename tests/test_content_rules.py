"""Every content rule, with the exact file, line and code and the message an editor reads: each case is a
file in a fresh county site (the `site_root` fixture), checked in-process as `pufa check` checks it."""

from __future__ import annotations

import textwrap

from conftest import check
from pufa.content import load

LAW = """\
---
title: 反电信网络诈骗法
slug: anti-fraud
summary: 电信网络诈骗是什么、怎样防范、被骗了怎么办，一页讲清楚。
law:
  name: 中华人民共和国反电信网络诈骗法
  short_name: 反电信网络诈骗法
  adopted: 2022-09-02
  effective: 2022-12-01
  chapters: 7
  articles: 50
  source_url: https://flk.npc.gov.cn/
audiences: [学校, 社区]
topics: [反诈]
published: 2026-11-26
---

## 要点

正文。
"""

PLACE = """\
---
title: 宪法文化公园
slug: park
kind: 法治文化公园
address: 枣阳市沿河路
source: 《枣阳市2023年法治政府建设年度报告》
published: 2026-11-26
---

介绍。
"""

EVENT = """\
---
title: 全民国家安全教育日
slug: national-security-day
summary: 每年4月15日是全民国家安全教育日，依据是国家安全法第十四条。
kind: observance
rule: {type: fixed, month: 4, day: 15}
source_url: https://www.gov.cn/
laws: [anti-fraud]
published: 2026-11-26
---

正文。
"""


def write(docs, rel: str, text: str | bytes):
    path = docs / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems_for(docs, rel: str, text, *, others: dict | None = None):
    """(path, line, code, message) of every problem `pufa check` reports on docs/<rel> once it holds `text`."""
    if rel != "laws/anti-fraud.md":
        write(docs, "laws/anti-fraud.md", LAW)  # the topic other files refer to
    for other_rel, other_text in (others or {}).items():
        write(docs, other_rel, other_text)
    write(docs, rel, text)
    return [(p.path, p.line, p.code, p.message) for p in check(docs.parent) if p.path == f"docs/{rel}"]


def only(problems):
    assert len(problems) == 1, problems
    return problems[0]


def test_valid_files_have_no_problems(docs):
    write(docs, "laws/anti-fraud.md", LAW)
    write(docs, "parks/park.md", PLACE)
    write(docs, "events/day.md", EVENT)
    assert [p for p in check(docs.parent) if p.path.startswith("docs/")] == []
    content = load(docs).content
    assert [r.slug for r in content.laws] == ["anti-fraud"]
    assert content.laws[0].law.adopted.isoformat() == "2022-09-02"
    assert content.event("national-security-day").rule.month == 4 and content.places[0].address == "枣阳市沿河路"


def test_yaml_syntax_error_names_the_line_and_the_fix(docs):
    text = PLACE.replace("address: 枣阳市沿河路", "address: 枣阳市: 沿河路")
    path, line, code, message = only(problems_for(docs, "parks/park.md", text))
    assert (line, code) == (5, "yaml-syntax")
    assert "英文引号" in message


def test_unknown_key_suggests_the_near_miss(docs):
    text = PLACE.replace("address:", "adress:")
    found = problems_for(docs, "parks/park.md", text)
    unknown = [p for p in found if p[2] == "unknown-key"]
    assert unknown[0][1] == 5
    assert "没有 adress 这个字段" in unknown[0][3] and "是不是想写 address" in unknown[0][3]
    assert any(p[2] == "missing-key" and "address" in p[3] for p in found)


def test_missing_required_key_points_at_the_front_matter(docs):
    text = PLACE.replace("source: 《枣阳市2023年法治政府建设年度报告》\n", "")
    path, line, code, message = only(problems_for(docs, "parks/park.md", text))
    assert (line, code) == (1, "missing-key")
    assert message.startswith("缺少必填字段 source（信息来源）")


def test_missing_nested_key_points_at_its_parent(docs):
    text = LAW.replace("  effective: 2022-12-01\n", "")
    path, line, code, message = only(problems_for(docs, "laws/anti-fraud.md", text))
    assert (line, code) == (5, "missing-key")
    assert "law（法律基本信息） 里缺少必填字段 effective（施行日期）" in message


def test_wrong_type(docs):
    text = LAW.replace("chapters: 7", "chapters: 七章")
    path, line, code, message = only(problems_for(docs, "laws/anti-fraud.md", text))
    assert (line, code) == (10, "wrong-type")
    assert message.startswith("law.chapters（章数） 应当是整数，现在写的是文字“七章”")


def test_impossible_date(docs):
    text = LAW.replace("published: 2026-11-26", "published: 2026-02-30")
    path, line, code, message = only(problems_for(docs, "laws/anti-fraud.md", text))
    assert (line, code) == (15, "bad-date")
    assert "2026 年 2 月只有 28 天" in message


def test_badly_formatted_date(docs):
    text = LAW.replace("published: 2026-11-26", "published: 2026年11月26日")
    path, line, code, message = only(problems_for(docs, "laws/anti-fraud.md", text))
    assert line == 15 and "请写成 2026-03-08 这样" in message


def test_end_before_start_for_a_local_event(docs):
    text = textwrap.dedent("""\
        ---
        title: 法律进学校讲座
        slug: school-talk
        summary: 在学校开展未成年人保护法宣讲，面向初中学生和老师。
        kind: local
        start: 2027-03-29 09:30
        end: 2027-03-29 08:00
        venue: 枣阳市某中学
        organiser: 枣阳市司法局
        audiences: [学校]
        published: 2026-11-26
        ---
        """)
    path, line, code, message = only(problems_for(docs, "events/school-talk.md", text))
    assert (line, code) == (7, "end-before-start")
    assert "早于开始时间" in message


def test_end_before_start_in_an_announced_range(docs):
    text = EVENT.replace("rule: {type: fixed, month: 4, day: 15}", textwrap.dedent("""\
        rule: {type: announced}
        announced:
          - year: 2026
            start: 2026-09-21
            end: 2026-09-15
            source_url: https://www.gov.cn/"""))
    found = problems_for(docs, "events/day.md", text)
    path, line, code, message = only(found)
    assert (line, code) == (10, "end-before-start")


def test_over_long_field(docs):
    text = LAW.replace("summary: 电信网络诈骗是什么、怎样防范、被骗了怎么办，一页讲清楚。", "summary: " + "很" * 121)
    path, line, code, message = only(problems_for(docs, "laws/anti-fraud.md", text))
    assert (line, code) == (4, "too-long")
    assert message.startswith("summary（摘要） 最多 120 个字，现在是 121 个字")


def test_value_outside_controlled_list(docs):
    text = LAW.replace("audiences: [学校, 社区]", "audiences: [学校, 医院]")
    path, line, code, message = only(problems_for(docs, "laws/anti-fraud.md", text))
    assert (line, code) == (13, "not-in-list")
    assert "不能写“医院”" in message and "机关、学校、企业、社区、乡村、单位" in message


def test_town_must_come_from_the_countys_list(docs):
    # The test county's county.yml lists 城关镇, 河东镇, 示例街道.
    assert problems_for(docs, "parks/park.md", PLACE.replace("address:", "town: 河东镇\naddress:")) == []
    text = PLACE.replace("address:", "town: 南城街道\naddress:")
    path, line, code, message = only(problems_for(docs, "parks/park.md", text))
    assert (line, code) == (5, "not-in-list") and "城关镇" in message


def test_duplicate_slugs(docs):
    found = problems_for(docs, "parks/park.md", PLACE.replace("slug: park", "slug: anti-fraud"))
    path, line, code, message = only(found)
    assert (line, code) == (3, "duplicate-slug")
    assert "已被 docs/laws/anti-fraud.md 使用" in message


def test_slug_must_be_ascii(docs):
    path, line, code, message = only(problems_for(docs, "parks/park.md", PLACE.replace("slug: park", "slug: 宪法公园")))
    assert (line, code) == (3, "pattern")
    assert "只能用小写英文字母" in message


def test_gbk_file_is_named_as_such(docs):
    path, line, code, message = only(problems_for(docs, "parks/park.md", PLACE.encode("gbk")))
    assert code == "encoding" and "GBK" in message and "UTF-8" in message


def test_utf8_bom(docs):
    found = problems_for(docs, "parks/park.md", "\ufeff" + PLACE)
    path, line, code, message = only(found)
    assert (line, code) == (1, "bom") and "BOM" in message


def test_tab_indentation(docs):
    text = LAW.replace("  short_name:", "\tshort_name:")
    path, line, code, message = only(problems_for(docs, "laws/anti-fraud.md", text))
    assert (line, code) == (7, "tab") and "Tab" in message


def test_fullwidth_colon(docs):
    text = PLACE.replace("address: 枣阳市沿河路", "address：枣阳市沿河路")
    found = problems_for(docs, "parks/park.md", text)
    assert found[0][1:3] == (5, "fullwidth-colon")
    assert "中文冒号" in found[0][3]


def test_yaml_anchor_and_alias_are_refused(docs):
    text = PLACE.replace("address: 枣阳市沿河路", "address: &a 枣阳市沿河路\nhours: *a")
    found = problems_for(docs, "parks/park.md", text)
    assert [(p[1], p[2]) for p in found] == [(5, "yaml-alias"), (6, "yaml-alias")]


def test_billion_laughs_is_refused_without_expanding(docs):
    bomb = "\n".join([f'l{i}: &l{i} [' + ",".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 10)])
    text = "---\nl0: &l0 [lol]\n" + bomb + "\n---\n"
    found = problems_for(docs, "parks/park.md", text)
    assert found and all(p[2] == "yaml-alias" for p in found)


def test_deep_nesting_is_refused(docs):
    text = "---\ntitle: " + "[" * 40 + "]" * 40 + "\n---\n"
    found = problems_for(docs, "parks/park.md", text)
    assert any(p[2] == "yaml-depth" for p in found)


def test_duplicate_key(docs):
    text = PLACE.replace("address: 枣阳市沿河路", "address: 枣阳市沿河路\naddress: 沿河路")
    path, line, code, message = only(problems_for(docs, "parks/park.md", text))
    assert (line, code) == (6, "duplicate-key") and "第一次在第 5 行" in message


def test_missing_image_in_front_matter(docs):
    text = PLACE.replace("address:", "photos:\n  - src: images/nope.jpg\n    alt: 公园入口的宪法宣传栏\naddress:")
    path, line, code, message = only(problems_for(docs, "parks/park.md", text))
    assert (line, code) == (6, "missing-file") and "images/nope.jpg" in message


def test_missing_link_and_image_in_body(docs):
    text = PLACE + "\n见[另一页](other.md)和![图](images/x.png)。\n\n```\n[代码里的](不检查.md)\n```\n"
    found = problems_for(docs, "parks/park.md", text)
    assert [(p[1], p[2]) for p in found] == [(12, "missing-file"), (12, "missing-file")]


def test_link_out_of_docs_is_refused(docs):
    text = PLACE + "\n[密钥](../../secrets.md)\n"
    path, line, code, message = only(problems_for(docs, "parks/park.md", text))
    assert (line, code) == (12, "unsafe-path") and "docs" in message


def test_image_without_alt_text(docs):
    (docs / "parks" / "images").mkdir(exist_ok=True)
    from PIL import Image
    Image.new("RGB", (40, 30), "red").save(docs / "parks" / "images" / "a.png")
    # Raw HTML is not rewritten by MkDocs: its path is relative to the page's address, parks/park/.
    text = PLACE + "\n![](images/a.png)\n\n![公园入口](images/a.png)\n\n<img src=\"../images/a.png\">\n"
    found = problems_for(docs, "parks/park.md", text)
    assert [(p[1], p[2]) for p in found] == [(12, "missing-alt"), (16, "missing-alt")]
    assert "替代文字" in found[0][3]


def test_reference_to_unknown_law_topic(docs):
    found = problems_for(docs, "events/day.md", EVENT.replace("laws: [anti-fraud]", "laws: [anti-fraud, no-such-law]"))
    path, line, code, message = only(found)
    assert (line, code) == (8, "missing-page") and "no-such-law" in message


def test_rule_needs_its_parameters(docs):
    text = EVENT.replace("rule: {type: fixed, month: 4, day: 15}", "rule: {type: weekday, month: 3, weekday: 星期一}")
    path, line, code, message = only(problems_for(docs, "events/day.md", text))
    assert (line, code) == (6, "missing-key") and "ordinal" in message


def test_start_and_end_both_dates_or_both_times(docs):
    text = textwrap.dedent("""\
        ---
        title: 法律进学校讲座
        slug: school-talk
        summary: 在学校开展未成年人保护法宣讲，面向初中学生和老师。
        kind: local
        start: 2027-03-29 09:30
        end: 2027-03-30
        venue: 枣阳市某中学
        organiser: 枣阳市司法局
        audiences: [学校]
        published: 2026-11-26
        ---
        """)
    path, line, code, message = only(problems_for(docs, "events/school-talk.md", text))
    assert (line, code) == (7, "mixed-dates") and "时:分" in message


def test_impossible_fixed_day(docs):
    text = EVENT.replace("day: 15}", "day: 31}")
    path, line, code, message = only(problems_for(docs, "events/day.md", text))
    assert (line, code) == (6, "bad-date") and "4 月没有 31 日" in message


def test_lecture_must_match_its_folder_and_name(docs):
    lecture = textwrap.dedent("""\
        ---
        title: 守护好自己的钱袋子
        topic: anti-fraud
        audience: 社区
        summary: 面向社区居民的反诈宣讲，讲清常见骗局和求助渠道。
        minutes: 18
        outline: [常见骗局, 怎样识别, 被骗了怎么办]
        questions: [你接到过可疑电话吗？, 遇到刷单怎么办？, 家里老人怎么防骗？]
        published: 2026-11-26
        ---

        ## 讲稿

        """) + "今天和大家聊聊怎样识别电信网络诈骗。" * 150 + "\n"
    assert problems_for(docs, "laws/anti-fraud/community.md", lecture) == []
    path, line, code, message = only(problems_for(docs, "laws/anti-fraud/school.md", lecture))
    assert (line, code) == (4, "lecture-audience")


def test_placeholder_is_an_error_only_when_published(docs):
    text = PLACE.replace("address: 枣阳市沿河路", "address: 待填写：地址")
    path, line, code, message = only(problems_for(docs, "parks/park.md", text))
    assert (line, code) == (5, "placeholder")
    draft = text.replace("published:", "draft: true\npublished:")
    write(docs, "parks/park.md", draft)
    found = [p for p in check(docs.parent) if p.path == "docs/parks/park.md"]
    assert [(p.line, p.code, p.severity) for p in found] == [(5, "placeholder-draft", "warning")]


def test_content_page_without_front_matter(docs):
    path, line, code, message = only(problems_for(docs, "parks/park.md", "# 只有正文\n"))
    assert (line, code) == (1, "no-front-matter") and "pufa new" in message


def test_unclosed_front_matter(docs):
    path, line, code, message = only(problems_for(docs, "parks/park.md", PLACE.replace("---\n\n介绍", "\n介绍")))
    assert code == "front-matter-open"


def test_problem_formats():
    from pufa.content import Problem
    p = Problem("docs/laws/a.md", 3, "标题太长：50%", code="too-long")
    assert p.format() == "docs/laws/a.md:3: 错误：标题太长：50%"
    assert p.github() == "::error file=docs/laws/a.md,line=3,title=pufa too-long::标题太长：50%25"
