"""Tools the test suite runs, pinned npm packages fetched by `make test` before pytest starts.

Tests never download: they find the unpacked package in the cache (`pufa.npm.unpacked(…,
download=False)`), and `python tests/npm_tools.py` (the Makefile's test set-up) fetches what is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path


from pufa import npm

# The Nu Html Checker (vnu.jar, MIT), the validator behind validator.w3.org/nu, run with Debian's Java.
VNU = npm.NpmPackage(
    "vnu-jar", "26.9.27",
    "sha512-TkQd5DFfOaWC9ebtvozTsrH2Vaod3jYg+vrOeREzIXxBexLz9+rS2DNtjn7+RPUiZhgli0SghgBX6RJRNea0KA==",
)
PACKAGES = (VNU,)


def vnu_jar() -> Path:
    """The cached vnu.jar; raises npm.FetchError (in Chinese) when `make test` has not fetched it."""
    return npm.unpacked(VNU, download=False) / "build" / "dist" / "vnu.jar"


def main() -> int:
    for package in PACKAGES:
        folder = npm.unpacked(package)
        print(f"{package.name}@{package.version}: {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
