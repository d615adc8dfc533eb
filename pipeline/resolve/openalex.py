"""OpenAlex title search: the last resort for works Crossref does not find (CVF open access,
OpenReview). Without an API key the service allows only a small daily budget, so it is asked
only for what every other resolver missed (https://docs.openalex.org).

A search answer must hold a ``results`` list (anything else is a failed answer); each result
is a candidate only, applied when the wrong-match guard accepts it.
"""

from __future__ import annotations

import json
from typing import Any

from pipeline.models import Work
from pipeline.resolve.base import Context
from pipeline.resolve.crossref import TitleSearchResolver
from pipeline.resolve.csl import openalex_to_csl

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


class OpenAlexResolver(TitleSearchResolver):
    """Title search in OpenAlex, accepted only through the wrong-match guard."""

    name = "openalex"
    service = "openalex"

    def candidates(self, ctx: Context, work: Work) -> list[dict[str, Any]]:
        return [openalex_to_csl(r, work.id) for r in search(ctx, work.title)]
