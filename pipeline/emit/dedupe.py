"""One paper, one entry: works whose records carry the same DOI or arXiv id become one.

Scrape merges entries by what the lists say; only the registries can tell that two list
titles ("RS-LLaVA: Large Vision Language Model …" and "RS-LLaVA: A Large Vision-Language
Model …") or a preprint link and a publisher link are one paper. After keys are assigned,
records sharing a DOI or an arXiv id (and whose titles agree: a shared id with two
different titles is a list error, reported elsewhere, not a merge) are merged:

* the metadata is the most authoritative record's (published over OpenAlex over arXiv over
  list text); sources and repositories are the union; every place is kept, so the README line
  names every list and section;
* the surviving key is one already published for a verified record, else one published at
  all, else a new one, ties broken by key order (keys.json keeps no dates, and the order
  must not depend on input order);
* every other key stays valid: it is written in the surviving entry's biblatex ``ids`` and
  recorded in ``output/keys.json`` as ``merged_into``. It gets no entry of its own, so
  BibTeX (which has no aliases) reports it as a missing entry instead of printing the paper
  twice; the README says so.
"""

from __future__ import annotations

import dataclasses

from pipeline.emit.keys import KeyMap
from pipeline.emit.records import Record
from pipeline.ids.agreement import titles_agree
from pipeline.models import Finding, Place, ResolvedWork

_AUTHORITY = {"list": 0, "arxiv": 1, "openalex": 2, "doi": 3, "crossref": 3}

Pair = tuple[Record, ResolvedWork]


def _groups(current: list[Pair]) -> list[list[int]]:
    """Indices of records that share a DOI or an arXiv id, with titles that agree."""
    parent = list(range(len(current)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, (record, _) in enumerate(current):
        idents = [f"doi:{record.doi}" if record.doi else "", f"arxiv:{record.arxiv}"]
        for ident in idents if record.arxiv else idents[:1]:
            if not ident:
                continue
            j = owner.setdefault(ident, i)
            if j != i and titles_agree(record.title, current[j][0].title):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(current)):
        groups.setdefault(find(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def _survivor(members: list[Pair], previous: dict[str, Record]) -> Pair:
    def rank(pair: Pair) -> tuple[bool, bool, bool, str]:
        key = pair[0].key
        before = previous.get(key)
        return (before is not None and before.verified, before is not None, pair[0].verified, key)

    best = max(rank(p)[:3] for p in members)
    return min((p for p in members if rank(p)[:3] == best), key=lambda p: p[0].key)


def _merged(members: list[Pair], survivor: Pair) -> Pair:
    record, rw = survivor
    best = max(members, key=lambda p: (p[0].verified, _AUTHORITY.get(p[0].resolved_by, 0)))
    others = [p[0] for p in members if p is not survivor]
    merged = dataclasses.replace(best[0], key=record.key, work_id=record.work_id)
    merged.sources = sorted({s for p in members for s in p[0].sources})
    merged.github = sorted({g for p in members for g in p[0].github})
    stars = [p[0].stars for p in members if p[0].stars is not None]
    merged.stars = max(stars) if stars else None
    merged.aliases = sorted({r.key for r in others} | {a for p in members for a in p[0].aliases})
    places: list[Place] = sorted(
        {(p.file, p.line): p for m in members for p in m[1].work.places}.values(),
        key=lambda p: (p.file, p.line),
    )
    links = list({link.url: link for m in members for link in m[1].work.links}.values())
    work = dataclasses.replace(rw.work, places=places, links=links)
    return merged, dataclasses.replace(rw, work=work)


def merge_duplicates(
    current: list[Pair], keymap: KeyMap, previous: dict[str, Record]
) -> tuple[list[Pair], list[Finding]]:
    """``current`` with every group of one paper merged into its surviving record (in the
    survivor's place); ``keymap`` learns ``merged_into``; a ``duplicate-merged`` finding per
    place of each merged-away work."""
    replace: dict[int, Pair] = {}
    gone: set[int] = set()
    findings: list[Finding] = []
    for group in _groups(current):
        members = [current[i] for i in group]
        survivor = _survivor(members, previous)
        merged = _merged(members, survivor)
        for i in group:
            if current[i] is survivor:
                replace[i] = merged
                continue
            gone.add(i)
            keymap.merged[current[i][0].key] = survivor[0].key
            findings += _findings(current[i], merged)
    out = [replace.get(i, pair) for i, pair in enumerate(current) if i not in gone]
    # a key merged in an earlier run stays an alias even when its work has left the lists
    aliases: dict[str, set[str]] = {}
    for key in keymap.merged:
        aliases.setdefault(keymap.resolve(key), set()).add(key)
    for record, _ in out:
        record.aliases = sorted(set(record.aliases) | aliases.get(record.key, set()))
    return out, findings


def _findings(pair: Pair, merged: Pair) -> list[Finding]:
    record, rw = pair
    into, into_rw = merged
    said = {"title": into.title} | ({"doi": into.doi} if into.doi else {})
    said |= {"arxiv": into.arxiv} if into.arxiv else {}
    where = ", ".join(
        sorted({str(p) for p in into_rw.work.places} - {str(p) for p in rw.work.places})
    )
    return [
        Finding.at(
            place,
            "duplicate-merged",
            rw.work.id,
            list_says={"title": place.title or rw.work.title},
            registry_says=said,
            message=f"the same paper as {where or 'another entry'}: one entry, key "
            f"{into.key} ({record.key} stays valid as an alias)",
        )
        for place in rw.work.places
    ]
