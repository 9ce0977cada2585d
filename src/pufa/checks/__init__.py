"""Every check an editor's change goes through, in one place: `pufa check` and the build run the same ones.

The order follows the files' life: which files may be published at all (tree), what each file says
(content loader: format, schema, plain text), what its body contains line by line (markdown), its images,
the rules that need more than one field (location, calendar, lecture guidance), references between files,
and finally what the page renders to (rendering: MkDocs' own links, anchors and navigation, and what the
sanitizer would remove). Each problem carries a code from rules.yaml, which decides its severity.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..content.loader import Loaded, load
from ..content.records import Content, Event, LawTopic, Lecture, Place, QuestionBank
from ..problems import Problem, problem
from ..project import Project
from . import calendar, images, lectures, location, markdown, questions, references, tree


@dataclass
class CheckResult:
    loaded: Loaded
    problems: list[Problem] = field(default_factory=list)
    html: dict[str, str] = field(default_factory=dict)  # docs-relative path → rendered body

    @property
    def content(self) -> Content:
        return self.loaded.content

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def check_project(project: Project, today: dt.date, *, render: bool = True, wechat: bool = True,
                  drafts: bool = False) -> CheckResult:
    """Every problem in the site. `render=False` leaves out what needs rendered pages (the build gets those
    from MkDocs' own rendering of the same pages, see pufa.site.plugin). `drafts`: checked as a preview that
    shows drafts, where a reference to a draft is fine."""
    problems = list(project.problems)
    county = project.county
    tree_problems, walkable = tree.check_tree(project.docs_dir, project.docs_shown, theme_files(project.config))
    problems += tree_problems
    loaded = load(project.docs_dir, prefix=project.docs_shown, pack_dir=project.pack_dir,
                  pack_exclude=frozenset(project.options.pack_exclude), county=county.lists() if county else (),
                  publisher=project.publisher)
    problems += loaded.problems
    existing, gps = _images(project, problems)
    renderable = set()
    for rel, source in loaded.sources.items():
        with guard(source.shown, problems):
            found, ok = markdown.check_body(source)
            problems += found
            if ok and not any(p.is_error and p.path == source.shown for p in loaded.problems):
                renderable.add(rel)
            record = source.record
            if isinstance(record, Place) and county is not None:
                photos = [(photo.src, gps[photo.src]) for photo in record.photos if photo.src in gps]
                problems += location.check_place_location(source, county, photos)
            elif isinstance(record, Event):
                problems += calendar.check_event(source, today)
            elif isinstance(record, Lecture):
                problems += lectures.check_lecture(source)
            elif isinstance(record, QuestionBank):
                problems += questions.check_bank(source, loaded)
    with guard(project.docs_shown, problems):
        problems += references.check_references(loaded, existing, drafts=drafts)
    result = CheckResult(loaded)
    if render and walkable and county is not None:
        from . import rendering
        from ..site import files as site_files, pages
        from mkdocs.structure.files import get_files
        files = site_files.arrange(get_files(project.config), project.config, loaded,
                                   generated_routes=pages.routes(loaded.content.published(include_drafts=drafts), today),
                                   drafts=drafts)
        rendered = rendering.render_site(project.config, files, loaded, renderable=renderable,
                                         config_shown=project.config_shown, config_text=project.config_text)
        problems += rendered.problems
        result.html = rendered.html
        if wechat:
            from . import wechat as wechat_limits
            broken = {p.path for p in problems if p.is_error}
            for rel, html in rendered.html.items():
                source = loaded.sources[rel]
                if isinstance(source.record, (LawTopic, Event)) and not source.record.draft and source.shown not in broken:
                    with guard(source.shown, problems):
                        problems += wechat_limits.check_article(source, html, site_url=project.site_url,
                                                                publisher=project.publisher)
    result.problems = sorted(set(problems))
    return result


@contextlib.contextmanager
def guard(shown: str, problems: list[Problem]):
    """Whatever an editor commits ends in a message at its file, never in a traceback."""
    try:
        yield
    except Exception as exc:  # a check that cannot cope with a file reports that, and the others go on
        problems.append(problem("internal", shown, 1, f"检查这个文件时出了意外的错误（{type(exc).__name__}: {exc}）。"
                                "请检查最近改动的地方；如果看不出问题，请把这段提示发给网站维护人员。"))


def _images(project: Project, problems: list[Problem]) -> tuple[set[str], dict[str, tuple[float, float]]]:
    """Every file under docs/ (docs-relative), inspecting each image; GPS positions of photos that have one."""
    docs, existing, gps = project.docs_dir, set(), {}
    for parent, dirs, names in os.walk(docs):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not Path(parent, d).is_symlink())
        for name in sorted(names):
            path = Path(parent, name)
            if name.startswith(".") or path.is_symlink():
                continue
            rel = path.relative_to(docs).as_posix()
            existing.add(rel)
            if path.suffix.lower() in tree.IMAGES + tree.IMAGE_LOOKALIKES:
                info, found = images.inspect_image(path, f"{project.docs_shown}/{rel}")
                problems += found
                if info is not None and info.gps is not None:
                    gps[rel] = info.gps
    return existing, gps


@cache
def _theme_listing(folder: str) -> frozenset[str]:
    root = Path(folder)
    return frozenset(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def theme_files(config) -> frozenset[str]:
    """Site paths the theme provides (the site's overrides, pufa's theme, Material)."""
    from ..site.plugin import THEME
    folders = [str(THEME)] + [str(d) for d in config.theme.dirs]
    return frozenset().union(*(_theme_listing(f) for f in folders if Path(f).is_dir()))
