"""Entries → works: the same paper listed several times becomes one work.

Two entries are the same work when they share an arXiv id, a DOI, a paper page, or a
normalized title (casefolded, mojibake repaired, punctuation and whitespace folded). Entries whose
identifiers conflict (two different arXiv ids, DOIs or IEEE numbers, or two pages of one site:
:mod:`pipeline.ids.pages`) are never merged, even when their titles match: a list that links
the wrong paper must not fuse two papers. A shared page (the same OpenReview id, CVF or PMLR
page …) merges entries as an arXiv id does. A title merges entries only when it has three words
or more: a name (``VLMaps``, ``qnn``, ``2021``) names many papers across lists, so rows with
the same name are one work only when they also share an identifier. Entries merged
by their title alone whose links name no paper in common get a ``merged-by-title`` finding.

Work ids are stable strings, the first that applies: ``arxiv:ID``, ``doi:DOI``, ``ieee:N``,
``title:<16 hex of sha1(normalized title)>``. When two works would get the same id (two
rows linking one IEEE page with different titles), the later ones fall back to the next
kind, and as a last resort get ``~2``, ``~3`` … suffixes, so ids stay unique.

Entries that share an arXiv id or DOI but whose titles clearly name different papers
(:func:`pipeline.ids.agreement.titles_agree`) are not merged either: a row that copied its
neighbour's link must not make its paper vanish. The id stays with the work most entries give
it to (the first such work on a tie); the others lose it (their link is kept) and each entry
of theirs gets a ``shared-id`` finding. Entries sharing an IEEE page are merged only when
their titles are the same (a dataset's row may link the page of the paper that made it);
entries sharing an IEEE page or a paper page whose titles name different papers get the same
finding, and both keep the link.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.ids import WORK_ID_KINDS
from pipeline.ids.agreement import titles_agree
from pipeline.ids.titles import identity_title, title_key
from pipeline.models import KIND_NAMES, Entry, Finding, Ids, Kind, Link, Work

_KEYS = WORK_ID_KINDS
"""Identifiers that must agree for two entries to be one work."""
_MERGE_KEYS = ("arxiv", "doi")
"""Identifiers that make two entries whose titles agree one work by themselves (an IEEE page
may be a dataset's and the paper's that made it)."""


_LONG_TITLE = 3
"""Words a title needs to make two entries one work by itself: a name (``VLMaps``, ``qnn``,
``2021``) names many papers across lists."""


def _sites(pages: Iterable[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for page in pages:
        out.setdefault(page.partition(":")[0], set()).add(page)
    return out


@dataclass
class _Group:
    entries: list[Entry] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)
    keys: list[tuple[str, str]] = field(default_factory=list)
    pages: set[str] = field(default_factory=set)

    def compatible(self, other: _Group) -> bool:
        """No identifier of one names another paper than the same kind's of the other: arXiv
        id, DOI, IEEE document, or a page of the same site (two OpenReview ids); and both are
        resources or neither (a contest row that links a dataset's paper is not the dataset)."""
        if self.resource() != other.resource():
            return False
        if not all(
            self.ids.get(key) is None
            or other.ids.get(key) is None
            or self.ids[key] == other.ids[key]
            for key in _KEYS
        ):
            return False
        mine, theirs = _sites(self.pages), _sites(other.pages)
        return all(
            not (mine[site] and theirs.get(site)) or mine[site] & theirs[site] for site in mine
        )

    def resource(self) -> bool:
        return all(e.kind == "other" for e in self.entries)

    def addresses(self) -> set[str]:
        return {f"{k}:{v}" for k, v in self.ids.items()} | self.pages

    def agrees(self, other: _Group) -> bool:
        """Some title of one group may name the paper of some title of the other."""
        return any(titles_agree(a.title, b.title) for a in self.entries for b in other.entries)

    def absorb(self, other: _Group) -> None:
        self.entries.extend(other.entries)
        self.keys.extend(other.keys)
        self.pages |= other.pages
        for key, value in other.ids.items():
            self.ids.setdefault(key, value)


def _entry_group(entry: Entry) -> _Group:
    ids = {key: value for key in _KEYS if (value := getattr(entry.ids, key))}
    keys: list[tuple[str, str]] = [(k, ids[k]) for k in _MERGE_KEYS if k in ids]
    keys += [("page", page) for page in entry.ids.pages]
    norm = identity_title(entry.title)
    if len(norm.split()) >= _LONG_TITLE:
        keys.append(("title", norm))
    elif norm:  # a name is one work only with the same identifier beside it
        keys += [("title", f"{norm} {k}:{v}") for k, v in ids.items()]
        keys += [("title", f"{norm} {page}") for page in entry.ids.pages]
    return _Group([entry], ids, keys, set(entry.ids.pages))


def merge_entries(entries: Iterable[Entry]) -> list[Work]:
    """Group entries into works, in order of first appearance."""
    return merge_with_findings(entries)[0]


def merge_with_findings(entries: Iterable[Entry]) -> tuple[list[Work], list[Finding]]:
    """Group entries into works, in order of first appearance; plus the ``shared-id``
    findings (entries sharing an id whose titles name different papers)."""
    groups: dict[int, _Group] = {}
    owner: dict[tuple[str, str], int] = {}
    clashes: set[tuple[str, str]] = set()
    by_title: list[tuple[Entry, Entry, set[str]]] = []
    for number, entry in enumerate(entries):
        gid = number
        groups[gid] = _entry_group(entry)
        for key in list(groups[gid].keys):
            other = owner.get(key)
            if other is None or other == gid or not groups[other].compatible(groups[gid]):
                continue
            if key[0] != "title" and not groups[other].agrees(groups[gid]):
                clashes.add(key)
                continue
            mine, theirs = groups[gid].addresses(), groups[other].addresses()
            if key[0] == "title" and mine and theirs and not mine & theirs:
                by_title.append((groups[gid].entries[0], groups[other].entries[0], theirs))
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
    findings = _split_shared(list(groups.values()), clashes)
    findings += [(_title_finding(e, first, links), e) for e, first, links in by_title]
    works = [_work(group) for group in groups.values()]
    _assign_ids(works)
    by_entry = {id(e): w.id for w, g in zip(works, groups.values(), strict=True) for e in g.entries}
    for finding, entry in findings:
        finding.work_id = by_entry[id(entry)]
    return works, [f for f, _ in findings]


def _split_shared(
    groups: list[_Group], clashes: set[tuple[str, str]]
) -> list[tuple[Finding, Entry]]:
    """Give each clashing id to one group, take it from the others; a finding per entry that
    lost it. IEEE pages shared by groups naming different papers get findings too."""
    found: list[tuple[Finding, Entry]] = []
    ieee: dict[str, list[_Group]] = {}
    for group in groups:
        if "ieee" in group.ids:
            ieee.setdefault(group.ids["ieee"], []).append(group)
    for value, holders in ieee.items():
        if len(holders) > 1 and not all(h.agrees(holders[0]) for h in holders[1:]):
            clashes.add(("ieee", value))
    for kind, value in sorted(clashes):
        holders = [g for g in groups if g.ids.get(kind) == value or value in g.pages]
        keeper = max(holders, key=lambda g: len(g.entries))  # max keeps the first of equals
        for group in holders:
            if group is keeper:
                continue
            if kind not in ("ieee", "page"):  # they stay: nothing was merged on them
                del group.ids[kind]
                group.keys = [k for k in group.keys if k != (kind, value)]
            found += [(_shared_finding(e, kind, value, keeper), e) for e in group.entries]
    return found


def _shared_finding(entry: Entry, kind: str, value: str, keeper: _Group) -> Finding:
    other = keeper.entries[0]
    label = {"arxiv": "arXiv", "doi": "DOI", "ieee": "IEEE document", "page": "page"}[kind]
    return Finding.at(
        entry.place,
        "shared-id",
        "",
        list_says={"title": entry.title, kind: value},
        registry_says={},
        message=(
            f"links {label} {value}, which {other.file}:{other.line} gives to "
            f"{other.title!r}: one of the two rows links another paper"
        ),
    )


def _title_finding(entry: Entry, first: Entry, theirs: set[str]) -> Finding:
    """Rows merged by their title alone while each links a paper the other does not."""
    mine = sorted(
        [f"{k}:{v}" for k in _KEYS if (v := getattr(entry.ids, k))] + list(entry.ids.pages)
    )
    return Finding.at(
        entry.place,
        "merged-by-title",
        "",
        list_says={"title": entry.title, "links": mine},
        registry_says={},
        message=(
            f"has the title of {first.file}:{first.line} and was merged with it as one paper, "
            f"but links {', '.join(mine)} where that row links {', '.join(sorted(theirs))}: "
            "check that both rows are the same paper"
        ),
    )


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
    kind: Kind = next(k for k in KIND_NAMES if k in kinds)  # its most citable entry's
    links: list[Link] = []
    seen: set[str] = set()
    github: list[str] = []
    pages: list[str] = []
    for entry in [best, *[e for e in entries if e is not best]]:
        pages += [page for page in entry.ids.pages if page not in pages]
        for link in entry.links:
            if link.url not in seen:
                seen.add(link.url)
                links.append(link)
        for repo in entry.ids.github:
            if repo not in github:
                github.append(repo)
    places = [e.place for e in entries]
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
            pages=pages,
        ),
        places=places,
        # a dataset row's name is the dataset's, not its paper's
        nickname=next(
            (e.nickname for e in [best, *entries] if e.nickname and e.kind == kind), None
        ),
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
