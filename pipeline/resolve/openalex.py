"""OpenAlex title search: the last resort for works Crossref does not find (CVF open access,
OpenReview). Without an API key the service allows only a small daily budget, so it is asked
only for what every other resolver missed (https://docs.openalex.org).

A search answer must hold a ``results`` list (anything else is a failed answer); each result
is a candidate only, applied when the wrong-match guard accepts it.
"""

from __future__ import annotations

import json
from typing import Any

from pipeline.ids.doi import comparable
from pipeline.ids.names import csl_name
from pipeline.resolve.base import Context
from pipeline.resolve.csl import CSL_TYPES, date_parts

PER_PAGE = 5


def results_check(body: bytes) -> str | None:
    """A ``/works`` search answer must hold a ``results`` list."""
    data = json.loads(body)
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        return "no OpenAlex results list in the answer"
    return None


def search(ctx: Context, title: str) -> list[dict[str, Any]]:
    """Works whose title matches ``title`` (``filter=title.search:``), best first."""
    # Commas separate filters in OpenAlex syntax, so they are dropped from the search text.
    params = {"filter": f"title.search:{title.replace(',', ' ')}", "per-page": str(PER_PAGE)}
    if ctx.settings.openalex_key:
        params["api_key"] = ctx.settings.openalex_key
    if ctx.settings.mailto:
        params["mailto"] = ctx.settings.mailto
    response = ctx.fetcher.get(
        f"{ctx.settings.endpoints.openalex}/works", params=params, check=results_check
    )
    if response.status_code != 200:
        return []
    data = json.loads(response.content)
    results = data.get("results") if isinstance(data, dict) else None
    return [r for r in results or [] if isinstance(r, dict)]


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
        csl["URL"] = f"https://doi.org/{csl['DOI']}"
    elif location.get("landing_page_url"):
        csl["URL"] = location["landing_page_url"]
    return csl
