"""Full-text search: index the built site with Pagefind, so search costs a phone nothing until it is used.

Pages opt in with a `data-pagefind-body` element (the article of every ordinary page); navigation,
header, footer and sidebars are outside it, and `data-pagefind-ignore` removes anything inside it.

Chinese is indexed one Han character per word. Pagefind 1.5 segments Chinese with one dictionary when
indexing and with the browser's `Intl.Segmenter` when searching; the two disagree (未成年人 is indexed as
未成 + 年 + 人 but searched as 未成年 + 人), so multi-word queries such as 未成年人网络保护 found nothing
(upstream Pagefind/pagefind#1237). With single characters on both sides every query matches, and
Pagefind's ranking (titles and headings weigh more) still puts the page about the query first. The search
script (assets/pufa/search.js) splits queries the same way, and removes the spaces again when it shows
titles and excerpts.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

BUNDLE = "pagefind"
# Inside the indexed region but not content: the ¶ permalink after each heading, Material's page buttons.
EXCLUDE = (".headerlink", ".md-content__button")
# Han characters; search.js uses exactly the same ranges.
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
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
    site_dir = Path(site_dir)
    pages = {}
    skipped = 0
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        if rel.startswith(BUNDLE + "/"):
            continue
        html = path.read_text("utf-8")
        if "data-pagefind-body" not in html:
            skipped += 1
            continue
        pages[page_url(rel)] = spaced_han(html)
    if not pages:
        raise ValueError("没有页面可以编入搜索索引：模板里找不到 data-pagefind-body 标记（见 pufa/search.py 的说明）。")
    out = site_dir / BUNDLE
    shutil.rmtree(out, ignore_errors=True)  # no fragments left over from an earlier build
    asyncio.run(_write_index(pages, out, lang))
    for name in UNUSED:
        (out / name).unlink(missing_ok=True)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    return SearchStats(pages=len(pages), skipped=skipped, bundle_bytes=size)


def page_url(rel: str) -> str:
    """The site-root URL Pagefind links to: `laws/x/index.html` → `/laws/x/`."""
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def spaced_han(html: str) -> str:
    """Put a space on both sides of every Han character in the text of `html` (tags stay untouched)."""
    return TAG_OR_TEXT.sub(lambda m: m[0] if m[1] else HAN.sub(r" \g<0> ", m[0]), html)


async def _write_index(pages: dict[str, str], out: Path, lang: str) -> None:
    # Pages go in sorted by URL, so the same site gives the same index files. Leaving the `async with`
    # writes the files; the output path must be in the config, or it also writes to ./pagefind.
    config = IndexConfig(force_language=lang, exclude_selectors=list(EXCLUDE), output_path=str(out))
    async with PagefindIndex(config) as index:
        for url in sorted(pages):
            await index.add_html_file(content=pages[url], url=url)
