"""Crossref REST API: ``/works/{doi}`` for known DOIs and ``/works?query.bibliographic=…`` for
works known only by title (https://api.crossref.org/swagger-ui/index.html).

Polite pool: every request carries ``mailto`` (when configured) and the project's User-Agent;
429 and ``Retry-After`` are the transport's to honour (:mod:`pipeline.transport.retry`).

Every 200 answer is checked to be what was asked before it is used or cached: ``/works/{doi}``
must be a ``work`` message about that DOI, a query a ``work-list`` with its ``items`` and
``total-results``. Anything else (another paper's record, an empty envelope) is a failed
answer, not "not found": only a 404 says Crossref does not hold a DOI.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pipeline.ids.doi import quoted, same_doi, url_of
from pipeline.ids.titles import cjk_language
from pipeline.resolve.base import Context
from pipeline.resolve.csl import CSL_TYPES
from pipeline.resolve.fetch import Check, full_url

ROWS = 5
"""Candidates read from a title query: the right one is near the top or not there."""


def params(ctx: Context, extra: Mapping[str, str]) -> dict[str, str]:
    """``extra`` and, when configured, ``mailto`` (the polite pool)."""
    out = dict(extra)
    if ctx.settings.mailto:
        out["mailto"] = ctx.settings.mailto
    return out


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


def work_url(ctx: Context, doi: str) -> str:
    """The full ``/works/{doi}`` URL :func:`get_work` asks (and a DOI batch files under)."""
    return full_url(f"{ctx.settings.endpoints.crossref}/works/{quoted(doi)}", params(ctx, {}))


def get_work(ctx: Context, doi: str) -> dict[str, Any] | None:
    """The Crossref record of ``doi``; None when Crossref does not hold it (404).

    Raises :class:`~pipeline.errors.Unavailable` when Crossref cannot answer or answers about something else.
    """
    response = ctx.fetcher.get(work_url(ctx, doi), check=work_check(doi))
    if response.status_code != 200:
        return None  # 404/410: Crossref does not hold it (DataCite DOIs)
    return _message(response.content, "work")


def query_url(
    ctx: Context,
    *,
    title: str | None = None,
    author: str | None = None,
    filters: Mapping[str, str] | None = None,
    rows: int = ROWS,
) -> str:
    """The full ``/works?…`` URL :func:`query` asks (and a PII batch files under)."""
    args: dict[str, str] = {"rows": str(rows)}
    if title:
        args["query.bibliographic"] = title
    if author:
        args["query.author"] = author
    if filters:
        args["filter"] = ",".join(f"{k}:{v}" for k, v in filters.items())
    return full_url(f"{ctx.settings.endpoints.crossref}/works", params(ctx, args))


def query(
    ctx: Context,
    *,
    title: str | None = None,
    author: str | None = None,
    filters: Mapping[str, str] | None = None,
    rows: int = ROWS,
) -> list[dict[str, Any]]:
    """Items of a ``/works`` query (bibliographic title, first author, filters)."""
    url = query_url(ctx, title=title, author=author, filters=filters, rows=rows)
    response = ctx.fetcher.get(url, check=list_check)
    if response.status_code != 200:
        return []
    message = _message(response.content, "work-list") or {}
    return [i for i in message.get("items") or [] if isinstance(i, dict)]


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _crossref_date(message: dict[str, Any]) -> dict[str, Any] | None:
    for field in ("issued", "published-print", "published-online", "published", "created"):
        parts = (message.get(field) or {}).get("date-parts") or []
        if parts and parts[0] and parts[0][0] is not None:
            return {"date-parts": [[int(x) for x in parts[0] if x is not None]]}
    return None


def _texts(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [t for t in items if isinstance(t, str) and t.strip()]


def _titles(message: dict[str, Any]) -> tuple[str, str]:
    """(title, original-title). Chinese journals deposit the English title beside the
    original in ``title`` (or the original in ``original-title``): then the English one is
    the title, as IEEE and CSL have it ("the untranslated title" is ``original-title``)."""
    titles = _texts(message.get("title"))
    every = titles + _texts(message.get("original-title"))
    english = next((t for t in every if not cjk_language(t)), "")
    original = next((t for t in every if cjk_language(t)), "")
    if english and original:
        return english, original
    return (titles[0] if titles else ""), ""


def to_csl(message: dict[str, Any], work_id: str) -> dict[str, Any]:
    """A Crossref ``/works`` message (or a doi.org CSL item) as a CSL item."""
    csl: dict[str, Any] = {
        "id": work_id,
        "type": CSL_TYPES.get(str(message.get("type")), str(message.get("type") or "article")),
    }
    if csl["type"] not in CSL_TYPES.values():
        csl["type"] = "article-journal"
    title, original = _titles(message)
    # the subtitle in the title's language (they come in pairs too)
    subtitle = next(
        (s for s in _texts(message.get("subtitle")) if cjk_language(s) == cjk_language(title)),
        "",
    )
    if title:
        csl["title"] = f"{title}: {subtitle}" if subtitle and subtitle not in title else title
    if original:
        csl["original-title"] = original
        csl["language"] = cjk_language(original)
    authors = []
    for person in message.get("author") or []:
        if person.get("family"):
            name = {"family": person["family"]}
            if person.get("given"):
                name["given"] = person["given"]
            authors.append(name)
        elif person.get("name") or person.get("literal"):
            authors.append({"literal": person.get("name") or person.get("literal")})
    if authors:
        csl["author"] = authors
    issued = _crossref_date(message)
    if issued:
        csl["issued"] = issued
    container = _first(message.get("container-title"))
    if container:
        csl["container-title"] = container
    for field in ("volume", "issue", "page", "publisher"):
        if message.get(field):
            csl[field] = str(message[field])
    if message.get("DOI"):
        csl["DOI"] = str(message["DOI"]).lower()
        csl["URL"] = url_of(csl["DOI"])
    elif message.get("URL"):
        csl["URL"] = message["URL"]
    return csl
