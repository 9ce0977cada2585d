"""Search: how often each approach puts the expected page first, and what a search costs a phone.

    python scripts/bench_search.py [--pages 1000] [--runs 3] [--out DIR] [--skip-material]

1. Ranking. The real site (docs/, built with PUFA_TODAY pinned) and the queries of tests/search_queries.yaml,
   each run in Chromium; top-1 and top-3 per approach:
     pufa 1.5.2 per character  pufa before issue 18: Pagefind 1.5.2, one Han character per word, the query
                               spaced the same way
     Pagefind 1.5.2            Pagefind 1.5.2 segmenting Chinese itself, the query as typed
     Pagefind 1.6.0            Pagefind 1.6.0 at its defaults, the query as typed
     pufa (this version)       the built site's own index through its search dialog, as readers use it
     Material + jieba          bare Material for MkDocs 9.8.2 with its search plugin and jieba, through its
                               search box (its own environment, as scripts/bench_build.py makes it)
   The first three index the built pages with pufa's search additions taken out (keywords, weights, the
   parts left out of the index), so they show each Pagefind as it comes.
2. Bytes. A synthetic site of N pages (scripts/synthetic_site.py), built by pufa; for the previous issue's
   five queries, what the first query of a visit and a later one (after 宪法) download, headers included,
   text gzipped (scripts/bench_weight.py), against pufa before issue 18 (its index and search.js) on the
   same pages in the same run.
3. Index time at N pages: pufa's index_site against the route before issue 18, R runs each, medians.

Both Pagefind versions come from their npm packages, pinned by hash (pufa.npm).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import bench_build  # noqa: E402
import bench_weight  # noqa: E402
import synthetic_site  # noqa: E402

from pufa import search  # noqa: E402
from pufa.npm import NpmPackage, unpacked  # noqa: E402

TODAY = "2026-12-01"
QUERIES = yaml.safe_load((ROOT / "tests" / "search_queries.yaml").read_text("utf-8"))
OLD_QUERIES = [q["query"] for q in QUERIES if q.get("old")]
# Pagefind 1.5.2 as the PyPI wrapper pufa used before shipped it (same upstream release).
PAGEFIND_152 = NpmPackage("@pagefind/linux-x64", "1.5.2",
                          "sha512-V+tFqHKXhQKq/WqPBD67AFy7scn1/aZID00ws4fSDd+1daSi5UHR9VVlRrOUYKxn3VuFQYRD7lYXdZK1WED1YA==")
PAGEFIND_160 = search.pagefind_package("linux", "x86_64")
# The last commit before issue 18: its search.js is the dialog of the route compared against.
BEFORE = "33c321c"

# --- pufa before issue 18: one Han character per word (from its pufa/search.py) ---------------------
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
BLOCK_END = re.compile(r" +((?:</(?:a|b|strong|em|i|span|code|mark|abbr)>)*"
                       r"</(?:h[1-6]|p|li|dt|dd|th|td|caption|figcaption|blockquote|div|section|article)>)")
TAG_OR_TEXT = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)|([^<]+)""")


def spaced_han(html: str) -> str:
    spaced = TAG_OR_TEXT.sub(lambda m: m[0] if m[1] else HAN.sub(r" \g<0> ", m[0]), html)
    return BLOCK_END.sub(r"\1", spaced)


# pufa's search additions (pufa/search_terms.py, the templates' data-pagefind-* attributes), taken out
# for the plain-Pagefind approaches.
ADDITIONS = (re.compile(r'<span hidden data-pagefind-meta="[^"]*"[^>]*></span>'),
             re.compile(r' data-pagefind-(?:weight="[^"]*"|ignore)'))


def plain(html: str) -> str:
    for pattern in ADDITIONS:
        html = pattern.sub("", html)
    return html


def pagefind_index(site: Path, package: NpmPackage, transform=lambda h: h, *, exclude=search.EXCLUDE[:2],
                   env: dict | None = None) -> float:
    """Index the marked pages of `site` into site/pagefind with the given Pagefind; the seconds it took."""
    binary = unpacked(package) / "bin" / "pagefind_extended"
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    with tempfile.TemporaryDirectory() as staging:
        start = time.perf_counter()
        for path in site.rglob("*.html"):
            html = path.read_text("utf-8")
            if "data-pagefind-body" in html:
                copy = Path(staging, path.relative_to(site))
                copy.parent.mkdir(parents=True, exist_ok=True)
                copy.write_text(transform(html), "utf-8")
        subprocess.run([str(binary), "--site", staging, "--output-path", str(site / "pagefind"), "--force-language",
                        "zh-cn", "--exclude-selectors", ", ".join(exclude), "--silent"],
                       check=True, env={**os.environ, **(env or {})})
        return time.perf_counter() - start


def build_pufa(project: Path, dest: Path) -> None:
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(dest)],
                   cwd=project, check=True, env={**os.environ, "PUFA_TODAY": TODAY, "NO_MKDOCS_2_WARNING": "1"})


# --- ranking ---------------------------------------------------------------------------------------

API_SEARCH = """async ([query, perChar]) => {
  if (!window.pf) { window.pf = await import(new URL("pagefind/pagefind.js", location.href).href); await pf.init(); }
  const han = /[\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}]/gu;
  const found = await pf.search(perChar ? query.replace(han, " $& ").replace(/\\s+/g, " ").trim() : query);
  return Promise.all(found.results.slice(0, 3).map(async r => (await r.data()).url));
}"""
DIALOG_DONE = """() => {
  const status = document.querySelector(".pufa-search__status").textContent;
  return status.startsWith("没有找到") || (status.startsWith("找到") && document.querySelector(".pufa-search__hit"));
}"""
MATERIAL_DONE = """() => {
  const meta = document.querySelector(".md-search-result__meta");
  return meta && !/初始化/.test(meta.textContent);
}"""


def site_path(url: str, base: str) -> str:
    path = url.split("#")[0]
    path = path[len(base):] if path.startswith(base) else path.lstrip("/")
    return path.removesuffix("index.html")


def rank_api(browser, site: Path, per_char: bool) -> dict[str, list[str]]:
    server, base, _ = bench_weight.serve(site)
    page = browser.new_page()
    page.goto(base)
    out = {q["query"]: [site_path(u, "/") for u in page.evaluate(API_SEARCH, [q["query"], per_char])] for q in QUERIES}
    page.close()
    server.shutdown()
    return out


def rank_dialog(browser, site: Path) -> dict[str, list[str]]:
    server, base, _ = bench_weight.serve(site)
    page = browser.new_page()
    page.goto(base + "about/")
    page.locator("a[data-pufa-search]").click()
    box = page.get_by_role("searchbox", name="搜索关键词")
    out = {}
    for q in QUERIES:
        box.fill(q["query"])
        box.press("Enter")
        page.wait_for_function(DIALOG_DONE)
        links = page.locator(".pufa-search__hit").evaluate_all("links => links.map(a => a.href)")
        out[q["query"]] = [site_path(u, base) for u in links[:3]]
    page.close()
    server.shutdown()
    return out


def rank_material(browser, site: Path) -> dict[str, list[str]]:
    server, base, _ = bench_weight.serve(site)
    page = browser.new_page()
    page.goto(base + "about/")
    box = page.locator("input.md-search__input")
    box.click()  # in the header at desktop width
    out = {}
    for q in QUERIES:
        box.fill(q["query"])
        box.press("End")  # Material searches on key events, in its worker
        page.wait_for_timeout(600)
        page.wait_for_function(MATERIAL_DONE, timeout=5000)
        links = page.locator(".md-search-result__item > a.md-search-result__link").evaluate_all(
            "links => links.map(a => a.href)")
        pages = list(dict.fromkeys(site_path(u, base) for u in links))
        out[q["query"]] = pages[:3]
    page.close()
    server.shutdown()
    return out


def material_site(work: Path) -> Path:
    """The same docs/ built by bare Material with its search and jieba (front matter is ignored there)."""
    project = work / "material-project"
    shutil.copytree(ROOT / "docs", project / "docs")
    for page in (project / "docs").rglob("*.md"):  # keep the title; the summary leads the text, as on pufa's pages
        head, body = synthetic_site.front_and_body(page.read_text("utf-8"))
        lead = f"{head['summary']}\n\n" if head.get("summary") else ""
        page.write_text((f"---\ntitle: {head['title']}\n---\n\n" if head.get("title") else "") + lead + body, "utf-8")
    (project / "mkdocs.yml").write_text("site_name: 枣阳普法\ntheme:\n  name: material\n  language: zh\n"
                                        "plugins:\n  - search\n", "utf-8")
    python = bench_build.baseline_python(ROOT / ".cache" / "bench-material-venv")
    subprocess.run([python, "-m", "mkdocs", "build", "-q", "-d", str(work / "material-site")], cwd=project, check=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return work / "material-site"


def score(found: dict[str, list[str]]) -> tuple[int, int, list[str]]:
    first = sum(found[q["query"]][:1] == [q["first"]] for q in QUERIES)
    top3 = sum(q["first"] in found[q["query"]][:3] for q in QUERIES)
    misses = [f"{q['query']} → {found[q['query']][:1] or '（无结果）'}" for q in QUERIES if found[q["query"]][:1] != [q["first"]]]
    return first, top3, misses


# --- bytes and time at N pages ----------------------------------------------------------------------

def route_before(site: Path, dest: Path) -> float:
    """A copy of `site` as pufa before issue 18 served it: its index and its search.js."""
    shutil.copytree(site, dest, ignore=shutil.ignore_patterns("pagefind"))
    old_js = subprocess.run(["git", "show", f"{BEFORE}:src/pufa/theme/assets/pufa/search.js"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    (dest / "assets" / "pufa" / "search.js").write_text(old_js, "utf-8")
    seconds = pagefind_index(dest, PAGEFIND_152, lambda h: spaced_han(plain(h)))
    for name in search.UNUSED:
        (dest / "pagefind" / name).unlink(missing_ok=True)
    return seconds


def timed_index(site: Path) -> float:
    start = time.perf_counter()
    search.index_site(site)
    return time.perf_counter() - start


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / ".cache" / "bench-search")
    parser.add_argument("--skip-material", action="store_true")
    args = parser.parse_args()
    out = args.out.resolve()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    search.pagefind_binary(download=True)

    # 1. Ranking on the real site.
    real = out / "real"
    build_pufa(ROOT, real)
    approaches = {}
    for name, package, per_char in (("pufa 1.5.2 per character", PAGEFIND_152, True),
                                    ("Pagefind 1.5.2", PAGEFIND_152, False), ("Pagefind 1.6.0", PAGEFIND_160, False)):
        copy = out / name.replace(" ", "-")
        shutil.copytree(real, copy, ignore=shutil.ignore_patterns("pagefind"))
        pagefind_index(copy, package, (lambda h: spaced_han(plain(h))) if per_char else plain)
        approaches[name] = (copy, "api", per_char)
    approaches["pufa (this version)"] = (real, "dialog", False)
    if not args.skip_material:
        approaches["Material + jieba"] = (material_site(out), "material", False)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=bench_weight.CHROMIUM, args=bench_weight.ARGS)
        print(f"\n{len(QUERIES)} queries (tests/search_queries.yaml), real site built for {TODAY}\n")
        print("| 方案 | 第一条就是 | 前三条里有 | 没排第一的 |\n|---|---:|---:|---|")
        for name, (site, how, per_char) in approaches.items():
            found = (rank_dialog(browser, site) if how == "dialog" else rank_material(browser, site) if how == "material"
                     else rank_api(browser, site, per_char))
            first, top3, misses = score(found)
            n = len(QUERIES)
            print(f"| {name} | {first}/{n}（{first / n:.0%}） | {top3}/{n}（{top3 / n:.0%}） | {'；'.join(misses[:12])}"
                  f"{'……' if len(misses) > 12 else ''} |")

        # 2. Bytes at N pages.
        synthetic = out / "synthetic"
        synthetic_site.write(args.pages, synthetic)
        site = out / "site-pufa"
        build_pufa(synthetic / "pufa", site)
        before = out / "site-before"
        route_before(site, before)
        print(f"\n{args.pages} pages: bytes a search downloads (headers included, text gzipped)\n")
        print("| 搜索词 | 本次访问第一次搜索 | 之后再搜 | 改版前：第一次 | 改版前：之后再搜 |\n|---|---:|---:|---:|---:|")
        rows = {}
        for label, folder in (("pufa", site), ("before", before)):
            server, base, meter = bench_weight.serve(folder)
            url = bench_weight.page_urls(folder)["法律专题"]
            for query, first, later in bench_weight.measure_search(browser, base, meter, url):
                rows.setdefault(query, []).extend([first, later])
            server.shutdown()
        for query, (first, later, old_first, old_later) in rows.items():
            print(f"| {query} | {kb(first)} | {kb(later)} | {kb(old_first)} | {kb(old_later)} |")
        browser.close()

    # 3. Index time at N pages, alternating the two routes.
    times = {"pufa": [], "before": []}
    for _ in range(args.runs):
        times["before"].append(pagefind_index(before, PAGEFIND_152, lambda h: spaced_han(plain(h))))
        times["pufa"].append(timed_index(site))
    new, old = statistics.median(times["pufa"]), statistics.median(times["before"])
    size = lambda folder: sum(f.stat().st_size for f in (folder / "pagefind").rglob("*") if f.is_file()) / 1e6  # noqa: E731
    print(f"\nIndex at {args.pages} pages, median of {args.runs}: pufa {new:.1f} s ({size(site):.1f} MB), "
          f"before issue 18 {old:.1f} s ({size(before):.1f} MB); ratio {new / old:.2f}")


if __name__ == "__main__":
    main()
