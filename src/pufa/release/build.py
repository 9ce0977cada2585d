"""Build the site into a temporary folder and publish it only when the build succeeded.

A failed build (content errors, a strict-mode warning, a broken verification) leaves the previously
published folder exactly as it was, so the web server never serves a half-written site.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError, ConfigurationError, PluginError

from ..cache import cache_root

from .compress import precompress
from .verify import verify_site

log = logging.getLogger("mkdocs.plugins.pufa")


def build_site(*, config_file: str = "mkdocs.yml", site_dir: str | None = None, strict: bool = True) -> int:
    """Build atomically; return a process exit code (0 published, 1 failed)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _setup_logging()
    try:
        config = load_config(config_file, strict=strict, site_dir=site_dir)
    except (ConfigurationError, OSError) as exc:
        print(f"构建失败，已发布的网站保持不变。mkdocs.yml 无法读取或有误：{exc}", file=sys.stderr)
        return 1
    final = Path(config.site_dir)
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}-building-", dir=final.parent))
    os.chmod(staging, 0o755)  # mkdtemp makes 0700: the web server could not read the published site
    config.site_dir = str(staging)
    try:
        build(config)
        problems = verify_site(staging, site_url=config.site_url or "")
        if problems:
            for problem in problems:
                print(problem, file=sys.stderr)
            raise BuildError(f"构建结果校验发现 {len(problems)} 个问题（见上方）")
        # .br/.gz copies for servers that send them as they are (deploy/), written before the swap so
        # the published site never has a page without its copies or a copy of an old page.
        stats = precompress(staging, cache_dir=cache_root(Path(config.config_file_path).parent) / "compress")
    except (Abort, BuildError, ConfigurationError, PluginError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"构建失败，已发布的网站保持不变。原因：{exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # never a traceback for an editor: say what failed, keep the old site
        shutil.rmtree(staging, ignore_errors=True)
        where = f"（处理 {_current_page()} 时）" if _current_page() else ""
        print(f"构建失败，已发布的网站保持不变。构建时出现意外错误{where}：{type(exc).__name__}: {exc}。"
              "请先运行 pufa check；如果检查通过而构建仍失败，请把这段提示发给网站维护人员。", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    publish(staging, final)
    print(stats.summary(), file=sys.stderr)
    print(f"构建成功：{final}", file=sys.stderr)
    return 0


def _current_page() -> str:
    """The page MkDocs was building when it stopped, if the plugin noted one."""
    from ..site import plugin
    return plugin.CURRENT.get("page", "")


def publish(staging: Path, final: Path) -> None:
    """Swap the new tree in with two renames on the same filesystem; the old tree is removed last."""
    old = final.with_name(f".{final.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        os.rename(final, old)
    os.rename(staging, final)
    shutil.rmtree(old, ignore_errors=True)


def _setup_logging() -> None:
    """MkDocs' CLI normally installs the handler that prints warnings; `pufa build` does the same."""
    logger = logging.getLogger("mkdocs")
    if not any(isinstance(h, logging.StreamHandler) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
