"""The one pacing rule: requests of one kind (a host, a service, one of its rate classes) start
at least ``1 / per_second`` seconds apart, and no more than ``in_flight`` at once.

A service may say its limit in every answer (Crossref: ``x-rate-limit-limit`` requests per
``x-rate-limit-interval``); what an answer says replaces the configured rate from the next
request on, and shortens the waits of requests already waiting for their turn.

:class:`Pace` has a thread face (:meth:`Pace.wait`, the resolvers) and an asyncio face
(:meth:`Pace.wait_async`, the link checker and the GitHub client) that keep the same rule on
the same state; :class:`Pacer` adds the in-flight limit for threads (the link checker keeps
its own host slots, :mod:`pipeline.check.hosts`, whose order serves the longest queue first).
A turn that would come after the caller's deadline is refused at once rather than waited for,
unless the pace learns its rate from answers: then an answer still on its way may shorten the
gap (Crossref's first answer of a run usually lifts the default), so it waits, and is refused
only when the deadline comes.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from collections.abc import Set as AbstractSet

RATE_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)s?")


class Pace:
    """Keeps requests of one kind at least ``gap`` seconds apart (threads and asyncio)."""

    def __init__(
        self,
        per_second: float | None = None,
        *,
        learns: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.gap = 1.0 / per_second if per_second and per_second > 0 else 0.0
        self.learns = learns
        """Whether the service's answers say its rate (:meth:`learn`)."""
        self.last: float | None = None
        """When the last request of this kind started."""
        self.clock = clock
        self._turn = threading.Condition()

    def delay(self, now: float) -> float:
        """Seconds until the next request may start (0: now)."""
        return 0.0 if self.last is None else self.gap - (now - self.last)

    def _take(self, deadline: float | None) -> float | None:
        """Take the turn (0.0), or the seconds to wait before asking again; None when the
        turn would come after ``deadline``."""
        now = self.clock()
        wait = self.delay(now)
        if deadline is not None and now + max(0.0, wait) >= deadline:
            if now >= deadline or not self.learns:
                return None
            wait = deadline - now  # a gap learned meanwhile may still let it through
        if wait <= 0:
            self.last = now
            return 0.0
        return wait

    def wait(self, deadline: float | None = None) -> bool:
        """Wait for this request's turn (threads); False when it would come after
        ``deadline`` (``time.monotonic()``), without waiting."""
        with self._turn:
            while wait := self._take(deadline):
                self._turn.wait(wait)
            return wait is not None

    async def wait_async(
        self,
        deadline: float | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> bool:
        """:meth:`wait` for asyncio: the same rule, sleeping without blocking the loop."""
        while wait := self._take(deadline):
            await sleep(wait)
        return wait is not None

    def learn(self, headers: Mapping[str, str]) -> None:
        """``x-rate-limit-limit`` requests per ``x-rate-limit-interval`` (``1s``, ``60s``)."""
        try:
            limit = int(headers.get("x-rate-limit-limit") or 0)
            interval = RATE_INTERVAL.fullmatch(headers.get("x-rate-limit-interval") or "")
        except (TypeError, ValueError):
            return
        if limit > 0 and interval is not None:
            with self._turn:
                self.gap = float(interval.group(1)) / limit
                self._turn.notify_all()


class Pacer:
    """One service's pacing for threads: at most ``in_flight`` requests at once, and each kind
    of its requests at its own rate (``rates``: requests a second by kind; a kind not named is
    not spaced; the kinds in ``learns`` learn theirs from the answers)."""

    def __init__(
        self,
        in_flight: int,
        rates: Mapping[str, float | None],
        learns: AbstractSet[str] = frozenset(),
    ) -> None:
        self._slots = threading.BoundedSemaphore(max(1, in_flight))
        self._rates = dict(rates)
        self._learns = learns
        self._paces: dict[str, Pace] = {}
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """One of the ``in_flight`` slots, held over a request and its retries."""
        with self._slots:
            yield

    def pace(self, kind: str) -> Pace:
        """The pace of one kind of request."""
        with self._lock:
            if kind not in self._paces:
                rate = self._rates.get(kind)
                self._paces[kind] = Pace(rate, learns=kind in self._learns)
            return self._paces[kind]
