"""Fake Crossref REST API: ``/crossref/works/{doi}`` and ``/crossref/works?query…&filter…``,
bodies shaped like ``../shared/api-samples/crossref/`` (``status``/``message-type``/``message``
envelope, ``title`` and ``container-title`` as lists, ``issued.date-parts``, ``resource``,
``alternative-id``); unknown DOIs get the real plain-text 404."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from tests.fakeweb.core import ARRIVED, FakeWeb
from tests.fakeweb.search import search_titles
from tests.fakeweb.world import Record, build_world

MIN_SCORE = 40.0
AUTHOR_BONUS = 5.0


def message(r: Record, score: float = 1.0) -> dict[str, Any]:
    """A Crossref work message for a record."""
    date = [r.year, r.month] if r.month else [r.year]
    msg: dict[str, Any] = {
        "indexed": {"date-parts": [[2026, 3, 11]], "date-time": "2026-03-11T23:54:25Z"},
        "reference-count": 0,
        "publisher": r.publisher or "Crossref Test Publisher",
        "content-domain": {"domain": [], "crossmark-restriction": False},
        "short-container-title": [],
        "DOI": r.doi,
        "type": r.kind,
        "created": {"date-parts": [date]},
        "source": "Crossref",
        "is-referenced-by-count": 0,
        "title": [r.title] + ([r.english_title] if r.english_title else []),
        "prefix": (r.doi or "").split("/")[0],
        "author": [
            {
                "given": given,
                "family": family,
                "sequence": "first" if i == 0 else "additional",
                "affiliation": [],
            }
            for i, (given, family) in enumerate(r.authors)
        ],
        "member": "263",
        "container-title": [r.container] if r.container else [],
        "original-title": [],
        "deposited": {"date-parts": [date]},
        "score": score,
        "resource": {"primary": {"URL": r.resource_url or f"https://example.org/{r.doi}"}},
        "subtitle": [],
        "short-title": [],
        "issued": {"date-parts": [date]},
        "references-count": 0,
        "URL": f"https://doi.org/{r.doi}",
        "relation": {},
        "published": {"date-parts": [date]},
    }
    for key, value in (("volume", r.volume), ("issue", r.issue), ("page", r.page)):
        if value:
            msg[key] = value
    if r.alternative_id:
        msg["alternative-id"] = list(r.alternative_id)
    return msg


LIMITS = {
    ("polite", "single"): 10,
    ("polite", "list"): 3,
    ("public", "single"): 5,
    ("public", "list"): 1,
}
"""Requests a second since 1 December 2025 (Crossref blog, "Announcing changes to REST API
rate limits"): single records (``/works/{doi}``) and lists (queries, filters) per pool."""
CONCURRENCY = {"polite": 3, "public": 1}


class RateLimit:
    """Crossref's limits as it serves them: in the headers of every answer, and a 429 for a
    request over them. ``fake.data["crossref_rate_scale"]`` multiplies them: the tests
    default to 100 (the fake answers at once), a test of the pacing and the bench set 1."""

    WINDOW = 0.9
    """Seconds over which a limit per second is counted (a little under one, so a client
    that spaces its requests exactly 1/limit apart is never refused for jitter)."""

    def __init__(self, fake: FakeWeb) -> None:
        self.fake = fake
        self.arrivals: dict[tuple[str, str], list[float]] = {}
        self.refused = 0

    def limit(self, pool: str, kind: str) -> int:
        return int(LIMITS[pool, kind] * float(self.fake.data.get("crossref_rate_scale", 100)))

    def headers(self, request: web.Request, kind: str) -> dict[str, str]:
        pool = "polite" if "mailto" in request.query else "public"
        return {
            "x-api-pool": pool,
            "x-rate-limit-limit": str(self.limit(pool, kind)),
            "x-rate-limit-interval": "1s",
            "x-concurrency-limit": str(CONCURRENCY[pool]),
        }

    def admit(self, request: web.Request, kind: str) -> bool:
        """Whether a request arriving now is within its pool's limit for its kind."""
        pool = "polite" if "mailto" in request.query else "public"
        now = request.get(ARRIVED, time.monotonic())
        recent = [t for t in self.arrivals.get((pool, kind), []) if now - t < self.WINDOW]
        if len(recent) >= self.limit(pool, kind):
            self.refused += 1
            self.fake.data["crossref_refused"] = self.refused
            return False
        self.arrivals[pool, kind] = [*recent, now]
        return True

    def refuse(self, request: web.Request, kind: str) -> web.Response:
        headers = self.headers(request, kind) | {"Retry-After": "1"}
        return web.Response(status=429, text="Rate limit exceeded", headers=headers)


def _filters(raw: str) -> list[tuple[str, str]]:
    out = []
    for part in raw.split(","):
        if ":" in part:
            key, value = part.split(":", 1)
            out.append((key.strip(), value.strip()))
    return out


def _one(r: Record, key: str, value: str) -> bool:
    if key == "alternative-id":
        return value.upper() in {a.upper() for a in r.alternative_id}
    if key == "prefix":
        return (r.doi or "").startswith(value + "/")
    if key == "type":
        return r.kind == value
    if key == "doi":
        return (r.doi or "").lower() == value.lower()
    return True


def _keep(r: Record, filters: list[tuple[str, str]]) -> bool:
    """Filters of one name are OR-ed, different names AND-ed (Crossref's rule)."""
    by_key: dict[str, list[str]] = {}
    for key, value in filters:
        by_key.setdefault(key, []).append(value)
    return all(any(_one(r, key, v) for v in values) for key, values in by_key.items())


def register(app: web.Application, fake: FakeWeb) -> None:
    world = build_world()
    records: dict[str, Record] = fake.data.setdefault("crossref", dict(world.crossref))

    rate = RateLimit(fake)

    def _headers(request: web.Request) -> dict[str, str]:
        return rate.headers(request, "single" if "/works/" in request.path else "list")

    async def work(request: web.Request) -> web.Response:
        if not rate.admit(request, "single"):
            return rate.refuse(request, "single")
        doi = unquote(request.match_info["doi"]).lower()
        record = records.get(doi)
        if record is None:
            return web.Response(status=404, text="Resource not found.", headers=_headers(request))
        body = {
            "status": "ok",
            "message-type": "work",
            "message-version": "1.0.0",
            "message": message(record),
        }
        return web.json_response(body, headers=_headers(request))

    async def works(request: web.Request) -> web.Response:
        if not rate.admit(request, "list"):
            return rate.refuse(request, "list")
        q = request.query
        rows = int(q.get("rows", "20"))
        filters = _filters(q.get("filter", ""))
        if len(filters) > 100:
            return web.Response(status=400, text="Too many filters", headers=_headers(request))
        if any(key == "doi" for key, _ in filters):
            fake.data.setdefault("crossref_doi_batches", []).append(
                [v for k, v in filters if k == "doi"]
            )
        text = " ".join(x for x in (q.get("query.bibliographic"), q.get("query")) if x)
        author = q.get("query.author", "")
        kept = [r for r in records.values() if not filters or _keep(r, filters)]
        scored: list[tuple[float, Record]] = []
        if not text:
            scored = [(1.0, r) for r in kept]
        for _title, base, index in search_titles(text, kept, MIN_SCORE - AUTHOR_BONUS):
            record = kept[index]
            score = float(base)
            if author and any(author.lower() in f"{g} {f}".lower() for g, f in record.authors):
                score += AUTHOR_BONUS
            if score >= MIN_SCORE:
                scored.append((score, record))
        scored.sort(key=lambda pair: (-pair[0], pair[1].doi or ""))
        items = [message(r, round(s, 3)) for s, r in scored[:rows]]
        body = {
            "status": "ok",
            "message-type": "work-list",
            "message-version": "1.0.0",
            "message": {
                "facets": {},
                "total-results": len(scored),
                "items": items,
                "items-per-page": rows,
                "query": {"start-index": 0, "search-terms": text or None},
            },
        }
        return web.json_response(body, headers=_headers(request))

    app.router.add_get("/crossref/works", works)
    app.router.add_get("/crossref/works/{doi:.+}", work)
