"""`pufa build`: verified before publishing, reproducible byte for byte, precompressed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pufa.verify import verify_site

pytestmark = pytest.mark.build


def pufa_build(project: Path, site_dir: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pufa.cli", "build", "-d", str(site_dir)], cwd=project,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env})


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_of_the_same_commit_are_byte_identical(project, tmp_path):
    env = {"SOURCE_DATE_EPOCH": "1795622400", "PUFA_TODAY": "2026-11-26"}
    first = pufa_build(project, tmp_path / "a", **env)
    assert first.returncode == 0, first.stderr[-3000:]
    second = pufa_build(project, tmp_path / "b", **env)
    assert second.returncode == 0, second.stderr[-3000:]
    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    # Precompressed copies sit next to every text file worth compressing.
    assert "index.html.gz" in a and "index.html.br" in a and "feed.xml.br" in a and "calendar.ics.gz" in a
    assert oct((tmp_path / "a").stat().st_mode & 0o777) == "0o755"


def test_verify_reports_broken_links_anchors_external_requests_and_bad_files(tmp_path):
    (tmp_path / "laws" / "a").mkdir(parents=True)
    (tmp_path / "index.html").write_text(
        '<a href="laws/a/">ok</a><a href="laws/b/">missing</a><a href="laws/a/#nope">anchor</a>'
        '<a href="https://flk.npc.gov.cn/">external link is fine</a>'
        '<script src="https://cdn.example/x.js"></script><img src="img/none.png" alt="x">', "utf-8")
    (tmp_path / "laws" / "a" / "index.html").write_text('<h2 id="要点">要点</h2><a href="../../#top">x</a>', "utf-8")
    (tmp_path / "calendar.ics").write_text("BEGIN:VCALENDAR\nbroken", "utf-8")
    (tmp_path / "feed.xml").write_text("<rss><channel>", "utf-8")
    problems = verify_site(tmp_path)
    text = "\n".join(problems)
    assert "index.html：链接 laws/b/ 指向的文件不存在" in text
    assert "#nope 在目标页面上不存在" in text
    assert "向其他网站请求 https://cdn.example/x.js" in text
    assert "图片或资源 img/none.png 指向的文件不存在" in text
    assert "calendar.ics：文件无法解析" in text and "feed.xml：文件无法解析" in text
    assert "flk.npc.gov.cn" not in text
    assert "#top" in text  # the home page has no #top anchor


def test_the_real_site_verifies(site):
    assert verify_site(site, site_url="https://pufa.zaoyang.example/") == []


def test_a_rebuild_after_one_change_redraws_no_cover_and_recompresses_only_what_changed(project, tmp_path):
    assert pufa_build(project, tmp_path / "a").returncode == 0
    covers = project / ".cache" / "pufa" / "wechat"
    compressed = project / ".cache" / "pufa" / "compress"
    before = {p: p.stat().st_mtime_ns for p in covers.iterdir()}
    packed = set(compressed.iterdir())
    assert before and packed
    about = project / "docs" / "about.md"
    about.write_text(about.read_text("utf-8") + "\n补充一句。\n", "utf-8")
    assert pufa_build(project, tmp_path / "b").returncode == 0
    assert {p: p.stat().st_mtime_ns for p in covers.iterdir()} == before  # no cover or image redrawn
    new = set(compressed.iterdir()) - packed
    # The changed page, and pages listing it (site map, search index files), are the only new copies.
    assert 0 < len(new) < len(packed) / 10, len(new)
