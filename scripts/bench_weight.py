"""Measure what a phone downloads: bytes per page type, and what a search costs, in a real Chromium.

    python scripts/bench_weight.py SITE [BASELINE_SITE]
    python scripts/bench_weight.py --serve SITE [PORT]     (serve only, as below; prints the page types)

SITE is a built pufa site (with pagefind/), BASELINE_SITE optionally the same pages built by bare Material
(scripts/synthetic_site.py makes both; scripts/bench_build.py builds them). Each is served on 127.0.0.1 by
a static server that gzips text (level 6, as a typical nginx) and lets browsers cache for an hour.
Bytes are what crossed the network (headers included), per resource type:

  first visit   a fresh browser opens the page
  warm cache    the same browser first opened the home page, then this page
  search        a fresh browser on a content page opens search and runs one query, then a second one

Needs Debian's chromium at /usr/bin/chromium and the playwright package (both used by the tests).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import re
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
COMPRESS = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ics", ".geojson", ".wasm"}
QUERIES = ["电信诈骗", "未成年人网络保护", "国家安全教育日", "宪法宣传周", "法治文化公园"]
# Page type → a URL pattern (site-relative); the first built page that matches is measured.
PAGE_TYPES = {
    "首页": r"^$",
    "法律专题列表": r"^laws/$",
    "法律专题": r"^laws/[a-z0-9-]+/$",
    "讲稿": r"^laws/[a-z0-9-]+/(organ|school|enterprise|community|village|unit)/$",
    "活动列表": r"^events/$",
    "活动": r"^events/[a-z0-9-]+/$",
    "阵地列表": r"^parks/$",
    "知识自测": r"^laws/[a-z0-9-]+/questions/$",
    "测试卷": r"^laws/[a-z0-9-]+/paper/$",
}


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when the browser accepts it, cacheable for an hour; counts what it sends.

    Counting on the server sees every request, including those of Pagefind's web worker, and none
    that the browser answered from its cache."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm"}
    gz_cache: dict[str, bytes] = {}
    sent: list[tuple[str, int]] = []  # (path, bytes of headers and body)

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "public, max-age=3600")
        self.sent.append((self.path, sum(len(line) for line in self._headers_buffer) + 2))
        super().end_headers()

    def copyfile(self, source, outputfile):
        body = source.read()
        try:
            outputfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            return  # the browser cancelled the request (Pagefind does when a newer query starts)
        self.sent.append((self.path, len(body)))

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in COMPRESS or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        key = str(path)
        if key not in self.gz_cache:
            self.gz_cache[key] = gzip.compress(path.read_bytes(), 6)
        body = self.gz_cache[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path, port: int = 0) -> tuple[http.server.ThreadingHTTPServer, str, "Meter"]:
    handler = type("SiteHandler", (Handler,), {"gz_cache": {}, "sent": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/", Meter(handler.sent)


class Meter:
    """Bytes the server sent since the last `take()`, per kind of file."""

    def __init__(self, sent: list):
        self.sent = sent
        self.seen = 0

    def take(self) -> dict[str, int]:
        new, self.seen = self.sent[self.seen:], len(self.sent)
        out: dict[str, int] = {}
        for path, size in new:
            kind = kind_of(path.split("?")[0])
            out[kind] = out.get(kind, 0) + size
        return out


def kind_of(path: str) -> str:
    if "/pagefind/" in path or path.endswith("/search.css"):
        return "搜索"
    suffix = Path(path).suffix
    if path.endswith("/") or suffix == ".html":
        return "HTML"
    return {".css": "CSS", ".js": "JS", ".png": "图片", ".jpg": "图片", ".jpeg": "图片", ".webp": "图片",
            ".svg": "图片", ".woff2": "字体", ".json": "数据", ".xml": "数据"}.get(suffix, "其他")


def page_urls(site: Path) -> dict[str, str]:
    urls = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html"))
    urls = ["" if u == "./" else u for u in urls]
    found = {}
    for kind, pattern in PAGE_TYPES.items():
        match = next((u for u in urls if re.match(pattern, u)), None)
        if match is not None:
            found[kind] = match
    return found


def settle(page) -> None:
    page.wait_for_load_state("networkidle")


def measure_pages(browser, base: str, meter: Meter, urls: dict[str, str]) -> dict[str, tuple[dict, dict]]:
    out = {}
    for kind, url in urls.items():
        context = browser.new_context()
        page = context.new_page()
        meter.take()
        page.goto(base + url)
        settle(page)
        first = meter.take()
        context.close()

        context = browser.new_context()
        page = context.new_page()
        page.goto(base + ("about/" if url == "" else ""))  # warm the cache on another page
        settle(page)
        meter.take()
        page.goto(base + url)
        settle(page)
        warm = meter.take()
        context.close()
        out[kind] = (first, warm)
    return out


def measure_search(browser, base: str, meter: Meter, url: str) -> list[tuple[str, int, int]]:
    """(query, bytes for the first query of a visit, bytes for the same query as a second query)."""

    def search(queries: list[str]) -> int:
        """Open a fresh visit, run the queries in turn; the bytes the last one loaded."""
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + url)
        settle(page)
        meter.take()
        page.locator("a[data-pufa-search]").click()
        box = page.get_by_role("searchbox")
        box.wait_for()
        for i, query in enumerate(queries):
            box.fill(query)
            if i < len(queries) - 1:
                page.locator(".pufa-search__hit").first.wait_for()
            else:
                page.wait_for_timeout(400)
            settle(page)
            loaded = sum(meter.take().values())
        context.close()
        return loaded

    # A first query loads Pagefind itself; "宪法" first makes the measured query a second one.
    return [(query, search([query]), search(["宪法", query])) for query in QUERIES]


def table(results: dict[str, tuple[dict, dict]]) -> str:
    kinds = ["HTML", "CSS", "JS", "图片", "字体", "数据", "搜索", "其他"]
    used = [k for k in kinds if any(k in f or k in w for f, w in results.values())]
    lines = ["| 页面类型 | 首次访问合计 | " + " | ".join(used) + " | 缓存后合计 |",
             "|---|---:|" + "---:|" * len(used) + "---:|"]
    for kind, (first, warm) in results.items():
        lines.append(f"| {kind} | {kb(sum(first.values()))} | "
                     + " | ".join(kb(first.get(k, 0)) for k in used) + f" | {kb(sum(warm.values()))} |")
    return "\n".join(lines)


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit(__doc__)
    if argv[0] == "--serve":  # for scripts/bench_lighthouse.sh: serve, list the page types, run until killed
        site = Path(argv[1])
        server, base, _ = serve(site, int(argv[2]) if len(argv) > 2 else 0)
        for kind, url in page_urls(site).items():
            print(f"{kind}\t{base}{url}", flush=True)
        threading.Event().wait()
    sites = [Path(a) for a in argv[:2]]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for label, site in zip(("pufa", "Material（基线）"), sites):
            server, base, meter = serve(site)
            urls = page_urls(site)
            print(f"\n## {label}: {site}\n")
            print(table(measure_pages(browser, base, meter, urls)))
            if (site / "pagefind" / "pagefind.js").exists():
                content = urls.get("法律专题", "")
                print("\n| 搜索词 | 本次访问的第一次搜索 | 第二次搜索（已加载 Pagefind） |\n|---|---:|---:|")
                for query, first, second in measure_search(browser, base, meter, content):
                    print(f"| {query} | {kb(first)} | {kb(second)} |")
            server.shutdown()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
