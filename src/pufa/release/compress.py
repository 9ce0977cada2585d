"""Precompressed copies of the built site's text files, served as they are by the web server.

nginx's `gzip_static` and `brotli_static` send `page.html.br` or `page.html.gz` in place of `page.html` when
the browser accepts that encoding. The server then spends no CPU per request, so the slowest, smallest
settings (gzip -9, brotli 11) cost nothing at serving time. Output is byte-reproducible: no time stamp and no
file name in the gzip header, so the same input gives the same bytes (with the same zlib and brotli).

Every `.gz`/`.br` next to a text file must match that file: nginx serves it without looking at the original,
so a stale one would show visitors an old page. Re-running therefore rewrites changed outputs, deletes
outputs of files that are gone or no longer worth compressing, and leaves everything else alone.
"""

from __future__ import annotations

import gzip
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import brotli

from ..cache import ContentCache, write_atomically

# Text formats (and uncompressed binary wasm) worth compressing. Everything else is left alone, in
# particular formats that are compressed already: jpg, png, webp, woff2, zip, gz, br, and Pagefind's
# own .pf_fragment/.pf_index/.pf_meta/.pagefind files, which it gzips itself.
COMPRESSIBLE = frozenset({
    "html", "htm", "css", "js", "mjs", "json", "map", "xml", "rss", "atom", "svg", "ics", "geojson",
    "txt", "csv", "webmanifest", "wasm",
})
# Brotli's text mode tunes its context modelling for UTF-8; binary formats use the generic mode.
BINARY = frozenset({"wasm"})

MIN_SIZE = 256  # below this the response fits in one packet either way; the header costs more than it saves
MIN_SAVING = 0.05  # a copy must be at least 5 % smaller than the original to be worth a file and a lookup
ENCODINGS = (".gz", ".br")


@dataclass
class CompressStats:
    sources: int = 0  # text files at least MIN_SIZE bytes long
    written: int = 0  # .gz/.br files created or replaced
    unchanged: int = 0  # .gz/.br files already up to date
    skipped: int = 0  # copies not written because they saved less than MIN_SAVING
    removed: int = 0  # stale copies deleted
    original_bytes: int = 0  # total size of the sources
    gzip_bytes: int = 0  # total size of their .gz copies (the original's size where none is worth it)
    brotli_bytes: int = 0  # the same for .br

    def summary(self) -> str:
        return (
            f"预压缩：{self.sources} 个文本文件共 {_kb(self.original_bytes)}，"
            f"gzip 后 {_kb(self.gzip_bytes)}，brotli 后 {_kb(self.brotli_bytes)}；"
            f"写入 {self.written} 个、未变 {self.unchanged} 个、不值得压缩 {self.skipped} 个、删除过期的 {self.removed} 个。"
        )


def precompress(site_dir: Path, *, cache_dir: Path | None = None) -> CompressStats:
    """Write `.gz` and `.br` next to every text file of `site_dir` that they make smaller; idempotent.

    With `cache_dir`, copies are kept by content hash, so a rebuild compresses only what changed.
    """
    files = _files(Path(site_dir))
    sources = [p for p in files if p.suffix not in ENCODINGS and _extension(p) in COMPRESSIBLE]
    stats = CompressStats()
    # Brotli 11 is the slow part (about 1 MB/s per core); it releases the GIL, so threads use every core.
    with ThreadPoolExecutor() as pool:
        compress = (lambda path: _compress(path, cache_dir))
        for path, (data, copies) in zip(sources, pool.map(compress, sources)):
            _store(path, data, copies, stats)
    for path in files:
        if path.suffix in ENCODINGS:
            _remove_orphan(path, stats)
    return stats


def gzip_bytes(data: bytes) -> bytes:
    """gzip level 9 with mtime 0 and no file name, so the same input always gives the same bytes."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def brotli_bytes(data: bytes, *, text: bool = True) -> bytes:
    return brotli.compress(data, mode=brotli.MODE_TEXT if text else brotli.MODE_GENERIC, quality=11)


def decompress(data: bytes, encoding: str) -> bytes:
    """The original bytes of a `.gz` or `.br` copy (raises on corrupt data)."""
    return gzip.decompress(data) if encoding == ".gz" else brotli.decompress(data)


CACHE_VERSION = "1"  # bump when the levels or the encoders change: old copies are never reused


def _compress(path: Path, cache_dir: Path | None = None) -> tuple[bytes, dict[str, bytes]]:
    """The file's bytes and its candidate copies by encoding (none for a file under MIN_SIZE)."""
    data = path.read_bytes()
    if len(data) < MIN_SIZE:
        return data, {}
    text = _extension(path) not in BINARY
    cache = ContentCache(cache_dir, CACHE_VERSION)
    mode = "text" if text else "binary"
    return data, {".gz": cache.get_or_make((data, "gz"), lambda: gzip_bytes(data), suffix=".gz"),
                  ".br": cache.get_or_make((data, "br", mode), lambda: brotli_bytes(data, text=text), suffix=".br")}


def _store(path: Path, data: bytes, copies: dict[str, bytes], stats: CompressStats) -> None:
    if copies:
        stats.sources += 1
        stats.original_bytes += len(data)
    for encoding in ENCODINGS:
        target = path.with_name(path.name + encoding)
        packed = copies.get(encoding)
        if packed is not None and len(packed) > len(data) * (1 - MIN_SAVING):
            stats.skipped += 1
            packed = None
        if copies:
            size = len(packed) if packed is not None else len(data)
            if encoding == ".gz":
                stats.gzip_bytes += size
            else:
                stats.brotli_bytes += size
        if packed is None:
            # A copy someone else wrote for this exact content (MkDocs writes sitemap.xml.gz) is still
            # correct and may be linked to; anything else would be served in place of the new file.
            if target.is_file() and not _encodes(target, encoding, data):
                target.unlink()
                stats.removed += 1
            continue
        if target.is_file() and target.read_bytes() == packed:
            stats.unchanged += 1
        else:
            write_atomically(target, packed)
            stats.written += 1
        # Same Last-Modified for every encoding of a file, whichever the server picks.
        mtime = path.stat().st_mtime_ns
        os.utime(target, ns=(mtime, mtime))


def _remove_orphan(path: Path, stats: CompressStats) -> None:
    """Delete `x.html.gz` when `x.html` is gone; `archive.tar.gz` and the like are not ours to touch."""
    source = path.with_name(path.name[: -len(path.suffix)])
    if _extension(source) in COMPRESSIBLE and not source.exists():
        path.unlink()
        stats.removed += 1


def _encodes(target: Path, encoding: str, data: bytes) -> bool:
    try:
        return decompress(target.read_bytes(), encoding) == data
    except Exception:  # any corrupt copy is simply stale
        return False


def _files(root: Path) -> list[Path]:
    """Every regular file under root, in a stable order (so statistics and errors are reproducible)."""
    found = []
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        # Hidden files are skipped: editor junk, and our own temporary files of an interrupted run.
        found.extend(Path(folder) / name for name in sorted(names) if not name.startswith("."))
    return [p for p in found if p.is_file() and not p.is_symlink()]


def _extension(path: Path) -> str:
    return path.suffix[1:].lower()


def _kb(size: int) -> str:
    return f"{size / 1024:,.0f} KB"


def main(argv: list[str] | None = None) -> int:
    """`python -m pufa.release.compress site/`: precompress an already built site (the deploy workflow's step)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("用法：python -m pufa.release.compress <网站目录>（例如 site）", file=sys.stderr)
        return 2
    print(precompress(Path(args[0])).summary(), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
