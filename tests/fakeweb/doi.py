"""Fake doi.org content negotiation: ``GET /doi/{doi}`` with
``Accept: application/vnd.citationstyles.csl+json`` answers a CSL item shaped like
``../shared/api-samples/doi-cn/`` (Crossref and DataCite DOIs alike); other Accept values get
406, unknown DOIs the 404 the real resolver gives."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from aiohttp import web

from tests.fakeweb.core import FakeWeb
from tests.fakeweb.world import Record, build_world

CSL = "application/vnd.citationstyles.csl+json"
CSL_TYPES = {
    "journal-article": "article-journal",
    "proceedings-article": "paper-conference",
    "dataset": "dataset",
    "posted-content": "article",
}


def csl_item(r: Record) -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": CSL_TYPES.get(r.kind, "article-journal"),
        "id": f"https://doi.org/{r.doi}",
        "author": [{"family": f, "given": g} for g, f in r.authors],
        "issued": {"date-parts": [[r.year]]},
        "DOI": r.doi,
        "publisher": r.publisher,
        "title": r.title,
        "URL": f"https://doi.org/{r.doi}",
    }
    if r.container:
        item["container-title"] = r.container
    return item


def register(app: web.Application, fake: FakeWeb) -> None:
    world = build_world()
    records: dict[str, Record] = fake.data.setdefault("doi", {**world.crossref, **world.datacite})

    async def resolve(request: web.Request) -> web.Response:
        doi = unquote(request.match_info["doi"]).lower()
        record = records.get(doi)
        if record is None:
            return web.Response(status=404, text="DOI Not Found", content_type="text/html")
        if CSL not in request.headers.get("Accept", ""):
            # Without negotiation doi.org redirects to the landing page.
            return web.Response(status=302, headers={"Location": f"https://example.org/{doi}"})
        return web.json_response(csl_item(record), content_type=CSL)

    app.router.add_get("/doi/{doi:.+}", resolve)
