"""One HTTP request of the link checker: sent without following redirects, at most
``max_body_bytes`` of a body read (a small body so the connection can be reused, a larger one
only when a soft-404 fingerprint needs it), and every failure turned into a result."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import aiohttp
import yarl

from pipeline.check.classify import Answer, Fetched, connection_failure
from pipeline.models import LinkStatus


@dataclass
class CheckStats:
    """Counts for the stage report and the benchmarks."""

    requests: int = 0
    bytes_read: int = 0
    answers: int = 0
    hosts_unreachable: set[str] = field(default_factory=set)
    network_down: bool = False


@dataclass(frozen=True)
class Request:
    """What to send: ``method`` to ``target`` (already remapped), and how much body to read."""

    method: str
    target: str
    read_body: bool
    max_body: int


async def send(
    session: aiohttp.ClientSession, stats: CheckStats, request: Request, timeout: float
) -> Answer | Fetched:
    """One request within ``timeout``, every way it can fail turned into a result."""
    try:
        async with asyncio.timeout(timeout):
            return await _answer(session, stats, request)
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


async def _answer(session: aiohttp.ClientSession, stats: CheckStats, request: Request) -> Answer:
    method = request.method
    async with session.request(
        method, yarl.URL(request.target), allow_redirects=False, raise_for_status=False
    ) as response:
        stats.answers += 1
        body = b""
        limit = request.max_body
        small = response.content_length is not None and response.content_length <= limit
        if method == "GET" and (request.read_body or small):
            # A small body is read so the connection can be reused; a large one only
            # when a soft-404 fingerprint needs it, and then only its first bytes.
            body = await read_prefix(response, limit)
            stats.bytes_read += len(body)
        if not response.content.at_eof():
            # Do not drain the rest (a dataset may be gigabytes): drop the connection.
            response.close()
        headers = {k.lower(): v for k, v in response.headers.items()}
        return Answer(method, response.status, headers, body)


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
