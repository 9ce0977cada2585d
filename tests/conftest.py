"""Shared fixtures: the repository root, a scratch docs/ folder, and one real build of the site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture
def docs(tmp_path):
    """A minimal docs/ folder with one valid law topic, so cross-file checks have something to point at."""
    folder = tmp_path / "docs"
    (folder / "laws").mkdir(parents=True)
    (folder / "events").mkdir()
    (folder / "parks").mkdir()
    return folder


def build_site(dest: Path, *, config: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real `mkdocs build --strict` as an editor's CI would."""
    config = config or ROOT / "mkdocs.yml"
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(dest)],
        cwd=config.parent, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=600,
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once per test session into a temporary folder."""
    dest = tmp_path_factory.mktemp("site") / "site"
    result = build_site(dest)
    assert result.returncode == 0, result.stderr[-4000:]
    return dest


@pytest.fixture
def project(tmp_path) -> Path:
    """A writable copy of the project's site sources (mkdocs.yml, overrides, docs) for builds that change them."""
    for name in ("mkdocs.yml", "overrides", "docs"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, tmp_path / name)
    return tmp_path
