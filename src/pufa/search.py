"""Full-text search: index the built site with Pagefind, so search costs a phone nothing until it is used.

Pages opt in with a `data-pagefind-body` element (the article of every ordinary page); navigation,
header, footer and sidebars are outside it, and `data-pagefind-ignore` removes anything inside it.
What each page adds to the index beyond its text (its keywords and summary as weighted metadata) is
decided in pufa/search_terms.py and written by partials/pufa-search-meta.html.

Pagefind 1.6's extended build segments Chinese into words with ICU4X, close to the browser's
`Intl.Segmenter` that Pagefind uses on the query, so the index holds words (未成年人, 国家安全) and a
page matches a query only when it has the query's words, not merely its characters. Pagefind 1.5
segmented the two sides differently (upstream Pagefind/pagefind#1237), which pufa worked around by
indexing one character per word: bigger chunks to download and more loose matches (BENCHMARKS.md has
the comparison). The PyPI wrapper stops at 1.5.2, so pufa takes Pagefind's own prebuilt program from
its npm platform package, pinned below by version and hash; `make` fetches it once per machine
(`python -m pufa.search fetch`) and the build never downloads anything.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .npm import FetchError, NpmPackage, unpacked

BUNDLE = "pagefind"
# Inside the indexed region but not the page's own content: the ¶ permalink after each heading,
# Material's page buttons, and cards that summarise other pages (a topic's 讲稿, a list's topics or
# places): those pages are in the index themselves, and their summaries here would make this page
# match their words and cost bytes whenever it is a result.
EXCLUDE = (".headerlink", ".md-content__button", ".pufa-cards")
# Pagefind splits its word index into chunks of about this many word positions, and a query downloads
# the chunk holding each of its words. At its default (20,000) a later query at 1,000 pages cost 41–79 KB;
# at 5,000 it costs 14–37 KB and a first query 96–125 KB, for a chunk directory of 13 KB instead of 9 KB
# (BENCHMARKS.md). Pagefind reads it from an environment variable it calls unstable: one more reason
# its version is pinned.
INDEX_CHUNK_SIZE = 5000
# Pagefind writes its ready-made search interfaces too; the site uses its own small one (search.js).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")

# The one place Pagefind's version is pinned: each platform's npm package with its registry integrity
# (`npm view @pagefind/<platform>@<version> dist.integrity`). Each holds a self-contained `pagefind_extended`.
PAGEFIND_VERSION = "1.6.0"
PAGEFIND_PACKAGES = {
    ("linux", "x64"): ("@pagefind/linux-x64", "sha512-IbMSx/+Vr/Xk0TTBlLkjgK+rvnbOXGmmb2/MKxQu99AR5DsqQoV3NKEA9PQz2tAhuCZjeD5xJBp4w5N5DHIC7Q=="),
    ("linux", "arm64"): ("@pagefind/linux-arm64", "sha512-SLB2I+XqCZma8NvIGIH8nyKblgKIxw5PmqsVtofWOKxNHhEtOEsddbqU+hsrNcT3EV0faM6UmKDHVIxcPYq29w=="),
    ("darwin", "arm64"): ("@pagefind/darwin-arm64", "sha512-611gl64aqN12UcMyKPtZ8+vRWBKlJFSh2JgO8uScxa1Eyjo1dXz9r4wZuRno0yCUE/KN0FauEoKZ3KEwUYHCCg=="),
    ("darwin", "x64"): ("@pagefind/darwin-x64", "sha512-rd3ZbtuxyYqjASKZAPuIV7eeQQHJ7VYpoNKKG8CvglaD3g30eT5Nb7XGNLYwVReBsCccpkURwrGwWjSwr8nyQQ=="),
    ("win32", "x64"): ("@pagefind/windows-x64", "sha512-cUA2+yXfbymdJllyMjY5YTBwuOgh0/H53Pn5fYKjDnDjk154Ft4U5RVj3TenWySPL/jG6zJfARUWSlyUyXHlZw=="),
}
# platform.machine() spellings → npm's cpu names.
_CPUS = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}


def pagefind_package(system: str | None = None, machine: str | None = None) -> NpmPackage:
    """The pinned Pagefind package for this computer (or the one named)."""
    system = system or sys.platform
    machine = (machine or platform.machine()).lower()
    key = (system, _CPUS.get(machine, machine))
    if key not in PAGEFIND_PACKAGES:
        supported = "、".join(f"{s} {m}" for s, m in PAGEFIND_PACKAGES)
        raise FetchError(f"Pagefind 没有为这台电脑（{system} {machine}）提供程序；pufa 支持：{supported}。")
    name, integrity = PAGEFIND_PACKAGES[key]
    return NpmPackage(name, PAGEFIND_VERSION, integrity)


def pagefind_binary(*, download: bool = False, cache: Path | None = None) -> Path:
    """The `pagefind_extended` program. Without `download`, a missing one is an error that says what to run."""
    package = pagefind_package()
    try:
        folder = unpacked(package, cache=cache, download=download)
    except FetchError as exc:
        if download:
            raise
        raise FetchError(f"建立搜索索引需要 Pagefind {PAGEFIND_VERSION}（npm 包 {package.name}），这台电脑上还没有。"
                         "请在项目文件夹里运行 make tools（或 .venv/bin/python -m pufa.search fetch）下载一次"
                         "（约 7.5 MB，连不上 npm 官方源时自动改用 npmmirror 镜像），之后构建不再联网。") from exc
    name = "pagefind_extended.exe" if sys.platform == "win32" else "pagefind_extended"
    return folder / "bin" / name


@dataclass(frozen=True)
class SearchStats:
    pages: int  # pages in the index
    skipped: int  # HTML files without a data-pagefind-body region (404, search page, site map …)
    bundle_bytes: int  # size of site/pagefind/ on disk


def index_site(site_dir: Path, *, lang: str = "zh-cn", binary: Path | None = None) -> SearchStats:
    """Index every built page that has a `data-pagefind-body` region into `site_dir/pagefind/`."""
    return IndexJob(site_dir, lang=lang, binary=binary).wait()


class IndexJob:
    """Pagefind running in the background, so the build can write its other files meanwhile."""

    def __init__(self, site_dir: Path, *, lang: str = "zh-cn", binary: Path | None = None):
        binary = binary or pagefind_binary()  # before any work: a missing Pagefind fails the build at once
        self.site_dir = Path(site_dir)
        self.out = self.site_dir / BUNDLE
        self.staging = tempfile.TemporaryDirectory(prefix="pufa-search-")
        self.pages = self.skipped = 0
        # Pagefind reads a copy of the marked pages: the build goes on writing other files into the
        # site (WeChat previews, downloads) while it runs, and those must not be half-read.
        for path in sorted(self.site_dir.rglob("*.html")):
            rel = path.relative_to(self.site_dir).as_posix()
            if rel.startswith(BUNDLE + "/"):
                continue
            html = path.read_bytes()
            if b"data-pagefind-body" not in html:
                self.skipped += 1
                continue
            copy = Path(self.staging.name, rel)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(html)
            self.pages += 1
        if not self.pages:
            self.staging.cleanup()
            raise ValueError("没有页面可以编入搜索索引：模板里找不到 data-pagefind-body 标记（见 pufa/search.py 的说明）。")
        shutil.rmtree(self.out, ignore_errors=True)  # no fragments left over from an earlier build
        self.process = subprocess.Popen(
            [str(binary), "--site", self.staging.name, "--output-path", str(self.out),
             "--force-language", lang, "--exclude-selectors", ", ".join(EXCLUDE), "--silent"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(INDEX_CHUNK_SIZE)})

    def wait(self) -> SearchStats:
        try:
            stdout, stderr = self.process.communicate(timeout=900)
        finally:
            self.staging.cleanup()
        if self.process.returncode != 0:
            raise RuntimeError(f"Pagefind 建立搜索索引失败：{stderr.strip() or stdout.strip()}")
        for name in UNUSED:
            (self.out / name).unlink(missing_ok=True)
        size = sum(f.stat().st_size for f in self.out.rglob("*") if f.is_file())
        return SearchStats(pages=self.pages, skipped=self.skipped, bundle_bytes=size)


def page_url(rel: str) -> str:
    """The site-root URL Pagefind links to: `laws/x/index.html` → `/laws/x/`."""
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def main(argv: list[str]) -> int:
    """`python -m pufa.search fetch`: download the pinned Pagefind once (the Makefile's set-up step)."""
    if argv != ["fetch"]:
        print("用法：python -m pufa.search fetch   （下载并缓存锁定版本的 Pagefind）", file=sys.stderr)
        return 2
    try:
        path = pagefind_binary(download=True)
    except FetchError as exc:
        print(exc, file=sys.stderr)
        return 1
    if os.environ.get("PUFA_VERBOSE"):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
