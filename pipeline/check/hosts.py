"""Host slots: each host's concurrency, pace and breaker state, and the run's global request
slots, handed to URLs in progress first, then to the host with the most URLs left. The pacing
rule itself is the transport's (:class:`pipeline.transport.pace.Pace`, one per host).
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from pipeline.check.classify import Fetched
from pipeline.transport.pace import Pace


@dataclass
class HostState:
    """Per-host state: concurrency, pace and a breaker for hosts that do not answer."""

    slots: asyncio.Semaphore
    pace: Pace
    """``per_host_per_second`` requests a second to the host at most, or its quirk row's pace."""
    head_ok: bool | None = None
    """Whether the host answers HEAD (None: not known yet)."""
    probing: bool = False
    probed: asyncio.Event = field(default_factory=asyncio.Event)
    """Set when the first HEAD to the host has an outcome. Until then the host's other URLs
    wait (at most PROBE_WAIT), so a host that refuses HEAD costs one wasted request, not one
    per slot, and a slow host is not held back for long."""
    parking_looked: bool = False
    """One page of the host has been fetched with GET to look for parking fingerprints (a
    parked domain answers every path with the same page, so one look serves the host)."""
    parked: str | None = None
    """Why the host's pages are parking pages, once one was found to be."""
    unreachable_urls: int = 0
    down: Fetched | None = None
    left: int = 0
    """URLs of this host not finished yet (retries included): its claim on global slots."""
    queued: int = 0
    """Requests waiting for one of this host's slots."""
    reserved: int = 0
    """Global slots kept for this host's next request (see :class:`GlobalSlots`)."""


class GlobalSlots:
    """The run's ``concurrency`` request slots, each freed one handed first to a request of a
    URL already in progress (a redirect hop, the GET after a refused HEAD, a retry: its time
    budget is running), then to the waiting request whose host has the most URLs left.

    A host can have at most ``per_host`` requests in flight, so the host with the longest
    queue sets the least time the run can take; first come, first served (a plain
    semaphore) lets short hosts take the slots it needs while its queue waits. Serving the
    longest queue first keeps that host busy, and a host whose answers are slow, or whose
    URLs wait out a ``Retry-After``, keeps its claim because its URLs stay unfinished.

    A request gives its global slot back before its host slot, and the host's next request
    asks for a global slot only once it has the host slot: so a slot freed by a host with
    requests queued for its host slots, and the best claim, is kept for that host's next
    request rather than handed to whoever is waiting at that instant.
    """

    def __init__(self, size: int) -> None:
        self._free = max(1, size)
        self._waiting: list[tuple[int, int, int, asyncio.Future[None]]] = []
        """(0 for a URL in progress else 1, -claim, arrival, ticket): a heap."""
        self._order = itertools.count()

    @contextlib.asynccontextmanager
    async def slot(
        self, host: HostState, claim: int, *, in_progress: bool = False
    ) -> AsyncIterator[None]:
        """A global slot for a request to ``host``, ranked by ``claim`` (URLs left)."""
        await self._acquire(host, (0 if in_progress else 1, -claim))
        try:
            yield
        finally:
            if host.queued > host.reserved and self._next_rank() >= (1, -host.left):
                host.reserved += 1
            else:
                self._release()

    @contextlib.asynccontextmanager
    async def host_slot(self, host: HostState) -> AsyncIterator[None]:
        """One of ``host``'s own ``per_host`` slots, the request counted as queued meanwhile."""
        host.queued += 1
        holding = False
        try:
            await host.slots.acquire()
            holding = True
            host.queued -= 1
            yield
        except asyncio.CancelledError:
            if not holding:
                host.queued -= 1
            if host.reserved > host.queued:
                # A slot kept for this request, cancelled before it asked: give it back.
                host.reserved -= 1
                self._release()
            raise
        finally:
            if holding:
                host.slots.release()

    def _next_rank(self) -> tuple[int, int]:
        """The rank of the request a freed slot would go to (past every rank: nobody)."""
        while self._waiting and self._waiting[0][3].done():
            heapq.heappop(self._waiting)  # cancelled waiters
        return self._waiting[0][:2] if self._waiting else (2, 0)

    async def _acquire(self, host: HostState, rank: tuple[int, int]) -> None:
        if host.reserved > 0:
            host.reserved -= 1
            return
        if self._free > 0 and not self._waiting:
            self._free -= 1
            return
        ticket: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (*rank, next(self._order), ticket))
        try:
            await ticket
        except asyncio.CancelledError:
            if ticket.done() and not ticket.cancelled():
                self._release()  # handed over just as the waiter was cancelled: pass it on
            raise

    def _release(self) -> None:
        while self._waiting:
            *_, ticket = heapq.heappop(self._waiting)
            if not ticket.done():  # a cancelled waiter's ticket is skipped
                ticket.set_result(None)
                return
        self._free += 1
