"""The check stage: every distinct URL once, and GitHub repository facts.

``run_check(settings)`` reads ``build/works.json`` (and ``build/resolved.json``,
``output/links.json`` when present) and writes ``build/links.json``; see :mod:`.stage`.
"""

from pipeline.check.stage import run_check

__all__ = ["run_check"]
