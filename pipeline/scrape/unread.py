"""Papers a list links that no cited entry holds: every arXiv id, DOI, IEEE document and paper
page written anywhere in a list's text ends up on a paper or dataset entry or in a
``not-read`` finding naming its ``file:line``, so a layout the scraper misread, a row
commented out, a paper cited only in the list's introduction or linked only from a contest or
a talk is seen, never silently lost.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

from pipeline.ids import arxiv
from pipeline.ids.links import identify
from pipeline.models import Entry, Finding, Place

_URL = re.compile(r"https?://[^\s<>\"'`()\[\]]+", re.IGNORECASE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LINK_COMMENT = re.compile(r"^ {0,3}\[//\]:\s*#")
_LABELS = {"arxiv": "arXiv", "doi": "DOI", "ieee": "IEEE document", "page": "page"}


def entry_papers(entry: Entry) -> set[str]:
    """``kind:value`` of every paper an entry names."""
    ids = entry.ids
    found = {f"{k}:{v}" for k in ("arxiv", "doi", "ieee") if (v := getattr(ids, k))}
    return found | {f"page:{page}" for page in ids.pages}


def _lines(text: str) -> Iterator[tuple[int, str, str]]:
    """(line number, line, why an entry there is not read: "" when it could be)."""
    fence = ""
    comment = False
    for number, line in enumerate(text.split("\n"), start=1):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            yield number, line, "in a code block"
            continue
        if opened:
            fence = opened.group(1)
            yield number, line, "in a code block"
            continue
        if comment or "<!--" in line:
            before, _, rest = line.partition("<!--") if not comment else ("", "", line)
            comment = "-->" not in rest
            yield number, before, ""
            yield number, rest, "in an HTML comment"
            continue
        if _LINK_COMMENT.match(line):
            yield number, line, "commented out (a [//]: # line)"
            continue
        yield number, line, ""


def _papers_in(line: str) -> Iterator[str]:
    if "://" not in line and "arxiv" not in line.lower():
        return  # most lines of a list name no paper: skip them cheaply
    if "&" in line:
        line = html.unescape(line)
    for match in _URL.finditer(line):
        found = identify(match.group(0).rstrip(".,;:*_~"))
        if found.badge:
            continue
        for kind in ("arxiv", "doi", "ieee", "page"):
            value = getattr(found, kind)
            if value:
                yield f"{kind}:{value}"
                break
    for match in arxiv.MENTION.finditer(line):
        yield f"arxiv:{match.group(1)}"


def unread_findings(
    text: str, *, source: str, file: str, entries: Iterable[Entry], known: Iterable[str] = ()
) -> list[Finding]:
    """A ``not-read`` finding for each paper the text names on a line that no entry of this
    list (nor ``known``) holds: one per paper, at its first line."""
    held = set(known)
    uncited: dict[str, Entry] = {}
    for entry in entries:
        if entry.kind in ("paper", "dataset"):
            held |= entry_papers(entry)
        else:
            uncited |= {paper: entry for paper in entry_papers(entry)}
    out: list[Finding] = []
    for number, line, why in _lines(text.replace("\r\n", "\n").replace("\r", "\n")):
        for paper in _papers_in(line):
            if paper in held:
                continue
            held.add(paper)
            kind, _, value = paper.partition(":")
            row = uncited.get(paper)
            reason = why or (
                f"only on a row read as {row.kind} ({row.title!r}), which is not cited"
                if row is not None
                else "not in a list item, table row or heading the scraper reads as an entry"
            )
            out.append(
                Finding.at(
                    Place(source, file, number),
                    "not-read",
                    "",
                    list_says={kind: value},
                    registry_says={},
                    message=f"links {_LABELS[kind]} {value}, which is on no entry: {reason}",
                )
            )
    return out
