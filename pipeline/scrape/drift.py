"""The guard of ``pipeline sources update``: is a list's new upstream copy still a list?

Upstream lists change every week, and sometimes not into something the scraper should take:
a host answering with an HTML page (a login wall, a rate-limit page), a file cut short, a
layout the parser cannot read. Taking such a copy would silently drop every paper of the
list from the bibliography. So a new copy is *drifted*, and the last copy kept, when

- it is an HTML page, empty, binary, or mostly not UTF-8 (it cannot be parsed as a list);
- it yields fewer than ``MIN_SHARE`` (half) of the entries the last copy yields.

Why half: a real week's edit adds or removes a handful of entries, and even a big cleanup
(duplicates, off-topic papers) rarely drops a third; a copy cut short or in a layout the
parser no longer reads keeps only the entries above the cut, or none. A list cut to its
first dozen lines keeps at most the few entries in those lines, far under half of any list
worth scraping (the five lists hold 12 to 95 entries; tests/test_sources_drift.py cuts each).
A list that really halves will be flagged once and can be taken by hand (the report says so).

The same module names, per list, the works a new copy adds and removes (for the pull request
body): entries are the same work when they share an arXiv id, a DOI or a normalized title,
as in the merge.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.catalog import SourceList
from pipeline.ids.titles import title_key
from pipeline.models import Entry
from pipeline.scrape import decode_list
from pipeline.scrape.markdown import parse_list

MIN_SHARE = 0.5
"""A new copy must yield at least this share of the last copy's entries to be taken."""
MAX_BAD_LINES = 0.1
"""More than this share of lines not UTF-8: not a text list (a binary or wrongly encoded)."""


@dataclass
class Copy:
    """One version of a list as the scraper reads it: its entries, or why it cannot be read."""

    entries: list[Entry] = field(default_factory=list)
    unreadable: str | None = None


def looks_like_html(data: bytes) -> bool:
    """A whole HTML document (an error or login page), not markdown that starts with a tag
    (many awesome lists open with ``<p align="center">`` or ``<div>``)."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
        head.startswith(b"<head") and b"<body" in data[:65536].lower()
    )


def read_copy(data: bytes, item: SourceList) -> Copy:
    """Scrape one version of a list (never raises for any bytes)."""
    if not data.strip():
        return Copy(unreadable="empty")
    if looks_like_html(data):
        return Copy(unreadable="an HTML page, not a markdown list")
    if b"\x00" in data:
        return Copy(unreadable="binary data, not a markdown list")
    decoded = decode_list(data, item.relpath)
    lines = max(1, data.count(b"\n") + 1)
    if len(decoded.bad_lines) > MAX_BAD_LINES * lines:
        return Copy(unreadable=f"mostly not UTF-8 ({len(decoded.bad_lines)} of {lines} lines)")
    try:
        parsed = parse_list(decoded.text, source=item.id, file=item.relpath)
    except Exception as exc:  # the parser is hardened; this is the last line of defence
        return Copy(unreadable=f"cannot be parsed ({type(exc).__name__}: {exc})")
    return Copy(entries=[e for e in parsed.entries if e.line not in decoded.bad_lines])


def drift_reason(old: Copy, new: Copy) -> str | None:
    """Why the new copy must not replace the old one, or None when it may."""
    if new.unreadable:
        return new.unreadable
    before, after = len(old.entries), len(new.entries)
    if before and after < MIN_SHARE * before:
        return (
            f"yields {after} entries against {before} in the last copy "
            f"(under {MIN_SHARE:.0%}: cut short, or a layout the scraper does not read)"
        )
    return None


def _keys(entry: Entry) -> set[str]:
    keys = {f"title:{title_key(entry.title)}"} if entry.title else set()
    if entry.ids.arxiv:
        keys.add(f"arxiv:{entry.ids.arxiv}")
    if entry.ids.doi:
        keys.add(f"doi:{entry.ids.doi}")
    return keys


def _distinct(entries: Iterable[Entry]) -> list[Entry]:
    """One entry per work (a work listed twice in one list is one work)."""
    seen: set[str] = set()
    found: list[Entry] = []
    for entry in entries:
        keys = _keys(entry)
        if keys & seen:
            continue
        seen |= keys
        found.append(entry)
    return found


def works_changed(old: Copy, new: Copy) -> tuple[list[Entry], list[Entry]]:
    """(added, removed): works of the new copy the old one lacks, and the other way round."""
    old_keys = {k for e in old.entries for k in _keys(e)}
    new_keys = {k for e in new.entries for k in _keys(e)}
    added = [e for e in _distinct(new.entries) if not _keys(e) & old_keys]
    removed = [e for e in _distinct(old.entries) if not _keys(e) & new_keys]
    return added, removed


def link_of(entry: Entry) -> str | None:
    """The entry's paper link (else its first link), for naming it in a report."""
    for link in entry.links:
        if link.role == "paper":
            return link.url
    return entry.links[0].url if entry.links else None


def md_escape(text: str) -> str:
    """Text safe inside a markdown link label of a pull request body (titles come from lists
    anyone can edit: no HTML, no link or emphasis syntax of their own)."""
    out = text.replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;")
    for char in "[]()*_`|#!":
        out = out.replace(char, "\\" + char)
    return " ".join(out.split())


def md_work(entry: Entry) -> str:
    """``[Title](link)`` for a list item; the bare title when the entry has no http(s) link."""
    title = md_escape(entry.title or "(untitled)")
    url = link_of(entry)
    if url and url.startswith(("https://", "http://")):
        safe = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
        safe = safe.replace("<", "%3C").replace(">", "%3E")
        return f"[{title}]({safe})"
    return title
