"""The GitHub API client: redirects followed by hand so the token goes only to the configured
API's origin, and the rate limit watched on every answer. Requests are paced and retried by the
transport's rules (:mod:`pipeline.transport`) with the ``[check]`` settings: GitHub's API is one
more host to the link checker (``per_host_per_second``; a 5xx, a 429 or a dropped connection
is tried again, ``Retry-After`` waited up to ``retry_after_cap_seconds``). A spent rate limit
(``X-RateLimit-Remaining: 0``) is not retried: nothing more is asked in the run.

The token is never logged, put in an exception message or written anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import aiohttp

from pipeline import user_agent
from pipeline.config import Settings
from pipeline.errors import GitHubDown
from pipeline.ids.urls import origin
from pipeline.models import RepoFacts
from pipeline.transport.pace import Pace
from pipeline.transport.retry import Failure, Policy, retry_async, status_failure

MAX_HOPS = 5
"""Redirects followed for one request."""


@dataclass
class GitHubRun:
    """What asking GitHub found."""

    facts: dict[str, RepoFacts] = field(default_factory=dict)
    """Fresh facts, by lower-case ``owner/repo`` as listed."""
    missing: set[str] = field(default_factory=set)
    """Repositories GitHub says do not exist."""
    unchanged: set[str] = field(default_factory=set)
    unusable: dict[str, str] = field(default_factory=dict)
    """Repositories whose answer could not be trusted (why): their last known facts stay."""
    """REST 304: the previous facts still hold."""
    requests: int = 0
    exhausted_until: str | None = None
    """Rate limit exhausted: when it resets (ISO time), if GitHub said."""
    unreachable: str | None = None
    """Why GitHub could not be asked at all (or stopped answering)."""


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    redirected: bool = False


class GitHubClient:
    """Talks to ``settings.endpoints.github``; one instance per run."""

    def __init__(self, session: aiohttp.ClientSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.api = settings.endpoints.github.rstrip("/")
        self.origin = origin(self.api)
        self.run = GitHubRun()
        self.remaining: int | None = None
        self.policy = Policy.of(settings.check)
        self.pace = Pace(settings.check.per_host_per_second)

    def _headers(self, url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {
            "User-Agent": user_agent(self.settings.mailto),
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            **(extra or {}),
        }
        # The token goes to the configured API's origin and nowhere else.
        if self.settings.github_token and origin(url) == self.origin:
            headers["Authorization"] = f"Bearer {self.settings.github_token}"
        return headers

    async def request(
        self, method: str, url: str, *, payload: Any = None, extra: dict[str, str] | None = None
    ) -> Reply:
        """One logical request with its retries; raises :class:`GitHubDown` when GitHub cannot
        be reached (after the retries) or redirects too often."""
        tried = await retry_async(
            self.policy, lambda: self._follow(method, url, payload, extra), self._failure
        )
        if isinstance(tried.value, str):
            raise GitHubDown(tried.value)
        return tried.value

    def _failure(self, outcome: Reply | str) -> Failure | None:
        if isinstance(outcome, str):
            return Failure(outcome)
        if self.exhausted:
            return None  # the rate limit is spent until its reset: no retry helps
        return status_failure(outcome.status, outcome.headers)

    async def _follow(
        self, method: str, url: str, payload: Any, extra: dict[str, str] | None
    ) -> Reply | str:
        """One try, following up to MAX_HOPS redirects (token only on our origin); a failed
        connection is returned as why (the type only: messages can carry URLs, and nothing
        here may carry the token)."""
        for hop in range(MAX_HOPS + 1):
            await self.pace.wait_async()
            self.run.requests += 1
            try:
                async with self.session.request(
                    method,
                    url,
                    json=payload,
                    headers=self._headers(url, extra),
                    allow_redirects=False,
                    timeout=aiohttp.ClientTimeout(total=self.settings.check.timeout_seconds),
                ) as response:
                    body = await response.read()
                    headers = {k.lower(): v for k, v in response.headers.items()}
            except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                return f"cannot reach {self.origin}: {type(exc).__name__}"
            self._watch(headers)
            if response.status in (301, 302, 303, 307, 308) and "location" in headers:
                url = urljoin(url, headers["location"])
                if response.status == 303:
                    method, payload = "GET", None
                continue
            return Reply(response.status, headers, body, redirected=hop > 0)
        raise GitHubDown(f"more than {MAX_HOPS} redirects from {self.origin}")

    def _watch(self, headers: dict[str, str]) -> None:
        remaining = headers.get("x-ratelimit-remaining")
        if remaining is not None and remaining.strip().isdigit():
            self.remaining = int(remaining)
            if self.remaining == 0:
                reset = headers.get("x-ratelimit-reset", "")
                self.run.exhausted_until = epoch_to_iso(reset) or "unknown"

    @property
    def exhausted(self) -> bool:
        return self.remaining == 0

    def stop_asking(self) -> None:
        """Ask nothing more in this run (a rate limit said so)."""
        self.remaining = 0
        self.run.exhausted_until = self.run.exhausted_until or "unknown"


def epoch_to_iso(value: str) -> str | None:
    if not value.strip().isdigit():
        return None
    return datetime.fromtimestamp(int(value), UTC).isoformat().replace("+00:00", "Z")
