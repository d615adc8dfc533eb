"""Batch questions asked before the per-work resolvers, so each of them finds its answer filed.

* **DOIs** go to Crossref ``/works?filter=doi:A,doi:B,…`` (:data:`DOI_BATCH` a request;
  filters of one name are OR-ed). Every item is filed under its ``/works/{doi}`` URL; when the
  list is complete (``total-results`` = items), a DOI it lacks is filed as Crossref's 404, so
  :func:`pipeline.resolve.crossref.get_work` answers from the cache and doi.org gets the
  DataCite DOIs as before. A lone DOI is left to ``/works/{doi}``: a batch of one costs the
  same request and says less (no 404 of its own).
* **DOIs Crossref does not hold** (DataCite: Zenodo, figshare), when an OpenAlex key is set,
  go to OpenAlex ``/works?filter=doi:A|B|…`` (:data:`~.openalex.DOI_BATCH` a request), each
  work filed under its ``/works/doi:{doi}`` URL and an absent one as a 404, so doi.org is
  asked only about what neither holds. Without a key OpenAlex's daily budget is too small to
  spend on what doi.org answers anyway.
* **ScienceDirect PIIs** go to one ``filter=alternative-id:A,alternative-id:B,…`` request per
  batch, each PII's items filed under the single ``filter=alternative-id:…`` query.
* **Preprints** go to Semantic Scholar's paper batch (:mod:`.semanticscholar`): the DOI of
  each published version it names lands in ``Context.published`` and in the DOI batch. The
  other works the lists name by an arXiv id or DOI ride in the same batches, for their
  citation counts (:mod:`.citations`).

The fetcher keeps every request to the service's rate limit (:mod:`.rates`). A failed batch
files nothing: its works fall back to their single lookups, which the fetcher's breaker bounds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from pipeline.errors import Unavailable
from pipeline.ids.doi import comparable
from pipeline.models import Work
from pipeline.resolve import citations, crossref, openalex, semanticscholar
from pipeline.resolve.arxiv import arxiv_id
from pipeline.resolve.base import Context
from pipeline.resolve.fetch import full_url
from pipeline.resolve.leads import hits, known_doi

DOI_BATCH = 50
"""DOIs (or PIIs) per Crossref filter request: long filters are refused (URL length)."""

NOT_FOUND = b"Resource not found."


def _chunks(items: Sequence[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _items(ctx: Context, filters: list[str]) -> list[dict[str, Any]] | None:
    """The items of one filter request, or None when it gave no complete answer."""
    url = full_url(
        f"{ctx.settings.endpoints.crossref}/works",
        crossref.params(ctx, {"filter": ",".join(filters), "rows": str(2 * len(filters))}),
    )
    try:
        response = ctx.fetcher.get(url, check=crossref.list_check, store=False)
    except Unavailable:
        return None
    message = json.loads(response.content).get("message") if response.status_code == 200 else None
    if not isinstance(message, dict):
        return None
    items = [i for i in message.get("items") or [] if isinstance(i, dict)]
    if message.get("total-results") != len(items):
        return None  # cut short: absent DOIs would prove nothing
    return items


def dois(ctx: Context, wanted: Iterable[str]) -> None:
    """File Crossref's answer for every DOI not answered yet."""
    # A comma separates filters: a DOI holding one is left to its single lookup.
    todo = [
        d
        for d in dict.fromkeys(comparable(x) for x in wanted if x)
        if "," not in d and not ctx.fetcher.answers_without_network(crossref.work_url(ctx, d))
    ]
    if len(todo) < 2:
        return  # a batch of one is the single lookup's one request, less direct
    for batch in _chunks(todo, DOI_BATCH):
        if not ctx.fetcher.may_ask("crossref"):
            break
        items = _items(ctx, [f"doi:{d}" for d in batch])
        if items is None:
            continue
        by_doi = {comparable(i.get("DOI") or ""): i for i in items}
        for doi in batch:
            item = by_doi.get(doi)
            url = crossref.work_url(ctx, doi)
            if item is None:
                ctx.fetcher.file(url, 404, NOT_FOUND)
            else:
                envelope = {"status": "ok", "message-type": "work", "message": item}
                ctx.fetcher.file(url, 200, json.dumps(envelope).encode())


def crossref_lacks(ctx: Context, doi: str) -> bool:
    """Whether the cache holds Crossref's 404 for ``doi`` (from this run's batch or an
    earlier one)."""
    answer = ctx.fetcher.stored(crossref.work_url(ctx, doi))
    return answer is not None and answer.status_code == 404


def openalex_dois(ctx: Context, wanted: Sequence[str]) -> None:
    """File OpenAlex's answer for each DOI Crossref does not hold (two or more; the caller
    asks only with a key)."""
    # "|" separates the values of an OpenAlex filter and "," the filters.
    todo = [
        d
        for d in wanted
        if not {",", "|"} & set(d)
        and not ctx.fetcher.answers_without_network(openalex.work_url(ctx, d))
    ]
    if len(todo) < 2:
        return  # a lone DOI goes to doi.org, the agency itself, in the same one request
    for batch in _chunks(todo, openalex.DOI_BATCH):
        if not ctx.fetcher.may_ask("openalex"):
            break
        try:
            response = ctx.fetcher.get(
                openalex.doi_list_url(ctx, batch), check=openalex.results_check, store=False
            )
        except Unavailable:
            continue  # filed nothing: doi.org answers these works one by one
        data = json.loads(response.content) if response.status_code == 200 else None
        if not isinstance(data, dict):
            continue
        results = [r for r in data.get("results") or [] if isinstance(r, dict)]
        if (data.get("meta") or {}).get("count") != len(results):
            continue  # cut short: absent DOIs would prove nothing
        by_doi = {comparable(r.get("doi") or ""): r for r in results}
        for doi in batch:
            url, work = openalex.work_url(ctx, doi), by_doi.get(doi)
            if work is None:
                ctx.fetcher.file(url, 404, NOT_FOUND)
            else:
                ctx.fetcher.file(url, 200, json.dumps(work).encode())


def piis(ctx: Context, wanted: Iterable[str]) -> None:
    """File Crossref's ``alternative-id`` answer for every PII not answered yet."""
    single = {
        p: crossref.query_url(ctx, filters={"alternative-id": p}) for p in wanted if "," not in p
    }
    todo = [p for p, url in single.items() if not ctx.fetcher.answers_without_network(url)]
    if len(todo) < 2:
        return  # a batch of one is the single query's one request
    for batch in _chunks(todo, DOI_BATCH):
        if not ctx.fetcher.may_ask("crossref"):
            break
        items = _items(ctx, [f"alternative-id:{p}" for p in batch])
        if items is None:
            continue
        for pii in batch:
            mine = [
                i
                for i in items
                if pii.upper() in {str(a).upper() for a in i.get("alternative-id") or []}
            ]
            message = {"items": mine, "total-results": len(mine), "items-per-page": len(mine)}
            envelope = {"status": "ok", "message-type": "work-list", "message": message}
            ctx.fetcher.file(single[pii], 200, json.dumps(envelope).encode())


def published(
    ctx: Context, works: Sequence[Work], also: Sequence[str] = (), fill: Sequence[str] = ()
) -> list[str]:
    """Ask Semantic Scholar about every preprint without a known DOI; note what it says in
    ``ctx.published`` / ``ctx.unanswered``. Returns the published DOIs it named. ``also`` and
    ``fill`` are ids asked in the same batches for their citation counts (:mod:`.citations`)."""
    keys = {
        semanticscholar.key_of(key): key
        for w in works
        if known_doi(w) is None and (key := arxiv_id(w)) is not None
    }
    answers, unanswered = semanticscholar.lookup(ctx, [*keys, *also], fill)
    for key, answer in answers.items():
        if key in keys and answer.entry is not None:  # unknown: a title search may find one
            ctx.published[keys[key]] = answer.published_doi
    ctx.unanswered.update(keys[k] for k in unanswered if k in keys)
    return [d for d in ctx.published.values() if d]


def prefetch(ctx: Context, works: Sequence[Work]) -> None:
    """The batch questions of a run, each asked once, before any per-work lookup."""
    found = published(ctx, works, citations.asked_before(works), ctx.cite_fill)
    known = [k[0] for w in works if (k := known_doi(w)) is not None]
    dois(ctx, [*known, *found])
    # Published versions are confirmed through Crossref only: OpenAlex is asked about known DOIs.
    if ctx.settings.openalex_key:
        lacking = [d for d in dict.fromkeys(comparable(k) for k in known) if crossref_lacks(ctx, d)]
        openalex_dois(ctx, lacking)
    piis(ctx, [h.value for w in works for h in hits(w) if h.rule.kind == "pii"])
