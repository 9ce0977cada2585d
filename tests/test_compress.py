"""Precompression: what gets a .gz/.br copy, that copies are exact and reproducible, and that re-runs clean up."""

from __future__ import annotations

import gzip
import os
import random

import brotli
import pytest

from pufa.release.compress import MIN_SIZE, main, precompress

PAGE = ("<!doctype html><html lang=zh><title>枣阳普法</title><p>" + "用平实的话讲清楚和百姓生活相关的法律。" * 60 + "</p></html>").encode()


def noise(n: int, seed: int = 1) -> bytes:
    """Incompressible bytes: compression cannot save 5 % of them."""
    return random.Random(seed).randbytes(n)


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    (root / "laws" / "anti-telecom-fraud").mkdir(parents=True)
    (root / "assets" / "images").mkdir(parents=True)
    (root / "index.html").write_bytes(PAGE)
    (root / "laws" / "anti-telecom-fraud" / "index.html").write_bytes(PAGE.replace(b"zh", b"zh-CN"))
    (root / "feed.xml").write_bytes(b"<?xml version='1.0'?><rss>" + b"<item><title>x</title></item>" * 40 + b"</rss>")
    (root / "calendar.ics").write_bytes(b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\n" * 30 + b"END:VCALENDAR\r\n")
    (root / "places.geojson").write_bytes(b'{"type":"FeatureCollection","features":[' + b'{"type":"Feature"},' * 40 + b"{}]}")
    (root / "tiny.css").write_bytes(b"body{color:red}")
    return root


def test_writes_exact_gzip_and_brotli_copies_of_text_files(site):
    stats = precompress(site)
    for rel in ("index.html", "laws/anti-telecom-fraud/index.html", "feed.xml", "calendar.ics", "places.geojson"):
        original = (site / rel).read_bytes()
        gz = (site / f"{rel}.gz").read_bytes()
        br = (site / f"{rel}.br").read_bytes()
        assert gzip.decompress(gz) == original
        assert brotli.decompress(br) == original
        assert len(br) < len(original) and len(gz) < len(original)
    assert stats.sources == 5 and stats.written == 10 and stats.removed == 0
    assert stats.original_bytes == sum((site / r).stat().st_size for r in
                                       ("index.html", "laws/anti-telecom-fraud/index.html", "feed.xml", "calendar.ics", "places.geojson"))
    assert stats.brotli_bytes < stats.gzip_bytes < stats.original_bytes
    assert "预压缩" in stats.summary()


def test_small_files_are_not_compressed(site):
    assert len((site / "tiny.css").read_bytes()) < MIN_SIZE
    precompress(site)
    assert not (site / "tiny.css.gz").exists() and not (site / "tiny.css.br").exists()


@pytest.mark.parametrize("name", ["photo.jpg", "photo.png", "photo.webp", "font.woff2", "bundle.zip", "fragment.pf_fragment",
                                  "wasm.zh.pagefind", "README"])
def test_other_formats_are_never_compressed(site, name):
    # Highly compressible content, so only the file type can be the reason for leaving it alone.
    (site / "assets" / "images" / name).write_bytes(b"\0" * 10_000)
    precompress(site)
    assert sorted(p.name for p in (site / "assets" / "images").iterdir()) == [name]


def test_copies_that_save_less_than_five_percent_are_skipped(site):
    (site / "data.json").write_bytes(noise(4000))
    stats = precompress(site)
    assert not (site / "data.json.gz").exists() and not (site / "data.json.br").exists()
    assert stats.skipped == 2


def test_gzip_header_has_no_time_and_no_file_name(site):
    precompress(site)
    header = (site / "index.html.gz").read_bytes()[:10]
    assert header[:3] == b"\x1f\x8b\x08"
    assert header[3] == 0, "no FNAME/FCOMMENT/FEXTRA flags"
    assert header[4:8] == b"\0\0\0\0", "MTIME is zero"


def test_output_is_byte_reproducible(tmp_path, site):
    other = tmp_path / "again"
    other.mkdir()
    for path in sorted(site.rglob("*")):
        if path.is_file():
            copy = other / path.relative_to(site)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(path.read_bytes())
            os.utime(copy, (1_000_000_000, 1_000_000_000))  # a different mtime must not change any byte
    precompress(site)
    precompress(other)
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*.*[rz]") if p.suffix in (".gz", ".br")}
    second = {p.relative_to(other): p.read_bytes() for p in other.rglob("*.*[rz]") if p.suffix in (".gz", ".br")}
    assert first and first == second


def test_copies_carry_the_source_modification_time(site):
    os.utime(site / "index.html", (1_700_000_000, 1_700_000_000))
    precompress(site)
    for suffix in (".gz", ".br"):
        assert (site / f"index.html{suffix}").stat().st_mtime == 1_700_000_000


def test_rerun_is_idempotent(site):
    precompress(site)
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    stats = precompress(site)
    assert stats.written == 0 and stats.removed == 0 and stats.unchanged == 10
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_rerun_replaces_stale_copies(site):
    precompress(site)
    changed = PAGE.replace("枣阳普法".encode(), "枣阳普法（新版）".encode())
    (site / "index.html").write_bytes(changed)
    stats = precompress(site)
    assert stats.written == 2
    assert gzip.decompress((site / "index.html.gz").read_bytes()) == changed
    assert brotli.decompress((site / "index.html.br").read_bytes()) == changed


def test_rerun_removes_copies_whose_source_vanished(site):
    precompress(site)
    (site / "feed.xml").unlink()
    stats = precompress(site)
    assert not (site / "feed.xml.gz").exists() and not (site / "feed.xml.br").exists()
    assert stats.removed == 2


def test_rerun_removes_copies_no_longer_worth_keeping(site):
    precompress(site)
    (site / "places.geojson").write_bytes(b"{}")  # now too small to compress
    (site / "calendar.ics").write_bytes(noise(3000))  # now incompressible
    precompress(site)
    for name in ("places.geojson", "calendar.ics"):
        assert not (site / f"{name}.gz").exists() and not (site / f"{name}.br").exists()


def test_foreign_archives_are_left_alone(site):
    # Not copies of our text files: downloads that happen to end in .gz or .br.
    (site / "materials.tar.gz").write_bytes(b"not really a tarball")
    (site / "slides.pdf.br").write_bytes(b"whatever")
    precompress(site)
    assert (site / "materials.tar.gz").read_bytes() == b"not really a tarball"
    assert (site / "slides.pdf.br").read_bytes() == b"whatever"


def test_a_correct_copy_written_by_someone_else_is_kept(site):
    # MkDocs writes sitemap.xml.gz itself; for a sitemap too small for us to compress, its copy stays.
    sitemap = b"<?xml version='1.0'?><urlset/>"
    (site / "sitemap.xml").write_bytes(sitemap)
    (site / "sitemap.xml.gz").write_bytes(gzip.compress(sitemap, mtime=123))
    (site / "tiny.css.gz").write_bytes(gzip.compress(b"body{color:blue}"))  # stale: a different content
    precompress(site)
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == sitemap
    assert not (site / "tiny.css.gz").exists()


def test_command_line(site, capsys):
    assert main([str(site)]) == 0
    assert (site / "index.html.br").exists()
    assert "预压缩" in capsys.readouterr().err
    assert main([str(site / "missing")]) == 2
