"""What one county costs to start and to build: the figures behind deploy/README.md's scale story.

    python scripts/bench_county.py [--runs R] [--out DIR]        (defaults: 3 runs, .cache/bench-county)

Measures, each in a fresh process and reported as the median of R runs:

- a new county: `pufa init` (non-interactive, the test county 示例县), `pufa check`, then `pufa build`
  (production build: pages, outputs, search index, verification, precompressed copies), cold;
- this repository's site (枣阳): `pufa build` cold (no build cache) and warm (cache kept, as a daily
  rebuild on a runner that keeps `.cache/` would be), plus plain `mkdocs build` (the same plugin, without
  verification and precompression) cold and warm as the baseline of the same run, so that the production
  build's extra work shows as a ratio.

Wall time and peak memory (bench_build.run) for each; output size for the builds. Dates are pinned (PUFA_TODAY, SOURCE_DATE_EPOCH) so that runs are comparable.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from bench_build import run, size_mb  # noqa: E402

BIN = Path(sys.executable).parent
TEST_COUNTY = ["--county", "示例县", "--short-name", "示例", "--code", "999999", "--prefecture", "示例市",
               "--province", "示例省", "--publisher", "示例县司法局", "--site-url", "https://pufa.example.gov.cn/",
               "--towns", "城关镇,河东镇,示例街道", "--bbox", "31.60,112.40,32.50,113.20", "--yes"]


def cached(env: dict, cache: Path) -> dict:
    return {**env, "PUFA_CACHE_DIR": str(cache)}


def median(rows: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / ".cache" / "bench-county")
    args = parser.parse_args()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PUFA_TODAY": "2026-12-02", "SOURCE_DATE_EPOCH": "1764633600"}
    pufa, mkdocs = str(BIN / "pufa"), str(BIN / "mkdocs")
    out = args.out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)

    new = {"init": [], "check": [], "build": []}
    for i in range(args.runs):
        site, cache = out / f"new-{i}" / "site-src", out / f"new-{i}" / "cache"
        site.parent.mkdir()
        new["init"].append(run([pufa, "init", str(site), *TEST_COUNTY], site.parent, cached(env, cache)))
        new["check"].append(run([pufa, "check"], site, cached(env, cache)))
        new["build"].append(run([pufa, "build", "-d", str(site / "site")], site, cached(env, cache)))
    new_size = size_mb(site / "site")
    new_pages = len(list((site / "site").rglob("index.html")))

    # 枣阳's site, from a copy of its sources (nothing is written into the repository).
    src = out / "zaoyang"
    src.mkdir()
    for name in ("mkdocs.yml", "county.yml", "overrides", "docs"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, src / name)
    real = {"mkdocs cold": [], "mkdocs warm": [], "pufa build cold": [], "pufa build warm": []}
    for i in range(args.runs):
        cache = out / f"cache-{i}"
        real["mkdocs cold"].append(run([mkdocs, "build", "-q", "-d", str(out / "mk")], src, cached(env, out / f"mk-{i}")))
        real["mkdocs warm"].append(run([mkdocs, "build", "-q", "-d", str(out / "mk")], src, cached(env, out / f"mk-{i}")))
        real["pufa build cold"].append(run([pufa, "build", "-d", str(out / "site")], src, cached(env, cache)))
        real["pufa build warm"].append(run([pufa, "build", "-d", str(out / "site")], src, cached(env, cache)))
    real_size = size_mb(out / "site")
    real_pages = len(list((out / "site").rglob("index.html")))

    print(f"runs: {args.runs}; machine: {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    print(f"\nnew county (示例县, {new_pages} pages, {new_size:.1f} MB):")
    for step, rows in new.items():
        wall, rss = median(rows)
        print(f"  pufa {step:<6} {wall:6.1f} s  {rss:6.0f} MB")
    total = sum(median(rows)[0] for rows in new.values())
    print(f"  init + check + build: {total:.1f} s")
    base = median(real["mkdocs cold"])[0]
    print(f"\n枣阳 ({real_pages} pages, {real_size:.1f} MB with precompressed copies):")
    for step, rows in real.items():
        wall, rss = median(rows)
        print(f"  {step:<16} {wall:6.1f} s  {rss:6.0f} MB  ×{wall / base:.2f} of mkdocs build")


if __name__ == "__main__":
    main()
