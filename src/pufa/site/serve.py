"""`pufa serve`: MkDocs' live preview (drafts included), for editors.

Three things differ from `mkdocs serve`: the address is printed in Chinese at the start; a rebuild that
fails shows pufa's own messages (file, line, what to do) instead of MkDocs' "Aborted with a BuildError!";
and while the content is broken, every page request gets an error page listing those messages (which
reloads itself once the file is fixed) instead of hanging until the build works again.
"""

from __future__ import annotations

import html
import logging
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError, ConfigurationError
from mkdocs.livereload import LiveReloadServer, _serve_url

log = logging.getLogger("mkdocs.plugins.pufa")


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server that answers with an error page while the last build failed."""

    failure: bytes | None = None

    def _serve_request(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if self.failure is not None and not path.startswith("/livereload/") and (path.endswith("/") or path.endswith(".html")):
            content = self._inject_js_into_html(self.failure, self._visible_epoch)
            start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8"),
                                                         ("Content-Length", str(len(content)))])
            return [content]
        return super()._serve_request(environ, start_response)


def error_page(messages: list[str]) -> bytes:
    items = "".join(f"<li><code>{html.escape(m)}</code></li>" for m in messages) or "<li>（没有收到具体说明）</li>"
    return ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>预览暂停：内容有错误</title>"
            "<style>body{font:16px/1.7 system-ui,sans-serif;max-width:52em;margin:2em auto;padding:0 1em;color:#222}"
            "code{white-space:pre-wrap;word-break:break-all}li{margin:.6em 0}</style></head><body>"
            "<h1>预览暂停：内容有错误</h1><p>改好下面列出的问题并保存文件后，这一页会自动刷新。</p>"
            f"<ol>{items}</ol></body></html>").encode("utf-8")


def serve_site(*, config_file: str, dev_addr: str = "127.0.0.1:8000") -> int:
    site_dir = tempfile.mkdtemp(prefix="pufa-preview-")

    def get_config():
        return load_config(config_file=config_file, site_dir=site_dir, dev_addr=dev_addr)

    try:
        config = get_config()
    except (ConfigurationError, OSError) as exc:
        print(f"无法启动预览：mkdocs.yml 无法读取或有误：{exc}", file=sys.stderr)
        return 1
    config.plugins.on_startup(command="serve", dirty=False)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    serve_url = _serve_url(host, port, mount_path)
    server: PreviewServer | None = None

    def builder(config=None):
        config = config or get_config()
        config.site_url = serve_url
        collect = _Collect()
        logging.getLogger("mkdocs").addHandler(collect)
        try:
            build(config, serve_url=serve_url, dirty=False)
            if server is not None:
                server.failure = None
            print(f"预览已更新：{serve_url}", file=sys.stderr)
        except (Abort, BuildError, ConfigurationError) as exc:
            messages = [m for m in collect.messages if "Aborted with a BuildError" not in m] or [str(exc)]
            if server is not None:
                server.failure = error_page(messages)
            print("预览没有更新：内容有错误，浏览器里会显示下面这些问题。改好保存后会自动重新构建。", file=sys.stderr)
        finally:
            logging.getLogger("mkdocs").removeHandler(collect)

    server = PreviewServer(builder=builder, host=host, port=port, root=site_dir, mount_path=mount_path)
    try:
        builder(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
            county = Path(config.config_file_path).parent / "county.yml"
            if county.is_file():
                server.watch(str(county))
        print(f"本地预览地址：{serve_url}（含草稿；按 Ctrl+C 停止）", file=sys.stderr)
        try:
            server.serve()
        except KeyboardInterrupt:
            print("预览已停止。", file=sys.stderr)
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0
