"""`pufa init`: a new county's site from flags or from questions asked in Chinese, never invented values,
never an overwritten file; and 枣阳's own CONTRIBUTING.md is the same guide every new site gets."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, TEST_COUNTY, check

from pufa.cli import arguments
from pufa.county import UNKNOWN
from pufa.site_init import render, short_name, site_values

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def init(target: Path, *args: str, stdin=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pufa.cli", "init", str(target), *args], capture_output=True,
                          text=True, stdin=stdin, env=ENV, timeout=120)


def test_the_questions_are_asked_in_chinese_on_a_terminal_and_the_answers_written(tmp_path):
    answers = ["宜城市", "", "420684", "襄阳市", "湖北省", "", "https://pufa.example.gov.cn/", "城关镇，郑集镇", ""]
    primary, secondary = os.openpty()  # input() asks only when stdin is a terminal
    os.write(primary, ("\n".join(answers) + "\n").encode())
    with os.fdopen(secondary, "rb", buffering=0) as terminal:
        result = init(tmp_path / "yicheng", stdin=terminal)
    os.close(primary)
    assert result.returncode == 0, result.stderr
    assert "县级行政区全称" in result.stdout and "6 位行政区划代码" in result.stdout
    county = (tmp_path / "yicheng" / "county.yml").read_text("utf-8")
    assert re.search(r"^name: 宜城市\b", county, re.M) and re.search(r"^short_name: 宜城\b", county, re.M)
    assert "420684" in county and "[城关镇, 郑集镇]" in county
    assert re.search(r"^publisher: 宜城市司法局\b", county, re.M)  # derived from the county, not asked twice
    assert re.search(r"^bbox: 待填写", county, re.M)  # left empty: a placeholder, not a guess
    assert "site_name: 宜城普法" in (tmp_path / "yicheng" / "mkdocs.yml").read_text("utf-8")


def test_without_a_terminal_nothing_is_asked_and_unknowns_stay_placeholders(tmp_path):
    result = init(tmp_path / "s", "--county", "示例县", stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert "县级行政区全称" not in result.stdout
    county = (tmp_path / "s" / "county.yml").read_text("utf-8")
    assert county.count(UNKNOWN) >= 4
    warnings = check(tmp_path / "s")
    assert warnings and not [p for p in warnings if p.is_error]
    assert {p.path for p in warnings} >= {"county.yml"}


@pytest.mark.parametrize("flag, value, gist", [
    ("--code", "42068", "6 位数字"),
    ("--bbox", "32.5,112.4,31.6,113.2", "南小北大"),
    ("--site-url", "pufa.example.gov.cn", "https://"),
])
def test_malformed_values_are_refused_in_chinese_before_anything_is_written(tmp_path, flag, value, gist):
    result = init(tmp_path / "s", "--yes", flag, value)
    assert result.returncode == 2 and gist in result.stderr
    assert not (tmp_path / "s").exists()


def test_running_init_again_keeps_every_file_the_editors_changed(tmp_path):
    target = tmp_path / "s"
    assert init(target, "--yes", "--county", "示例县").returncode == 0
    (target / "docs" / "about.md").write_text("编辑改过的内容\n", "utf-8")
    (target / "Makefile").unlink()
    result = init(target, "--yes", "--county", "另一个县")
    assert result.returncode == 0
    assert (target / "docs" / "about.md").read_text("utf-8") == "编辑改过的内容\n"
    assert (target / "Makefile").exists()  # a missing file is restored
    assert "示例县" in (target / "county.yml").read_text("utf-8")
    assert "新写 1 个文件" in result.stdout


@pytest.mark.parametrize("county, short", [("宜城市", "宜城"), ("襄州区", "襄州"), ("示例县", "示例"),
                                           ("长阳土家族自治县", UNKNOWN), ("鄂温克族自治旗", UNKNOWN), ("县", UNKNOWN)])
def test_a_short_name_is_derived_only_where_the_rule_is_safe(county, short):
    assert short_name(county) == short


def test_the_test_county_values_are_accepted():
    values, problems = site_values(TEST_COUNTY)
    assert problems == [] and values["site_name"] == "示例普法"


def test_zaoyangs_editor_guide_is_the_guide_every_new_site_gets():
    """One guide for editors: 枣阳's CONTRIBUTING.md is pufa's template with 枣阳's site name, so a fix to
    the guide reaches every county (regenerate it with pufa.site_init.render when the template changes)."""
    site_name = re.search(r"^site_name: (.+)$", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M)[1]
    assert (ROOT / "CONTRIBUTING.md").read_text("utf-8") == render("CONTRIBUTING.md", {"site_name": site_name})


def pufa_commands(text: str) -> list[str]:
    """Every `pufa …` command a CI file runs, each checked against pufa's own command line."""
    yaml.safe_load(text)
    commands = re.findall(r"\.venv/bin/pufa ([^\n&|#]+)", text)
    for command in commands:
        arguments().parse_args(shlex.split(command))  # SystemExit on a subcommand or flag pufa does not have
    return commands


@pytest.mark.parametrize("name", [".github/workflows/pufa.yml", ".gitlab-ci.yml", ".gitea/workflows/pufa.yml"])
def test_every_ci_file_is_yaml_and_runs_only_commands_pufa_has(tmp_path, name):
    assert init(tmp_path / "s", "--yes", "--county", "示例县").returncode == 0
    text = (tmp_path / "s" / name).read_text("utf-8")
    commands = pufa_commands(text)
    assert any(c.startswith("check") for c in commands) and any(c.startswith("build") for c in commands)
    if name != ".gitlab-ci.yml":
        assert "cron:" in text  # the nightly rebuild that keeps “还有 N 天” right
    assert 'PUFA_TODAY="$(TZ=Asia/Shanghai date +%F)"' in text


def test_the_many_counties_workflow_builds_each_county_with_commands_pufa_has():
    text = (ROOT / "deploy" / "many-counties.yml").read_text("utf-8")
    assert pufa_commands(text) == ["check", "build"]
    workflow = yaml.safe_load(text)
    assert workflow["jobs"]["build"]["strategy"]["fail-fast"] is False  # one county's error stops no other
