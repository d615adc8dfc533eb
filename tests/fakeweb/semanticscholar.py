"""Fake Semantic Scholar Graph API: ``POST /s2/graph/v1/paper/batch`` answering like
``../shared/api-samples/semanticscholar/paper_batch_with_null_not_found.json``: a JSON array in
request order, ``null`` for an id it does not know, ``externalIds`` (``ArXiv``, ``DOI``,
``CorpusId``) naming each paper. At most 500 ids a request (400 beyond, as the service does).

It knows every arXiv record of the world but those in ``data["s2_unknown"]``; a preprint's
``DOI`` is its published version's (the one arXiv states, else a Crossref record with the same
title and first author, as the service links them; ``data["s2_published"]`` overrides) or
arXiv's own ``10.48550`` DOI. ``data["s2_mode"]`` bends the answers as the real service may:
``shuffle`` (out of order), ``short`` (the last entry left out). Each batch's ids are kept in
``data["s2_batches"]``.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from tests.fakeweb.core import FakeWeb
from tests.fakeweb.world import (
    DECOY_SIMILAR_DOI,
    SIMILAR_TITLE_ARXIV,
    Record,
    build_world,
    digest,
    fold,
)

LIMIT = 500
PUBLISHED = {"journal-article", "proceedings-article", "book-chapter"}


def paper(key: str, r: Record, doi: str) -> dict[str, Any]:
    corpus = digest(key) % 10**8
    return {
        "paperId": f"{digest('s2' + key):040x}"[-40:],
        "externalIds": {"ArXiv": r.arxiv, "DOI": doi, "CorpusId": corpus},
        "title": r.title,
        "venue": r.container or "arXiv.org",
        "year": r.year,
        "authors": [
            {"authorId": str(digest(f"{g} {f}") % 10**8), "name": f"{g} {f}".strip()}
            for g, f in r.authors
        ],
    }


def register(app: web.Application, fake: FakeWeb) -> None:
    world = build_world()
    records: dict[str, Record] = fake.data.setdefault("arxiv", dict(world.arxiv))
    # GeoChat: the service links a wrong DOI (the guard must refuse it).
    published: dict[str, str] = fake.data.setdefault(
        "s2_published", {SIMILAR_TITLE_ARXIV: DECOY_SIMILAR_DOI}
    )
    unknown: set[str] = fake.data.setdefault("s2_unknown", set())

    def linked() -> dict[tuple[str, str], str]:
        """Published Crossref records by (folded title, first family): how S2 links them."""
        out: dict[tuple[str, str], str] = {}
        for doi, r in sorted(fake.data.get("crossref", {}).items()):
            if r.kind in PUBLISHED and r.doi:
                out.setdefault((fold(r.title), r.first_family), doi)
        return out

    def answer(asked: str, links: dict[tuple[str, str], str]) -> dict[str, Any] | None:
        kind, _, value = asked.partition(":")
        if kind.upper() != "ARXIV" or value not in records or value in unknown:
            return None
        r = records[value]
        doi = (
            published.get(value)
            or r.arxiv_doi
            or links.get((fold(r.title), r.first_family))
            or f"10.48550/arXiv.{value}"
        )
        return paper(value, r, doi)

    async def batch(request: web.Request) -> web.Response:
        try:
            ids = (await request.json())["ids"]
        except (ValueError, KeyError, TypeError):
            return web.json_response({"error": "Unacceptable JSON body"}, status=400)
        if len(ids) > LIMIT:
            return web.json_response({"error": "Cannot process more than 500 ids"}, status=400)
        fake.data.setdefault("s2_batches", []).append(list(ids))
        links = linked()
        out = [answer(str(i), links) for i in ids]
        mode = fake.data.get("s2_mode")
        if mode == "shuffle":
            out = out[::-1]
        elif mode == "short" and out:
            out = out[:-1]
        return web.Response(body=json.dumps(out), content_type="application/json")

    app.router.add_post("/s2/graph/v1/paper/batch", batch)
