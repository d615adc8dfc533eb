"""Server, request log and fault injection of the fake web.

Service modules (``arxiv.py``, ``crossref.py`` …) each define ``register(app, web)`` and are
listed in ``SERVICES``; each mounts its routes under its own path prefix, which
:meth:`FakeWeb.env` hands to the pipeline through the ``PIPELINE_*`` variables.
"""

from __future__ import annotations

import asyncio
import importlib
import re
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

# Modules under tests/fakeweb that register routes; a module that does not exist yet is skipped
# so that services can be added one at a time.
SERVICES = ["arxiv", "crossref", "doi", "openalex", "semanticscholar", "github", "sites"]

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


# A typed request key where aiohttp has them (3.12+; a plain string warns there), a string
# on the older releases the dependency floor allows.
ARRIVED: Any = (
    web.RequestKey("fakeweb.arrived", float) if hasattr(web, "RequestKey") else "fakeweb.arrived"
)
"""When a request reached the server (``time.monotonic()``), before any added latency. A
plain string key: web.RequestKey is not in aiohttp 3.10, the floor the package allows."""


@dataclass
class RequestRecord:
    """One request as the server saw it."""

    method: str
    host: str
    path: str
    query: str
    headers: dict[str, str]
    time: float

    @property
    def path_qs(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path


@dataclass
class Fault:
    """A fault to inject on requests whose ``path?query`` matches ``pattern`` (re.search).

    kind:
      ``latency``   sleep ``latency_ms`` before answering normally
      ``status``    answer ``status`` (with ``Retry-After: retry_after`` when given)
      ``drop``      close the connection without an answer
      ``truncate``  send the normal body cut to half, with the full Content-Length
      ``malformed`` send ``body`` (default: garbage) with status 200
      ``hang``      never answer (until the client gives up)
    ``times``: how many matching requests get the fault (None: all of them).
    """

    kind: str
    pattern: str = ""
    status: int = 500
    retry_after: str | None = None
    latency_ms: int = 0
    body: bytes = b"\x00garbage{<not json or xml"
    times: int | None = None
    hits: int = 0

    def matches(self, path_qs: str) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        return re.search(self.pattern, path_qs) is not None


@dataclass
class FakeWeb:
    """The server and its state. Start with :meth:`start` (a background thread)."""

    latency_ms: int = 0
    host: str = "127.0.0.1"
    port: int = 0
    requests: list[RequestRecord] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    """Free-form state the service modules keep (records, ETags, rate-limit budgets)."""

    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _runner: web.AppRunner | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- life cycle -------------------------------------------------------------------
    def build_app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware])
        for name in SERVICES:
            try:
                module = importlib.import_module(f"tests.fakeweb.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"tests.fakeweb.{name}":
                    raise
                continue
            module.register(app, self)
        return app

    def start(self) -> FakeWeb:
        if not self.port:
            self.port = free_port(self.host)
        ready = threading.Event()

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            runner = web.AppRunner(self.build_app(), access_log=None, handler_cancellation=True)
            loop.run_until_complete(runner.setup())
            loop.run_until_complete(web.TCPSite(runner, self.host, self.port).start())
            self._runner = runner
            ready.set()
            loop.run_forever()
            loop.run_until_complete(runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=serve, name="fakeweb", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake web did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def __enter__(self) -> FakeWeb:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses --------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def env(self) -> dict[str, str]:
        """The ``PIPELINE_*`` variables that point the pipeline at this server."""
        return {
            "PIPELINE_ARXIV_API": f"{self.url}/arxiv/api/query",
            "PIPELINE_CROSSREF_API": f"{self.url}/crossref",
            "PIPELINE_DOI_RESOLVER": f"{self.url}/doi",
            "PIPELINE_OPENALEX_API": f"{self.url}/openalex",
            "PIPELINE_GITHUB_API": f"{self.url}/github",
            "PIPELINE_S2_API": f"{self.url}/s2/graph/v1",
            "PIPELINE_ARXIV_DELAY_SECONDS": "0",
            "PIPELINE_ALLOW_PRIVATE_HOSTS": "1",
            # Every http(s) link in the lists goes to the fake web's ordinary sites.
            "PIPELINE_REMAP": rf"^https?://([^/]+)/?(.*)$ {self.url}/web/\1/\2",
            "PIPELINE_MAILTO": "tests@example.org",
        }

    # -- state ------------------------------------------------------------------------
    def add_fault(self, kind: str, pattern: str = "", **kwargs: Any) -> Fault:
        fault = Fault(kind=kind, pattern=pattern, **kwargs)
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear(self) -> None:
        """Forget requests and faults (not the data)."""
        with self._lock:
            self.requests.clear()
            self.faults.clear()

    def requests_to(self, prefix: str) -> list[RequestRecord]:
        with self._lock:
            return [r for r in self.requests if r.path.startswith(prefix)]

    # -- middleware -------------------------------------------------------------------
    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        record = RequestRecord(
            method=request.method,
            host=request.host,
            path=request.path,
            query=request.query_string,
            headers=dict(request.headers),
            time=time.monotonic(),
        )
        request[ARRIVED] = record.time  # before the added latency: a rate limit counts it
        with self._lock:
            self.requests.append(record)
            fault = next((f for f in self.faults if f.matches(record.path_qs)), None)
            if fault is not None:
                fault.hits += 1
        if self.latency_ms:
            await asyncio.sleep(self.latency_ms / 1000)
        if fault is None:
            return await handler(request)
        return await apply_fault(fault, request, handler)


async def apply_fault(fault: Fault, request: web.Request, handler: Handler) -> web.StreamResponse:
    if fault.kind == "latency":
        await asyncio.sleep(fault.latency_ms / 1000)
        return await handler(request)
    if fault.kind == "status":
        headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
        return web.Response(status=fault.status, text=f"fault {fault.status}\n", headers=headers)
    if fault.kind == "malformed":
        return web.Response(status=200, body=fault.body, content_type="application/json")
    if fault.kind == "hang":
        await asyncio.sleep(3600)
    if fault.kind == "drop":
        transport = request.transport
        if transport is not None:
            transport.abort()
        raise asyncio.CancelledError
    if fault.kind == "truncate":
        normal = await handler(request)
        body = normal.body if isinstance(normal, web.Response) else b""
        data = bytes(body) if isinstance(body, bytes | bytearray) else b""
        response = web.StreamResponse(
            status=normal.status, headers={"Content-Length": str(len(data))}
        )
        response.content_type = normal.content_type
        await response.prepare(request)
        await response.write(data[: len(data) // 2])
        transport = request.transport
        if transport is not None:
            transport.close()
        return response
    raise ValueError(f"unknown fault kind {fault.kind!r}")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])
