"""A problem found in the content, reported to an editor as `path:line: message`."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
_LABEL = {ERROR: "错误", WARNING: "警告"}


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the repository root, '/'-separated, e.g. docs/laws/fanzha.md
    line: int  # 1-based; 1 when a whole file or front matter is concerned
    message: str  # Chinese: what is wrong and how to fix it
    severity: str = ERROR
    code: str = ""  # stable rule id, e.g. yaml-syntax, unknown-key (for tests and filters)

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
