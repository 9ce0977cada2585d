"""`pufa check` and `pufa new` as an editor runs them (the command's own entry point, in-process)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, check, make_site
from pufa.cli import main

BROKEN = Path(__file__).parent / "fixtures" / "broken"
# (path, line, words) of every error in the broken folder.
EXPECTED = {
    ("docs/events/dates.md", 7, "早于开始时间"),
    ("docs/events/dates.md", 11, "no-such-law 不存在"),
    ("docs/events/syntax.md", 2, "YAML 格式有误"),
    ("docs/laws/bad-types.md", 3, "网址名只能用小写英文字母"),
    ("docs/laws/bad-types.md", 4, "至少要 10 个字"),
    ("docs/laws/bad-types.md", 9, "2015 年 2 月只有 28 天"),
    ("docs/laws/bad-types.md", 10, "应当是整数"),
    ("docs/laws/bad-types.md", 11, "不是有效的 https 网址"),
    ("docs/laws/bad-types.md", 12, "不能写“医院”"),
    ("docs/laws/bad-types.md", 15, "没有 colour 这个字段"),
    ("docs/laws/good.md", 3, "已被 docs/events/dates.md 使用"),  # the later file gives up the slug; both are equal here
    ("docs/links.md", 3, "找不到链接或图片 missing.md 指向的文件"),
    ("docs/parks/alias.md", 2, "YAML 锚点"),
    ("docs/parks/alias.md", 5, "YAML 引用"),
    ("docs/parks/bom.md", 1, "BOM"),
    ("docs/parks/gbk.md", 2, "GBK"),
    ("docs/parks/tabs.md", 5, "中文冒号"),
    ("docs/parks/tabs.md", 7, "Tab"),
}


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Path:
    """A fresh county site whose docs/ holds the broken fixture files."""
    root = make_site(tmp_path_factory.mktemp("broken") / "site")
    shutil.copytree(BROKEN / "docs", root / "docs", dirs_exist_ok=True)
    return root


def test_every_problem_in_a_broken_folder_is_reported_in_one_run(broken, capsys):
    assert main(["--root", str(broken), "check"]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    docs = [line for line in lines if line.startswith("docs/")]
    for path, line, words in EXPECTED:
        assert any(l.startswith(f"{path}:{line}: 错误：") and words in l for l in docs), (path, line, words, lines)
    assert len(docs) == len(EXPECTED), docs
    # Everything else is a warning about the fresh site itself (county.yml still 待填写, the pinned day's
    # national observances), never about the broken files.
    others = [line for line in lines if not line.startswith("docs/")]
    assert others and all(": 警告：" in line and line.startswith(("county.yml:", "pufa/pack/")) for line in others), others
    assert f"共发现 {len(EXPECTED)} 个错误、{len(others)} 个警告" in err


def test_github_annotations(broken, capsys):
    assert main(["--root", str(broken), "check", "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == len(EXPECTED)
    assert any(line.startswith("::error file=docs/parks/gbk.md,line=2,title=pufa encoding::") for line in errors)
    assert all(line.startswith("::error file=docs/") for line in errors)
    assert all(line.startswith(("::error ", "::warning ")) for line in lines)


def test_the_real_site_passes(capsys):
    assert main(["--root", str(ROOT), "check"]) == 0
    out, err = capsys.readouterr()
    assert "共发现 0 个错误" in err or "检查通过" in err
    assert all(": 警告：" in line for line in out.splitlines()), out
    assert [p for p in check(ROOT) if p.is_error] == []


def test_new_writes_a_draft_that_check_accepts_with_warnings(site_root, capsys):
    for kind in ("law", "event", "place"):
        assert main(["--root", str(site_root), "new", kind, f"new-{kind}"]) == 0
    folder = {"law": "laws", "event": "events", "place": "parks"}
    for kind, section in folder.items():
        text = (site_root / "docs" / section / f"new-{kind}.md").read_text("utf-8")
        assert f"slug: new-{kind}" in text and "draft: true" in text and "#" in text
    capsys.readouterr()
    assert main(["--root", str(site_root), "check"]) == 0
    problems = check(site_root)
    for kind, section in folder.items():
        found = [p for p in problems if p.path == f"docs/{section}/new-{kind}.md"]
        assert found, kind  # each draft still has its blanks to fill in …
        assert {(p.code, p.severity) for p in found} == {("placeholder-draft", "warning")}, found  # … and nothing else
    # Publishing it unchanged is refused.
    law = site_root / "docs" / "laws" / "new-law.md"
    law.write_text(law.read_text("utf-8").replace("draft: true", "draft: false"), "utf-8")
    assert main(["--root", str(site_root), "check"]) == 1
    assert {p.code for p in check(site_root) if p.path == "docs/laws/new-law.md" and p.is_error} == {"placeholder"}


def test_new_refuses_a_bad_slug_and_an_existing_file(site_root):
    assert main(["--root", str(site_root), "new", "law", "反诈"]) == 2
    assert main(["--root", str(site_root), "new", "law", "x"]) == 0
    assert main(["--root", str(site_root), "new", "law", "x"]) == 1
