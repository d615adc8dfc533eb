"""Link checking: every distinct URL once, concurrently, politely, without false alarms.

Collector → checker:

* :func:`collect` turns works into one :class:`Target` per URL as it stands in the lists (with
  every ``file:line`` it is found at), and :func:`fetch_key` says which of them are the same
  fetch (normalized, then rewritten by ``settings.remap``), so each is fetched once.
* :class:`LinkChecker` fetches with one ``aiohttp`` session: concurrency bounded globally and per
  host (the host the list names, so a remap onto one mirror keeps the per-site limits), a
  per-host request rate, tenacity retries with exponential backoff and jitter on timeouts,
  connection errors, 5xx and 429 (``Retry-After`` honoured up to a cap), and a time budget per
  URL. HEAD first; GET when HEAD is refused or unreliable for the host; never more than the
  headers and ``max_body_bytes`` of a body. Redirects are followed here, hop by hop, so that each
  hop is recorded and its scheme and address checked.
* :func:`settle` applies hysteresis against the previous run: a certain failure (404, 410, a
  name that does not exist, a soft 404) is ``failing`` first and ``dead`` only after
  ``dead_after`` consecutive failing runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import random
import socket
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import urljoin

import aiohttp
import yarl
from tenacity import AsyncRetrying, RetryCallState, retry_if_result

from pipeline.check.guard import refusal
from pipeline.check.quirks import Quirk, quirk_for
from pipeline.config import Settings
from pipeline.errors import AddressRefused
from pipeline.http import parse_retry_after
from pipeline.ids.urls import host_of, normalize, remap
from pipeline.models import LinkResult, LinkStatus, Work

LOG = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
HEAD_REFUSED = frozenset({403, 405, 501})
"""HEAD answers that only mean "not like that": ask again with GET."""
GONE = frozenset({404, 410})
ACCESS_REFUSED = frozenset({401, 403, 407, 418, 451, 999})
"""Answers that mean "not for you" (bot walls, logins): the page exists as far as we know."""
NO_SUCH_NAME = frozenset(
    getattr(socket, name) for name in ("EAI_NONAME", "EAI_NODATA") if hasattr(socket, name)
)
PROBE_WAIT = 0.25
"""Seconds a host's other URLs wait for its first HEAD before going ahead anyway."""
HOST_DOWN_AFTER = 3
"""Requests in a row that could not reach a host before its other URLs are not tried."""
NETWORK_DOWN_HOSTS = 5
"""Hosts failing to connect, with no answer from anyone yet, that mean the network is down."""
GOOD = frozenset({LinkStatus.OK, LinkStatus.REDIRECTED, LinkStatus.MOVED})


# -- collecting ------------------------------------------------------------------------------
@dataclass
class Target:
    """One URL as the lists spell it, with where it stands and what it is."""

    url: str
    found_in: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    works: set[str] = field(default_factory=set)


def collect(works: Iterable[Work]) -> dict[str, Target]:
    """Every URL in the works, once, with the ``file:line`` places of the works holding it."""
    targets: dict[str, Target] = {}
    for work in works:
        places = {str(p) for p in work.places}
        for link in work.links:
            url = link.url.strip()
            if not url:
                continue
            target = targets.setdefault(url, Target(url))
            target.found_in |= places
            target.roles.add(link.role)
            target.works.add(work.id)
    return targets


def fetch_key(url: str, settings: Settings) -> str:
    """What decides "the same URL": normalized, then remapped."""
    return remap(normalize(url), settings.remap)


def interleave_hosts(urls: Iterable[str]) -> list[str]:
    """The URLs one per host in turn, the hosts with the most URLs first in every round.

    Lists cluster by host (arXiv, GitHub, IEEE Xplore): in list order the first hosts would
    take every global slot at the start while the others waited; in turns every host starts
    at once (:class:`GlobalSlots` then keeps the longest queue served).
    """
    by_host: dict[str, list[str]] = {}
    for url in urls:
        by_host.setdefault(host_of(url), []).append(url)
    queues = sorted(by_host.values(), key=len, reverse=True)
    out: list[str] = []
    turn = 0
    while queues:
        while queues and len(queues[-1]) <= turn:
            queues.pop()  # the shortest are last: what is left is a prefix
        out.extend(queue[turn] for queue in queues)
        turn += 1
    return out


# -- one URL's outcome -----------------------------------------------------------------------
@dataclass
class Fetched:
    """What fetching one URL found. ``certain`` marks failures that count toward ``dead``."""

    status: LinkStatus
    http_status: int | None = None
    final_url: str | None = None
    note: str | None = None
    hops: list[str] = field(default_factory=list)
    certain: bool = False
    answered: bool = False
    """Some server answered (so the network works), whatever it said."""
    unreachable: bool = False
    """No connection could be made (or it timed out): says nothing about the link itself."""
    retryable: bool = False
    retry_after: float | None = None


@dataclass
class _UrlState:
    """What the tries of one URL share."""

    deadline: float | None = None
    """End of the URL's time budget: set when its first request is sent, not while queued."""
    get_only: bool = False
    """HEAD failed with a 5xx: later tries use GET."""


@dataclass
class _Answer:
    method: str
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class _Host:
    """Per-host state: concurrency, pacing and a breaker for hosts that do not answer."""

    slots: asyncio.Semaphore
    interval: float
    next_start: float = 0.0
    head_ok: bool | None = None
    """Whether the host answers HEAD (None: not known yet)."""
    probing: bool = False
    probed: asyncio.Event = field(default_factory=asyncio.Event)
    """Set when the first HEAD to the host has an outcome. Until then the host's other URLs
    wait (at most PROBE_WAIT), so a host that refuses HEAD costs one wasted request, not one
    per slot, and a slow host is not held back for long."""
    unreachable_urls: int = 0
    down: Fetched | None = None
    left: int = 0
    """URLs of this host not finished yet (retries included): its claim on global slots."""
    queued: int = 0
    """Requests waiting for one of this host's slots."""
    reserved: int = 0
    """Global slots kept for this host's next request (see :class:`GlobalSlots`)."""

    async def pace(self) -> None:
        """Wait for this host's next request slot (``per_host_rate`` requests per second)."""
        if self.interval <= 0:
            return
        loop = asyncio.get_running_loop()
        now = loop.time()
        start = max(now, self.next_start)
        self.next_start = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)


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
        self, host: _Host, claim: int, *, in_progress: bool = False
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
    async def host_slot(self, host: _Host) -> AsyncIterator[None]:
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

    async def _acquire(self, host: _Host, rank: tuple[int, int]) -> None:
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


@dataclass
class CheckStats:
    """Counts for the stage report and the benchmarks."""

    requests: int = 0
    bytes_read: int = 0
    answers: int = 0
    hosts_unreachable: set[str] = field(default_factory=set)
    network_down: bool = False


class LinkChecker:
    """Fetches URLs with one shared session; see the module docstring for the rules."""

    def __init__(self, session: aiohttp.ClientSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.limits = settings.check
        self.stats = CheckStats()
        self._global = GlobalSlots(self.limits.concurrency)
        self._hosts: dict[str, _Host] = {}

    def _host(self, host: str) -> _Host:
        state = self._hosts.get(host)
        if state is None:
            rate = self.limits.per_host_rate
            state = _Host(
                asyncio.Semaphore(max(1, self.limits.per_host)), 1 / rate if rate > 0 else 0
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
        progress = _UrlState()

        def stop(state: RetryCallState) -> bool:
            if state.attempt_number > self.limits.retries or self._skip(host) is not None:
                return True
            ends = progress.deadline
            return ends is not None and time.monotonic() + state.upcoming_sleep > ends

        def wait(state: RetryCallState) -> float:
            last = state.outcome.result() if state.outcome is not None else None
            if isinstance(last, Fetched) and last.retry_after is not None:
                return min(last.retry_after, self.limits.retry_after_cap)
            base = self.limits.backoff * 2 ** (state.attempt_number - 1)
            # Jitter of up to a quarter of the wait keeps the retries of many URLs apart.
            return float(min(self.limits.backoff_max, base * (1 + random.uniform(0, 0.25))))

        retrying = AsyncRetrying(
            stop=stop,
            wait=wait,
            retry=retry_if_result(lambda f: isinstance(f, Fetched) and f.retryable),
            retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
            reraise=True,
        )
        try:
            result: Fetched = await retrying(self._attempt, url, progress)
        except Exception as exc:  # one bad URL must never stop the run
            LOG.warning("%s: unexpected error while checking: %s", url, type(exc).__name__)
            result = Fetched(LinkStatus.ERROR, note=f"checker error: {type(exc).__name__}")
        return result

    def _skip(self, host: _Host) -> Fetched | None:
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

    def _unreachable(self, hostname: str, host: _Host, result: Fetched) -> None:
        """Count a request that reached nobody; trip the host's and the network's breakers."""
        host.unreachable_urls += 1
        if host.unreachable_urls >= HOST_DOWN_AFTER:
            host.down = result
            self.stats.hosts_unreachable.add(hostname)
        if self.stats.answers == 0 and len(self.stats.hosts_unreachable) >= NETWORK_DOWN_HOSTS:
            self.stats.network_down = True

    async def _attempt(self, url: str, progress: _UrlState) -> Fetched:
        """One try: request, following redirects hop by hop."""
        origin = self._host(host_of(url))
        current = url
        hops: list[str] = []
        moved_to: str | None = None
        permanent = True
        quirk = quirk_for(host_of(url))
        for _ in range(self.limits.max_redirects + 1):
            reason = refusal(current, allow_private=self.settings.allow_private_hosts)
            if reason is not None:
                return Fetched(LinkStatus.ERROR, note=f"redirect refused: {reason}", hops=hops)
            quirk = quirk_for(host_of(current))
            state = self._host(host_of(current))
            head = not (quirk.head_unreliable or quirk.soft404 or progress.get_only)
            answer = await self._request(head, current, quirk, progress, origin)
            if isinstance(answer, Fetched):
                answer.hops = hops
                return answer
            if answer.method == "HEAD" and (answer.status in HEAD_REFUSED or answer.status >= 500):
                # HEAD refused: remember for the host, ask this URL again with GET. A 5xx to
                # HEAD is often HEAD's fault alone (servers that only implement GET): ask
                # GET at once, and only GET on this URL's retries.
                if answer.status in HEAD_REFUSED - {403}:
                    state.head_ok = False
                if answer.status >= 500:
                    progress.get_only = True
                answer2 = await self._request(False, current, quirk, progress, origin)
                if isinstance(answer2, Fetched):
                    answer2.hops = hops
                    return answer2
                answer = answer2
            if answer.status in REDIRECT_STATUSES:
                location = answer.headers.get("location")
                if not location:
                    return Fetched(
                        LinkStatus.ERROR,
                        http_status=answer.status,
                        note=f"HTTP {answer.status} redirect without a Location",
                        hops=hops,
                        answered=True,
                    )
                nxt = urljoin(current, location.strip())
                hops.append(f"{answer.status} {nxt}")
                if answer.status in PERMANENT_REDIRECTS and permanent:
                    moved_to = nxt
                else:
                    permanent = False
                current = nxt
                continue
            result = self._classify(answer, quirk)
            result.hops = hops
            if hops and result.status == LinkStatus.OK:
                result.status = LinkStatus.MOVED if moved_to else LinkStatus.REDIRECTED
                result.final_url = moved_to or current
            elif hops:
                result.final_url = current
            return result
        return Fetched(
            LinkStatus.ERROR,
            note=f"more than {self.limits.max_redirects} redirects",
            hops=hops,
            answered=True,
            final_url=current,
        )

    def _classify(self, answer: _Answer, quirk: Quirk) -> Fetched:
        code = answer.status
        if 200 <= code < 300:
            if code == 202 and quirk.bot_wall:
                return self._blocked(code, quirk)
            if quirk.soft404 and answer.body:
                found = quirk.soft_404(answer.body.decode("utf-8", "replace"))
                if found:
                    return Fetched(
                        LinkStatus.FAILING,
                        http_status=code,
                        note=f"soft 404: page says {found!r}",
                        certain=True,
                        answered=True,
                    )
            return Fetched(LinkStatus.OK, http_status=code, answered=True)
        if code in GONE:
            return Fetched(LinkStatus.FAILING, http_status=code, certain=True, answered=True)
        if code in ACCESS_REFUSED:
            return self._blocked(code, quirk)
        if code == 429:
            retry_after = parse_retry_after(answer.headers.get("retry-after"))
            blocked = self._blocked(code, quirk)
            if quirk.bot_wall:
                return blocked
            if retry_after is not None and retry_after > self.limits.retry_after_cap:
                blocked.note = f"rate limited: Retry-After {retry_after:.0f}s is beyond the cap"
                return blocked
            blocked.retryable = True
            blocked.retry_after = retry_after
            return blocked
        retryable = code >= 500
        return Fetched(
            LinkStatus.ERROR,
            http_status=code,
            note=f"HTTP {code}",
            answered=True,
            retryable=retryable,
            retry_after=parse_retry_after(answer.headers.get("retry-after")) if retryable else None,
        )

    @staticmethod
    def _blocked(code: int, quirk: Quirk) -> Fetched:
        why = f"bot wall ({quirk.why})" if quirk.bot_wall else "access refused"
        if code == 429 and not quirk.bot_wall:
            why = "rate limited"
        return Fetched(
            LinkStatus.BLOCKED, http_status=code, note=f"{why}: HTTP {code}", answered=True
        )

    async def _request(
        self, head: bool, url: str, quirk: Quirk, progress: _UrlState, origin: _Host
    ) -> _Answer | Fetched:
        """One HTTP request to ``remap(url)``, under the host's and the global limits.

        HEAD when ``head`` and the host has not refused HEAD before (decided once a slot is
        ours, so URLs queued behind the one that found out go straight to GET). While nobody
        knows whether the host answers HEAD, one HEAD goes alone. ``origin`` is the host of
        the URL being checked (``url`` may be a redirect hop elsewhere): its claim counts.
        """
        host = self._host(host_of(url))
        async with self._global.host_slot(host):
            skipped = self._skip(host)  # the host went down while this request queued
            if skipped is not None:
                return skipped
            return await self._request_in_slot(host, head, url, quirk, progress, origin)

    async def _request_in_slot(
        self, host: _Host, head: bool, url: str, quirk: Quirk, progress: _UrlState, origin: _Host
    ) -> _Answer | Fetched:
        """:meth:`_request` once the host's slot is ours."""
        if head and host.head_ok is None and not host.probing:
            host.probing = True
            try:
                result = await self._send_paced(host, "HEAD", url, quirk, progress, origin)
            finally:
                host.probing = False
                host.probed.set()
            if isinstance(result, _Answer):
                host.head_ok = result.status not in HEAD_REFUSED - {403}
            return self._account(url, host, result)
        if head and host.head_ok is None and not host.probed.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(host.probed.wait(), PROBE_WAIT)
        method = "HEAD" if head and host.head_ok is not False else "GET"
        result = await self._send_paced(host, method, url, quirk, progress, origin)
        return self._account(url, host, result)

    async def _send_paced(
        self, host: _Host, method: str, url: str, quirk: Quirk, progress: _UrlState, origin: _Host
    ) -> _Answer | Fetched:
        """Wait for the host's pace and a global slot, then send (host slot already held)."""
        await host.pace()
        claim = max(host.left, origin.left)
        async with self._global.slot(host, claim, in_progress=progress.deadline is not None):
            now = time.monotonic()
            if progress.deadline is None:
                progress.deadline = now + self.limits.url_budget
            left = progress.deadline - now
            if left <= 0:
                return Fetched(LinkStatus.TIMEOUT, note="time budget for this URL used up")
            self.stats.requests += 1
            read_body = method == "GET" and bool(quirk.soft404)
            target = remap(url, self.settings.remap)
            return await self._guarded_send(
                method, target, read_body, min(self.limits.timeout, left)
            )

    def _account(self, url: str, host: _Host, result: _Answer | Fetched) -> _Answer | Fetched:
        if isinstance(result, _Answer):
            host.unreachable_urls = 0
        elif result.unreachable:
            self._unreachable(host_of(url), host, result)
        return result

    async def _guarded_send(
        self, method: str, target: str, read_body: bool, timeout: float
    ) -> _Answer | Fetched:
        """:meth:`_send` with every way a request can fail turned into a result."""
        try:
            async with asyncio.timeout(timeout):
                return await self._send(method, target, read_body)
        except TimeoutError:
            return Fetched(
                LinkStatus.TIMEOUT,
                note=f"no answer within {timeout:.1f}s",
                unreachable=True,
                retryable=True,
            )
        except aiohttp.ClientConnectorError as exc:
            return connection_failure(exc)
        except (aiohttp.InvalidURL, ValueError) as exc:
            return Fetched(LinkStatus.ERROR, note=f"invalid URL: {exc}")
        except (aiohttp.ClientError, OSError) as exc:
            # Reset, disconnect, bad HTTP: no usable answer; says nothing about the link.
            return Fetched(
                LinkStatus.ERROR,
                note=f"connection error: {type(exc).__name__}",
                unreachable=True,
                retryable=True,
            )

    async def _send(self, method: str, target: str, read_body: bool) -> _Answer:
        async with self.session.request(
            method, yarl.URL(target), allow_redirects=False, raise_for_status=False
        ) as response:
            self.stats.answers += 1
            body = b""
            limit = self.limits.max_body_bytes
            small = response.content_length is not None and response.content_length <= limit
            if method == "GET" and (read_body or small):
                # A small body is read so the connection can be reused; a large one only
                # when a soft-404 fingerprint needs it, and then only its first bytes.
                body = await read_prefix(response, limit)
                self.stats.bytes_read += len(body)
            if not response.content.at_eof():
                # Do not drain the rest (a dataset may be gigabytes): drop the connection.
                response.close()
            headers = {k.lower(): v for k, v in response.headers.items()}
            return _Answer(method, response.status, headers, body)


async def read_prefix(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """At most ``limit`` bytes of the body (decoded), however large it is."""
    chunks: list[bytes] = []
    got = 0
    while got < limit:
        chunk = await response.content.read(limit - got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def connection_failure(exc: aiohttp.ClientConnectorError) -> Fetched:
    """Classify a failure to connect: a name that does not exist is certain, the rest is not."""
    cause = exc.os_error
    if isinstance(cause, AddressRefused):
        return Fetched(LinkStatus.ERROR, note=f"refused: {cause}")
    if isinstance(cause, socket.gaierror) and cause.errno in NO_SUCH_NAME:
        return Fetched(
            LinkStatus.FAILING,
            note=f"DNS: name {exc.host!r} does not exist",
            certain=True,
            unreachable=True,
        )
    reason = cause.strerror if cause is not None and cause.strerror else type(cause).__name__
    return Fetched(
        LinkStatus.ERROR,
        note=f"cannot connect to {exc.host}: {reason}",
        unreachable=True,
        retryable=True,
    )


# -- hysteresis ------------------------------------------------------------------------------
def settle(
    target: Target,
    fetched: Fetched,
    previous: LinkResult | None,
    *,
    dead_after: int,
    checked_at: str,
) -> LinkResult:
    """The LinkResult for this run: certain failures count up to ``dead``; success resets."""
    failures = previous.failures if previous is not None else 0
    status = fetched.status
    if fetched.certain:
        failures += 1
        status = LinkStatus.DEAD if failures >= dead_after else LinkStatus.FAILING
    elif status in GOOD:
        failures = 0
    note = fetched.note
    if fetched.hops:
        # The chain as followed, so the report can show where a link leads now.
        chain = "; ".join(fetched.hops)
        note = f"{note}; redirects: {chain}" if note else f"redirects: {chain}"
    return LinkResult(
        url=target.url,
        status=status,
        final_url=fetched.final_url,
        http_status=fetched.http_status,
        checked_at=checked_at,
        found_in=sorted(target.found_in),
        failures=failures,
        note=note,
    )


def kept(target: Target, previous: LinkResult | None, why: str) -> LinkResult:
    """The previous result (or ``unchecked``) for a run that could not check the link."""
    if previous is None:
        return LinkResult(url=target.url, found_in=sorted(target.found_in), note=why)
    return replace(previous, found_in=sorted(target.found_in))
