"""What earlier runs knew, and which record wins: this run's or the last known one.

A work whose lookups failed (service down, slow, garbage, or offline without a cached answer)
keeps its last known record, read from the previous ``build/resolved.json`` or from
``output/papers.json`` (items carry ``custom.work_id``), so nothing already known is lost.
A work verified before also keeps its last known record when this run finds only something
less authoritative (:data:`RANK`): a record is never downgraded because one answer was
missing or wrong.
"""

from __future__ import annotations

import copy

from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.ids.arxiv import canonical
from pipeline.models import ResolvedWork, Work
from pipeline.resolve.base import Found
from pipeline.resolve.csl import fill_from_list, list_to_csl
from pipeline.store import read_json

ARXIV_METHODS = frozenset({"arxiv-id", "arxiv-doi", "s2-doi", "published-title"})
"""Methods of records found through an arXiv entry."""

RANK = {"list": 0, "arxiv": 1, "openalex": 2, "doi": 3, "crossref": 3}
"""Authority of a record by where it came from: the registration agency's record of the
published work (Crossref, doi.org) over OpenAlex's over the arXiv preprint over list text."""


def load_works(settings: Settings) -> list[Work]:
    path = settings.build_dir / "works.json"
    data = read_json(path, required=True)
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON array of works")
    try:
        return [Work.from_json(item) for item in data]
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{path}: malformed work record: {exc!r}") from None


def last_known(settings: Settings) -> dict[str, ResolvedWork]:
    """Previous records by work id: ``build/resolved.json``, then ``output/papers.json``."""
    known: dict[str, ResolvedWork] = {}
    previous = read_json(settings.build_dir / "resolved.json", default=[])
    for item in previous if isinstance(previous, list) else []:
        try:
            record = ResolvedWork.from_json(item)
        except (KeyError, TypeError, ValueError):
            continue
        known[record.work.id] = record
    papers = read_json(settings.output_dir / "papers.json", default=[])
    for item in papers if isinstance(papers, list) else []:
        custom = item.get("custom") if isinstance(item, dict) else None
        work_id = custom.get("work_id") if isinstance(custom, dict) else None
        if not isinstance(work_id, str) or work_id in known:
            continue
        resolved_by = str(custom.get("resolved_by") or "list") if custom else "list"
        csl = {k: v for k, v in item.items() if k != "id"}
        known[work_id] = ResolvedWork(
            work=Work(id=work_id, kind="paper", title=str(item.get("title") or "")),
            csl=csl,
            resolved_by=resolved_by,
            method="last-known",
            confidence=float(custom.get("confidence") or 0.0) if custom else 0.0,
            verified=bool(custom.get("verified", resolved_by != "list")) if custom else False,
        )
    return known


def verified_on_arxiv(previous: dict[str, ResolvedWork]) -> frozenset[str]:
    """Canonical ids of the verified records that came through arXiv (the preprint itself, or
    the published work arXiv's entry led to): ids arXiv is known to have."""
    ids: set[str] = set()
    for rw in previous.values():
        custom = rw.csl.get("custom")
        short = custom.get("arxiv") if isinstance(custom, dict) else None
        if not (rw.verified and isinstance(short, str)):
            continue
        if rw.resolved_by == "arxiv" or rw.method in ARXIV_METHODS:
            ids.add(canonical(short))
    return frozenset(ids)


def _from_found(work: Work, found: Found, rejected: set[str]) -> ResolvedWork:
    # The record carries an arXiv id only where arXiv's record of it agreed (the arXiv
    # resolver writes it, also into records found through a DOI): the list's link alone is a
    # claim. Ids whose records named another paper are kept apart, so that emit never fills
    # one back in from the previous output.
    csl = found.csl
    csl["id"] = work.id
    if rejected:
        csl.setdefault("custom", {})["rejected"] = sorted(rejected)
    list_fields = fill_from_list(csl, work)
    return ResolvedWork(
        work=work,
        csl=csl,
        resolved_by=found.resolved_by,
        method=found.method,
        confidence=found.confidence,
        verified=True,
        list_fields=list_fields,
        # A work known both as a preprint and by a published record is the published work.
        preprint_of=found.preprint_of,
    )


def _from_list(work: Work, rejected: set[str]) -> ResolvedWork:
    csl = list_to_csl(work)
    if f"doi:{str(csl.get('DOI') or '').lower()}" in rejected:
        del csl["DOI"]  # the list's DOI is another paper's
    custom = csl.get("custom")
    if isinstance(custom, dict) and f"arxiv:{custom.get('arxiv')}" in rejected:
        del custom["arxiv"]
    if rejected:
        csl.setdefault("custom", {})["rejected"] = sorted(rejected)
    fields = [f for f in csl if f not in {"id", "type", "custom"}]
    return ResolvedWork(work=work, csl=csl, list_fields=fields)


def _restored(previous: ResolvedWork, work: Work) -> ResolvedWork:
    restored = copy.deepcopy(previous)
    restored.work = work
    restored.csl["id"] = work.id
    return restored


def _downgrade(hit: Found, before: ResolvedWork) -> bool:
    """Whether ``hit`` is less authoritative than the verified record ``before``."""
    return RANK.get(hit.resolved_by, 0) < RANK.get(before.resolved_by, 0)


def settle(
    works: list[Work],
    found: dict[str, Found],
    previous: dict[str, ResolvedWork],
    affected: set[str],
    rejected: dict[str, set[str]] | None = None,
) -> tuple[list[ResolvedWork], int, list[str]]:
    """Each work's record: the last known one, this run's, or the list's own text. Returns the
    records, how many were kept from before, and the not-downgraded ones (``id (from, not to)``).
    ``affected`` are the works whose lookups a failed service touched; ``rejected`` the ids
    whose records named another paper (by work id), never written as the work's."""
    rejected = rejected or {}
    resolved: list[ResolvedWork] = []
    kept = 0
    not_downgraded: list[str] = []
    for work in works:
        hit = found.get(work.id)
        before = previous.get(work.id)
        if before is not None and before.verified and (hit is None or work.id in affected):
            resolved.append(_restored(before, work))
            kept += 1
        elif before is not None and before.verified and hit is not None and _downgrade(hit, before):
            resolved.append(_restored(before, work))
            kept += 1
            not_downgraded.append(f"{work.id} ({before.resolved_by}, not {hit.resolved_by})")
        elif hit is not None:
            resolved.append(_from_found(work, hit, rejected.get(work.id, set())))
        else:
            resolved.append(_from_list(work, rejected.get(work.id, set())))
    return resolved, kept, not_downgraded
