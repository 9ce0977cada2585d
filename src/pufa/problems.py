"""A problem found in a site's files, reported to an editor as `path:line: message`.

What each problem code means and how severe it is lives in one catalogue, `rules.yaml`, as data (as
github/docs keeps its content-lint rules): code → severity and a one-line description in Chinese.
Code that finds a problem names the code and writes the message; the severity comes from the catalogue.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

ERROR = "error"
WARNING = "warning"
_LABEL = {ERROR: "错误", WARNING: "警告"}


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str  # error: the build refuses; warning: reported, the build goes on
    summary: str  # one line in Chinese: what the rule checks


@cache
def catalogue() -> dict[str, Rule]:
    data = yaml.safe_load(resources.files("pufa").joinpath("rules.yaml").read_text("utf-8"))
    rules = {code: Rule(code, entry["severity"], entry["summary"]) for code, entry in data.items()}
    bad = [r.code for r in rules.values() if r.severity not in _LABEL]
    if bad:
        raise ValueError(f"rules.yaml: unknown severity for {bad}")
    return rules


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the site's root, '/'-separated, e.g. docs/laws/fanzha.md
    line: int  # 1-based; 1 when a whole file or its front matter is concerned
    message: str  # Chinese: what is wrong and how to fix it
    severity: str = ERROR
    code: str = ""  # stable rule id from rules.yaml, e.g. yaml-syntax, unknown-key

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def format(self) -> str:
        return f"{self.path}:{self.line}: {_LABEL[self.severity]}：{self.message}"

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the line in the pull request."""
        level = "error" if self.is_error else "warning"
        title = f"pufa {self.code}" if self.code else "pufa"
        msg = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = self.path.replace(",", "%2C").replace(":", "%3A")
        return f"::{level} file={path},line={self.line},title={title}::{msg}"

    def gitlab(self) -> dict:
        """An entry of a GitLab Code Quality report (shown on the merge request's changed lines)."""
        key = f"{self.code}:{self.path}:{self.line}:{self.message}"
        return {
            "description": self.message,
            "check_name": self.code or "pufa",
            "fingerprint": hashlib.sha256(key.encode("utf-8")).hexdigest(),
            "severity": "major" if self.is_error else "minor",
            "location": {"path": self.path, "lines": {"begin": self.line}},
        }


def problem(code: str, path: str, line: int, message: str) -> Problem:
    """A Problem with the severity the catalogue gives `code` (an unknown code is a programming error)."""
    rule = catalogue()[code]
    return Problem(path, max(1, int(line)), message, rule.severity, code)


def gitlab_report(problems: list[Problem]) -> str:
    return json.dumps([p.gitlab() for p in problems], ensure_ascii=False, indent=1) + "\n"
