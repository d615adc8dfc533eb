"""What the link checker refuses to fetch: non-http(s) schemes and private addresses.

Lists are edited by anyone with a pull request, and the checker runs on CI machines, so a list
must not be able to make it probe ``file:`` paths, the runner's own services or a cloud metadata
endpoint (169.254.169.254). Addresses are checked twice: IP literals before a request, and every
address a name resolves to inside the connector's resolver, so a name that resolves (or is
rebound) to a private address is refused at connection time too.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from pipeline.errors import AddressRefused

ALLOWED_SCHEMES = frozenset({"http", "https"})


def is_internal(address: str) -> bool:
    """True for loopback, private, link-local, multicast, reserved and unspecified addresses."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def refusal(url: str, *, allow_private: bool) -> str | None:
    """Why ``url`` must not be fetched, or None when it may be."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"malformed URL ({exc})"
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = scheme or "no scheme"
        return f"scheme '{shown}' is not http(s); not fetched"
    if not host:
        return "URL has no host"
    if not allow_private and (host == "localhost" or host.endswith(".localhost")):
        return f"host '{host}' is loopback; not fetched"
    if not allow_private and is_internal(host):
        return f"address {host} is private, loopback or link-local; not fetched"
    return None


class GuardedResolver(AbstractResolver):
    """A threaded resolver that drops internal addresses (unless allowed).

    A name with only internal addresses raises :class:`AddressRefused`; ``socket.gaierror`` from
    the system resolver passes through unchanged so that the checker can tell a name that does
    not exist (EAI_NONAME) from a resolver that cannot be reached (EAI_AGAIN).
    """

    def __init__(self, *, allow_private: bool) -> None:
        self._inner = ThreadedResolver()
        self._allow_private = allow_private

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        if self._allow_private:
            return results
        public = [r for r in results if not is_internal(r["host"])]
        if not public:
            raise AddressRefused(
                f"{host} resolves only to private, loopback or link-local addresses"
            )
        return public

    async def close(self) -> None:
        await self._inner.close()
