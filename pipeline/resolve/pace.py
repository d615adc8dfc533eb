"""Keeping to each service's rate limit: requests of one kind spaced as the service asks.

Crossref's limits since 1 December 2025 ("Announcing changes to REST API rate limits",
Crossref blog, 5 November 2025):

=====================  ===============================  ===========================
pool                   single record (``/works/{doi}``)  lists (queries, filters)
=====================  ===============================  ===========================
polite (``mailto``)    10 a second, 3 concurrent        3 a second, 3 concurrent
public                 5 a second, 1 concurrent         1 a second, 1 concurrent
=====================  ===============================  ===========================

Every answer carries the limit that applies to it in ``x-rate-limit-limit`` /
``x-rate-limit-interval`` (requests per interval); what an answer says replaces the default
for its kind of request, so a changed limit is kept to from the next request on. OpenAlex and
Semantic Scholar send no such headers: their documented rates are the settings
``openalex_rate`` and ``s2_rate``. The concurrency limits are the fetcher's slots
(:func:`concurrency`).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Mapping
from urllib.parse import urlsplit

from pipeline.config import Settings

POLITE = {"crossref:single": 10.0, "crossref:list": 3.0}
"""Crossref's requests a second with a contact address (its polite pool), until it says."""
PUBLIC = {"crossref:single": 5.0, "crossref:list": 1.0}
"""Crossref's requests a second without one."""


class Pace:
    """Keeps requests of one kind at least ``gap`` seconds apart (thread-safe)."""

    def __init__(self, per_second: float | None = None) -> None:
        self.gap = 1.0 / per_second if per_second else 0.0
        self.last: float | None = None
        self._turn = threading.Condition()

    def wait(self, deadline: float | None = None) -> bool:
        """Wait for this request's turn; False when ``deadline`` comes first. A gap learned
        meanwhile (the first answer's headers) shortens the wait of those already waiting,
        so a request is not refused for the default gap a service's answer then lifts."""
        with self._turn:
            if deadline is not None and time.monotonic() >= deadline:
                return False  # a retry whose backoff ran past the budget
            while self.last is not None:
                now = time.monotonic()
                delay = self.gap - (now - self.last)
                if delay <= 0:
                    break
                if deadline is not None and now >= deadline:
                    return False
                self._turn.wait(delay if deadline is None else min(delay, deadline - now))
            self.last = time.monotonic()
            return True

    def learn(self, headers: Mapping[str, str]) -> None:
        """``x-rate-limit-limit`` requests per ``x-rate-limit-interval`` (``1s``, ``60s``)."""
        try:
            limit = int(headers.get("x-rate-limit-limit") or 0)
            interval = re.fullmatch(
                r"(\d+(?:\.\d+)?)s?", headers.get("x-rate-limit-interval") or ""
            )
        except (TypeError, ValueError):
            return
        if limit > 0 and interval is not None:
            with self._turn:
                self.gap = float(interval.group(1)) / limit
                self._turn.notify_all()


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


class Paces:
    """One :class:`Pace` per kind of request, from the defaults for the run's pool."""

    def __init__(self, settings: Settings) -> None:
        self.defaults = {
            **(POLITE if settings.mailto else PUBLIC),
            "openalex": settings.resolve.openalex_rate,
            "semanticscholar": settings.resolve.s2_rate,
        }
        self._paces: dict[str, Pace] = {}
        self._lock = threading.Lock()

    def of(self, service: str, url: str) -> Pace:
        key = kind(service, url)
        with self._lock:
            if key not in self._paces:
                self._paces[key] = Pace(self.defaults.get(key))
            return self._paces[key]
