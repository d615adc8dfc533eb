"""Fake OpenAlex: ``GET /openalex/works?filter=title.search:…`` (or ``search=``) answering
the list shape of ``../shared/api-samples/openalex/works_list_5_results.json`` (``meta`` +
``results`` of works with ``display_name``, ``authorships``, ``primary_location.source``,
``biblio``). It indexes every record of the world plus CVF/OpenReview papers only it knows."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from aiohttp import web

from tests.fakeweb.core import FakeWeb
from tests.fakeweb.search import search_titles
from tests.fakeweb.world import Record, build_world, digest

MIN_SCORE = 60.0
DOI_VALUES = 50
"""Values OpenAlex takes OR-ed in one filter."""


def doi_of(r: Record) -> str:
    """The DOI OpenAlex gives a record: its own, or arXiv's DataCite DOI."""
    return f"10.48550/arxiv.{r.arxiv}".lower() if r.arxiv else (r.doi or "").lower()


def work(r: Record, score: float) -> dict[str, Any]:
    wid = f"https://openalex.org/W{digest(r.title) % 10**10}"
    doi = f"https://doi.org/{doi_of(r)}" if doi_of(r) else None
    source = {
        "id": f"https://openalex.org/S{digest(r.container or 'arXiv') % 10**9}",
        "display_name": r.container or ("arXiv (Cornell University)" if r.arxiv else None),
        "issn_l": None,
        "issn": None,
        "is_oa": bool(r.arxiv),
        "is_in_doaj": False,
        "host_organization": None,
        "host_organization_name": r.publisher,
        "type": "repository" if r.arxiv else r.venue_type,
    }
    location = {
        "is_oa": bool(r.arxiv),
        "landing_page_url": doi or r.resource_url,
        "pdf_url": None,
        "source": source,
        "license": None,
        "version": None,
    }
    first, _, last = (r.page or "").partition("-")
    return {
        "id": wid,
        "doi": doi,
        "title": r.title,
        "display_name": r.title,
        "relevance_score": round(score, 3),
        "publication_year": r.year,
        "publication_date": f"{r.year:04d}-{r.month:02d}-{r.day:02d}",
        "ids": {"openalex": wid, **({"doi": doi} if doi else {})},
        "language": "en",
        "primary_location": location,
        "type": "preprint" if r.arxiv else ("dataset" if r.kind == "dataset" else "article"),
        "type_crossref": r.kind,
        "indexed_in": ["crossref"] if r.agency == "crossref" else [],
        "authorships": [
            {
                "author_position": "first" if i == 0 else "middle",
                "author": {
                    "id": f"https://openalex.org/A{i}",
                    "display_name": f"{g} {f}".strip(),
                    "orcid": None,
                },
                "institutions": [],
                "countries": [],
                "is_corresponding": i == 0,
                "raw_author_name": f"{g} {f}".strip(),
                "raw_affiliation_strings": [],
            }
            for i, (g, f) in enumerate(r.authors)
        ],
        "biblio": {
            "volume": r.volume,
            "issue": r.issue,
            "first_page": first or None,
            "last_page": last or None,
        },
        "is_retracted": False,
        "is_paratext": False,
        "locations_count": 1,
        "locations": [location],
        "cited_by_count": 0,
        "updated_date": "2026-02-27T07:19:02.045114",
        "created_date": "2016-06-24",
    }


def register(app: web.Application, fake: FakeWeb) -> None:
    records: list[Record] = fake.data.setdefault("openalex", build_world().openalex_records())

    def by_doi(value: str) -> Record | None:
        wanted = value.lower().removeprefix("https://doi.org/")
        return next((r for r in records if doi_of(r) == wanted), None)

    async def single(request: web.Request) -> web.Response:
        record = by_doi(unquote(request.match_info["doi"]))
        if record is None:
            return web.Response(status=404, text="404 Not Found")
        return web.json_response(work(record, 1.0))

    async def works(request: web.Request) -> web.Response:
        q = request.query
        per_page = int(q.get("per-page", q.get("per_page", "25")))
        if per_page > 200:
            return web.json_response({"error": "per-page is at most 200"}, status=400)
        text, dois = q.get("search", ""), []
        for part in q.get("filter", "").split(","):
            if part.startswith(("title.search:", "display_name.search:")):
                text = part.split(":", 1)[1]
            if part.startswith("doi:"):
                # https://doi.org/… values are split on the pipe too (OR of up to 50 values)
                dois = part.split(":", 1)[1].replace("https://doi.org/", "").split("|")
        if len(dois) > DOI_VALUES:
            return web.json_response({"error": "too many values in one filter"}, status=400)
        if dois:
            fake.data.setdefault("openalex_doi_batches", []).append(dois)
            found = (by_doi(d) for d in dict.fromkeys(d.lower() for d in dois))
            scored = [(1.0, r) for r in found if r is not None]
        elif text:
            scored = [
                (score, records[i]) for _t, score, i in search_titles(text, records, MIN_SCORE)
            ]
        else:
            scored = [(1.0, r) for r in records]
        scored.sort(key=lambda pair: (-pair[0], pair[1].title))
        body = {
            "meta": {
                "count": len(scored),
                "db_response_time_ms": 12,
                "page": 1,
                "per_page": per_page,
                "groups_count": None,
            },
            "results": [work(r, s) for s, r in scored[:per_page]],
            "group_by": [],
        }
        return web.json_response(body)

    app.router.add_get("/openalex/works", works)
    app.router.add_get("/openalex/works/doi:{doi:.+}", single)
