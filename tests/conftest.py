"""Shared fixtures: the repository root, a scratch county site, and one real build of the site.

Every test runs on a pinned day (PUFA_TODAY) and with build caches in a temporary folder, never in the
repository: the suite gives the same answer on any date and leaves the checkout as it found it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-12-02"  # the day every test lives on
os.environ["PUFA_TODAY"] = TODAY
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ["PUFA_CACHE_DIR"] = tempfile.mkdtemp(prefix="pufa-test-cache-")

# A made-up county for tests: plainly labelled, never a real place.
TEST_COUNTY = dict(county="示例县", short_name="示例", code="999999", prefecture="示例市", province="示例省",
                   publisher="示例县司法局", site_url="https://pufa.example.gov.cn/", towns="城关镇,河东镇,示例街道",
                   bbox="31.60,112.40,32.50,113.20")


def example_law(slug: str = "demo", body: str = "正文。\n") -> str:
    """A valid law topic about a made-up law (plainly an example) for tests that need a topic to hang on."""
    return ("---\ntitle: 示例法律专题\n"
            f"slug: {slug}\n"
            "summary: 这是一个用于测试的示例法律专题，不是真实内容。\nlaw:\n  name: 中华人民共和国示例法\n  short_name: 示例法\n"
            "  adopted: 2020-01-01\n  effective: 2020-06-01\n  source_url: https://flk.npc.gov.cn/\n"
            "  to_verify: [chapters, articles]\naudiences: [学校]\ntopics: [普法]\npublished: 2026-11-26\n---\n\n" + body)


def make_site(root: Path, **values) -> Path:
    """A new county site made by `pufa init` with the test county's values (override any of them)."""
    from pufa.site_init import site_values, write_site
    answers, problems = site_values({**TEST_COUNTY, **values})
    assert not problems, problems
    write_site(root, answers)
    return root


def check(root: Path, **kwargs):
    """`pufa check` in-process: every problem of the site at `root`."""
    from pufa.checks import check_project
    from pufa.clock import build_today
    from pufa.project import open_project
    project = open_project(root / "mkdocs.yml")
    if isinstance(project, list):
        return project
    return check_project(project, build_today(), **kwargs).problems


@pytest.fixture
def site_root(tmp_path) -> Path:
    """A fresh county site (mkdocs.yml, county.yml, docs/ with its section homes) to add files to."""
    return make_site(tmp_path / "site-src")


@pytest.fixture
def docs(site_root) -> Path:
    """The docs/ folder of a fresh county site."""
    return site_root / "docs"


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


@pytest.fixture(scope="session")
def site_again(site, tmp_path_factory) -> Path:
    """A second build of the real site, from another process, to compare with `site` byte for byte."""
    dest = tmp_path_factory.mktemp("site-again") / "site"
    result = build_site(dest)
    assert result.returncode == 0, result.stderr[-4000:]
    return dest


@pytest.fixture
def project(tmp_path) -> Path:
    """A writable copy of the project's site sources (mkdocs.yml, overrides, docs) for builds that change them."""
    for name in ("mkdocs.yml", "county.yml", "overrides", "docs"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, tmp_path / name)
    return tmp_path


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_tool(path: str, what: str, package: str | None = None) -> None:
    """Skip when a system tool is missing on a developer's machine; fail in CI, where .ci/run installs it."""
    if Path(path).exists():
        return
    message = f"{what} is not installed at {path} (Debian package: apt-get install {package or Path(path).name})"
    if os.environ.get("PUFA_REQUIRE_SYSTEM_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    """A real headless Chromium (Debian's package), driven through Playwright."""
    require_tool(CHROMIUM, "Chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def served(site):
    """The built site over HTTP on 127.0.0.1 (a plain static server, as a host or CDN would serve it)."""
    import functools
    import http.server
    import threading

    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


import http.server as _http_server  # noqa: E402


class QuietHandler(_http_server.SimpleHTTPRequestHandler):
    extensions_map = {**_http_server.SimpleHTTPRequestHandler.extensions_map, ".ics": "text/calendar",
                      ".geojson": "application/geo+json", ".wasm": "application/wasm"}

    def log_message(self, *args):
        pass
