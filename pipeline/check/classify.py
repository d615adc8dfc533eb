"""Classification: what one answer (or failure to get one) says about a link.

A certain failure (404, 410, a name that does not exist, a soft 404) counts toward ``dead``;
bot walls and logins are ``blocked``; what is worth a retry (5xx, 429 but from a bot wall) is
the transport's rule (:func:`pipeline.transport.retry.status_failure`), which also decides how
long to wait and when a ``Retry-After`` is too long.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

import aiohttp

from pipeline.check.quirks import Quirk, parked_page
from pipeline.errors import AddressRefused
from pipeline.models import LinkStatus
from pipeline.transport.retry import status_failure

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
class Answer:
    method: str
    status: int
    headers: dict[str, str]
    body: bytes


def classify(answer: Answer, quirk: Quirk) -> Fetched:
    """The outcome of a final (not redirecting) answer, quirks of its host considered."""
    code = answer.status
    if 200 <= code < 300:
        if code == 202 and quirk.bot_wall:
            return blocked(code, quirk)
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
        why = parking(answer, quirk)
        if why is not None:
            return Fetched(LinkStatus.PARKED, http_status=code, note=why, answered=True)
        return Fetched(LinkStatus.OK, http_status=code, answered=True)
    if code in GONE:
        return Fetched(LinkStatus.FAILING, http_status=code, certain=True, answered=True)
    if code in ACCESS_REFUSED:
        return blocked(code, quirk)
    failed = status_failure(code, answer.headers)
    if code == 429:
        limited = blocked(code, quirk)
        if failed is not None and not quirk.bot_wall:  # a wall's 429 is its answer to us
            limited.retryable, limited.retry_after = True, failed.retry_after
        return limited
    return Fetched(
        LinkStatus.ERROR,
        http_status=code,
        note=f"HTTP {code}",
        answered=True,
        retryable=failed is not None,
        retry_after=failed.retry_after if failed is not None else None,
    )


def parking(answer: Answer, quirk: Quirk) -> str | None:
    """Why a 2xx page is a parking or for-sale page (its host, or a fingerprint), or None."""
    if quirk.parking:
        return f"parked: {quirk.why}"
    if answer.body and not quirk.established:
        row = parked_page(answer.body.decode("utf-8", "replace"))
        if row is not None:
            return f"parked: {row.why}"
    return None


def blocked(code: int, quirk: Quirk) -> Fetched:
    """A page that exists as far as we know, but is not for us (bot wall, login, rate limit)."""
    why = f"bot wall ({quirk.why})" if quirk.bot_wall else "access refused"
    if code == 429 and not quirk.bot_wall:
        why = "rate limited"
    return Fetched(LinkStatus.BLOCKED, http_status=code, note=f"{why}: HTTP {code}", answered=True)


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
