"""The HTTP sessions of the pipeline: user agent, timeouts, no proxies, no cookies.

Every HTTP session the pipeline opens is built here: ``requests`` for the resolvers' (and
``sources update``'s) sequential, politely paced calls, one ``aiohttp`` session for the link
checker's concurrent fetches, and one for the GitHub API client, which sets its own headers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp

from pipeline import user_agent
from pipeline.config import Settings

if TYPE_CHECKING:
    import requests


def requests_session(settings: Settings) -> requests.Session:
    """A requests session that names the project (and contact) in its User-Agent.

    Proxies and netrc from the environment are ignored (``trust_env = False``) so that the
    pipeline talks only to the endpoints in its settings.
    """
    import requests  # here: the link checker, which has no use for it, starts faster

    session = requests.Session()
    session.trust_env = False
    session.headers["User-Agent"] = user_agent(settings.mailto)
    session.headers["Accept-Encoding"] = "gzip, deflate"
    return session


def aiohttp_session(
    settings: Settings,
    *,
    resolver: aiohttp.abc.AbstractResolver | None = None,
) -> aiohttp.ClientSession:
    """The link checker's one ``aiohttp`` session for a run (call inside the event loop).

    The connection pool is as large as the checker's global concurrency; per-host limits are
    the checker's own (it keys them on the host a list names, not the one a remap fetches).
    Redirects are never followed here: the checker follows them itself, hop by hop, to record
    them and to check each hop's scheme and address. No proxies or netrc from the environment
    (``trust_env=False``), no cookies kept between links.
    """
    connector = aiohttp.TCPConnector(
        limit=max(1, settings.check.concurrency),
        limit_per_host=0,
        ttl_dns_cache=300,
        resolver=resolver,
        enable_cleanup_closed=True,
    )
    return aiohttp.ClientSession(
        connector=connector,
        headers={
            "User-Agent": user_agent(settings.mailto),
            "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
        },
        cookie_jar=aiohttp.DummyCookieJar(),
        trust_env=False,
        timeout=aiohttp.ClientTimeout(
            total=None,
            sock_connect=settings.check.timeout_seconds,
            sock_read=settings.check.timeout_seconds,
        ),
    )


def api_session() -> aiohttp.ClientSession:
    """A session for an API client that sets its own headers and timeouts per request (GitHub):
    no proxies or netrc from the environment, no cookies kept. Call inside the event loop."""
    return aiohttp.ClientSession(trust_env=False, cookie_jar=aiohttp.DummyCookieJar())
