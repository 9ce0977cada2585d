"""Which files in docs/ may be published at all, checked before anything (MkDocs included) walks them.

A pull request can add any file. Published as it is, `docs/x.html` with `docs/x.js` would be a page and
a script on the government's own origin, and `docs/assets/pufa/elder.js` would replace the theme's script
on every page. So only Markdown, images (which the build re-encodes) and a short list of inert document
types are published; everything else is refused at its path. Nothing may take the path of a theme file or
of a file the build generates, and no symbolic link is accepted: one can point outside the repository,
and two pointing at their own folder make MkDocs walk millions of paths.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

from .. import urls
from ..problems import Problem, problem

MARKDOWN = (".md",)
IMAGES = (".jpg", ".jpeg", ".png", ".webp")
IMAGE_LOOKALIKES = (".gif", ".svg", ".bmp", ".tif", ".tiff", ".heic", ".heif", ".avif")  # explained by the image check
# Inert downloads a bureau publishes: browsers save them (served with their own types and nosniff), they
# run nothing in the site's origin.
DOCUMENTS = {".pdf": 20, ".docx": 20, ".xlsx": 20, ".pptx": 50, ".txt": 1, ".csv": 5}  # suffix → MB limit


def check_tree(docs_dir: Path, shown: str, theme_files: frozenset[str] = frozenset()) -> tuple[list[Problem], bool]:
    """Every problem with the files under `docs_dir`, and whether the tree is safe for MkDocs to walk
    (False when it holds a symbolic link). `theme_files` are site paths the theme provides."""
    problems, walkable = [], True
    for parent, dirs, names in os.walk(docs_dir):  # never descends into a linked folder
        rel_parent = Path(parent).relative_to(docs_dir).as_posix()
        rel_parent = "" if rel_parent == "." else rel_parent + "/"
        for name in sorted(dirs + names):
            entry = Path(parent, name)
            rel = rel_parent + name
            where = f"{shown}/{rel}"
            if entry.is_symlink():
                walkable = False
                problems.append(problem("symlink", where, 1, "这是一个符号链接（快捷方式）。网站只发布真实文件：链接可能指到仓库外，"
                                        "也可能绕成死循环。请删除它，把需要的文件直接复制进来。"))
        # MkDocs leaves out hidden files and folders (.git, .DS_Store) and a top-level templates/ folder.
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not Path(parent, d).is_symlink()
                         and not (rel_parent == "" and d == "templates"))
        lower = {n.lower(): n for n in names}
        if "readme.md" in lower and "index.md" in lower:
            problems.append(problem("readme-conflict", f"{shown}/{rel_parent}{lower['readme.md']}", 1,
                                    "同一个文件夹里同时有 README.md 和 index.md，MkDocs 只会发布 index.md。"
                                    "请把 README.md 的内容并入 index.md 后删掉它。"))
        for name in sorted(names):
            entry = Path(parent, name)
            if name.startswith(".") or entry.is_symlink():
                continue
            rel = rel_parent + name
            problems += _file_problems(entry, rel, f"{shown}/{rel}", theme_files)
    return problems, walkable


def _file_problems(path: Path, rel: str, where: str, theme_files: frozenset[str]) -> list[Problem]:
    suffix = posixpath.splitext(rel)[1].lower()
    if rel in theme_files or rel in urls.RESERVED_FILES or rel.startswith(urls.RESERVED_FOLDERS):
        return [problem("shadows-theme", where, 1, f"网站的主题或构建会在 {rel} 放自己的文件，内容文件不能占用这个位置。"
                        "请把文件放到别的文件夹，比如和引用它的页面放在一起。")]
    if suffix in MARKDOWN or suffix in IMAGES or suffix in IMAGE_LOOKALIKES:
        return []
    if suffix in DOCUMENTS:
        limit = DOCUMENTS[suffix] * 1024 * 1024
        size = path.stat().st_size
        if size > limit:
            return [problem("file-too-large", where, 1, f"文件太大：{size / 1024 / 1024:.1f} MB，{suffix} 文件上限是 "
                            f"{DOCUMENTS[suffix]} MB。请压缩后再提交，或放在单位的文件服务上再链接过来。")]
        return []
    allowed = "、".join([".md"] + list(IMAGES) + list(DOCUMENTS))
    return [problem("file-type", where, 1, f"网站不发布 {suffix or '没有扩展名的'} 文件：网页、脚本、样式和程序只能由网站主题提供，"
                    f"不能随内容提交。docs/ 里只能放 {allowed} 文件。请删除它；如果要提供下载，请转成 PDF。")]


def publishable(rel: str) -> bool:
    """Whether the build may publish a docs-relative file (the same rule the check applies)."""
    suffix = posixpath.splitext(rel)[1].lower()
    if rel in urls.RESERVED_FILES or rel.startswith(urls.RESERVED_FOLDERS) or any(p.startswith(".") for p in rel.split("/")):
        return False
    return suffix in MARKDOWN or suffix in IMAGES or suffix in DOCUMENTS
