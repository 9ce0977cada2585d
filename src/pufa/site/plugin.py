"""The MkDocs plugin: thin glue between MkDocs' events, pufa's checks, views and outputs, and the templates.

Order of a build, by event:
  on_config     the project (county.yml, options); symbolic links refused before MkDocs walks docs/
  on_files      every source-level check (the same as `pufa check`); slug URLs, drafts, the national pack,
                generated pages; every view worked out once
  on_page_*     MkDocs renders each page; pufa reads what it rendered (the same review `pufa check` runs),
                then sanitizes it last (priority −100), keeping one sanitized Article for every channel
  on_env        all problems at once, in Chinese at Markdown lines, or the build stops here
  on_page_context  each template gets its page's view
  on_post_build the outputs (feeds, packs, WeChat, calendars, data) from the same Articles; the search index
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from markupsafe import Markup, escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger

from .. import checks, outputs, search_terms, urls
from ..cache import cache_root
from ..checks import rendering, tree
from ..clock import build_today
from ..content.loader import SECTION_TEMPLATES, SECTIONS_MARKER
from ..content.records import Event, LawTopic, Lecture, Place, QuestionBank
from ..outputs.article import Article, Section
from ..places.maplinks import DEFAULT_SRC
from ..project import from_config
from . import files as site_files, govmeta, pages, pictures, sanitize, views

log = get_plugin_logger(__name__)

THEME = Path(__file__).parent / "theme"
TEMPLATES = {LawTopic: "law.html", Lecture: "lecture.html", Event: "event.html", Place: "place.html",
             QuestionBank: "questions.html"}
CURRENT: dict[str, str] = {}  # the page being built, for `pufa build` to name if something unexpected fails


class PufaConfig(Config):
    county = c.Type(str, default="county.yml")  # the site's county data, beside mkdocs.yml
    map_src = c.Type(str, default=DEFAULT_SRC)  # the app name map URI APIs ask for
    tianditu_key = c.Type(str, default="")  # a 天地图 browser key; without one the map is a schematic
    national_pack = c.Type(bool, default=True)  # include pufa's national observance days
    pack_exclude = c.ListOfItems(c.Type(str), default=[])  # slugs of national pages this site leaves out
    calendar_name = c.Type(str, default="")  # default: <site_name>·法治宣传日历


class PufaPlugin(BasePlugin[PufaConfig]):
    supports_multiple_instances = False
    serving = False

    def on_startup(self, *, command, dirty):
        # `pufa serve`, and a pull request's preview build (`pufa build --drafts`), show drafts too.
        self.serving = command == "serve" or os.environ.get("PUFA_DRAFTS") == "1"

    def on_config(self, config):
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))
        config.extra_css.insert(0, "assets/pufa/pufa.css")
        self.project = from_config(config, self.config)
        self.today = build_today()
        self.cache = cache_root(self.project.root)
        errors = [p for p in self.project.problems if p.is_error]
        # A symbolic link can make MkDocs' own walk of docs/ endless: refuse it before MkDocs starts.
        links = [p for p in tree.check_tree(self.project.docs_dir, self.project.docs_shown)[0] if p.code == "symlink"]
        _stop(errors + links)
        return config

    def on_files(self, files, *, config):
        project = self.project
        result = checks.check_project(project, self.today, render=False, wechat=False, drafts=self.serving)
        for found in result.problems:
            (log.error if found.is_error else log.info)(found.format())
        _stop(result.errors)
        self.loaded = result.loaded
        self.content = result.content.published(include_drafts=self.serving)
        self.pictures = pictures.SiteImages(cache_dir=self.cache / "images")
        files = self._publish_images(files, config)
        generated = pages.generated_pages(self.content, self.today)
        self.generated = {page.src_uri: page for page in generated}
        files = site_files.arrange(files, config, self.loaded, generated_routes=[p.route for p in generated],
                                   drafts=self.serving)
        preface = configure(config.theme.get_env()).get_template("partials/pufa-preface.html")
        ctx = views.Context(self.content, project.county, self.today, project.site_url, self.pictures,
                            self.config.map_src, self.config.tianditu_key,
                            lambda p: Markup(preface.render(preface=p)))
        self.views = views.build_views(ctx, {p.src_uri: (p.kind, p.key) for p in generated})
        self.records = {r.path: r for r in (*self.content.laws, *self.content.lectures, *self.content.events,
                                             *self.content.places, *self.content.banks)}
        self.articles: dict[str, Article] = {}
        self.home_parts: dict[str, tuple[Markup, Markup]] = {}
        self.review = rendering.Review(self.loaded, files, project.config_shown, project.config_text)
        self.problems = []
        self.reported: set = set()
        self.capture = contextlib.ExitStack()
        self.messages = self.capture.enter_context(rendering.captured())
        self.seen = 0
        return files

    def _publish_images(self, files, config):
        """Every docs image is published metadata-free, plus resized WebP/JPEG variants for <picture>."""
        docs = os.path.normpath(config.docs_dir)
        found = [f for f in files.media_files()
                 if f.src_uri.lower().endswith(pictures.SUFFIXES) and f.src_dir and os.path.normpath(f.src_dir) == docs]
        self.pictures.prepare(Path(config.docs_dir), [f.src_uri for f in found])
        for file in found:
            files.remove(file)
            files.append(site_files.generated(config, file.src_uri, abs_src_path=str(self.pictures.clean[file.src_uri])))
        for route, path in sorted(self.pictures.published_files().items()):
            if files.get_file_from_path(route) is None:
                files.append(site_files.generated(config, route, abs_src_path=str(path)))
        return files

    def on_page_markdown(self, markdown, *, page, config, files):
        src = page.file.src_uri
        source = self.loaded.sources.get(src)
        CURRENT["page"] = source.shown if source else src
        record = self.records.get(src)
        generated = self.generated.get(src)
        meta = page.meta
        if record is not None:
            meta["template"] = TEMPLATES[type(record)]
            meta["title"] = record.title
            if record.summary:
                meta["description"] = record.summary  # Material's <meta name="description">
        elif generated is not None:
            meta.update(template=generated.template, title=generated.title)
        elif src in SECTION_TEMPLATES:
            meta["template"] = SECTION_TEMPLATES[src]
        else:
            meta.pop("template", None)  # a free page always uses the plain layout: other templates need a view
        # Material prints these into attributes and <title> without escaping: hand it escaped text.
        for key in ("title", "description"):
            if isinstance(meta.get(key), str):
                meta[key] = escape(meta[key])
        return markdown

    @event_priority(-100)  # last: no other plugin changes a body after it is sanitized
    def on_page_content(self, html, *, page, config, files):
        src = page.file.src_uri
        self.problems += self.review.messages(self.messages[self.seen:])
        self.seen = len(self.messages)
        self.problems += self.review.body(src, page.url, html)
        record = self.records.get(src)
        if record is not None and not isinstance(record, Place):
            self.articles[record.path] = Article(record, self.views.articles.get(record.path, ""), sanitize.sanitize_html(html),
                                                 tuple(_sections(page.toc)))
        eager = not (isinstance(record, Place) and record.photos)
        if SECTIONS_MARKER in html:  # the home page's text before and after its generated sections
            before, after = html.split(SECTIONS_MARKER, 1)
            self.home_parts[src] = tuple(Markup(self._finish(part, page.url, eager)) for part in (before, after))
        return Markup(self._finish(html, page.url, eager))

    def _finish(self, html: str, page_url: str, eager: bool) -> str:
        return sanitize.sanitize_html(self.pictures.rewrite_html(html, page_url, eager_first=eager))

    def on_env(self, env, *, config, files):
        self._report()
        env.globals["gov"] = govmeta.identifiers(config.extra.get("gov"), self.project.publisher or config.site_author or "", config.site_url)
        return configure(env)

    def _report(self, *, last: bool = False) -> None:
        """Every problem found in what MkDocs rendered so far; the build stops at the first report with errors.
        MkDocs checks anchors after writing the pages, so a last report comes before the outputs are written."""
        self.problems += self.review.messages(self.messages[self.seen:])
        self.seen = len(self.messages)
        if last:
            self.capture.close()
        fresh = sorted(set(self.problems) - self.reported)
        self.reported |= set(fresh)
        for found in fresh:
            (log.error if found.is_error else log.info)(found.format())
        _stop([p for p in fresh if p.is_error])

    def on_template_context(self, context, *, template_name, config):
        """Theme pages without a Markdown source (404.html): no view, not indexed."""
        context.update(view=None, parts=None, article_page=False, searchable=False, search_meta={},
                       meta_info=govmeta.head(None, context.get("nav"), None, self.content, self.project.publisher))
        return context

    def on_build_error(self, *, error):
        if hasattr(self, "capture"):
            self.capture.close()

    def on_page_context(self, context, *, page, config, nav):
        src = page.file.src_uri
        context["view"] = self.views.get(src)
        context["parts"] = self.home_parts.get(src)
        context["article_page"] = src in self.records
        context["searchable"] = src not in self.generated  # generated lists repeat what the content pages say
        context["search_meta"] = (search_terms.search_meta(self.records.get(src), self.content, str(page.title or ""))
                                  if context["searchable"] else {})
        context["meta_info"] = govmeta.head(page, nav, self.records.get(src), self.content, self.project.publisher)
        return context

    def on_post_build(self, *, config):
        self._report(last=True)
        from ..search import IndexJob
        project = self.project
        site = outputs.Site(dir=Path(config.site_dir), url=urls.absolute(project.site_url or "http://127.0.0.1:8000/", ""),
                            name=config.site_name, description=config.site_description or "", publisher=project.publisher,
                            calendar_name=self.config.calendar_name or f"{config.site_name}·法治宣传日历", today=self.today,
                            cache_dir=self.cache)
        indexing = IndexJob(site.dir)  # Pagefind works on the pages while the other files are written
        sources = self.loaded.sources
        outputs.write_all(site, self.content, self.articles, source_bytes=lambda r: sources[r.path].file.read_bytes(),
                          facts=lambda law: views.law_preface(law).facts)
        stats = indexing.wait()
        log.info(f"搜索索引：{stats.pages} 个页面，{stats.bundle_bytes // 1024} KB")


def _stop(errors) -> None:
    if errors:
        for found in errors:
            log.error(found.format())
        raise PluginError(f"内容检查发现 {len(errors)} 个错误（见上方），网站没有构建。改好后再试，或运行 pufa check 查看。")


def _sections(toc):
    """Flatten MkDocs' table of contents into (title, anchor, level) sections."""
    for item in toc:
        yield Section(item.title, item.id, item.level)
        yield from _sections(item.children)


def configure(env):
    """pufa's templates escape everything they print (the markup they print is Markup made in Python);
    Material's own templates keep their settings."""
    own = frozenset(p.relative_to(THEME).as_posix() for p in THEME.rglob("*.html"))
    env.autoescape = lambda name: name in own
    env.filters["zh_date"] = views.zh_date
    env.globals["urls"] = urls  # templates take every route from the one module that owns them
    return env
