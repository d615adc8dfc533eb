"""The works that left the bibliography this run: no list holds them any more.

Emit names them in its summary lines and in ``build/removed.md``, one markdown line per work,
which the scheduled workflow puts in the pull request's body under its own heading. The file
is deleted when this run removed nothing, so an earlier run's report is never taken for this
one's. Their keys stay in ``output/keys.json``, marked removed (:mod:`pipeline.emit.keys`).
"""

from __future__ import annotations

from pathlib import Path

from pipeline.emit.markdown import md_link, md_text
from pipeline.emit.records import Record
from pipeline.ids import arxiv as arxiv_ids
from pipeline.ids import doi as doi_ids
from pipeline.store import atomic_write_text

REPORT = "removed.md"
"""Under build/: the removed works, one markdown list item each (the pull request's body)."""


def link(record: Record) -> str:
    """Where the work can be looked at: its URL, else its DOI or arXiv page, else ""."""
    if record.url:
        return record.url
    if record.doi:
        return doi_ids.url_of(record.doi)
    return arxiv_ids.abs_url(record.arxiv) if record.arxiv else ""


def render(records: list[Record]) -> str:
    """``- key: [Title](link)`` per record, in key order (titles come from lists anyone can
    edit: escaped, so a title opens no link or markup of its own)."""
    lines = [
        f"- {md_text(r.key, 200)}: {md_link(r.title or '(untitled)', link(r))}"
        for r in sorted(records, key=lambda r: r.key)
    ]
    return "".join(line + "\n" for line in lines)


def write(path: Path, records: list[Record]) -> None:
    """Write ``build/removed.md``, or delete it when nothing was removed."""
    if records:
        atomic_write_text(path, render(records))
    else:
        path.unlink(missing_ok=True)


def lines(records: list[Record]) -> list[str]:
    """The emit summary's lines naming each removed work."""
    return [
        f"emit: removed {r.key} ({(r.title or '(untitled)')[:100]}): no list holds it any more; "
        "its key stays reserved in output/keys.json"
        for r in sorted(records, key=lambda r: r.key)
    ]
