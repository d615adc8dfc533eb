"""Crossref REST API: ``/works/{doi}`` for known DOIs and ``/works?query.bibliographic=…`` for
works known only by title (https://api.crossref.org/swagger-ui/index.html).

Polite pool: every request carries ``mailto`` (when configured) and the project's User-Agent;
429 and ``Retry-After`` are honoured by the fetcher.

Every 200 answer is checked to be what was asked before it is used or cached: ``/works/{doi}``
must be a ``work`` message about that DOI, a query a ``work-list`` with its ``items`` and
``total-results``. Anything else (another paper's record, an empty envelope) is a failed
answer, not "not found": only a 404 says Crossref does not hold a DOI.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from pipeline.models import Work
from pipeline.resolve import doi as doi_cn
from pipeline.resolve.base import Context, Found, choose, each_work, first_author
from pipeline.resolve.csl import crossref_to_csl, list_to_csl, same_doi
from pipeline.resolve.fetch import Check, Unavailable

ROWS = 5
"""Candidates read from a title query: the right one is near the top or not there."""


def _params(ctx: Context, extra: Mapping[str, str]) -> dict[str, str]:
    params = dict(extra)
    if ctx.settings.mailto:
        params["mailto"] = ctx.settings.mailto
    return params


def _message(body: bytes, kind: str) -> dict[str, Any] | None:
    """The envelope's ``message`` when the envelope says it is of ``kind``."""
    data = json.loads(body)
    if not isinstance(data, dict) or data.get("message-type") != kind:
        return None
    message = data.get("message")
    return message if isinstance(message, dict) else None


def work_check(doi: str) -> Check:
    """A ``/works/{doi}`` answer must be a work record about ``doi`` itself."""

    def check(body: bytes) -> str | None:
        message = _message(body, "work")
        if message is None:
            return "no Crossref work record in the answer"
        if not same_doi(message.get("DOI"), doi):
            return f"a record about DOI {message.get('DOI')!r}, not {doi!r}"
        return None

    return check


def list_check(body: bytes) -> str | None:
    """A ``/works?…`` answer must be a work list: ``items`` and ``total-results``."""
    message = _message(body, "work-list")
    if (
        message is None
        or not isinstance(message.get("items"), list)
        or not isinstance(message.get("total-results"), int)
    ):
        return "no Crossref work list in the answer"
    return None


def get_work(ctx: Context, doi: str) -> dict[str, Any] | None:
    """The Crossref record of ``doi``; None when Crossref does not hold it (404).

    Raises :class:`Unavailable` when Crossref cannot answer or answers about something else.
    """
    url = f"{ctx.settings.endpoints.crossref}/works/{quote(doi, safe='/:;()._-')}"
    response = ctx.fetcher.get(url, params=_params(ctx, {}), check=work_check(doi))
    if response.status_code != 200:
        return None  # 404/410: Crossref does not hold it (DataCite DOIs)
    return _message(response.content, "work")


def query(
    ctx: Context,
    *,
    title: str | None = None,
    author: str | None = None,
    filters: Mapping[str, str] | None = None,
    rows: int = ROWS,
) -> list[dict[str, Any]]:
    """Items of a ``/works`` query (bibliographic title, first author, filters)."""
    params: dict[str, str] = {"rows": str(rows)}
    if title:
        params["query.bibliographic"] = title
    if author:
        params["query.author"] = author
    if filters:
        params["filter"] = ",".join(f"{k}:{v}" for k, v in filters.items())
    url = f"{ctx.settings.endpoints.crossref}/works"
    response = ctx.fetcher.get(url, params=_params(ctx, params), check=list_check)
    if response.status_code != 200:
        return []
    message = _message(response.content, "work-list") or {}
    return [i for i in message.get("items") or [] if isinstance(i, dict)]


def known_doi(work: Work) -> tuple[str, str] | None:
    """The DOI a work states (``doi``) or a link rule gives (``rule:<publisher>``)."""
    if work.ids.doi:
        return work.ids.doi.lower(), "doi"
    from pipeline.resolve import rules  # rules looks records up through this module

    hit = rules.doi_from_links(work)
    return (hit[0], f"rule:{hit[1]}") if hit else None


class KnownDoiResolver:
    """Works with a DOI: Crossref first, doi.org content negotiation for other agencies
    (DataCite: Zenodo, figshare) or when Crossref is down."""

    name = "crossref-doi"

    def wants(self, work: Work) -> bool:
        return known_doi(work) is not None

    def resolve(self, works: Sequence[Work], ctx: Context) -> dict[str, Found]:
        return each_work(ctx, works, lambda work: self._one(work, ctx))

    def _one(self, work: Work, ctx: Context) -> Found | None:
        known = known_doi(work)
        if known is None:
            return None
        doi, method = known
        record: dict[str, Any] | None = None
        try:
            record = get_work(ctx, doi)
        except Unavailable as exc:
            ctx.unavailable(work, exc)  # then doi.org, which also answers for Crossref DOIs
        if record is not None:
            return Found(crossref_to_csl(record, work.id), "crossref", method, 1.0)
        item = doi_cn.fetch_csl(ctx, doi)
        if item is None:
            return None
        return Found(crossref_to_csl(item, work.id), "doi", method, 1.0)


class TitleSearchResolver:
    """Works known only by title: a search, each hit accepted only through the guard.

    Subclasses name the service and say how to search it (:meth:`candidates`)."""

    name = "crossref-title"
    service = "crossref"

    def wants(self, work: Work) -> bool:
        return bool(work.title.strip()) and work.kind != "project"

    def candidates(self, ctx: Context, work: Work) -> list[dict[str, Any]]:
        items = query(ctx, title=work.title, author=first_author(work))
        return [crossref_to_csl(i, work.id) for i in items]

    def resolve(self, works: Sequence[Work], ctx: Context) -> dict[str, Found]:
        return each_work(
            ctx, works, lambda work: pick(ctx, work, self.service, self.candidates(ctx, work))
        )


def pick(ctx: Context, work: Work, service: str, candidates: list[dict[str, Any]]) -> Found | None:
    """The candidate the guard accepts against the list's title, first author and year."""
    chosen = choose(ctx, work, service, list_to_csl(work), candidates)
    if chosen is None:
        return None
    csl, verdict = chosen
    return Found(csl, service, "title-search", round(verdict.similarity, 3))
