"""The real site, precompressed, nginx by a real nginx with deploy/'s configuration, checked over HTTP.

One nginx serves two servers: deploy/nginx.conf (the site on its own host name) and
deploy/nginx-subpath.conf (the site under /pufa/ of a county portal). Only the listen address and
the site folder are substituted; everything else is the deployable configuration as committed.

The test binds the listening sockets itself (port 0: the kernel picks free ports) and hands them to nginx
as inherited sockets (the NGINX environment variable nginx reads on start), so no port is ever released
and taken again: parallel tests cannot race for it.
"""

from __future__ import annotations

import gzip
import http.client
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import pytest

from pufa.release.compress import precompress

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX = Path("/usr/sbin/nginx")
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
REQUIRED = os.environ.get("PUFA_REQUIRE_SYSTEM_TOOLS") == "1"

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
HOUR = "public, max-age=3600"
HTML = "text/html; charset=utf-8"
OCTETS = "application/octet-stream"

pytestmark = pytest.mark.build

# Sample files the site does not publish (yet), each written only where the real build has no such file.
RSS = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>枣阳普法</title>'
       + "<item><title>宪法宣传周活动</title><description>用平实的话讲清楚法律。</description></item>" * 8
       + "</channel></rss>").encode()
ATOM = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>枣阳普法</title>'
        + "<entry><title>宪法宣传周活动</title><summary>用平实的话讲清楚法律。</summary></entry>" * 8 + "</feed>").encode()
ICS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//pufa//test//ZH\r\n"
       + "BEGIN:VEVENT\r\nUID:x@pufa\r\nDTSTART;VALUE=DATE:20261204\r\nSUMMARY:国家宪法日\r\nEND:VEVENT\r\n" * 6
       + "END:VCALENDAR\r\n").encode()
GEOJSON = ('{"type":"FeatureCollection","features":['
           + ",".join('{"type":"Feature","geometry":{"type":"Point","coordinates":[112.77,32.13]},'
                      '"properties":{"name":"宪法文化公园"}}' for _ in range(4)) + "]}").encode()
SAMPLES = {
    "feed.xml": RSS,
    "atom.xml": ATOM,
    "calendar.ics": ICS,
    "places.geojson": GEOJSON,
    "site.webmanifest": b'{"name":"\xe6\x9e\xa3\xe9\x98\xb3\xe6\x99\xae\xe6\xb3\x95","start_url":"./"}',
    "samples/data.json": b'{"ok":true}',
    "samples/photo.webp": b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00",
    "samples/photo-20230920.jpg": b"\xff\xd8\xff\xe0 not a real jpeg",
    "samples/3f9c0a1b2c3d4e5f6a7b-960w.webp": b"RIFF image variant",
    "samples/search.wasm": b"\0asm\x01\0\0\0",
    "pagefind/fragment/zh_b3e323d.pf_fragment": gzip.compress(b"{}", mtime=0),
    "pagefind/index/zh_b22231b.pf_index": gzip.compress(b"{}", mtime=0),
    "pagefind/pagefind.zh_6153b4c778.pf_meta": gzip.compress(b"{}", mtime=0),
    "pagefind/wasm.zh.pagefind": gzip.compress(b"\0asm", mtime=0),
    ".hidden.txt": b"never nginx",
}


@dataclass(frozen=True)
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


@dataclass(frozen=True)
class NginxSite:
    site: Path  # the folder nginx serves
    base: str  # http://127.0.0.1:<port> (deploy/nginx.conf)
    portal: str  # http://127.0.0.1:<port>/pufa (deploy/nginx-subpath.conf)
    brotli: bool  # whether the brotli_static module is loaded


def require(path: Path, what: str) -> None:
    """Skip when a system tool is missing on a developer's machine; fail in CI, which installs it."""
    if path.exists():
        return
    message = f"{what} is not installed at {path}"
    if REQUIRED:
        pytest.fail(message)
    pytest.skip(message)


def fetch(url: str, *, encoding: str | None = None, timeout: float = 10) -> Response:
    """One GET without following redirects; without `encoding` http.client asks for identity."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("GET", parts.path, headers={"Accept-Encoding": encoding} if encoding else {})
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()


def listening_sockets(count: int) -> list[socket.socket]:
    """Sockets listening on ports the kernel chose, for nginx to inherit."""
    sockets = []
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(128)
        s.set_inheritable(True)
        sockets.append(s)
    return sockets


def substituted(text: str, replacements: dict[str, str]) -> str:
    """Replace lines of a deployable file; each must occur exactly once, or the test layout is stale."""
    for old, new in replacements.items():
        assert text.count(old) == 1, f"expected exactly one {old!r} in the deploy configuration"
        text = text.replace(old, new)
    return text


def start_nginx(folder: Path, site: Path, sockets: list[socket.socket], *, with_brotli: bool) -> subprocess.Popen:
    ports = [s.getsockname()[1] for s in sockets]
    conf = folder / "conf"
    shutil.copytree(DEPLOY / "pufa", conf / "pufa")
    if not with_brotli:
        site_conf = conf / "pufa" / "site.conf"
        site_conf.write_text(substituted(site_conf.read_text("utf-8"), {"brotli_static on;": ""}), "utf-8")
    (conf / "site.conf").write_text(substituted((DEPLOY / "nginx.conf").read_text("utf-8"), {
        "listen 80;": f"listen 127.0.0.1:{ports[0]};",
        "listen [::]:80;": "",
        "root /var/www/pufa;": f'root "{site}";',
    }), "utf-8")
    portal = substituted((DEPLOY / "nginx-subpath.conf").read_text("utf-8"), {"alias /var/www/pufa/;": f'alias "{site}/";'})
    (conf / "portal.conf").write_text(f"server {{\n    listen 127.0.0.1:{ports[1]};\n{portal}\n}}\n", "utf-8")
    temp = folder / "temp"
    temp.mkdir()
    lines = [
        "user root root;" if os.geteuid() == 0 else "",  # workers must read the root-owned tmp folder
        f"load_module {BROTLI_MODULE};" if with_brotli else "",
        "worker_processes 1;",
        f'pid "{folder / "nginx.pid"}";',
        f'error_log "{folder / "error.log"}" warn;',
        "events { worker_connections 64; }",
        "http {",
        "    access_log off;",
        *(f'    {kind}_temp_path "{temp / kind}";' for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")),
        "    include site.conf;",
        "    include portal.conf;",
        "}",
    ]
    (conf / "nginx.conf").write_text("\n".join(lines) + "\n", "utf-8")
    log = folder / "error.log"
    fds = [s.fileno() for s in sockets]
    try:
        process = subprocess.Popen(
            [str(NGINX), "-p", str(folder), "-e", str(log), "-c", str(conf / "nginx.conf"), "-g", "daemon off;"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, pass_fds=fds,
            env={**os.environ, "NGINX": "".join(f"{fd};" for fd in fds)},  # nginx's inherited listening sockets
        )
    finally:
        for s in sockets:
            s.close()  # nginx holds its own copies now
    # The sockets listen already, so a connection succeeds at once: wait for nginx to answer one.
    deadline = time.monotonic() + 10
    for port in ports:
        while True:
            if process.poll() is not None:
                pytest.fail(f"nginx exited with {process.returncode}:\n{log.read_text('utf-8', 'replace')}")
            try:
                fetch(f"http://127.0.0.1:{port}/", timeout=0.5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    process.kill()
                    process.wait()
                    pytest.fail(f"nginx did not answer on {port}:\n{log.read_text('utf-8', 'replace')}")
                time.sleep(0.05)
    return process


@pytest.fixture(scope="module")
def nginx(site, tmp_path_factory) -> NginxSite:
    require(NGINX, "nginx (Debian package nginx)")
    with_brotli = BROTLI_MODULE.exists()
    if not with_brotli and REQUIRED:
        pytest.fail(f"the brotli_static module is missing at {BROTLI_MODULE} (Debian package libnginx-mod-http-brotli-static)")
    folder = tmp_path_factory.mktemp("nginx")
    copy = folder / "site"
    shutil.copytree(site, copy)
    for rel, data in SAMPLES.items():
        target = copy / rel
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    precompress(copy)
    sockets = listening_sockets(2)
    ports = [s.getsockname()[1] for s in sockets]
    process = start_nginx(folder, copy, sockets, with_brotli=with_brotli)
    try:
        yield NginxSite(copy, f"http://127.0.0.1:{ports[0]}", f"http://127.0.0.1:{ports[1]}/pufa", with_brotli)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def first_page(site: Path, folder: str, *, skip: re.Pattern) -> str:
    """The URL of the first page directly under `folder`, so the test follows the content as it grows."""
    pages = sorted(p.parent.name for p in (site / folder).glob("*/index.html") if not skip.fullmatch(p.parent.name))
    assert pages, f"the built site has no page under {folder}/"
    return f"/{folder}/{pages[0]}/"


@pytest.fixture(scope="module")
def pages(nginx) -> dict[str, str]:
    return {
        "home": "/",
        "law topic": "/laws/anti-telecom-fraud/",
        "lecture": "/laws/anti-telecom-fraud/school/",
        "events index": "/events/",
        "event": first_page(nginx.site, "events", skip=re.compile(r"\d{4}")),  # not the month archives
        "places index": "/parks/",
        "place": first_page(nginx.site, "parks", skip=re.compile(r"kinds")),
        "self-test": "/laws/anti-telecom-fraud/questions/",
        "test paper": "/laws/anti-telecom-fraud/paper/",
    }


@pytest.fixture(scope="module")
def assets(nginx) -> dict[str, str]:
    """Material's fingerprinted stylesheet and script."""
    css = sorted(nginx.site.glob("assets/stylesheets/main.*.min.css"))
    js = sorted(nginx.site.glob("assets/javascripts/bundle.*.min.js"))
    assert css and js, "Material's main.<hash>.min.css or bundle.<hash>.min.js is missing"
    return {"css": "/" + css[0].relative_to(nginx.site).as_posix(), "js": "/" + js[0].relative_to(nginx.site).as_posix()}


def local_file(nginx: NginxSite, path: str) -> bytes:
    rel = path.lstrip("/")
    file = nginx.site / rel / "index.html" if path.endswith("/") else nginx.site / rel
    return file.read_bytes()


def csp_directives(value: str) -> dict[str, list[str]]:
    directives = {}
    for part in value.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_security_headers(response: Response) -> None:
    csp = response.header("Content-Security-Policy")
    assert csp, "no Content-Security-Policy"
    policy = csp_directives(csp)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "'wasm-unsafe-eval'" in policy["script-src"]
    assert policy["img-src"] == ["'self'", "data:"]
    # Nothing from other hosts in any directive.
    assert not [s for sources in policy.values() for s in sources if "://" in s or s in ("*", "http:", "https:")]
    assert response.header("X-Content-Type-Options") == "nosniff"
    assert response.header("X-Frame-Options") == "SAMEORIGIN"
    assert response.header("Referrer-Policy") == "strict-origin-when-cross-origin"
    permissions = response.header("Permissions-Policy") or ""
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert response.header("Server") == "nginx", "server_tokens off: no version number"


PAGE_KINDS = ["home", "law topic", "lecture", "events index", "event", "places index", "place"]


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_page_type(nginx, pages, kind):
    response = fetch(nginx.base + pages[kind])
    assert response.status == 200
    assert response.header("Content-Type") == HTML
    assert response.header("Cache-Control") == SHORT
    assert response.header("Content-Encoding") is None
    assert response.body == local_file(nginx, pages[kind])
    assert_security_headers(response)


ENCODED = ["home", "law topic", "lecture", "css", "js", "/sitemap.xml", "/calendar.ics", "/feed.xml"]


@pytest.mark.parametrize("accept, expected", [
    ("br", "br"),
    ("gzip, deflate, br", "br"),  # what browsers send: brotli wins
    ("gzip", "gzip"),
    (None, None),
])
@pytest.mark.parametrize("what", ENCODED)
def test_precompressed_copies_by_accept_encoding(nginx, pages, assets, what, accept, expected):
    if "br" in (accept or "") and not nginx.brotli:
        expected = "gzip" if "gzip" in accept else None
    path = pages.get(what) or assets.get(what) or what
    original = local_file(nginx, path)
    response = fetch(nginx.base + path, encoding=accept)
    assert response.status == 200
    assert response.header("Content-Encoding") == expected
    decoded = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[expected](response.body)
    assert decoded == original
    # Every representation says it varies, so caches and CDNs keep one per encoding.
    assert "Accept-Encoding" in (response.header("Vary") or "")
    assert_security_headers(response)


def test_all_encodings_share_one_last_modified(nginx, pages):
    dates = {fetch(nginx.base + pages["law topic"], encoding=e).header("Last-Modified") for e in ("br", "gzip", None)}
    assert len(dates) == 1


@pytest.mark.parametrize("path, content_type, cache", [
    ("/sitemap.xml", "application/xml; charset=utf-8", SHORT),
    ("/feed.xml", "application/rss+xml; charset=utf-8", SHORT),
    ("/atom.xml", "application/atom+xml; charset=utf-8", SHORT),
    ("/calendar.ics", "text/calendar; charset=utf-8", SHORT),
    ("/places.geojson", "application/geo+json", SHORT),
    ("/site.webmanifest", "application/manifest+json", SHORT),
    ("/samples/data.json", "application/json", SHORT),
    ("/samples/photo.webp", "image/webp", HOUR),
    ("/samples/photo-20230920.jpg", "image/jpeg", HOUR),  # a date is not a content hash
    ("/samples/3f9c0a1b2c3d4e5f6a7b-960w.webp", "image/webp", IMMUTABLE),  # pufa's image variants are
    ("/samples/search.wasm", "application/wasm", HOUR),
    ("/assets/images/favicon.png", "image/png", HOUR),
    ("/pagefind/fragment/zh_b3e323d.pf_fragment", OCTETS, IMMUTABLE),
    ("/pagefind/index/zh_b22231b.pf_index", OCTETS, IMMUTABLE),
    ("/pagefind/pagefind.zh_6153b4c778.pf_meta", OCTETS, IMMUTABLE),
    ("/pagefind/wasm.zh.pagefind", OCTETS, HOUR),
])
def test_types_and_cache_lifetimes(nginx, path, content_type, cache):
    response = fetch(nginx.base + path)
    assert response.status == 200
    assert response.header("Content-Type") == content_type
    assert response.header("Cache-Control") == cache
    assert_security_headers(response)


@pytest.mark.parametrize("what, content_type", [
    ("css", "text/css; charset=utf-8"),
    ("js", "text/javascript; charset=utf-8"),
])
def test_fingerprinted_assets_are_immutable(nginx, assets, what, content_type):
    response = fetch(nginx.base + assets[what], encoding="br")
    assert response.status == 200
    assert response.header("Content-Type") == content_type
    assert response.header("Cache-Control") == IMMUTABLE
    assert_security_headers(response)


@pytest.mark.parametrize("accept", [None, "gzip", "br"])
def test_missing_page_is_the_sites_404(nginx, accept):
    response = fetch(nginx.base + "/laws/no-such-law/", encoding=accept)
    assert response.status == 404
    assert response.header("Content-Type") == HTML
    assert response.header("Cache-Control") == SHORT
    body = {"br": brotli.decompress, "gzip": gzip.decompress}.get(response.header("Content-Encoding"), bytes)(response.body)
    assert body == (nginx.site / "404.html").read_bytes()
    assert_security_headers(response)


def test_hidden_files_are_not_served(nginx):
    response = fetch(nginx.base + "/.hidden.txt")
    assert response.status == 404
    assert response.body == (nginx.site / "404.html").read_bytes()
    assert_security_headers(response)


def test_directory_without_slash_redirects_relatively(nginx, pages):
    response = fetch(nginx.base + pages["law topic"].rstrip("/"))
    assert response.status == 301
    assert response.header("Location") == pages["law topic"]
    assert_security_headers(response)


@pytest.mark.parametrize("kind", ["home", "law topic", "lecture"])
def test_site_under_a_portal_sub_path(nginx, pages, kind):
    response = fetch(nginx.portal + pages[kind], encoding="gzip, br")
    assert response.status == 200
    assert response.header("Content-Type") == HTML
    assert response.header("Cache-Control") == SHORT
    assert response.header("Content-Encoding") == ("br" if nginx.brotli else "gzip")
    decoded = brotli.decompress(response.body) if nginx.brotli else gzip.decompress(response.body)
    assert decoded == local_file(nginx, pages[kind])
    assert_security_headers(response)


def test_sub_path_assets_404_and_redirects(nginx, assets, pages):
    css = fetch(nginx.portal + assets["css"])
    assert css.status == 200 and css.header("Cache-Control") == IMMUTABLE
    assert css.body == local_file(nginx, assets["css"])
    feed = fetch(nginx.portal + "/feed.xml")
    assert feed.header("Content-Type") == "application/rss+xml; charset=utf-8"
    missing = fetch(nginx.portal + "/no-such-page/")
    assert missing.status == 404 and missing.body == (nginx.site / "404.html").read_bytes()
    bare = fetch(nginx.portal)
    assert bare.status == 301 and bare.header("Location") == "/pufa/"
    folder = fetch(nginx.portal + pages["law topic"].rstrip("/"))
    assert folder.status == 301 and folder.header("Location") == "/pufa" + pages["law topic"]
    for response in (css, feed, missing, bare, folder):
        assert_security_headers(response)


# ---------------------------------------------------------------------------------------------
# The script hashes in the policy: checked against the built site, and in a real browser
# ---------------------------------------------------------------------------------------------

def load_csp_script():
    spec = importlib.util.spec_from_file_location("pufa_deploy_csp", DEPLOY / "csp.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def configured_policy() -> dict[str, list[str]]:
    text = (DEPLOY / "pufa" / "headers.conf").read_text("utf-8")
    values = re.findall(r'add_header Content-Security-Policy "([^"]+)" always;', text)
    assert len(values) == 1
    return csp_directives(values[0])


def test_policy_allows_exactly_the_inline_scripts_of_the_built_site(site):
    allowed = {s for s in configured_policy()["script-src"] if s.startswith("'sha256-")}
    built = set(load_csp_script().inline_script_hashes(site))
    assert built, "Material's inline scripts were not found"
    assert allowed == built, (
        "The inline scripts changed (a Material upgrade, a template, or site_url). Update the policy with:\n"
        "    .venv/bin/pufa build && .venv/bin/python deploy/csp.py site --update deploy/pufa/headers.conf")


def test_csp_script_rewrites_the_policy(site, tmp_path):
    conf = tmp_path / "headers.conf"
    current = (DEPLOY / "pufa" / "headers.conf").read_text("utf-8")
    conf.write_text(re.sub(r"'sha256-[^']+' ", "", current), "utf-8")  # as after a Material upgrade
    csp = load_csp_script()
    assert csp.main([str(site), "--update", str(conf)]) == 0
    updated = conf.read_text("utf-8")
    assert csp.SCRIPT_SRC.findall(updated) == [csp.script_src(site)]
    assert csp.SCRIPT_SRC.sub("", updated) == csp.SCRIPT_SRC.sub("", current)


@pytest.mark.browser
def test_pages_run_under_the_policy_in_chromium(nginx, pages, browser):
    """Material's inline scripts and pufa's run, and the browser reports no policy violation."""
    page = browser.new_page()
    try:
        messages = []
        page.on("console", lambda m: messages.append(m.text))
        page.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
        material = [pages["home"], pages["lecture"], pages["event"], pages["place"], "/laws/no-such-law/"]
        # The WeChat article previews are pages of their own, with a script of their own.
        others = [first_page(nginx.site, "wechat", skip=re.compile(""))] if (nginx.site / "wechat").is_dir() else []
        for path in material + others:
            page.goto(nginx.base + path, wait_until="load")
            page.wait_for_timeout(200)
            assert page.evaluate("window.__violations") == [], path
            if path in material:
                assert page.evaluate("typeof __md_get === 'function'"), path  # Material's inline head script ran
        assert not [m for m in messages if "Content Security Policy" in m], messages
    finally:
        page.close()
