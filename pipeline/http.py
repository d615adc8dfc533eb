"""The shared HTTP plumbing: user agent, timeouts and retries.

Two clients, each where it fits: ``requests`` for the resolvers' sequential, politely paced
API calls, and one ``aiohttp`` session for the link checker's concurrent fetches.
"""

from __future__ import annotations

import requests

from pipeline import user_agent
from pipeline.config import Settings

DEFAULT_TIMEOUT = (10.0, 30.0)
"""(connect, read) seconds for one resolver request."""


def requests_session(settings: Settings) -> requests.Session:
    """A requests session that names the project (and contact) in its User-Agent.

    Proxies and netrc from the environment are ignored (``trust_env = False``) so that the
    pipeline talks only to the endpoints in its settings.
    """
    session = requests.Session()
    session.trust_env = False
    session.headers["User-Agent"] = user_agent(settings.mailto)
    session.headers["Accept-Encoding"] = "gzip, deflate"
    return session
