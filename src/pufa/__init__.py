"""pufa (普法): a static-site generator for public legal education, built on MkDocs + Material."""

__version__ = "0.1.0"
