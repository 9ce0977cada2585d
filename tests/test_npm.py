"""Pinned npm tarballs: used only when their hash matches, unpacked only inside their folder."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile

import pytest

from pufa import npm


def tarball(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o755
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def test_integrity_must_match_exactly():
    data = b"pagefind"
    assert npm.matches(data, sri(data))
    assert not npm.matches(data + b"!", sri(data))
    assert not npm.matches(data, "md5-" + base64.b64encode(hashlib.md5(data).digest()).decode())


def test_a_cached_package_is_used_without_the_network(tmp_path, monkeypatch):
    data = tarball({"package/bin/tool": b"#!/bin/sh\necho ok\n"})
    package = npm.NpmPackage("@scope/tool", "1.0.0", sri(data))
    monkeypatch.setattr(npm, "_download", lambda p: data)
    folder = npm.unpacked(package, cache=tmp_path)
    assert (folder / "bin" / "tool").read_bytes().startswith(b"#!/bin/sh")
    assert (folder / "bin" / "tool").stat().st_mode & 0o100
    monkeypatch.setattr(npm, "_download", lambda p: pytest.fail("fetched again"))
    assert npm.unpacked(package, cache=tmp_path, download=False) == folder
    assert package.tarball_path == "/@scope/tool/-/tool-1.0.0.tgz"


def test_a_missing_package_is_not_fetched_when_downloads_are_off(tmp_path):
    package = npm.NpmPackage("tool", "1.0.0", sri(b"x"))
    with pytest.raises(npm.FetchError, match="make"):
        npm.unpacked(package, cache=tmp_path, download=False)


def test_a_tarball_cannot_write_outside_its_folder(tmp_path, monkeypatch):
    data = tarball({"../../escaped": b"x"})
    package = npm.NpmPackage("evil", "1.0.0", sri(data))
    monkeypatch.setattr(npm, "_download", lambda p: data)
    with pytest.raises(tarfile.OutsideDestinationError):
        npm.unpacked(package, cache=tmp_path / "cache")
    assert not (tmp_path / "escaped").exists()
