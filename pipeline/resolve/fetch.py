"""One way for every resolver to ask a service: cache first, then the network.

:class:`Fetcher` keeps the cache, the breaker, the time budget and the bookkeeping; how a
request is sent, retried and paced is the transport's (:mod:`pipeline.transport`), the rule
every stage follows. On top of the shared requests session it adds:

* the persistent cache (``pipeline.cache``): an answer fetched within ``cache_max_age_seconds`` is
  used without a request; an older one is revalidated with ``If-None-Match``; offline, any
  cached answer is used and a miss raises :class:`Unavailable` without touching the network;
* what counts as a failed try besides the transport's (429, 5xx, timeouts, dropped
  connections): bodies that do not parse and answers that are not about what was asked (a
  caller's ``check``: another DOI, another arXiv id, a record-less envelope), all retried by
  the transport's rule (:mod:`pipeline.transport.retry`);
* a circuit breaker per service: after ``breaker_after`` requests that failed even after
  their retries, the service is not asked again in this run, so a dead service costs a few
  requests rather than one per work and the run's time stays bounded;
* each service's rate rules (:mod:`.rates`, arXiv's 3 s among them), kept by one
  :class:`~pipeline.transport.pace.Pacer` per service: requests of one kind spaced as its
  rule or its answers' ``x-rate-limit-*`` headers ask, and at most ``workers`` requests (with
  their retries) in flight to one service (Crossref's public pool: one);
* the bookkeeping the stage report needs: requests made, services that failed;
* a time budget (``deadline``): once it has passed no request is sent any more, a lookup
  that would need one raises :class:`Unavailable` (service ``budget``) and its work keeps
  its last known record; what was answered is in the cache, so the next run asks only the
  rest;
* :meth:`Fetcher.file`: a batch answer (Crossref's ``filter=doi:…``, Semantic Scholar's
  paper batch) filed under each single lookup's cache key, so a warm, incremental or
  resumed run asks only what no earlier batch answered.

A stale cached answer is returned when the network fails (last known beats nothing).
Only a 200 that passes the checks, or a 404/410, is a service's word on a request; any other
answer is a failure: never cached, the service reported degraded, and the caller's works keep
their last known records.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from requests.structures import CaseInsensitiveDict

from pipeline.cache import CachedResponse, HttpCache, request_key
from pipeline.config import Settings
from pipeline.errors import Refused, Transient, Unavailable
from pipeline.resolve.rates import kind, pacers
from pipeline.transport.retry import Policy, failure_of, retry_sync, status_failure
from pipeline.transport.sessions import requests_session

log = logging.getLogger(__name__)

# Answers that are the service's word on the request (the thing does not exist), not a
# failure: they are cached like a 200 so a warm run does not ask again.
DEFINITIVE_MISSES = frozenset({404, 410})
KEEP_HEADERS = ("content-type", "etag", "last-modified")

Check = Callable[[bytes], str | None]
"""A caller's test of a 200 body that parsed: why it is not an answer to the request (another
DOI, an envelope without a record …), or None when it is one."""


def _valid_json(body: bytes) -> bool:
    try:
        json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    return True


def _valid_atom(body: bytes) -> bool:
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return False
    return root.tag == "{http://www.w3.org/2005/Atom}feed"


@dataclass(frozen=True)
class Service:
    """A service the resolvers talk to: its name, URL prefix and body check."""

    name: str
    base: str
    valid: Callable[[bytes], bool]


_PLAIN_URL = re.compile(r"https?://[a-z0-9.-]+(?::[1-9][0-9]*)?(?:/[A-Za-z0-9._~!$&'()*+,;=:@-]*)+")
"""A URL requests would send as it is: lower-case host, a path of characters that neither
urllib3 nor requote_uri escapes (no ``%``, ``?``, ``#``)."""
_DOT_SEGMENT = re.compile(r"/\.\.?(?:/|$)")


def full_url(url: str, params: Mapping[str, str] | None = None) -> str:
    """``url`` with ``params`` encoded as :meth:`Fetcher.get` sends it (its cache key)."""
    return _prepared(url, tuple((params or {}).items()))


@functools.lru_cache(maxsize=1 << 16)
def _prepared(url: str, params: tuple[tuple[str, str], ...]) -> str:
    # The URL requests sends (the cache key must be what goes on the wire). Preparing it
    # costs a quarter of a millisecond, most of a resumed run's time before its first
    # request, so a plain URL is put together directly: requests would change nothing in it
    # and encodes the parameters with urlencode too (tests/test_resolve_urls.py checks).
    if _PLAIN_URL.fullmatch(url) and not _DOT_SEGMENT.search(url):
        return f"{url}?{urlencode(params)}" if params else url
    return requests.Request("GET", url, params=dict(params)).prepare().url or url


def to_response(cached: CachedResponse) -> requests.Response:
    """A requests.Response built from a cached answer, so callers see one kind of answer."""
    response = requests.Response()
    response.status_code = cached.status
    response._content = cached.body
    response.headers = CaseInsensitiveDict(cached.headers)
    response.url = cached.url
    response.encoding = "utf-8"
    return response


BUDGET = "budget"
"""The ``service`` of the :class:`Unavailable` a lookup gets once the time budget is spent."""


class Fetcher:
    """Cached, retried, counted GET requests to the metadata services."""

    def __init__(self, settings: Settings, cache: HttpCache, deadline: float | None = None) -> None:
        self.settings = settings
        self.options = settings.resolve
        self.cache = cache
        self.session = requests_session(settings)
        ep = settings.endpoints
        self.services = [
            Service("arxiv", ep.arxiv, _valid_atom),
            Service("crossref", ep.crossref, _valid_json),
            Service("doi", ep.doi, _valid_json),
            Service("openalex", ep.openalex, _valid_json),
            Service("semanticscholar", ep.s2, _valid_json),
        ]
        self.deadline = deadline
        """``time.monotonic()`` after which no request is sent (the run's time budget)."""
        self.out_of_time = False
        """Whether a lookup was refused because the time budget was spent."""
        self.requests = 0
        """Network requests made (every attempt counts)."""
        self.by_service: dict[str, int] = {}
        """Network requests made per service."""
        self.failed: set[str] = set()
        """Services that failed at least one request after all retries."""
        self.down: set[str] = set()
        self._streak: dict[str, int] = {}
        self.pacers = pacers(settings, [s.name for s in self.services])
        self.policy = Policy.of(self.options)
        self._key_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def service_for(self, url: str) -> Service:
        for service in self.services:
            if url.startswith(service.base):
                return service
        raise ValueError(f"{url}: not an endpoint of any metadata service")

    def get(
        self,
        url: str,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        check: Check | None = None,
        *,
        store: bool = True,
    ) -> requests.Response:
        """GET through the cache; raises :class:`Unavailable` when no answer can be had.

        A 200 body ``check`` refuses is treated like garbage: retried, never cached, and a
        cached answer it refuses is not used. ``store=False``: a batch question, whose answer
        is filed item by item (:meth:`file`) instead.
        """
        full = full_url(url, params)
        hdrs = dict(headers or {})
        key = request_key("GET", full, hdrs)
        # One lock per request key: concurrent lookups that need the same answer wait for
        # the first instead of asking twice (no request is repeated within a run).
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            return self._get(full, hdrs, key, check, store)

    def answers_without_network(self, url: str, check: Check | None = None) -> bool:
        """Whether :meth:`get` would answer ``url`` (with ``check``) from the cache alone."""
        cached = self.cache.get(request_key("GET", url, {}))
        if cached is None or (cached.status == 200 and check and check(cached.body)):
            return False
        return self.settings.offline or cached.age() < self.options.cache_max_age_seconds

    def may_ask(self, service: str) -> bool:
        """Whether a request to ``service`` would be sent now (online, not broken, in time)."""
        return not self.settings.offline and service not in self.down and not self.spent()

    def stored(self, url: str, check: Check | None = None) -> requests.Response | None:
        """The cached answer :meth:`get` would give for ``url`` without a request, if any."""
        if not self.answers_without_network(url, check):
            return None
        cached = self.cache.get(request_key("GET", url, {}))
        return to_response(cached) if cached is not None else None

    def spent(self) -> bool:
        """Whether the time budget has run out."""
        return self.deadline is not None and time.monotonic() >= self.deadline

    def file(self, url: str, status: int, body: bytes) -> None:
        """Store ``body`` as the answer to ``GET url``: one item of a batch answer, filed
        where the single lookup would look for it."""
        self.cache.put(
            request_key("GET", url, {}),
            CachedResponse(
                url=url,
                status=status,
                body=body,
                headers={"content-type": "application/json"},
                fetched_at=time.time(),
                etag=None,
            ),
        )

    def post(
        self, url: str, payload: bytes, headers: Mapping[str, str], check: Check | None = None
    ) -> requests.Response:
        """A POST (a batch question), retried and counted like a GET but never cached: its
        answers are filed item by item (:meth:`file`). Raises :class:`Unavailable`."""
        return self._send(self.service_for(url), url, dict(headers), check, payload)

    def budget_spent(self, url: str) -> Unavailable:
        """The answer to a lookup the time budget stops (noted for the summary)."""
        self.out_of_time = True
        return Unavailable(BUDGET, url, "time budget spent; the next run continues")

    def _may_send(self, service: Service, url: str) -> None:
        if self.settings.offline:
            raise Unavailable(service.name, url, "not in the cache (offline)")
        if service.name in self.down:
            raise Unavailable(service.name, url, "service failed earlier in this run")
        if self.spent():
            raise self.budget_spent(url)

    def _get(
        self, full: str, hdrs: dict[str, str], key: str, check: Check | None, store: bool
    ) -> requests.Response:
        service = self.service_for(full)
        cached = self.cache.get(key)
        if cached is not None and cached.status == 200 and check is not None:
            reason = check(cached.body)
            if reason is not None:
                # Stored before answers were checked: it is no answer, so neither used nor
                # revalidated; a good answer replaces it by key.
                log.warning("%s: cached answer ignored: %s", full, reason)
                cached = None
        if cached is not None and (
            self.settings.offline or cached.age() < self.options.cache_max_age_seconds
        ):
            return to_response(cached)
        if self.settings.offline:
            raise Unavailable(service.name, full, "not in the cache (offline)")
        if service.name in self.down or self.spent():
            if cached is not None:
                return to_response(cached)
            self._may_send(service, full)
        if cached is not None and cached.etag:
            hdrs["If-None-Match"] = cached.etag
        try:
            response = self._send(service, full, hdrs, check)
        except Unavailable:
            if cached is not None:
                when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(cached.fetched_at))
                log.warning("%s: failed; using the cached answer from %s", full, when)
                return to_response(cached)
            raise
        if response.status_code == 304 and cached is not None:
            self.cache.touch(key)
            return to_response(cached)
        if store and (response.status_code == 200 or response.status_code in DEFINITIVE_MISSES):
            self.cache.put(
                key,
                CachedResponse(
                    url=full,
                    status=response.status_code,
                    body=response.content,
                    headers={
                        k: v for k, v in response.headers.items() if k.lower() in KEEP_HEADERS
                    },
                    fetched_at=time.time(),
                    etag=response.headers.get("ETag"),
                ),
            )
        return response

    def _note_failure(self, service: str) -> None:
        with self._lock:
            self.failed.add(service)
            self._streak[service] = self._streak.get(service, 0) + 1
            if self._streak[service] >= self.options.breaker_after:
                if service not in self.down:
                    log.warning("%s: failing repeatedly; not asked again in this run", service)
                self.down.add(service)

    def _send(
        self,
        service: Service,
        url: str,
        headers: dict[str, str],
        check: Check | None,
        payload: bytes | None = None,
    ) -> requests.Response:
        with self.pacers[service.name].slot():
            # The service may have failed (or the time run out) while this waited its turn.
            self._may_send(service, url)
            tried = retry_sync(
                self.policy,
                lambda: self._attempt(service, url, headers, check, payload),
                failure_of,
            )
            outcome = tried.value
            if isinstance(outcome, Transient | Refused):
                # Noted before the slot is free, so the next lookup in line sees the breaker.
                self._note_failure(service.name)
                ended = tried.ended
                why = f"{outcome.reason}; {ended.stop}" if ended and ended.beyond_cap else None
                raise Unavailable(service.name, url, why or outcome.reason)
            with self._lock:
                self._streak[service.name] = 0
            return outcome

    def _with_credentials(self, service: Service, url: str) -> str:
        """``url`` as sent: OpenAlex takes its API key as a query parameter, added only here."""
        key = self.settings.openalex_key
        if service.name != "openalex" or not key:
            return url
        return f"{url}{'&' if '?' in url else '?'}{urlencode({'api_key': key})}"

    def _attempt(
        self,
        service: Service,
        url: str,
        headers: dict[str, str],
        check: Check | None,
        payload: bytes | None = None,
    ) -> requests.Response | Transient | Refused:
        """One try: the answer, or the failure as a value (the transport's rule retries a
        :class:`Transient`; a :class:`Refused` is the outcome at once)."""
        pace = self.pacers[service.name].pace(kind(service.name, url))
        if not pace.wait(self.deadline):
            raise self.budget_spent(url)  # its turn would come after the time budget
        with self._lock:
            self.requests += 1
            self.by_service[service.name] = self.by_service.get(service.name, 0) + 1
        timeout = self.options.timeout_seconds
        try:
            if payload is None:
                sent = self._with_credentials(service, url)
                response = self.session.get(sent, headers=headers, timeout=(timeout, timeout))
            else:
                # No redirects: a key sent to the service's host must not follow one elsewhere.
                response = self.session.post(
                    url,
                    data=payload,
                    headers=headers,
                    timeout=(timeout, timeout),
                    allow_redirects=False,
                )
            body = response.content  # read it all here so a cut-off body fails inside the retry
        except requests.RequestException as exc:
            failure = f"{type(exc).__name__}: {exc}"  # may quote the URL sent, key and all
            key = self.settings.openalex_key
            return Transient(failure.replace(key, "[key]") if key else failure)
        pace.learn(response.headers)
        status = response.status_code
        failed = status_failure(status, response.headers)
        if failed is not None:
            return Transient(failed.reason, failed.retry_after)
        if status == 200:
            if not service.valid(body):
                return Transient("the body does not parse")
            reason = check(body) if check is not None else None
            if reason is not None:
                return Transient(f"not an answer to the request: {reason}")
        elif status != 304 and status not in DEFINITIVE_MISSES:
            # Not "not found": taking it as a miss would drop what the service knows.
            return Refused(f"HTTP {status}")
        return response
