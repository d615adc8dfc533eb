"""The link checker: every distinct URL once, concurrently, politely, without false alarms.

Collector (:mod:`~pipeline.check.targets`) → checker (here) → hysteresis
(:mod:`~pipeline.check.hysteresis`):

* :func:`~pipeline.check.targets.collect` turns works into one :class:`Target` per URL as it stands in the lists (with
  every ``file:line`` it is found at), and :func:`~pipeline.check.targets.fetch_key` says which of them are the same
  fetch (normalized, then rewritten by ``settings.remap``), so each is fetched once.
* :class:`LinkChecker` fetches with one ``aiohttp`` session: concurrency bounded globally and per
  host (the host the list names, so a remap onto one mirror keeps the per-site limits), a
  per-host pace, and the transport's retry rule (:mod:`pipeline.transport.retry`: backoff with
  jitter on timeouts, connection errors, 5xx and 429, ``Retry-After`` waited up to
  ``retry_after_cap_seconds`` and a link rate limited for longer left ``blocked``, a time
  budget per URL from its first request). HEAD first; GET when HEAD is refused or unreliable for the host; never more than the
  headers and ``max_body_bytes`` of a body. Redirects are followed here, hop by hop, so that each
  hop is recorded and its scheme and address checked.
* :func:`~pipeline.check.hysteresis.settle` applies hysteresis against the previous run: a certain failure (404, 410, a
  name that does not exist, a soft 404) is ``failing`` first and ``dead`` only after
  ``dead_after`` consecutive failing runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from urllib.parse import urljoin

import aiohttp

from pipeline.check.classify import (
    HEAD_REFUSED,
    PERMANENT_REDIRECTS,
    REDIRECT_STATUSES,
    Answer,
    Fetched,
    classify,
)
from pipeline.check.guard import refusal
from pipeline.check.hosts import GlobalSlots, HostState
from pipeline.check.quirks import Quirk, quirk_for
from pipeline.check.request import CheckStats, Request, send
from pipeline.check.targets import interleave_hosts
from pipeline.config import CheckSettings, Settings
from pipeline.ids.urls import host_of, remap
from pipeline.models import LinkStatus
from pipeline.transport.pace import Pace
from pipeline.transport.retry import Failure, Policy, retry_async

LOG = logging.getLogger(__name__)

PROBE_WAIT = 0.25
"""Seconds a host's other URLs wait for its first HEAD before going ahead anyway."""
HOST_DOWN_AFTER = 3
"""Requests in a row that could not reach a host before its other URLs are not tried."""
NETWORK_DOWN_HOSTS = 5
"""Hosts failing to connect, with no answer from anyone yet, that mean the network is down."""


@dataclass
class UrlState:
    """What the tries of one URL share."""

    deadline: float | None = None
    """End of the URL's time budget: set when its first request is sent, not while queued."""
    queued: float | None = None
    """When the request now waiting for its host's turn began to wait (that wait is not the
    URL's own time: the budget is moved on by it)."""
    get_only: bool = False
    """HEAD failed with a 5xx: later tries use GET."""
    looking: bool = False
    """The next GET reads a body prefix to look for parking fingerprints."""


class LinkChecker:
    """Fetches URLs with one shared session; see the module docstring for the rules."""

    def __init__(self, session: aiohttp.ClientSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.limits = settings.check
        self.stats = CheckStats()
        self._global = GlobalSlots(self.limits.concurrency)
        self.policy = Policy.of(self.limits)
        self._hosts: dict[str, HostState] = {}

    def _host(self, host: str) -> HostState:
        state = self._hosts.get(host)
        if state is None:
            state = HostState(
                asyncio.Semaphore(max(1, self.limits.per_host)),
                Pace(host_rate(self.limits, quirk_for(host))),
            )
            self._hosts[host] = state
        return state

    async def check_many(
        self, urls: Iterable[str], on_done: Callable[[], None] | None = None
    ) -> dict[str, Fetched]:
        """Check each URL (already distinct); results keyed by URL. ``on_done`` per URL."""
        ordered = interleave_hosts(dict.fromkeys(urls))
        for url in ordered:
            self._host(host_of(url)).left += 1

        async def one(url: str) -> Fetched:
            try:
                result = await self.check(url)
            finally:
                self._host(host_of(url)).left -= 1
            if on_done is not None:
                on_done()
            return result

        results = await asyncio.gather(*(one(u) for u in ordered))
        return dict(zip(ordered, results, strict=True))

    async def check(self, url: str) -> Fetched:
        """Check one URL (as the list names it; ``settings.remap`` decides what is fetched)."""
        reason = refusal(url, allow_private=self.settings.allow_private_hosts)
        if reason is not None:
            return Fetched(LinkStatus.ERROR, note=f"refused: {reason}")
        host = self._host(host_of(url))
        skipped = self._skip(host)
        if skipped is not None:
            return skipped
        progress = UrlState()
        try:
            tried = await retry_async(
                self.policy,
                lambda: self._attempt(url, progress),
                worth_retrying,
                deadline=lambda: progress.deadline,
                give_up=lambda: self._skip(host) is not None,
            )
            result = tried.value
            if tried.ended is not None and tried.ended.beyond_cap:
                result.note = f"{result.note}; {tried.ended.stop}"
        except Exception as exc:  # one bad URL must never stop the run
            LOG.warning("%s: unexpected error while checking: %s", url, type(exc).__name__)
            result = Fetched(LinkStatus.ERROR, note=f"checker error: {type(exc).__name__}")
        return result

    def _skip(self, host: HostState) -> Fetched | None:
        """The result for a URL not worth trying: its host, or the whole network, is down."""
        if host.down is not None:
            note = f"{host.down.note}; not tried (the host did not answer earlier requests)"
            return replace(host.down, note=note, retryable=False)
        if self.stats.network_down:
            return Fetched(
                LinkStatus.ERROR,
                note="not tried: no host could be reached (network down?)",
                unreachable=True,
            )
        return None

    def _unreachable(self, hostname: str, host: HostState, result: Fetched) -> None:
        """Count a request that reached nobody; trip the host's and the network's breakers."""
        host.unreachable_urls += 1
        if host.unreachable_urls >= HOST_DOWN_AFTER:
            host.down = result
            self.stats.hosts_unreachable.add(hostname)
        if self.stats.answers == 0 and len(self.stats.hosts_unreachable) >= NETWORK_DOWN_HOSTS:
            self.stats.network_down = True

    async def _attempt(self, url: str, progress: UrlState) -> Fetched:
        """One try: request, following redirects hop by hop."""
        origin = self._host(host_of(url))
        current = url
        hops: list[str] = []
        moved_to: str | None = None
        permanent = True
        for _ in range(self.limits.max_redirects + 1):
            reason = refusal(current, allow_private=self.settings.allow_private_hosts)
            if reason is not None:
                return Fetched(LinkStatus.ERROR, note=f"redirect refused: {reason}", hops=hops)
            quirk = quirk_for(host_of(current))
            answer = await self._answer(current, quirk, progress, origin)
            if isinstance(answer, Fetched):
                answer.hops = hops
                return answer
            if answer.status not in REDIRECT_STATUSES:
                return self._final(answer, quirk, hops, moved_to, current)
            location = answer.headers.get("location")
            if not location:
                return Fetched(
                    LinkStatus.ERROR,
                    http_status=answer.status,
                    note=f"HTTP {answer.status} redirect without a Location",
                    hops=hops,
                    answered=True,
                )
            current = urljoin(current, location.strip())
            hops.append(f"{answer.status} {current}")
            onto = quirk_for(host_of(current))
            if onto.parking:  # a lapsed domain sent to a marketplace: no need to go there
                return Fetched(
                    LinkStatus.PARKED,
                    http_status=answer.status,
                    final_url=current,
                    note=f"parked: redirects to {onto.why}",
                    hops=hops,
                    answered=True,
                )
            if answer.status in PERMANENT_REDIRECTS and permanent:
                moved_to = current
            else:
                permanent = False
        return Fetched(
            LinkStatus.ERROR,
            note=f"more than {self.limits.max_redirects} redirects",
            hops=hops,
            answered=True,
            final_url=current,
        )

    async def _answer(
        self, url: str, quirk: Quirk, progress: UrlState, origin: HostState
    ) -> Answer | Fetched:
        """The answer for one hop: HEAD first where it is worth it, GET when HEAD is refused."""
        head = not (quirk.head_unreliable or quirk.soft404 or progress.get_only)
        answer = await self._request(head, url, quirk, progress, origin)
        if isinstance(answer, Fetched) or answer.method != "HEAD":
            return answer
        if answer.status in HEAD_REFUSED or answer.status >= 500:
            # HEAD refused: remember for the host, ask this URL again with GET. A 5xx to
            # HEAD is often HEAD's fault alone (servers that only implement GET): ask
            # GET at once, and only GET on this URL's retries.
            if answer.status in HEAD_REFUSED - {403}:
                self._host(host_of(url)).head_ok = False
            if answer.status >= 500:
                progress.get_only = True
            return await self._request(False, url, quirk, progress, origin)
        if 200 <= answer.status < 300 and self._look_for_parking(url, quirk):
            progress.looking = True
            try:
                return await self._request(False, url, quirk, progress, origin)
            finally:
                progress.looking = False
        return answer

    def _look_for_parking(self, url: str, quirk: Quirk) -> bool:
        """Whether this page is the one of its host to fetch whole (a prefix) for parking
        fingerprints: one per host, never on hosts too big to lapse."""
        host = self._host(host_of(url))
        if not self.limits.parking_look or quirk.established or quirk.soft404:
            return False
        if host.parking_looked:
            return False
        host.parking_looked = True
        return True

    def _final(
        self, answer: Answer, quirk: Quirk, hops: list[str], moved_to: str | None, current: str
    ) -> Fetched:
        """The outcome of the answer that ended the chain of redirects."""
        result = classify(answer, quirk)
        result.hops = hops
        host = self._host(host_of(current))
        if result.status == LinkStatus.PARKED:
            host.parked = result.note
        elif result.status == LinkStatus.OK and host.parked:
            result.status, result.note = LinkStatus.PARKED, f"{host.parked} (same host)"
        if hops and result.status == LinkStatus.OK:
            result.status = LinkStatus.MOVED if moved_to else LinkStatus.REDIRECTED
            result.final_url = moved_to or current
        elif hops:
            result.final_url = current
        return result

    async def _request(
        self, head: bool, url: str, quirk: Quirk, progress: UrlState, origin: HostState
    ) -> Answer | Fetched:
        """One HTTP request to ``remap(url)``, under the host's and the global limits.

        HEAD when ``head`` and the host has not refused HEAD before (decided once a slot is
        ours, so URLs queued behind the one that found out go straight to GET). While nobody
        knows whether the host answers HEAD, one HEAD goes alone. ``origin`` is the host of
        the URL being checked (``url`` may be a redirect hop elsewhere): its claim counts.
        """
        host = self._host(host_of(url))
        queued = time.monotonic()
        async with self._global.host_slot(host):
            skipped = self._skip(host)  # the host went down while this request queued
            if skipped is not None:
                return skipped
            progress.queued = queued
            return await self._request_in_slot(host, head, url, quirk, progress, origin)

    async def _request_in_slot(
        self,
        host: HostState,
        head: bool,
        url: str,
        quirk: Quirk,
        progress: UrlState,
        origin: HostState,
    ) -> Answer | Fetched:
        """:meth:`_request` once the host's slot is ours."""
        if head and host.head_ok is None and not host.probing:
            host.probing = True
            try:
                result = await self._send_paced(host, "HEAD", url, quirk, progress, origin)
            finally:
                host.probing = False
                host.probed.set()
            if isinstance(result, Answer):
                host.head_ok = result.status not in HEAD_REFUSED - {403}
            return self._account(url, host, result)
        if head and host.head_ok is None and not host.probed.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(host.probed.wait(), PROBE_WAIT)
        method = "HEAD" if head and host.head_ok is not False else "GET"
        result = await self._send_paced(host, method, url, quirk, progress, origin)
        return self._account(url, host, result)

    async def _send_paced(
        self,
        host: HostState,
        method: str,
        url: str,
        quirk: Quirk,
        progress: UrlState,
        origin: HostState,
    ) -> Answer | Fetched:
        """Wait for the host's pace and a global slot, then send (host slot already held).

        The wait for the host's turn (its slot and its pace) does not count against the URL's
        time budget: that is the host's rule and its other URLs (a crawl delay of 15 s queues
        a host's URLs for minutes), not a sign that this URL is slow."""
        await host.pace.wait_async()
        if progress.deadline is not None and progress.queued is not None:
            progress.deadline += time.monotonic() - progress.queued
        progress.queued = None
        claim = max(host.left, origin.left)
        async with self._global.slot(host, claim, in_progress=progress.deadline is not None):
            now = time.monotonic()
            if progress.deadline is None:
                progress.deadline = now + self.limits.retry_budget_seconds
            left = progress.deadline - now
            if left <= 0:
                return Fetched(LinkStatus.TIMEOUT, note="time budget for this URL used up")
            self.stats.requests += 1
            read_body = method == "GET" and (bool(quirk.soft404) or progress.looking)
            target = remap(url, self.settings.remap)
            return await send(
                self.session,
                self.stats,
                Request(method, target, read_body, self.limits.max_body_bytes),
                min(self.limits.timeout_seconds, left),
            )

    def _account(self, url: str, host: HostState, result: Answer | Fetched) -> Answer | Fetched:
        if isinstance(result, Answer):
            host.unreachable_urls = 0
        elif result.unreachable:
            self._unreachable(host_of(url), host, result)
        return result


def host_rate(limits: CheckSettings, quirk: Quirk) -> float:
    """A host's requests a second: ``per_host_per_second``, or slower where its quirk row asks
    (a crawl delay, kept up to ``crawl_delay_max_seconds``)."""
    configured = limits.per_host_per_second
    if not quirk.per_second or limits.crawl_delay_max_seconds <= 0:
        return configured
    asked = 1 / min(1 / quirk.per_second, limits.crawl_delay_max_seconds)
    return asked if configured <= 0 else min(configured, asked)


def worth_retrying(result: Fetched) -> Failure | None:
    """A try's result as the transport's retry rule reads it."""
    return Failure(result.note or "", result.retry_after) if result.retryable else None
