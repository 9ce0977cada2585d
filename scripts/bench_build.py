"""Build time and memory of pufa against bare Material on the same synthetic site, in the same run.

    python scripts/bench_build.py [N] [--runs R] [--out DIR]     (defaults: 1000 pages, 3 runs, .cache/bench-N)

Generates the site with scripts/synthetic_site.py, then for each project runs R cold builds (no `.cache/`)
and R warm builds (right after, `.cache/` kept) of `mkdocs build`, each in a fresh process into an empty
output folder, and reports the medians: wall time, time per source page, peak memory (RSS) and output size,
with pufa's figures as ratios of Material's. pufa's build includes its Pagefind index (the plugin runs
pufa.search.index_site after the build), which is also timed again on its own; and it times pufa's
production build (`pufa build`: build, link verification, precompressed copies).

The built sites stay in DIR/site-pufa and DIR/site-material for scripts/bench_weight.py.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import synthetic_site  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """Run a command; return (wall seconds, peak RSS in MB). Fails loudly with the command's output.
    Linux's wait4 reports the peak of the process and of the children it waited for (Pagefind)."""
    log = cwd / "bench.log"
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env or ENV, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{log.read_text('utf-8', 'replace')[-3000:]}")
    return wall, usage.ru_maxrss / 1024


def size_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


# Bare Material as a Chinese site runs it: its search plugin segments Chinese with jieba whenever jieba
# is importable (the baseline of ~60 ms a page). pufa's environment has no jieba, so the
# baseline gets its own environment with exactly these versions.
BASELINE_PACKAGES = ["mkdocs==1.6.1", "mkdocs-material==9.8.2", "jieba==0.42.1"]


def baseline_python(folder: Path) -> str:
    python = folder / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *BASELINE_PACKAGES], check=True)
    return str(python)


def build_runs(project: Path, site: Path, runs: int, python: str = sys.executable) -> dict[str, list[tuple[float, float]]]:
    cmd = [python, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    out: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": []}
    for _ in range(runs):
        # Both start from an empty output folder (MkDocs would first delete the old one, timed);
        # only the cold build also starts without pufa's `.cache/` (resized images).
        shutil.rmtree(project / ".cache", ignore_errors=True)
        shutil.rmtree(site, ignore_errors=True)
        out["cold"].append(run(cmd, project))
        shutil.rmtree(site)
        out["warm"].append(run(cmd, project))
    return out


def median(pairs: list[tuple[float, float]], i: int) -> float:
    return statistics.median(p[i] for p in pairs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="?", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--without-jieba", action="store_true",
                        help="measure bare Material in pufa's environment, where its search has no jieba")
    args = parser.parse_args()
    out = (args.out or ROOT / ".cache" / f"bench-{args.pages}").resolve()
    synthetic_site.write(args.pages, out)
    pufa, material = out / "pufa", out / "material"
    sites = {"pufa": out / "site-pufa", "material": out / "site-material"}

    material_python = sys.executable if args.without_jieba else baseline_python(ROOT / ".cache" / "bench-material-venv")
    results = {"pufa": build_runs(pufa, sites["pufa"], args.runs),
               "material": build_runs(material, sites["material"], args.runs, material_python)}
    print(f"Baseline: bare Material {'without' if args.without_jieba else 'with'} jieba.")

    # The Pagefind index on its own (part of pufa's build above), and the production build.
    code = f"from pufa.search import index_site; index_site(__import__('pathlib').Path({str(sites['pufa'])!r}))"
    index_times = [run([sys.executable, "-c", code], pufa) for _ in range(args.runs)]
    production = [run([sys.executable, "-m", "pufa.cli", "build", "-f", "mkdocs.yml", "-d", str(out / "site-pufa-production")], pufa)
                  for _ in range(args.runs)]

    n = args.pages
    print(f"\n{n} source pages; pufa writes {sum(1 for _ in sites['pufa'].rglob('index.html'))} HTML pages, "
          f"Material {sum(1 for _ in sites['material'].rglob('index.html'))}. Medians of {args.runs} runs.\n")
    print("| | pufa | Material | pufa ÷ Material |\n|---|---:|---:|---:|")
    for phase in ("cold", "warm"):
        p, m = median(results["pufa"][phase], 0), median(results["material"][phase], 0)
        print(f"| mkdocs build, {phase}: wall | {p:.1f} s | {m:.1f} s | {p / m:.2f} |")
        print(f"| mkdocs build, {phase}: per page | {p / n * 1000:.1f} ms | {m / n * 1000:.1f} ms | {p / m:.2f} |")
        p, m = median(results["pufa"][phase], 1), median(results["material"][phase], 1)
        print(f"| mkdocs build, {phase}: peak memory | {p:.0f} MB | {m:.0f} MB | {p / m:.2f} |")
    p, m = size_mb(sites["pufa"]), size_mb(sites["material"])
    print(f"| output size | {p:.1f} MB | {m:.1f} MB | {p / m:.2f} |")
    print(f"| of which the Pagefind index (timed on its own) | {median(index_times, 0):.1f} s, "
          f"{median(index_times, 1):.0f} MB | – | – |")
    print(f"| search files | {size_mb(sites['pufa'] / 'pagefind'):.1f} MB | "
          f"{size_mb(sites['material'] / 'search'):.1f} MB (search_index.json) | |")
    print(f"| pufa build (production: + verification, .gz/.br copies) | {median(production, 0):.1f} s, "
          f"{median(production, 1):.0f} MB | – | – |")


if __name__ == "__main__":
    main()
