"""`pufa check` and `pufa new` as an editor runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pufa.cli import main

BROKEN = Path(__file__).parent / "fixtures" / "broken"


def run_check(root: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pufa.cli", "--root", str(root), "check", *extra],
                          capture_output=True, text=True, timeout=120)


def test_every_problem_in_a_broken_folder_is_reported_in_one_run():
    result = run_check(BROKEN)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    expected = {
        ("docs/events/dates.md", 3, "已被 docs/laws/good.md 使用"),
        ("docs/events/dates.md", 7, "早于开始时间"),
        ("docs/events/dates.md", 11, "no-such-law 不存在"),
        ("docs/events/syntax.md", 2, "YAML 格式有误"),
        ("docs/laws/bad-types.md", 3, "网址名只能用小写英文字母"),
        ("docs/laws/bad-types.md", 4, "至少要 10 个字"),
        ("docs/laws/bad-types.md", 6, "以“中华人民共和国”开头"),
        ("docs/laws/bad-types.md", 9, "2015 年 2 月只有 28 天"),
        ("docs/laws/bad-types.md", 10, "应当是整数"),
        ("docs/laws/bad-types.md", 11, "不是有效的 https 网址"),
        ("docs/laws/bad-types.md", 12, "不能写“医院”"),
        ("docs/laws/bad-types.md", 15, "没有 colour 这个字段"),
        ("docs/laws/bad-types.md", 18, "找不到链接或图片指向的文件 missing.md"),
        ("docs/parks/alias.md", 2, "YAML 锚点"),
        ("docs/parks/alias.md", 5, "YAML 引用"),
        ("docs/parks/bom.md", 1, "BOM"),
        ("docs/parks/gbk.md", 2, "GBK"),
        ("docs/parks/tabs.md", 5, "中文冒号"),
        ("docs/parks/tabs.md", 7, "Tab"),
    }
    for path, line, words in expected:
        assert any(l.startswith(f"{path}:{line}: 错误：") and words in l for l in lines), (path, line, words, lines)
    assert len(lines) == len(expected), lines
    assert "共发现 19 个错误" in result.stderr


def test_github_annotations():
    result = run_check(BROKEN, "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 19
    assert "::error file=docs/parks/gbk.md,line=2,title=pufa encoding::" in result.stdout
    assert all(l.startswith("::error file=docs/") for l in lines)


def test_the_real_site_passes(capsys):
    root = Path(__file__).resolve().parent.parent
    assert main(["--root", str(root), "check"]) == 0
    err = capsys.readouterr().err
    assert "检查通过" in err or "共发现 0 个错误" in err  # warnings, e.g. the placeholder site_url, are allowed


def test_new_writes_a_draft_that_check_accepts_with_warnings(tmp_path, capsys):
    for kind in ("law", "event", "place"):
        assert main(["--root", str(tmp_path), "new", kind, f"new-{kind}"]) == 0
    folder = {"law": "laws", "event": "events", "place": "parks"}
    for kind, section in folder.items():
        text = (tmp_path / "docs" / section / f"new-{kind}.md").read_text("utf-8")
        assert f"slug: new-{kind}" in text and "draft: true" in text and "#" in text
    capsys.readouterr()
    assert main(["--root", str(tmp_path), "check"]) == 0
    out = capsys.readouterr().out
    assert out and all("警告" in line and "待填写" in line for line in out.splitlines())
    # Publishing it unchanged is refused.
    law = tmp_path / "docs" / "laws" / "new-law.md"
    law.write_text(law.read_text("utf-8").replace("draft: true", "draft: false"), "utf-8")
    assert main(["--root", str(tmp_path), "check"]) == 1


def test_new_refuses_a_bad_slug_and_an_existing_file(tmp_path, capsys):
    assert main(["--root", str(tmp_path), "new", "law", "反诈"]) == 2
    assert main(["--root", str(tmp_path), "new", "law", "x"]) == 0
    assert main(["--root", str(tmp_path), "new", "law", "x"]) == 1
