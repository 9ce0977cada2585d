"""References between content files in front matter: slugs, related topics and places, covers and photos.

A reference to a draft is an error once the referring page is published (the public site has no such
page). A reference to a file that is itself broken is not reported again: its own errors are the root
cause, so the editor sees them once, on the broken file, instead of a cascade on every file that names it.
"""

from __future__ import annotations

from ..content.loader import Loaded, Source, docs_path
from ..problems import Problem, problem


def check_references(loaded: Loaded, existing_files: set[str], *, drafts: bool = False) -> list[Problem]:
    sources = loaded.sources
    problems = _duplicate_slugs(loaded)
    by_slug = {kind: {} for kind in ("law", "place", "event")}
    broken = {kind: set() for kind in by_slug}  # slugs of files whose own errors stop a record
    for source in sources.values():
        if source.kind in by_slug:
            if source.record is not None:
                by_slug[source.kind][source.record.slug] = source
            else:
                broken[source.kind].add(source.slug)

    def refer(source: Source, at: tuple, slug: str, kind: str, what: str) -> None:
        target = by_slug[kind].get(slug)
        line = source.fm.line(at)
        if target is None:
            if slug in broken[kind] or source.origin == "pack":
                return  # the broken file reports its own errors; a pack page simply omits a topic the site lacks
            known = "、".join(sorted(by_slug[kind])) or "（暂无）"
            problems.append(problem("missing-page", source.shown, line, f"{what} {slug} 不存在。可用的有：{known}。"))
        elif target.record.draft and not source.record.draft and not drafts:
            problems.append(problem("draft-target", source.shown, line, f"{what} {slug}（{target.shown}）还是草稿，正式网站没有这一页。"
                                    "请先发布它（draft: false），或者暂时删掉这个引用。"))

    for source in sources.values():
        record = source.record
        if record is None:
            continue
        if source.kind == "lecture":
            refer(source, ("topic",), record.topic, "law", "所属专题")
        if source.kind == "questions" and record.topic in by_slug["law"]:  # a missing topic: checks/questions.py
            refer(source, ("title",), record.topic, "law", "所属专题")
        for i, slug in enumerate(getattr(record, "laws", ())):
            refer(source, ("laws", i), slug, "law", "相关法律专题")
        if source.kind == "event":
            for i, slug in enumerate(record.places):
                refer(source, ("places", i), slug, "place", "阵地")
            if record.place:
                refer(source, ("place",), record.place, "place", "活动场所")
        problems += _front_files(source, existing_files)
    return problems


def _duplicate_slugs(loaded: Loaded) -> list[Problem]:
    """Two files with one slug: report it on the newer or unpublished one, naming both, so that obeying the
    message never changes a published address."""
    problems, owners = [], {}
    for source in loaded.sources.values():
        if source.kind not in ("law", "event", "place") or source.record is None:
            continue
        owners.setdefault(source.record.slug, []).append(source)
    for slug, found in owners.items():
        if len(found) < 2:
            continue
        # The page that keeps the address: published before drafts, then the earliest published, then by path.
        ranked = sorted(found, key=lambda s: (s.record.draft, s.record.published, s.shown))
        keeper = ranked[0]
        for other in ranked[1:]:
            problems.append(problem("duplicate-slug", other.shown, other.fm.line(("slug",)),
                                    f"网址名 slug: {slug} 已被 {keeper.shown} 使用（那一页先发布，地址不能变）。"
                                    "复制文件新建页面时要换一个新的网址名。"))
    return problems


def _front_files(source: Source, existing: set[str]) -> list[Problem]:
    """The cover and photos named in front matter must be files in docs/."""
    data, refs = source.fm.data, []
    if isinstance(data.get("cover"), str):
        refs.append((("cover",), data["cover"]))
    for i, photo in enumerate(data.get("photos") or []):
        if isinstance(photo, dict) and isinstance(photo.get("src"), str):
            refs.append((("photos", i, "src"), photo["src"]))
    problems = []
    for at, target in refs:
        resolved = docs_path(source.rel, target)
        if resolved is None:
            problems.append(problem("unsafe-path", source.shown, source.fm.line(at),
                                    f"图片路径 {target} 跑到了 docs/ 目录之外。请把图片放进 docs/，用从本文件出发的相对路径。"))
        elif resolved not in existing:
            problems.append(problem("missing-file", source.shown, source.fm.line(at),
                                    f"找不到图片 {target}。请检查文件名和大小写，路径从本文件所在的文件夹算起。"))
    return problems
