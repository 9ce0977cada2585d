"""Full-text search: index the built site with Pagefind, so search costs a phone nothing until it is used.

Pages opt in with a `data-pagefind-body` element (the article of every ordinary page); navigation,
header, footer and sidebars are outside it, and `data-pagefind-ignore` removes anything inside it.

Chinese is indexed one Han character per word. Pagefind 1.5 segments Chinese with one dictionary when
indexing and with the browser's `Intl.Segmenter` when searching, and the two disagree: 未成年人 is indexed
as 未成 + 年 + 人 but searched as 未成年 + 人, 国家安全 indexed as 国家 + 安全 but searched whole, so
未成年人网络保护 and 国家安全教育日 missed the pages about them (upstream Pagefind/pagefind#1237).
With single characters on both sides every query matches what the page says, and Pagefind's ranking
(titles and headings weigh more) puts the page about the query first. The search script
(assets/pufa/search.js) splits queries the same way and takes the spaces out again when it shows
titles and excerpts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path


BUNDLE = "pagefind"
# Inside the indexed region but not content: the ¶ permalink after each heading, Material's page buttons.
EXCLUDE = (".headerlink", ".md-content__button")
# Han characters; search.js uses exactly the same ranges.
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# Spaces before the end of a block (possibly after closing inline tags), see spaced_han().
BLOCK_END = re.compile(r" +((?:</(?:a|b|strong|em|i|span|code|mark|abbr)>)*"
                       r"</(?:h[1-6]|p|li|dt|dd|th|td|caption|figcaption|blockquote|div|section|article)>)")
# A tag (quoted attribute values may contain ">") or a run of text between tags.
TAG_OR_TEXT = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)|([^<]+)""")
# Pagefind writes its ready-made search interfaces too; the site uses its own small one (search.js).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


@dataclass(frozen=True)
class SearchStats:
    pages: int  # pages in the index
    skipped: int  # HTML files without a data-pagefind-body region (404, search page, site map …)
    bundle_bytes: int  # size of site/pagefind/ on disk


def index_site(site_dir: Path, *, lang: str = "zh-cn") -> SearchStats:
    """Index every built page that has a `data-pagefind-body` region into `site_dir/pagefind/`."""
    return IndexJob(site_dir, lang=lang).wait()


class IndexJob:
    """Pagefind running in the background, so the build can write its other files meanwhile."""

    def __init__(self, site_dir: Path, *, lang: str = "zh-cn"):
        self.site_dir = Path(site_dir)
        self.out = self.site_dir / BUNDLE
        self.staging = tempfile.TemporaryDirectory(prefix="pufa-search-")
        self.pages = self.skipped = 0
        # Pagefind reads the pages from a copy with the Han characters spaced out, a whole folder at a
        # time (the Python client waits 0.1 s for each page sent on its own: 100 s for 1,000 pages).
        for path in sorted(self.site_dir.rglob("*.html")):
            rel = path.relative_to(self.site_dir).as_posix()
            if rel.startswith(BUNDLE + "/"):
                continue
            html = path.read_text("utf-8")
            if "data-pagefind-body" not in html:
                self.skipped += 1
                continue
            copy = Path(self.staging.name, rel)
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(spaced_han(html), "utf-8")
            self.pages += 1
        if not self.pages:
            self.staging.cleanup()
            raise ValueError("没有页面可以编入搜索索引：模板里找不到 data-pagefind-body 标记（见 pufa/search.py 的说明）。")
        shutil.rmtree(self.out, ignore_errors=True)  # no fragments left over from an earlier build
        # The pagefind command (shipped in the pagefind package) exits only when every file is written;
        # the package's asyncio client can return earlier, and it clashes with a running event loop.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pagefind", "--site", self.staging.name, "--output-path", str(self.out),
             "--force-language", lang, "--exclude-selectors", ", ".join(EXCLUDE), "--silent"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

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


def spaced_han(html: str) -> str:
    """Put a space on both sides of every Han character in the text of `html` (tags stay untouched).

    Not before the end of a block, though: Pagefind separates blocks in excerpts with a full stop
    only when a block's text does not end in a space."""
    spaced = TAG_OR_TEXT.sub(lambda m: m[0] if m[1] else HAN.sub(r" \g<0> ", m[0]), html)
    return BLOCK_END.sub(r"\1", spaced)
