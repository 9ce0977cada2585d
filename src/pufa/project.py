"""A site on disk as pufa sees it: mkdocs.yml (validated by MkDocs itself), the pufa plugin's options,
the county (county.yml), the content folders, and the problems found in the configuration.

`pufa check` opens a project from its mkdocs.yml; the plugin builds the same object from the configuration
MkDocs hands it, so both read the same settings in the same way.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from .county import FILE as COUNTY_FILE, County, load_county
from .problems import Problem, problem

PACK_DIR = Path(__file__).parent / "pack"
PLUGIN = "pufa"


@dataclass
class Project:
    root: Path
    config: object  # mkdocs.config.defaults.MkDocsConfig, validated
    options: object  # the pufa plugin's options (pufa.site.plugin.PufaConfig)
    county: County | None
    config_shown: str = "mkdocs.yml"
    problems: list[Problem] = field(default_factory=list)

    @property
    def docs_dir(self) -> Path:
        return Path(self.config.docs_dir)

    @property
    def docs_shown(self) -> str:
        return os.path.relpath(self.docs_dir, self.root).replace(os.sep, "/")

    @property
    def pack_dir(self) -> Path | None:
        return PACK_DIR if self.options.national_pack else None

    @property
    def site_url(self) -> str:
        return self.config.site_url or ""

    @property
    def config_text(self) -> str:
        path = self.root / self.config_shown
        return path.read_text("utf-8", errors="replace") if path.is_file() else ""

    @property
    def publisher(self) -> str:
        return self.county.publisher if self.county else ""


def from_config(config, options) -> Project:
    """The project of a configuration MkDocs has already loaded (the plugin's view)."""
    root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
    county_file = root / options.county
    county, problems = load_county(county_file, os.path.relpath(county_file, root).replace(os.sep, "/"))
    shown = os.path.basename(config.config_file_path or "mkdocs.yml")
    project = Project(root, config, options, county, shown, problems)
    project.problems += _pack_exclusions(project) + _site_url(project)
    return project


def _line_of(config_file: Path, message: str) -> int:
    """The line of the setting a MkDocs message names ('theme', 'custom_dir' …), or 1."""
    key = message.split("'")[1] if message.count("'") >= 2 else ""
    try:
        text = config_file.read_text("utf-8", errors="replace")
    except OSError:
        return 1
    return next((n for n, l in enumerate(text.split("\n"), 1) if key and l.lstrip().startswith(key + ":")), 1)


def open_project(config_file: Path) -> Project | list[Problem]:
    """Load mkdocs.yml as the build will; the project, or the problems that stop it from loading."""
    shown = config_file.name
    if not config_file.is_file():
        return [problem("mkdocs", shown, 1, f"找不到 {shown}：请在网站的根目录（有 mkdocs.yml 的文件夹）运行，或用 --root 指定。")]
    warnings: list[str] = []

    errors: list[str] = []

    def keep(record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            errors.append(record.getMessage())
        elif record.levelno >= logging.WARNING:
            warnings.append(record.getMessage())
        return False

    logger = logging.getLogger("mkdocs.config")
    logger.addFilter(keep)
    try:
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        config = load_config(str(config_file), strict=False)  # its warnings are reported below, as strict would fail
    except Abort:  # MkDocs logged each invalid setting (kept above) and gave up
        return [problem("mkdocs", shown, _line_of(config_file, message), f"mkdocs.yml 的设置有误：{message}")
                for message in errors or ["MkDocs 拒绝了这份设置。"]]
    except (ConfigurationError, OSError, ValueError) as exc:
        return [problem("mkdocs", shown, 1, f"mkdocs.yml 无法读取或有误：{exc}")]
    finally:
        logger.removeFilter(keep)
    plugin = config.plugins.get(PLUGIN)
    if plugin is None:
        return [problem("plugin-missing", shown, 1, "mkdocs.yml 的 plugins 里没有 pufa：请加上一行 - pufa。")]
    project = from_config(config, plugin.config)
    for message in warnings:  # strict mode turns each into a failed build
        line = _line_of(config_file, message)
        project.problems.append(problem("mkdocs", shown, line, f"mkdocs.yml 的设置有问题（严格模式下构建会失败）：{message}"))
    return project


def _site_url(project: Project) -> list[Problem]:
    """A warning at mkdocs.yml's `site_url:` line when it cannot be the public address (every 阅读原文 link
    and every image the 公众号 editor fetches depend on it). Read from the file: `serve` replaces it."""
    from .wechat.golive import site_url_problem
    lines = project.config_text.split("\n")
    found = next(((n, m) for n, line in enumerate(lines, 1) if (m := re.match(r"site_url\s*:\s*(.*?)\s*(?:#.*)?$", line))), None)
    line, value = (found[0], found[1].group(1).strip("'\"")) if found else (1, "")
    message = site_url_problem(value)
    return [problem("site-url", project.config_shown, line, message)] if message else []


def _pack_exclusions(project: Project) -> list[Problem]:
    if project.pack_dir is None:
        return []
    known = {p.stem for p in (project.pack_dir / "events").glob("*.md")}
    text = project.config_text
    found = []
    for slug in project.options.pack_exclude:
        if slug not in known:
            line = next((n for n, l in enumerate(text.split("\n"), 1) if slug in l), 1)
            found.append(problem("pack-exclude", project.config_shown, line, f"pack_exclude 里的 {slug} 不是全国内容包里的页面，"
                                 f"写了也不起作用。可以排除的有：{'、'.join(sorted(known))}。"))
    return found


__all__ = ["COUNTY_FILE", "PACK_DIR", "Project", "from_config", "open_project"]
