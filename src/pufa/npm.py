"""Fetch one pinned package from the npm registry: a prebuilt program pufa runs (Pagefind) or a tool
the test suite runs (the Nu HTML checker), without needing Node.js or npm on the machine.

Each package is pinned by version and by its registry `integrity` (Subresource Integrity, sha512), so a
tarball is used only if it is exactly the one that was reviewed. The registry of the Chinese mirror
(npmmirror) is tried when the main registry cannot be reached: it serves the same tarballs, and the
hash makes the copy as good as the original. Unpacked files are cached by that hash.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REGISTRIES = ("https://registry.npmjs.org", "https://registry.npmmirror.com")
TIMEOUT = 60


class FetchError(RuntimeError):
    """The package could not be fetched or did not match its pinned hash (message in Chinese)."""


@dataclass(frozen=True)
class NpmPackage:
    name: str  # e.g. @pagefind/linux-x64
    version: str
    integrity: str  # "sha512-<base64>", as `npm view <name>@<version> dist.integrity` prints it

    @property
    def tarball_path(self) -> str:
        """The registry path of the tarball: /@scope/name/-/name-1.0.0.tgz."""
        base = self.name.rsplit("/", 1)[-1]
        return f"/{self.name}/-/{base}-{self.version}.tgz"

    @property
    def key(self) -> str:
        """A folder name that changes whenever the pinned bytes change."""
        digest = hashlib.sha256(self.integrity.encode()).hexdigest()[:16]
        return f"{self.name.replace('/', '+')}-{self.version}-{digest}"


def default_cache() -> Path:
    """Where unpacked packages live: $PUFA_TOOLS_DIR, else the user's cache folder."""
    if os.environ.get("PUFA_TOOLS_DIR"):
        return Path(os.environ["PUFA_TOOLS_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "pufa" / "tools"


def unpacked(package: NpmPackage, *, cache: Path | None = None, download: bool = True) -> Path:
    """The folder holding the package's files (`package/…` from the tarball), fetching it if needed.

    With `download=False` a missing package raises FetchError instead of reaching the network.
    """
    target = (cache or default_cache()) / package.key
    if (target / ".complete").is_file():
        return target / "package"
    if not download:
        raise FetchError(f"本机还没有 {package.name}@{package.version}：请先运行 make（或 pufa 的安装步骤）下载它。")
    data = _download(package)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".fetch-", dir=target.parent))
    try:
        _extract(data, staging)
        (staging / ".complete").write_text(package.integrity + "\n", "utf-8")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target / "package"


def _download(package: NpmPackage) -> bytes:
    errors = []
    for registry in REGISTRIES:
        url = registry + package.tarball_path
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
                data = response.read()
        except (urllib.error.URLError, OSError) as exc:
            errors.append(f"{url}：{exc}")
            continue
        if not matches(data, package.integrity):
            errors.append(f"{url}：内容与锁定的哈希值不一致，已丢弃")
            continue
        return data
    raise FetchError(f"无法下载 {package.name}@{package.version}：" + "；".join(errors))


def matches(data: bytes, integrity: str) -> bool:
    """Whether `data` has the Subresource Integrity value `integrity` (sha512, sha384 or sha256)."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm not in ("sha512", "sha384", "sha256"):
        return False
    return base64.b64encode(hashlib.new(algorithm, data).digest()).decode() == expected


def _extract(data: bytes, dest: Path) -> None:
    """Unpack regular files and folders only, never outside `dest` (a tarball is untrusted input)."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        archive.extractall(dest, filter="data")
