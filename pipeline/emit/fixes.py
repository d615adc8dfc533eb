"""``output/fixes/<list id>.patch``: what the pipeline knows is wrong in a list, as a patch.

Made by ``pipeline emit`` from the list itself (``sources/<file>``), the entries the scraper
read (``build/entries.json``: which lines hold which links), the link results
(``links.json``) and the identity findings (``output/review.json``). Only the wrong spans
change; the rest of every line, its ending and every other line stay byte for byte:

* ``renamed``: a link into a renamed or transferred GitHub repository →
  ``https://github.com/<canonical>`` with the rest of the link (path, ``?tab=…``, ``#anchor``);
* ``moved``: a permanent redirect whose target answered ``ok`` → the final URL (a fragment the
  list gave is kept, as browsers keep it);
* ``https``: ``http://`` → ``https://`` where the redirect went to the same page over https;
* a finding with a fix (``wrong-paper-link`` …) → its ``new`` link on its line;
* ``mojibake``: the text of an entry's line repaired as the scraper repairs it
  (:func:`pipeline.text.repair_mojibake`, run by run, kept only when the scraper then reads the
  very text it read before).

Blocked, timed-out, failing, dead and parked links are never patched: a patch is never a
guess. Each list with something to fix also gets ``<list id>.upstream.patch``, the same hunks
against the file in the list's own repository (``README.md`` …), for ``git apply`` there.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline.catalog import SourceList
from pipeline.emit.patch import ending, make_patch, split_lines
from pipeline.errors import InputError
from pipeline.ids.github import home_url, raw_path, split_repo_url
from pipeline.models import LinkReport, LinkResult, LinkStatus, RepoFacts
from pipeline.store import read_json
from pipeline.text import fix_text, repair_mojibake

log = logging.getLogger(__name__)

GOOD = frozenset({LinkStatus.OK, LinkStatus.REDIRECTED, LinkStatus.MOVED})
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_UNDECODABLE = re.compile("[\udc80-\udcff]")
"""Bytes of a line that are not UTF-8, as ``surrogateescape`` reads them."""
_BEFORE = frozenset(" \t([<\"'|=*")
"""What may stand before a URL for it to be the whole URL (not the tail of a longer one)."""
_AFTER = frozenset(" \t\r\n)]>\"'|<*")
"""What may follow it (not the rest of a longer URL)."""
MAX_ENTRY_LINES = 10


@dataclass(frozen=True)
class Change:
    """One wrong span of one line and what replaces it."""

    line: int
    kind: str
    old: str
    new: str

    def reason(self, file: str) -> str:
        """``file:line: kind → new (was old)``, on one line whatever the texts hold."""
        return _one_line(f"{file}:{self.line}: {self.kind} → {self.new} (was {self.old})")


@dataclass
class ListFixes:
    """The changes to one list and its patches (None when there is nothing to fix)."""

    source: SourceList
    changes: list[Change] = field(default_factory=list)
    patch: bytes | None = None
    upstream: bytes | None = None
    upstream_path: str | None = None


def _one_line(text: str) -> str:
    return "".join(c if c.isprintable() else " " for c in text)


# -- what is wrong with a URL ---------------------------------------------------------------


def _keep_fragment(old: str, new: str) -> str:
    fragment = urlsplit(old).fragment
    return f"{new}#{fragment}" if fragment and "#" not in new else new


def _same_but_scheme(old: str, new: str) -> bool:
    a, b = urlsplit(old), urlsplit(new)
    if a.scheme.lower() != "http" or b.scheme.lower() != "https":
        return False
    same_path = a.path == b.path or (a.path or "/") == (b.path or "/")
    return a.netloc.lower() == b.netloc.lower() and same_path and a.query == b.query


def _to_the_front_page(old: str, new: str) -> bool:
    return urlsplit(old).path.strip("/") != "" and urlsplit(new).path.strip("/") == ""


def _renamed(url: str, repos: dict[str, RepoFacts]) -> str | None:
    split = split_repo_url(url)
    if split is None:
        return None
    name, rest = split
    facts = repos.get(name)
    if facts is None or not facts.canonical or facts.status not in GOOD:
        return None
    if facts.canonical.lower() == name:
        return None
    return home_url(facts.canonical) + rest


def url_fix(
    link: LinkResult, repos: dict[str, RepoFacts], by_url: dict[str, LinkResult]
) -> tuple[str, str] | None:
    """``(kind, new URL)`` for a link the pipeline knows a better address of, or None."""
    if link.status not in GOOD:
        return None  # blocked, timeout, failing, dead, parked, unchecked: never a guess
    renamed = _renamed(link.url, repos)
    if renamed is not None and renamed != link.url:
        return "renamed", renamed
    if not link.final_url or link.final_url == link.url:
        return None
    new = _keep_fragment(link.url, link.final_url)
    target = by_url.get(new) or by_url.get(link.final_url)
    if target is not None and target.status not in GOOD:
        return None  # the target is itself checked, and not good
    if _same_but_scheme(link.url, new):
        return "https", new
    if _to_the_front_page(link.url, new):
        return None  # a deep link sent to the site's front page: the page is gone, not moved
    if link.status == LinkStatus.MOVED:
        return "moved", new
    return None  # a temporary redirect says nothing about where the link belongs


def url_fixes(links: LinkReport) -> dict[str, tuple[str, str]]:
    """Every checked URL with a fix: URL as the lists spell it → ``(kind, new URL)``."""
    repos = {r.repo.lower(): r for r in links.repos}
    by_url = {link.url: link for link in links.links}
    out: dict[str, tuple[str, str]] = {}
    for link in links.links:
        fix = url_fix(link, repos, by_url)
        if fix is not None:
            out[link.url] = fix
    return out


def replace_url(text: str, old: str, new: str) -> str | None:
    """``text`` with every whole occurrence of ``old`` replaced, or None when there is none."""
    out, at, found = [], 0, False
    while (index := text.find(old, at)) >= 0:
        end = index + len(old)
        before = text[index - 1] if index else " "
        after = text[end] if end < len(text) else " "
        if before in _BEFORE and after in _AFTER:
            out += [text[at:index], new]
            found = True
        else:
            out.append(text[at:end])
        at = end
    return "".join([*out, text[at:]]) if found else None


def repair_line(text: str) -> tuple[str, list[tuple[str, str]]]:
    """The line with its mojibake runs repaired, and each ``(run, repaired)``; the line as it
    is when the scraper would read anything else from the repaired one."""
    runs: list[tuple[str, str]] = []

    def one(match: re.Match[str]) -> str:
        if _UNDECODABLE.search(match.group(0)):
            return match.group(0)  # bytes that are no UTF-8 at all: nothing to repair them to
        fixed = repair_mojibake(match.group(0))
        if fixed != match.group(0):
            runs.append((match.group(0), fixed))
        return fixed

    repaired = _NON_ASCII_RUN.sub(one, text)
    if not runs or fix_text(repaired) != fix_text(text):
        return text, []
    return repaired, runs


# -- the inputs -----------------------------------------------------------------------------


@dataclass
class Spot:
    """An entry's lines in its file (1-based, ``[first, end)``) and its links."""

    first: int
    end: int
    urls: list[str]


def read_entries(path: Path) -> dict[str, list[Spot]] | None:
    """``build/entries.json`` by file, entries in line order; None when there is none."""
    data = read_json(path, default=None)
    if not isinstance(data, list):
        return None
    starts: dict[str, dict[int, list[str]]] = {}
    for item in data:
        try:
            file, line = str(item["file"]), int(item["line"])
            urls = [str(link["url"]) for link in item.get("links") or []]
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{path}: not an entry ({exc!r})") from None
        starts.setdefault(file, {}).setdefault(line, []).extend(urls)
    out: dict[str, list[Spot]] = {}
    for file, by_line in starts.items():
        lines = sorted(by_line)
        ends = [*lines[1:], lines[-1] + MAX_ENTRY_LINES]
        out[file] = [
            Spot(first, min(end, first + MAX_ENTRY_LINES), by_line[first])
            for first, end in zip(lines, ends, strict=True)
        ]
    return out


def read_review(path: Path) -> list[dict[str, Any]]:
    """The findings of ``output/review.json`` that carry a fix."""
    data = read_json(path, default=None)
    findings = data.get("findings") if isinstance(data, dict) else None
    return fixable(findings if isinstance(findings, list) else [])


def fixable(findings: list[Any]) -> list[dict[str, Any]]:
    """The findings (review.json's shape) that carry a fix and name a file and line."""
    out = []
    for item in findings:
        fix = item.get("fix") if isinstance(item, dict) else None
        if not isinstance(fix, dict) or not fix.get("old") or not fix.get("new"):
            continue
        if isinstance(item.get("line"), int) and isinstance(item.get("file"), str):
            out.append(item)
    return out


# -- one list -------------------------------------------------------------------------------


def _entry_lines(texts: list[str], spot: Spot) -> list[int]:
    """0-based indexes of an entry's lines: its own, and those after it up to a blank line,
    a heading or the next entry."""
    out = []
    for index in range(spot.first - 1, min(spot.end - 1, len(texts))):
        text = texts[index].strip()
        if index >= spot.first and (not text or text.startswith("#")):
            break
        out.append(index)
    return out


@dataclass
class _Edits:
    texts: list[str]
    new: dict[int, str] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)

    def current(self, index: int) -> str:
        return self.new.get(index, self.texts[index])

    def replace(self, index: int, kind: str, old: str, new: str) -> bool:
        replaced = replace_url(self.current(index), old, new)
        if replaced is None:
            return False
        self.new[index] = replaced
        self.changes.append(Change(index + 1, kind, old, new))
        return True


def list_edits(
    source: SourceList,
    lines: list[bytes],
    spots: list[Spot],
    fixes: dict[str, tuple[str, str]],
    review: list[dict[str, Any]],
) -> _Edits:
    """Every change to one list's lines: mojibake, then links, then the review's fixes."""
    texts = [
        line[: len(line) - len(ending(line))].decode("utf-8", "surrogateescape") for line in lines
    ]
    edits = _Edits(texts)
    for spot in spots:
        for index in _entry_lines(texts, spot):
            repaired, runs = repair_line(edits.current(index))
            if runs:
                edits.new[index] = repaired
                edits.changes += [Change(index + 1, "mojibake", a, b) for a, b in runs]
    for spot in spots:
        for url in dict.fromkeys(u.strip() for u in spot.urls):
            if url in fixes:
                kind, new = fixes[url]
                for index in _entry_lines(texts, spot):
                    edits.replace(index, kind, url, new)
    for finding in review:
        index = int(finding["line"]) - 1
        if finding["file"] == source.relpath and 0 <= index < len(texts):
            kind = str(finding.get("kind") or "review")
            edits.replace(index, kind, str(finding["fix"]["old"]), str(finding["fix"]["new"]))
    edits.changes.sort(key=lambda c: c.line)
    return edits


def upstream_path(source: SourceList) -> str | None:
    """The list's file in its own repository, from its ``raw_url``
    (``raw.githubusercontent.com/OWNER/NAME/REF/PATH`` → ``PATH``)."""
    return raw_path(source.raw_url)


def _preamble(source: SourceList, file: str, changes: list[Change], upstream: bool) -> bytes:
    how = (
        f"`git apply {source.id}.upstream.patch` in a clone of {source.repo or 'the list'}"
        if upstream
        else f"`pipeline fix --apply {source.id}` or `git apply output/fixes/{source.id}.patch`"
    )
    head = [
        f"Fixes for {file} (list {source.id}), made by `pipeline emit`: {len(changes)} "
        f"change(s). Apply with {how}.",
        "",
        *(change.reason(file) for change in changes),
        "",
    ]
    return "\n".join(_one_line(line) for line in head).encode("utf-8") + b"\n"


def list_fixes(
    source: SourceList,
    data: bytes,
    spots: list[Spot],
    fixes: dict[str, tuple[str, str]],
    review: list[dict[str, Any]],
) -> ListFixes:
    """The changes to one list and its patches (none when nothing is to fix)."""
    lines = split_lines(data)
    edits = list_edits(source, lines, spots, fixes, review)
    out = ListFixes(source, edits.changes)
    replaced = {
        index: text.encode("utf-8", "surrogateescape") + ending(lines[index])
        for index, text in edits.new.items()
        if text != edits.texts[index]
    }
    if not replaced:
        out.changes = []
        return out
    relpath = source.relpath
    out.patch = make_patch(
        (f"a/{relpath}", f"b/{relpath}"),
        lines,
        replaced,
        _preamble(source, relpath, edits.changes, upstream=False),
    )
    out.upstream_path = upstream_path(source)
    if out.upstream_path:
        path = out.upstream_path
        preamble = _preamble(source, path, edits.changes, upstream=True)
        out.upstream = make_patch((f"a/{path}", f"b/{path}"), lines, replaced, preamble)
    return out
