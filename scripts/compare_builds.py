"""Compare two builds of a site file by file: what a refactor changed in the published output.

    python scripts/compare_builds.py OLD_SITE NEW_SITE            # two built site folders
    python scripts/compare_builds.py --ref 33c321c                # build that commit and the working tree
    python scripts/compare_builds.py OLD NEW --show laws/x/index.html   # a unified diff of one file

Both builds must use the same day and timestamp (PUFA_TODAY, SOURCE_DATE_EPOCH; --ref sets them), so
that every difference is a change in pufa, not in the calendar. Compressed copies (.gz, .br) and Pagefind's
binary index are summarised, not diffed. Prints identical / changed / only-old / only-new counts by kind.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAY, EPOCH = "2026-12-02", "1764633600"


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def kind(rel: str) -> str:
    if rel.startswith("pagefind/"):
        return "pagefind"
    if rel.endswith((".gz", ".br")):
        return "compressed"
    return Path(rel).suffix or "(none)"


def compare(old: Path, new: Path) -> dict[str, Counter]:
    a, b = files(old), files(new)
    report = {"identical": Counter(), "changed": Counter(), "only old": Counter(), "only new": Counter()}
    for rel in sorted(a.keys() | b.keys()):
        if rel not in b:
            report["only old"][kind(rel)] += 1
        elif rel not in a:
            report["only new"][kind(rel)] += 1
        else:
            report["identical" if a[rel] == b[rel] else "changed"][kind(rel)] += 1
    return report


def show(old: Path, new: Path, rel: str) -> str:
    def lines(path: Path) -> list[str]:
        text = path.read_text("utf-8", errors="replace") if path.is_file() else ""
        return re.sub(r">\s*<", ">\n<", text).split("\n")
    return "\n".join(difflib.unified_diff(lines(old / rel), lines(new / rel), f"old/{rel}", f"new/{rel}", lineterm=""))


def build(source: Path, dest: Path) -> None:
    env = {**os.environ, "PUFA_TODAY": DAY, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": str(source / "src")}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(dest)], cwd=source, env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("old", nargs="?")
    parser.add_argument("new", nargs="?")
    parser.add_argument("--ref", help="build this git commit and the working tree, then compare them")
    parser.add_argument("--show", help="print a diff of this site-relative file")
    args = parser.parse_args()
    if args.ref:
        work = Path(tempfile.mkdtemp(prefix="pufa-compare-"))
        subprocess.run(["git", "worktree", "add", "-q", "--detach", str(work / "src"), args.ref], cwd=ROOT, check=True)
        try:
            build(work / "src", work / "old")
            build(ROOT, work / "new")
            old, new = work / "old", work / "new"
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(work / "src")], cwd=ROOT, check=True)
    else:
        old, new = Path(args.old), Path(args.new)
    if args.show:
        print(show(old, new, args.show))
        return 0
    for name, counts in compare(old, new).items():
        print(f"{name:10} {sum(counts.values()):5}  " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
