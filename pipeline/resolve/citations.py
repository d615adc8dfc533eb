"""Citation counts: Semantic Scholar's ``citationCount`` for every work with an arXiv id or a DOI.

The counts ride on the paper batch that asks which preprints have a published version
(:mod:`.semanticscholar`, 500 ids a request), so they cost no request of their own:

* before the lookups, every work the list names by an id is asked with the preprints, by its
  arXiv id, else its DOI (:func:`asked_before`); each answer is filed per id in the cache, so a
  warm run asks nothing and a run with new works asks only theirs;
* a work whose id was learned later (a DOI found by a title search) is asked with the next
  batch that is sent anyway, in the room its last request leaves (:func:`fill`), never in a
  request of its own; until then it has no count (the emitters keep the last known one);
* after the lookups each record takes the count the cache holds for its arXiv id or DOI
  (:func:`attach`), into ``csl["custom"]["citations"]``, and only when the answer's title
  agrees with the record's: an id is a claim, and an answer about another paper is no count
  of this one. Answers expire with the cache (``cache_max_age_seconds``), so counts are refreshed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pipeline.ids.agreement import AGREE, is_name, title_agreement
from pipeline.ids.doi import comparable
from pipeline.models import ResolvedWork, Work
from pipeline.resolve import semanticscholar
from pipeline.resolve.arxiv import arxiv_id
from pipeline.resolve.base import Context
from pipeline.resolve.leads import known_doi

__all__ = ["asked_before", "attach", "fill"]


def asked_before(works: Iterable[Work]) -> list[str]:
    """The batch id of each work the list names by an id: its arXiv id, else its DOI."""
    keys: list[str] = []
    for work in works:
        arxiv = arxiv_id(work)
        doi = known_doi(work)
        if arxiv is not None:
            keys.append(semanticscholar.key_of(arxiv))
        elif doi is not None:
            keys.append(semanticscholar.doi_key(doi[0]))
    return keys


def record_keys(csl: dict[str, Any]) -> list[str]:
    """The batch ids a record is known by: its arXiv id, then its DOI (not arXiv's own DOI
    of the preprint: the service knows that paper by its arXiv id)."""
    custom = csl.get("custom") if isinstance(csl.get("custom"), dict) else {}
    arxiv = custom.get("arxiv") if isinstance(custom, dict) else None
    doi = comparable(csl.get("DOI"))
    keys = [semanticscholar.key_of(arxiv)] if isinstance(arxiv, str) and arxiv else []
    if doi and not doi.startswith(semanticscholar.ARXIV_DOI_PREFIX):
        keys.append(semanticscholar.doi_key(doi))
    return keys


def fill(ctx: Context, records: Iterable[ResolvedWork]) -> list[str]:
    """Ids of earlier records no cached answer covers yet (learned after an earlier run's
    batch): asked only in the room of a batch sent anyway."""
    keys: list[str] = []
    for rw in records:
        mine = record_keys(rw.csl)
        answers = [semanticscholar.cached(ctx, k) for k in mine]
        if not any(a is not None and a.entry is not None for a in answers):
            keys += [k for k, a in zip(mine, answers, strict=True) if a is None]
    return keys


def _count(ctx: Context, rw: ResolvedWork) -> int | None:
    """The count of the first answer about this record's paper, if the cache holds one."""
    title = str(rw.csl.get("title") or rw.work.title)
    for key in record_keys(rw.csl):
        answer = semanticscholar.cached(ctx, key)
        if answer is None or answer.entry is None or answer.citations is None:
            continue
        said = str(answer.entry.get("title") or "")
        if is_name(title) or title_agreement(title, said) >= AGREE:
            return answer.citations
    return None


def attach(ctx: Context, resolved: Sequence[ResolvedWork]) -> int:
    """Write each record's count into ``custom.citations``; how many records have one."""
    counted = 0
    for rw in resolved:
        count = _count(ctx, rw)
        if count is not None:
            custom = rw.csl.get("custom")
            if not isinstance(custom, dict):
                custom = rw.csl["custom"] = {}
            custom["citations"] = count
        counted += isinstance((rw.csl.get("custom") or {}).get("citations"), int)
    return counted
