"""The MkDocs plugin: thin glue between MkDocs events, the content loader and the templates.

Logic lives in the domain modules; each hook here only calls them and hands results on.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import InclusionLevel

from .content import Content, LawTopic, Lecture, Event, Place, load
from . import present

log = get_plugin_logger(__name__)

TEMPLATES = {LawTopic: "law.html", Lecture: "lecture.html", Event: "event.html", Place: "place.html"}


class PufaConfig(Config):
    # The publishing body, shown as the author of content without one.
    publisher = c.Type(str, default="枣阳市司法局")


class PufaPlugin(BasePlugin[PufaConfig]):
    supports_multiple_instances = False

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    def on_config(self, config):
        self.serving = getattr(self, "serving", False)
        self.root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()

    def on_files(self, files, *, config):
        docs = Path(config.docs_dir)
        prefix = os.path.relpath(docs, self.root).replace(os.sep, "/")
        content, problems = load(docs, prefix=prefix)
        errors = [p for p in problems if p.is_error]
        for problem in problems:
            (log.error if problem.is_error else log.info)(problem.format())
        if errors:
            raise PluginError(f"内容检查发现 {len(errors)} 个错误（见上方），网站没有构建。改好后再试，或运行 pufa check 查看。")
        self.content: Content = content
        # Drafts appear in `mkdocs serve` only; MkDocs' own DRAFT level does exactly that.
        self.visible: Content = content.published(include_drafts=self.serving)
        self.records = {r.path: r for r in content.laws + content.lectures + content.events + content.places}
        for file in files.documentation_pages():
            record = self.records.get(file.src_uri)
            if record is None:
                continue
            _set_url(file, record.url)
            if record.draft:
                file.inclusion = InclusionLevel.DRAFT
        return files

    def on_page_markdown(self, markdown, *, page, config, files):
        record = self.records.get(page.file.src_uri)
        if record is not None:
            page.meta["template"] = TEMPLATES[type(record)]
            page.meta["title"] = record.title
        return markdown

    def on_page_context(self, context, *, page, config, nav):
        context["record"] = self.records.get(page.file.src_uri)
        context["content"] = self.visible
        context["pufa"] = present.Presenter(self.visible, publisher=self.config.publisher)
        return context

    def on_env(self, env, *, config, files):
        env.filters["zh_date"] = present.zh_date
        return env


def _set_url(file, url: str) -> None:
    """Give a content page its slug URL; `url` and `abs_dest_path` are cached from dest_uri, so reset them."""
    file.dest_uri = url + "index.html" if file.use_directory_urls else url.rstrip("/") + ".html"
    for cached in ("url", "abs_dest_path"):
        file.__dict__.pop(cached, None)
