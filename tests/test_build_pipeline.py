"""`pufa build`: verified before publishing, reproducible byte for byte, precompressed, and cheap to redo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pufa.release.verify import verify_site

pytestmark = pytest.mark.build

REPRODUCIBLE = {"SOURCE_DATE_EPOCH": "1795622400", "PUFA_TODAY": "2026-11-26"}


def pufa_build(project: Path, site_dir: Path, cache: Path) -> subprocess.CompletedProcess:
    """`pufa build` of `project` into `site_dir`, with its build caches (covers, images, compressed copies) in `cache`."""
    return subprocess.run([sys.executable, "-m", "pufa.cli", "build", "-d", str(site_dir)], cwd=project,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PUFA_CACHE_DIR": str(cache), **REPRODUCIBLE})


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built_twice(tmp_path_factory):
    """The site's sources built twice by `pufa build` from the same commit (a cold, then a warm cache)."""
    from conftest import ROOT
    folder = tmp_path_factory.mktemp("twice")
    project = folder / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "county.yml", "overrides", "docs"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, project / name)
    cache = folder / "cache"
    for name in ("a", "b"):
        result = pufa_build(project, folder / name, cache)
        assert result.returncode == 0, result.stderr[-3000:]
    return project, folder / "a", folder / "b", cache


def test_two_builds_of_the_same_commit_are_byte_identical(built_twice):
    _, first, second, _ = built_twice
    a, b = tree(first), tree(second)
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    # Precompressed copies sit next to every text file worth compressing.
    assert "index.html.gz" in a and "index.html.br" in a and "feed.xml.br" in a and "calendar.ics.gz" in a
    assert oct(first.stat().st_mode & 0o777) == "0o755"


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


def test_a_rebuild_after_one_change_redraws_no_cover_and_recompresses_only_what_changed(built_twice, tmp_path):
    project, _, _, warm = built_twice
    cache = tmp_path / "cache"
    shutil.copytree(warm, cache)  # the caches as the two builds left them
    covers, compressed = cache / "wechat", cache / "compress"
    before = {p.name: p.stat().st_mtime_ns for p in covers.iterdir()}
    packed = {p.name for p in compressed.iterdir()}
    assert before and packed
    changed = tmp_path / "project"
    shutil.copytree(project, changed)
    about = changed / "docs" / "about.md"
    about.write_text(about.read_text("utf-8") + "\n补充一句。\n", "utf-8")
    result = pufa_build(changed, tmp_path / "c", cache)
    assert result.returncode == 0, result.stderr[-3000:]
    assert {p.name: p.stat().st_mtime_ns for p in covers.iterdir()} == before  # no cover or image redrawn
    new = {p.name for p in compressed.iterdir()} - packed
    # The changed page, and pages listing it (site map, search index files), are the only new copies.
    assert 0 < len(new) < len(packed) / 10, len(new)
