"""Each metadata service's rate rules, as rows: how fast, and how many at once, it may be asked.
The pacing itself is the transport's (:mod:`pipeline.transport.pace`).

* arXiv: one request every ``arxiv_delay_seconds`` (3: "make no more than one request every
  three seconds", https://info.arxiv.org/help/api/tou.html); a page the cache answers asks
  arXiv nothing, so it waits for nothing either.
* Crossref, since 1 December 2025 ("Announcing changes to REST API rate limits", Crossref
  blog, 5 November 2025):

  =====================  ===============================  ===========================
  pool                   single record (``/works/{doi}``)  lists (queries, filters)
  =====================  ===============================  ===========================
  polite (``mailto``)    10 a second, 3 concurrent        3 a second, 3 concurrent
  public                 5 a second, 1 concurrent         1 a second, 1 concurrent
  =====================  ===============================  ===========================

  Every answer carries the limit that applies to it in ``x-rate-limit-limit`` /
  ``x-rate-limit-interval``; the pace learns it from there.
* OpenAlex and Semantic Scholar send no such headers: their documented rates are the
  settings ``openalex_per_second`` and ``s2_per_second``.
* doi.org states no rate: requests are only kept within ``workers`` in flight.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pipeline import arxiv_feed
from pipeline.config import Settings
from pipeline.transport.pace import Pacer

POLITE = {"crossref:single": 10.0, "crossref:list": 3.0}
"""Crossref's requests a second with a contact address (its polite pool), until it says."""
PUBLIC = {"crossref:single": 5.0, "crossref:list": 1.0}
"""Crossref's requests a second without one."""


def kind(service: str, url: str) -> str:
    """The rate-limit class of a request: Crossref tells single records from lists."""
    if service != "crossref":
        return service
    path = urlsplit(url).path.rstrip("/")
    return "crossref:list" if path.endswith("/works") else "crossref:single"


def concurrency(service: str, settings: Settings) -> int:
    """Requests in flight to ``service`` at most: ``workers``, and Crossref's public pool
    takes one at a time."""
    workers = max(1, settings.resolve.workers)
    return 1 if service == "crossref" and not settings.mailto else workers


def rates(settings: Settings) -> dict[str, float]:
    """Requests a second by kind of request, for the run's pool (0: not paced)."""
    return {
        **(POLITE if settings.mailto else PUBLIC),
        "arxiv": arxiv_feed.per_second(settings),
        "openalex": settings.resolve.openalex_per_second,
        "semanticscholar": settings.resolve.s2_per_second,
    }


def pacers(settings: Settings, services: list[str]) -> dict[str, Pacer]:
    """One pacer per service."""
    table = rates(settings)
    learns = frozenset(POLITE)  # Crossref's answers say its limits
    return {name: Pacer(concurrency(name, settings), table, learns=learns) for name in services}
