"""A content-addressed file cache, and atomic writes: written once, used by images, compressed copies and
WeChat covers.

A cached value is named by a hash of its inputs and of the cache's version, so bumping the version when
an encoder or a drawing changes retires every old entry without touching it. Writes go to a temporary
file and are renamed into place: a build interrupted half-way never leaves half a file that a later build
would take for a finished one, and a server reading the folder sees the old file or the new one.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; the web server must be able to read published files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def digest(*parts: bytes | str) -> str:
    """A sha256 hex digest of the parts, each length-prefixed so that ("ab", "c") ≠ ("a", "bc")."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


class ContentCache:
    """Files in `folder` named by the hash of (version, key parts); `None` folder: no caching at all."""

    def __init__(self, folder: Path | None, version: str):
        self.folder = Path(folder) if folder is not None else None
        self.version = version

    def path(self, *key: bytes | str, suffix: str = "") -> Path | None:
        if self.folder is None:
            return None
        return self.folder / (digest(self.version, *key)[:32] + suffix)

    def get_or_make(self, key: tuple, make: Callable[[], bytes], suffix: str = "") -> bytes:
        """The cached bytes for `key`, or what `make()` returns (then stored)."""
        path = self.path(*key, suffix=suffix)
        if path is not None and path.is_file():
            return path.read_bytes()
        value = make()
        if path is not None:
            write_atomically(path, value)
        return value

    def file(self, key: tuple, make: Callable[[], bytes], suffix: str = "") -> tuple[Path, bool]:
        """The cached file for `key` (made when missing) and whether it had to be made."""
        path = self.path(*key, suffix=suffix)
        if path is None:
            raise ValueError("ContentCache.file needs a folder")
        if path.is_file():
            return path, False
        write_atomically(path, make())
        return path, True


def cache_root(site_root: Path) -> Path:
    """Where a site's build caches live: $PUFA_CACHE_DIR, else .cache/pufa beside mkdocs.yml."""
    configured = os.environ.get("PUFA_CACHE_DIR")
    return Path(configured) if configured else Path(site_root) / ".cache" / "pufa"
