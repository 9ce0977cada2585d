"""The MkDocs plugin: thin glue between MkDocs events, pufa's domain modules and the templates.

Logic lives in the domain modules; each hook here only calls them and hands results on.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel

from . import checks, materials, pages, pictures, places, present, publish, safety, search, search_terms
from .clock import build_today
from .content import Event, LawTopic, Lecture, Place

log = get_plugin_logger(__name__)

THEME = Path(__file__).parent / "theme"
TEMPLATES = {LawTopic: "law.html", Lecture: "lecture.html", Event: "event.html", Place: "place.html"}


class PufaConfig(Config):
    publisher = c.Type(str, default="枣阳市司法局")  # author of content that names none
    calendar_name = c.Type(str, default="枣阳普法·法治宣传日历")
    # The area coordinates must fall in: [south, west, north, east] in degrees (WGS-84).
    bbox = c.ListOfItems(c.Type((int, float)), default=[places.ZAOYANG_BBOX.south, places.ZAOYANG_BBOX.west,
                                                                places.ZAOYANG_BBOX.north, places.ZAOYANG_BBOX.east])
    map_src = c.Type(str, default=places.DEFAULT_SRC)  # app name that map URI APIs ask for
    tianditu_key = c.Type(str, default="")  # a 天地图 browser key; without one the map is a schematic


class PufaPlugin(BasePlugin[PufaConfig]):
    supports_multiple_instances = False
    serving = False

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    def on_config(self, config):
        self.root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        # pufa's own templates sit between the site's custom_dir and Material.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))
        config.extra_css.insert(0, "assets/pufa/pufa.css")
        self.settings = checks.Settings(bbox=places.BoundingBox(*self.config.bbox))
        self.today = build_today()
        self.pictures = pictures.SiteImages(cache_dir=self.root / ".cache" / "pufa" / "images")

    def on_files(self, files, *, config):
        docs = Path(config.docs_dir)
        prefix = os.path.relpath(docs, self.root).replace(os.sep, "/")
        content, problems = checks.check_site(docs, prefix=prefix, settings=self.settings, wechat=False)
        errors = [p for p in problems if p.is_error]
        for problem in problems:
            (log.error if problem.is_error else log.info)(problem.format())
        if errors:
            raise PluginError(f"内容检查发现 {len(errors)} 个错误（见上方），网站没有构建。改好后再试，或运行 pufa check 查看。")
        # Drafts appear in `mkdocs serve` only; MkDocs' own DRAFT level does exactly that.
        self.visible = content.published(include_drafts=self.serving)
        self.records = {r.path: r for r in content.laws + content.lectures + content.events + content.places}
        self.rendered: dict[str, materials.Rendered] = {}
        for file in files.documentation_pages():
            record = self.records.get(file.src_uri)
            if record is not None:
                _set_url(file, record.url)
                if record.draft:
                    file.inclusion = InclusionLevel.DRAFT
        files = self._publish_images(files, config)
        for src_uri, text in pages.generated(self.visible, self.today).items():
            if files.get_file_from_path(src_uri) is None:  # an editor's page of the same name wins
                files.append(File.generated(config, src_uri, content=text))
        self.presenter = present.Presenter(self.visible, publisher=self.config.publisher, today=self.today,
                                           site_url=config.site_url or "", map_src=self.config.map_src,
                                           bbox=self.settings.bbox, tianditu_key=self.config.tianditu_key,
                                           pictures=self.pictures)
        return files

    def _publish_images(self, files, config):
        """Every docs image is published metadata-free, plus resized WebP/JPEG variants for <picture>."""
        docs = os.path.normpath(config.docs_dir)
        found = [f for f in files.media_files()
                 if f.src_uri.lower().endswith(pictures.SUFFIXES) and f.src_dir and os.path.normpath(f.src_dir) == docs]
        self.pictures.prepare(Path(config.docs_dir), [f.src_uri for f in found])
        for file in found:
            files.remove(file)
            files.append(File.generated(config, file.src_uri, abs_src_path=str(self.pictures.clean[file.src_uri])))
        for site_path, path in sorted(self.pictures.published_files().items()):
            if files.get_file_from_path(site_path) is None:
                files.append(File.generated(config, site_path, abs_src_path=str(path)))
        return files

    def on_page_markdown(self, markdown, *, page, config, files):
        record = self.records.get(page.file.src_uri)
        if record is not None:
            page.meta["template"] = TEMPLATES[type(record)]
            page.meta["title"] = record.title
            if record.summary:
                page.meta["description"] = record.summary  # Material's <meta name="description">
        return markdown

    def on_page_content(self, html, *, page, config, files):
        record = self.records.get(page.file.src_uri)
        if isinstance(record, (LawTopic, Lecture, Event)):  # feeds, packs and WeChat start from plain <img>
            self.rendered[record.path] = materials.Rendered(html, tuple(_sections(page.toc)))
        html = self.pictures.rewrite_html(html, page.url, eager_first=not (isinstance(record, Place) and record.photos))
        # The home page's editable text is split where the generated sections go (the comment
        # would not survive sanitizing).
        if pages.SECTIONS_MARKER in html:
            page.meta["pufa_parts"] = [safety.sanitize_html(part) for part in html.split(pages.SECTIONS_MARKER, 1)]
        return safety.sanitize_html(html)

    def on_page_context(self, context, *, page, config, nav):
        context["record"] = self.records.get(page.file.src_uri)
        context["content"] = self.visible
        context["pufa"] = self.presenter
        return context

    def on_env(self, env, *, config, files):
        env.filters["zh_date"] = present.zh_date
        env.filters["tojson_script"] = present.json_for_script
        env.filters["search_meta"] = search_terms.search_meta
        return env

    def on_post_build(self, *, config):
        site = publish.Site(dir=Path(config.site_dir), docs_dir=Path(config.docs_dir),
                            url=(config.site_url or "http://127.0.0.1:8000/").rstrip("/") + "/",
                            name=config.site_name, description=config.site_description or "",
                            publisher=self.config.publisher, calendar_name=self.config.calendar_name, today=self.today,
                            cache_dir=self.root / ".cache" / "pufa")
        indexing = search.IndexJob(site.dir)  # Pagefind works on the pages while the other files are written
        publish.write_all(site, self.visible, self.rendered)
        stats = indexing.wait()
        log.info(f"搜索索引：{stats.pages} 个页面，{stats.bundle_bytes // 1024} KB")


def _sections(toc):
    """Flatten MkDocs' table of contents into (title, anchor, level) sections."""
    for item in toc:
        yield materials.Section(item.title, item.id, item.level)
        yield from _sections(item.children)


def _set_url(file, url: str) -> None:
    """Give a content page its slug URL; `url` and `abs_dest_path` are cached from dest_uri, so reset them."""
    file.dest_uri = url + "index.html" if file.use_directory_urls else url.rstrip("/") + ".html"
    for cached in ("url", "abs_dest_path"):
        file.__dict__.pop(cached, None)
