"""Content from a pull request is untrusted: hostile and broken files are refused with the right
message, the build never emits what they carry, and the previously published site is untouched."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

pytestmark = pytest.mark.build

PLACE = """---
title: 示例长廊
slug: demo-corridor
kind: 法治文化长廊
address: 枣阳市示例路
source: 示例，仅用于测试
published: 2026-11-26
---

"""


def pufa(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pufa.cli", *args], cwd=project, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def bomb_png() -> bytes:
    """A tiny PNG whose header claims 30000×30000 pixels: never decoded, never allocated."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 100)) + chunk(b"IEND", b"")


HOSTILE = {
    "parks/script.md": (PLACE + '<script>alert("xss")</script>\n', 10, "unsafe-html"),
    "parks/handler.md": (PLACE.replace("demo-corridor", "demo-b") + '<p onclick="steal()">领补贴</p>\n', 10, "unsafe-attribute"),
    "parks/jslink.md": (PLACE.replace("demo-corridor", "demo-c") + "[领奖](javascript:alert(1))\n", 10, "unsafe-url"),
    "parks/escape.md": (PLACE.replace("demo-corridor", "demo-d") + "[配置](../../mkdocs.yml)\n", 10, "unsafe-path"),
    "parks/yamlbomb.md": ("---\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n---\n", 2, "yaml-alias"),
    "parks/gbk.md": (PLACE.replace("demo-corridor", "demo-e").encode("gbk"), 2, "encoding"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE) + ["parks/images/bomb.png", "parks/secret-link.md"])
def test_each_hostile_file_is_refused_and_the_site_is_unchanged(project, name):
    first = pufa(project, "build")
    assert first.returncode == 0, first.stderr[-2000:]
    published = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    target = project / "docs" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if name.endswith("bomb.png"):
        target.write_bytes(bomb_png())
        line, code = 1, "image-pixels"
    elif name.endswith("secret-link.md"):
        outside = project / "secret.md"
        outside.write_text("---\ntitle: 不该发布\n---\n机密\n", "utf-8")
        target.symlink_to(outside)
        line, code = 1, "symlink"
    else:
        text, line, code = HOSTILE[name]
        (target.write_bytes if isinstance(text, bytes) else lambda t: target.write_text(t, "utf-8"))(text)
    check = pufa(project, "check")
    assert check.returncode == 1
    shown = f"docs/{name}:{line}: 错误："
    assert any(l.startswith(shown) for l in check.stdout.splitlines()), (code, check.stdout)
    build = pufa(project, "build")
    assert build.returncode == 1 and "构建失败，已发布的网站保持不变" in build.stderr
    assert shown in build.stderr
    after = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == published


def test_the_build_never_emits_raw_html_it_does_not_allow(project):
    """Even where a check is bypassed, rendered content passes the nh3 allow-list."""
    from pufa.safety import sanitize_html
    html = sanitize_html('<p onclick="x()">a</p><script>b()</script><a href="javascript:c()">d</a><iframe src="e"></iframe>')
    assert "onclick" not in html and "<script" not in html and "javascript:" not in html and "<iframe" not in html


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (1600, 1200), (180, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (32.0, 7.0, 44.0), 3: "E", 4: (112.0, 46.0, 19.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_published_images_carry_no_metadata_and_use_picture(project):
    images = project / "docs" / "parks" / "images"
    images.mkdir(parents=True)
    (images / "corridor.jpg").write_bytes(jpeg_with_gps())
    (project / "docs" / "parks" / "demo.md").write_text(
        PLACE.replace("source:", "photos:\n  - src: images/corridor.jpg\n    alt: 长廊里的宪法宣传栏\nsource:")
        + "![长廊里的民法典漫画](images/corridor.jpg)\n", "utf-8")
    check = pufa(project, "check")
    assert "image-gps" not in check.stdout or "警告" in check.stdout  # a warning, the copy is stripped
    result = pufa(project, "build")
    assert result.returncode == 0, result.stderr[-2000:]
    site = project / "site"
    for path in site.rglob("*"):
        if path.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp"):
            with Image.open(path) as im:
                assert not im.getexif(), path
                assert "exif" not in im.info and "xmp" not in im.info, path
    page = (site / "parks" / "demo-corridor" / "index.html").read_text("utf-8")
    assert page.count("<picture>") == 2 and 'type="image/webp"' in page
    assert 'width="1440" height="1080"' in page
    assert page.count('loading="lazy"') == 1  # the first image is fetched at once
    cache = project / ".cache" / "pufa" / "images"
    before = {p: p.stat().st_mtime_ns for p in cache.iterdir()}
    (project / "docs" / "about.md").write_text("---\ntitle: 关于本站\n---\n\n改了一页。\n", "utf-8")
    again = pufa(project, "build")
    assert again.returncode == 0
    assert {p: p.stat().st_mtime_ns for p in cache.iterdir()} == before  # nothing re-encoded
