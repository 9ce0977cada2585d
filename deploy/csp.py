"""The inline scripts a built site runs, as the CSP hashes that allow exactly them.

Material for MkDocs puts two small scripts inline in every page; one of them contains the page's relative
base URL ("..", "../.."), and the 404 page the path of `site_url`. Rather than allowing every inline script
('unsafe-inline'), the Content-Security-Policy in pufa/headers.conf lists their SHA-256 hashes. They change
when Material is upgraded, a template gains an inline script, or `site_url` moves to another path; then
tests/test_nginx.py fails and this script rewrites the list:

    python deploy/csp.py site/                                # print the script-src directive
    python deploy/csp.py site/ --update deploy/pufa/headers.conf
"""

from __future__ import annotations

import base64
import hashlib
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

# Script types a browser executes; data blocks (application/json, application/ld+json) are never run,
# so CSP does not apply to them.
EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
SCRIPT_SRC = re.compile(r"script-src [^;\"]*")


class _InlineScripts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag != "script":
            return
        attrs = dict(attrs)
        if "src" not in attrs and (attrs.get("type") or "").strip().lower() in EXECUTABLE_TYPES:
            self._current = []

    def handle_data(self, data):
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            self._current = None


def inline_script_hashes(site_dir: Path) -> list[str]:
    """The sorted CSP source expressions ('sha256-…') of every executable inline script in the site."""
    hashes = set()
    for page in sorted(Path(site_dir).rglob("*.html")):
        parser = _InlineScripts()
        parser.feed(page.read_text("utf-8"))
        for script in parser.scripts:
            digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
            hashes.add(f"'sha256-{digest}'")
    return sorted(hashes)


def script_src(site_dir: Path) -> str:
    # 'unsafe-inline' only matters to browsers from before CSP level 2 (2015), which ignore hashes;
    # every newer browser ignores 'unsafe-inline' when hashes are present.
    return " ".join(["script-src 'self' 'wasm-unsafe-eval'", *inline_script_hashes(site_dir), "'unsafe-inline'"])


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 3) or (len(argv) == 3 and argv[1] != "--update") or not Path(argv[0]).is_dir():
        print("用法：python deploy/csp.py <网站目录> [--update deploy/pufa/headers.conf]", file=sys.stderr)
        return 2
    directive = script_src(Path(argv[0]))
    if len(argv) == 1:
        print(directive)
        return 0
    conf = Path(argv[2])
    text = conf.read_text("utf-8")
    if len(SCRIPT_SRC.findall(text)) != 1:
        print(f"{conf} 里应当正好有一条 script-src，没有修改。", file=sys.stderr)
        return 1
    conf.write_text(SCRIPT_SRC.sub(lambda _: directive, text), "utf-8")
    print(f"已更新 {conf} 的 script-src。", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
