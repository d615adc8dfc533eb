"""Entries → works: the same paper listed several times becomes one work.

Two entries are the same work when they share an arXiv id, a DOI, or a normalized title
(casefolded, mojibake repaired, punctuation and whitespace folded). Entries whose
identifiers conflict (two different arXiv ids, DOIs or IEEE numbers) are never merged, even
when their titles match: a list that links the wrong paper must not fuse two papers.

Work ids are stable strings, the first that applies: ``arxiv:ID``, ``doi:DOI``, ``ieee:N``,
``title:<16 hex of sha1(normalized title)>``. When two works would get the same id (two
rows linking one IEEE page with different titles), the later ones fall back to the next
kind, and as a last resort get ``~2``, ``~3`` … suffixes, so ids stay unique.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.ids import WORK_ID_KINDS
from pipeline.ids.titles import identity_title, title_key
from pipeline.models import Entry, Ids, Kind, Link, Place, Work

_KEYS = WORK_ID_KINDS
"""Identifiers that must agree for two entries to be one work."""
_MERGE_KEYS = ("arxiv", "doi")
"""Identifiers that make two entries one work by themselves (an IEEE page may be shared)."""


@dataclass
class _Group:
    entries: list[Entry] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)
    keys: list[tuple[str, str]] = field(default_factory=list)

    def compatible(self, other: _Group) -> bool:
        return all(
            self.ids.get(key) is None
            or other.ids.get(key) is None
            or self.ids[key] == other.ids[key]
            for key in _KEYS
        )

    def absorb(self, other: _Group) -> None:
        self.entries.extend(other.entries)
        self.keys.extend(other.keys)
        for key, value in other.ids.items():
            self.ids.setdefault(key, value)


def _entry_group(entry: Entry) -> _Group:
    ids = {key: value for key in _KEYS if (value := getattr(entry.ids, key))}
    keys: list[tuple[str, str]] = [(k, ids[k]) for k in _MERGE_KEYS if k in ids]
    norm = identity_title(entry.title)
    if norm:
        keys.append(("title", norm))
    return _Group([entry], ids, keys)


def merge_entries(entries: Iterable[Entry]) -> list[Work]:
    """Group entries into works, in order of first appearance."""
    groups: dict[int, _Group] = {}
    owner: dict[tuple[str, str], int] = {}
    for number, entry in enumerate(entries):
        gid = number
        groups[gid] = _entry_group(entry)
        for key in list(groups[gid].keys):
            other = owner.get(key)
            if other is None or other == gid or not groups[other].compatible(groups[gid]):
                continue
            # keep the earlier group so works stay in order of first appearance
            first, second = min(other, gid), max(other, gid)
            gone = groups.pop(second)
            groups[first].absorb(gone)
            for moved in gone.keys:
                if owner.get(moved) == second:
                    owner[moved] = first
            gid = first
        for key in groups[gid].keys:
            owner.setdefault(key, gid)
    works = [_work(group) for group in groups.values()]
    _assign_ids(works)
    return works


def _score(entry: Entry) -> tuple[int, int, int, int]:
    """How complete an entry is: kind paper, authors, venue, date detail."""
    return (
        int(entry.kind == "paper"),
        int(bool(entry.authors)) + int(bool(entry.venue)) + int(bool(entry.date)),
        len(entry.date or ""),
        len(entry.authors),
    )


def _work(group: _Group) -> Work:
    entries = group.entries
    best = max(entries, key=_score)  # max keeps the first of equals: list order decides
    kinds = {e.kind for e in entries}
    kind: Kind = "paper" if "paper" in kinds else ("dataset" if "dataset" in kinds else "project")
    links: list[Link] = []
    seen: set[str] = set()
    github: list[str] = []
    for entry in [best, *[e for e in entries if e is not best]]:
        for link in entry.links:
            if link.url not in seen:
                seen.add(link.url)
                links.append(link)
        for repo in entry.ids.github:
            if repo not in github:
                github.append(repo)
    places = [Place(e.source, e.file, e.line, tuple(e.section)) for e in entries]
    if len(places) > 1:
        places.sort(key=lambda p: (p.file, p.line))
    return Work(
        id="",
        kind=kind,
        title=best.title,
        authors=list(best.authors),
        venue=best.venue,
        date=best.date,
        links=links,
        ids=Ids(
            arxiv=group.ids.get("arxiv"),
            doi=group.ids.get("doi"),
            ieee=group.ids.get("ieee"),
            github=github,
        ),
        places=places,
    )


def _candidates(work: Work) -> list[str]:
    out = [f"{kind}:{value}" for kind in _KEYS if (value := getattr(work.ids, kind))]
    out.append(f"title:{title_key(work.title)}")
    return out


def _assign_ids(works: list[Work]) -> None:
    """Each work takes its first candidate id that no other work has as its own first choice
    (so a shared IEEE page gives neither work that id, whatever the order) and that is not
    taken yet; ``~2``, ``~3`` … suffixes are the last resort."""
    candidates = [_candidates(w) for w in works]
    claims: dict[str, int] = {}
    for cands in candidates:
        claims[cands[0]] = claims.get(cands[0], 0) + 1
    taken: set[str] = set()
    for work, cands in zip(works, candidates, strict=True):
        chosen = next(
            (c for c in cands if c not in taken and claims.get(c, 0) - (c == cands[0]) == 0),
            None,
        )
        if chosen is None:
            base, n = cands[-1], 2
            while f"{base}~{n}" in taken:
                n += 1
            chosen = base if base not in taken else f"{base}~{n}"
        taken.add(chosen)
        work.id = chosen
