"""Ordinary websites: every http(s) link of the lists, under ``/web/{host}/{path}``.

:meth:`FakeWeb.env` remaps ``https://host/path`` to ``{fake}/web/host/path``, so a list's links
land here. By default every page answers 200 with a small HTML page; a test (or the benchmark)
gives a host or a single path a behaviour with :func:`site`::

    site(web, "old.example", "/paper", status=301, location="https://new.example/paper")
    site(web, "ieeexplore.ieee.org", status=418)            # whole host ("*")
    site(web, "data.example", "/big.zip", head_status=405, size=64 << 20)

Behaviour keys (all optional):

``status``        status code (default 200); 3xx with ``location`` (absolute or relative, in the
                  list's world: ``https://host/path``, which the remap sends back here)
``head_status``   status for HEAD only (405 for servers that refuse HEAD)
``body``          body text (soft-404 pages, challenge pages)
``content_type``  default ``text/html; charset=utf-8``
``delay``         seconds before answering (slow hosts; longer than a timeout = hang)
``fail_times`` + ``fail_status`` (+ ``retry_after``)
                  the first N requests answer ``fail_status`` (429, 503 …), later ones normally
``size``          stream a body of this many bytes (huge downloads); the bytes actually written
                  before the client hung up are kept in ``web.data["site_sent"][(host, path)]``

The most requests being answered at once, overall and per host, are kept in
``web.data["site_in_flight"]`` (:class:`InFlight`): whether a client kept to its limits.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web as aioweb

from tests.fakeweb.core import FakeWeb

DEFAULT_BODY = (
    "<!doctype html><html><head><title>{host}</title></head><body>ok {path}</body></html>"
)
CHUNK = 64 * 1024


@dataclass
class InFlight:
    """Requests being answered now, overall and per key (a host, an address), and the most
    seen at once: one event loop updates it, so plain counters do."""

    now: int = 0
    most: int = 0
    key_now: Counter[str] = field(default_factory=Counter)
    key_most: Counter[str] = field(default_factory=Counter)

    @contextlib.contextmanager
    def one(self, key: str) -> Iterator[None]:
        """Count one request to ``key`` for as long as it is being answered."""
        self.now += 1
        self.key_now[key] += 1
        self.most = max(self.most, self.now)
        self.key_most[key] = max(self.key_most[key], self.key_now[key])
        try:
            yield
        finally:
            self.now -= 1
            self.key_now[key] -= 1


def site(web: FakeWeb, host: str, path: str = "*", **behaviour: Any) -> None:
    """Give ``host`` (``path="*"``: every path of it) a behaviour; see the module docstring."""
    web.data.setdefault("sites", {})[(host.lower(), path)] = behaviour


def register(app: aioweb.Application, web: FakeWeb) -> None:
    async def counted(request: aioweb.Request) -> aioweb.StreamResponse:
        flight: InFlight = web.data.setdefault("site_in_flight", InFlight())
        with flight.one(request.match_info["host"].lower()):
            return await handler(request)

    async def handler(request: aioweb.Request) -> aioweb.StreamResponse:
        host = request.match_info["host"].lower()
        path = "/" + request.match_info["path"]
        sites: dict[tuple[str, str], dict[str, Any]] = web.data.get("sites", {})
        behaviour = sites.get((host, path)) or sites.get((host, "*")) or {}
        hits: dict[tuple[str, str], int] = web.data.setdefault("site_hits", {})
        hits[(host, path)] = hits.get((host, path), 0) + 1

        if behaviour.get("delay"):
            await asyncio.sleep(float(behaviour["delay"]))
        if behaviour.get("fail_times", 0) >= hits[(host, path)]:
            headers = {}
            if behaviour.get("retry_after") is not None:
                headers["Retry-After"] = str(behaviour["retry_after"])
            return aioweb.Response(status=int(behaviour.get("fail_status", 503)), headers=headers)
        if request.method == "HEAD" and behaviour.get("head_status"):
            return aioweb.Response(status=int(behaviour["head_status"]))
        status = int(behaviour.get("status", 200))
        content_type = behaviour.get("content_type", "text/html; charset=utf-8")
        if 300 <= status < 400:
            return aioweb.Response(status=status, headers={"Location": behaviour["location"]})
        if behaviour.get("size"):
            return await stream(request, web, (host, path), status, int(behaviour["size"]))
        body = behaviour.get("body", DEFAULT_BODY.format(host=host, path=path))
        return aioweb.Response(
            status=status, body=body.encode("utf-8"), headers={"Content-Type": content_type}
        )

    app.router.add_route("*", "/web/{host}/{path:.*}", counted)


async def stream(
    request: aioweb.Request, web: FakeWeb, key: tuple[str, str], status: int, size: int
) -> aioweb.StreamResponse:
    """Send ``size`` bytes in chunks, counting what was written before the client left."""
    response = aioweb.StreamResponse(
        status=status,
        headers={"Content-Type": "application/octet-stream", "Content-Length": str(size)},
    )
    # Counted before anything is sent: the handler is cancelled when the client hangs up.
    sent: dict[tuple[str, str], int] = web.data.setdefault("site_sent", {})
    sent[key] = 0
    await response.prepare(request)
    if request.method == "HEAD":
        return response
    chunk = b"\0" * CHUNK
    try:
        while sent[key] < size:
            piece = chunk[: size - sent[key]]
            await response.write(piece)
            sent[key] += len(piece)
        await response.write_eof()
    except (ConnectionError, RuntimeError):
        pass  # the client hung up, as it should for a huge body
    return response
