"""The files MkDocs builds, arranged the way pufa publishes them: the same for `pufa check` and the build.

Content pages get their slug URLs, drafts MkDocs' DRAFT level (shown by `serve`, never built), pages of the
national pack and the pages pufa generates are added as first-class generated files, and nothing from
docs/ that the publication policy refuses is kept.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from mkdocs.structure.files import File, Files, InclusionLevel

from .. import urls
from ..checks.tree import publishable
from ..content.loader import Loaded

GENERATED_BY = "pufa"


def arrange(files: Files, config, loaded: Loaded, *, generated_routes: Iterable[str], generated_content=None) -> Files:
    """Adjust MkDocs' files in place and return them. `generated_content(src_uri)` gives a generated page's
    Markdown (empty by default: its template lays out what its view holds)."""
    docs = os.path.normpath(config.docs_dir)
    for file in list(files):
        if file.src_dir and os.path.normpath(file.src_dir) == docs and not publishable(file.src_uri):
            files.remove(file)  # pufa check refuses these; the build never publishes them either
    for rel, source in loaded.sources.items():
        if source.origin == "pack" and files.get_file_from_path(rel) is None:
            files.append(generated(config, rel, abs_src_path=str(source.file)))
    for file in files.documentation_pages():
        source = loaded.sources.get(file.src_uri)
        record = source.record if source else None
        if record is not None:
            set_url(file, record.url)
        if source is not None and source.draft:
            file.inclusion = InclusionLevel.DRAFT
    for route in generated_routes:
        src_uri = urls.source_of(route)
        if files.get_file_from_path(src_uri) is None:  # an editor's page of the same name wins
            files.append(generated(config, src_uri, content=generated_content(src_uri) if generated_content else ""))
    return files


def generated(config, src_uri: str, *, content: str | None = None, abs_src_path: str | None = None) -> File:
    """A generated file (MkDocs' File.generated), made outside a plugin event too (pufa check runs none)."""
    file = File(src_uri, src_dir=None, dest_dir=config.site_dir, use_directory_urls=config.use_directory_urls)
    file.generated_by = GENERATED_BY
    file.abs_src_path = abs_src_path
    file._content = content
    return file


def set_url(file: File, url: str) -> None:
    """Give a content page its slug URL; `url` and `abs_dest_path` are cached from dest_uri, so reset them."""
    file.dest_uri = url + "index.html" if file.use_directory_urls else url.rstrip("/") + ".html"
    for cached in ("url", "abs_dest_path"):
        file.__dict__.pop(cached, None)
