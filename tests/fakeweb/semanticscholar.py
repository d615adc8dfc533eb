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

A ``DOI:`` id is known when a Crossref record of the world holds it (DataCite DOIs are not):
the published version of a preprint is the preprint's own paper (both ids, one count), any
other DOI a paper of its own. Every paper has a ``citationCount`` (:func:`citations`, an
integer as in ``paper_batch_with_null_not_found.json``). As the real service, an answer holds
``paperId`` and only the ``fields`` asked.
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


def citations(key: str) -> int:
    """The citation count of the paper known by ``key`` (an arXiv id, else its DOI)."""
    return digest("cited by " + key) % 5000


def paper(key: str, r: Record, doi: str) -> dict[str, Any]:
    corpus = digest(key) % 10**8
    ids: dict[str, Any] = {"DOI": doi, "CorpusId": corpus}
    if r.arxiv:
        ids = {"ArXiv": r.arxiv} | ids
    return {
        "paperId": f"{digest('s2' + key):040x}"[-40:],
        "externalIds": ids,
        "citationCount": citations(key),
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

    def doi_of(key: str, links: dict[tuple[str, str], str]) -> str:
        r = records[key]
        return (
            published.get(key)
            or r.arxiv_doi
            or links.get((fold(r.title), r.first_family))
            or f"10.48550/arXiv.{key}"
        )

    def preprints(links: dict[tuple[str, str], str]) -> dict[str, str]:
        """Preprints by the DOI of their published version: one paper to the service."""
        out: dict[str, str] = {}
        for key in sorted(set(records) - unknown):
            out.setdefault(doi_of(key, links).lower(), key)
        return out

    def by_doi(
        doi: str, links: dict[tuple[str, str], str], known: dict[str, str]
    ) -> dict[str, Any] | None:
        if doi.lower() in known:
            key = known[doi.lower()]
            return paper(key, records[key], doi_of(key, links))
        crossref: dict[str, Record] = fake.data.get("crossref", {})
        r = crossref.get(doi) or crossref.get(doi.lower())
        if r is None or r.agency != "crossref":
            return None
        return paper(doi.lower(), Record(r.title, r.authors, r.year, container=r.container), doi)

    def answer(
        asked: str, links: dict[tuple[str, str], str], known: dict[str, str]
    ) -> dict[str, Any] | None:
        kind, _, value = asked.partition(":")
        if kind.upper() == "DOI":
            return by_doi(value, links, known)
        if kind.upper() != "ARXIV" or value not in records or value in unknown:
            return None
        return paper(value, records[value], doi_of(value, links))

    def only(entry: dict[str, Any] | None, fields: str | None) -> dict[str, Any] | None:
        if entry is None or fields is None:
            return entry
        wanted = {"paperId", *fields.split(",")}
        return {k: v for k, v in entry.items() if k in wanted}

    async def batch(request: web.Request) -> web.Response:
        try:
            ids = (await request.json())["ids"]
        except (ValueError, KeyError, TypeError):
            return web.json_response({"error": "Unacceptable JSON body"}, status=400)
        if len(ids) > LIMIT:
            return web.json_response({"error": "Cannot process more than 500 ids"}, status=400)
        fake.data.setdefault("s2_batches", []).append(list(ids))
        links = linked()
        known = preprints(links) if any(str(i).upper().startswith("DOI:") for i in ids) else {}
        fields = request.query.get("fields")
        out = [only(answer(str(i), links, known), fields) for i in ids]
        mode = fake.data.get("s2_mode")
        if mode == "shuffle":
            out = out[::-1]
        elif mode == "short" and out:
            out = out[:-1]
        return web.Response(body=json.dumps(out), content_type="application/json")

    app.router.add_post("/s2/graph/v1/paper/batch", batch)
