"""OpenAlex: title search, the last resort for works Crossref does not find (CVF open access,
OpenReview), and with an API key the DOIs Crossref does not hold, 50 a request
(https://docs.openalex.org). Without a key the service allows only a small daily budget, so it
is asked only for what every other resolver missed.

A search answer must hold a ``results`` list (anything else is a failed answer); each result
is a candidate only, applied when the wrong-match guard accepts it. A DOI batch's results are
filed one by one under the single-work URL (``/works/doi:{doi}``), where
:func:`filed_work` finds them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pipeline.ids.doi import comparable, quoted, same_doi, url_of
from pipeline.ids.names import csl_name
from pipeline.resolve.base import Context
from pipeline.resolve.csl import CSL_TYPES, date_parts
from pipeline.resolve.fetch import Check, full_url

PER_PAGE = 5

DOI_BATCH = 50
"""DOIs OR-ed in one ``filter=doi:A|B|…`` request: the most OpenAlex takes in one filter
("Fetch multiple DOIs in one OpenAlex API request", blog.ourresearch.org)."""


def results_check(body: bytes) -> str | None:
    """A ``/works`` search answer must hold a ``results`` list."""
    data = json.loads(body)
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        return "no OpenAlex results list in the answer"
    return None


def params(ctx: Context, extra: Mapping[str, str]) -> dict[str, str]:
    """``extra`` and, when configured, ``mailto``. The API key is not among them: the fetcher
    adds it to the request it sends, so it is in no cache key, log line or error."""
    out = dict(extra)
    if ctx.settings.mailto:
        out["mailto"] = ctx.settings.mailto
    return out


def search(ctx: Context, title: str) -> list[dict[str, Any]]:
    """Works whose title matches ``title`` (``filter=title.search:``), best first."""
    # Commas separate filters in OpenAlex syntax, so they are dropped from the search text.
    extra = {"filter": f"title.search:{title.replace(',', ' ')}", "per-page": str(PER_PAGE)}
    response = ctx.fetcher.get(
        f"{ctx.settings.endpoints.openalex}/works", params=params(ctx, extra), check=results_check
    )
    if response.status_code != 200:
        return []
    data = json.loads(response.content)
    results = data.get("results") if isinstance(data, dict) else None
    return [r for r in results or [] if isinstance(r, dict)]


def work_url(ctx: Context, doi: str) -> str:
    """The single-work URL of ``doi`` (``/works/doi:{doi}``), where a DOI batch files it."""
    return full_url(f"{ctx.settings.endpoints.openalex}/works/doi:{quoted(doi)}", params(ctx, {}))


def doi_list_url(ctx: Context, dois: list[str]) -> str:
    """One ``filter=doi:A|B|…`` request for ``dois`` (at most :data:`DOI_BATCH`)."""
    extra = {"filter": "doi:" + "|".join(dois), "per-page": str(DOI_BATCH)}
    return full_url(f"{ctx.settings.endpoints.openalex}/works", params(ctx, extra))


def work_check(doi: str) -> Check:
    """A single-work answer must be a titled work about ``doi`` itself."""

    def check(body: bytes) -> str | None:
        data = json.loads(body)
        if not isinstance(data, dict) or not (data.get("display_name") or data.get("title")):
            return "no OpenAlex work with a title in the answer"
        if not same_doi(data.get("doi"), doi):
            return f"an OpenAlex work about DOI {data.get('doi')!r}, not {doi!r}"
        return None

    return check


def filed_work(ctx: Context, doi: str) -> dict[str, Any] | None:
    """The work a DOI batch filed for ``doi``; None when none is filed or OpenAlex lacks it.

    Never asks: a lone DOI goes to doi.org, the registration agency itself."""
    response = ctx.fetcher.stored(work_url(ctx, doi), work_check(doi))
    if response is None or response.status_code != 200:
        return None
    data = json.loads(response.content)
    return data if isinstance(data, dict) else None


def to_csl(work: dict[str, Any], work_id: str) -> dict[str, Any]:
    """An OpenAlex work as a CSL item."""
    location = work.get("primary_location") or {}
    source = location.get("source") or {}
    if work.get("type") == "preprint":
        kind = "article"
    elif source.get("type") == "conference":
        kind = "paper-conference"
    else:
        kind = CSL_TYPES.get(str(work.get("type")), "article-journal")
    csl: dict[str, Any] = {"id": work_id, "type": kind}
    if work.get("display_name") or work.get("title"):
        csl["title"] = work.get("display_name") or work.get("title")
    authors = [
        csl_name(str((a.get("author") or {}).get("display_name") or a.get("raw_author_name")))
        for a in work.get("authorships") or []
    ]
    if authors:
        csl["author"] = [a for a in authors if a]
    issued = date_parts(work.get("publication_date")) or date_parts(
        str(work.get("publication_year") or "")
    )
    if issued:
        csl["issued"] = issued
    if source.get("display_name"):
        csl["container-title"] = source["display_name"]
    if source.get("host_organization_name"):
        csl["publisher"] = source["host_organization_name"]
    biblio = work.get("biblio") or {}
    if biblio.get("volume"):
        csl["volume"] = str(biblio["volume"])
    if biblio.get("issue"):
        csl["issue"] = str(biblio["issue"])
    if biblio.get("first_page"):
        last = biblio.get("last_page")
        csl["page"] = f"{biblio['first_page']}-{last}" if last else str(biblio["first_page"])
    doi = str(work.get("doi") or "")
    if doi:
        csl["DOI"] = comparable(doi)
        csl["URL"] = url_of(csl["DOI"])
    elif location.get("landing_page_url"):
        csl["URL"] = location["landing_page_url"]
    return csl
