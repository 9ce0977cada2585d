"""Compare Pagefind's own Chinese segmentation with pufa's one-character words, on a built site.

    python scripts/bench_search.py SITE [QUERY ...]

Indexes a copy of SITE twice: as Pagefind indexes Chinese by itself (extended build, zh-cn), and as
pufa.search.index_site does (one word per Han character). Then runs each query through Pagefind's
JavaScript API in Chromium, as the browser would, and prints the number of results and the first three
for both. Run it after a Pagefind upgrade: once upstream Pagefind/pagefind#1237 is fixed, the plain
segmentation may do as well, with a smaller index.
"""

from __future__ import annotations

import asyncio
import functools
import http.server
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from pufa.search import EXCLUDE, index_site

QUERIES = ["电信诈骗", "未成年人网络保护", "国家安全教育日", "宪法宣传周", "法治文化公园", "刷单", "家庭暴力",
           "被骗了怎么办", "出租银行卡", "12348"]
SEARCH = """async ([query, perChar]) => {
  const pf = await import(new URL("/pagefind/pagefind.js", location.href).href);
  const han = /[\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}]/gu;
  const term = perChar ? query.replace(han, " $& ").replace(/\\s+/g, " ").trim() : query;
  const found = await pf.search(term);
  const top = await Promise.all(found.results.slice(0, 3).map(r => r.data()));
  return [found.results.length, top.map(d => d.url)];
}"""


def native_index(site: Path, out: Path) -> None:
    """Pagefind on the unchanged pages (only those with data-pagefind-body, as index_site takes)."""
    from pagefind.index import IndexConfig, PagefindIndex

    with tempfile.TemporaryDirectory() as staging:
        for path in site.rglob("*.html"):
            rel = path.relative_to(site)
            if rel.parts[0] != "pagefind" and "data-pagefind-body" in (html := path.read_text("utf-8")):
                (Path(staging) / rel).parent.mkdir(parents=True, exist_ok=True)
                (Path(staging) / rel).write_text(html, "utf-8")

        async def write():
            config = IndexConfig(force_language="zh-cn", exclude_selectors=list(EXCLUDE), output_path=str(out))
            async with PagefindIndex(config) as index:
                await index.add_directory(staging)

        asyncio.run(write())


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit(__doc__)
    site, queries = Path(argv[0]), argv[1:] or QUERIES
    with tempfile.TemporaryDirectory() as work:
        native, per_char = Path(work, "native"), Path(work, "per-char")
        for copy in (native, per_char):
            shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind"))
        native_index(native, native / "pagefind")
        index_site(per_char)
        sizes = {name: sum(f.stat().st_size for f in (folder / "pagefind" / "index").iterdir()) / 1e6
                 for name, folder in (("native", native), ("per-char", per_char))}
        print(f"index files: Pagefind's segmentation {sizes['native']:.2f} MB, one character per word "
              f"{sizes['per-char']:.2f} MB\n")
        print("| 搜索词 | Pagefind 自带分词：结果数，前三 | 按字索引（pufa）：结果数，前三 |\n|---|---|---|")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--headless"])
            rows = {q: [] for q in queries}
            for folder, per in ((native, False), (per_char, True)):
                server, base = serve(folder)
                page = browser.new_page()
                page.goto(base)
                for query in queries:
                    count, top = page.evaluate(SEARCH, [query, per])
                    rows[query].append(f"{count}：" + "、".join(top))
                page.close()
                server.shutdown()
            browser.close()
        for query, (a, b) in rows.items():
            print(f"| {query} | {a} | {b} |")


if __name__ == "__main__":
    main(sys.argv[1:])
