"""pufa (普法): a static-site generator for public legal education, built on MkDocs + Material."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pufa")  # one version, in pyproject.toml
except PackageNotFoundError:  # a source checkout that was never installed
    __version__ = "0"
