"""GitHub repository facts: stars, archived, last push, default branch, canonical name, licence.

With a token: GraphQL at ``{endpoints.github}/graphql``, ``check.github_batch`` repositories per
query as aliases, so a few hundred repositories cost a handful of requests. Without one: REST
``/repos/{owner}/{repo}`` with ``If-None-Match`` carrying the ETag of the previous run (a 304 does
not count against the rate limit).

``X-RateLimit-Remaining`` is watched: once it reaches 0 nothing more is asked, and repositories
not refreshed keep their last known figures with a note saying so. Stars are never 0 for
"unknown": they stay None (or last known).

The token is sent only to the origin of ``endpoints.github``: every request is built here with
``allow_redirects=False``, and a redirect to any other origin is followed without it. It is never
logged, put in an exception message or written anywhere.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp

from pipeline import user_agent
from pipeline.check.links import Fetched
from pipeline.config import Settings
from pipeline.errors import GitHubDown
from pipeline.ids.github import is_valid
from pipeline.ids.urls import origin
from pipeline.models import LinkStatus, RepoFacts

LOG = logging.getLogger(__name__)

REST_CONCURRENCY = 8
MAX_HOPS = 5
FIELDS = """nameWithOwner stargazerCount isArchived pushedAt description
    defaultBranchRef { name } licenseInfo { spdxId name }"""


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
class _Reply:
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

    # -- transport ---------------------------------------------------------------------
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
    ) -> _Reply:
        """One logical request, following up to MAX_HOPS redirects (token only on our origin)."""
        for hop in range(MAX_HOPS + 1):
            self.run.requests += 1
            try:
                async with self.session.request(
                    method,
                    url,
                    json=payload,
                    headers=self._headers(url, extra),
                    allow_redirects=False,
                    timeout=aiohttp.ClientTimeout(total=self.settings.check.timeout),
                ) as response:
                    body = await response.read()
                    headers = {k.lower(): v for k, v in response.headers.items()}
            except (TimeoutError, aiohttp.ClientError, OSError) as exc:
                # The type only: messages can carry URLs, and nothing here may carry the token.
                raise GitHubDown(f"cannot reach {self.origin}: {type(exc).__name__}") from None
            self._watch(headers)
            if response.status in (301, 302, 303, 307, 308) and "location" in headers:
                url = urljoin(url, headers["location"])
                if response.status == 303:
                    method, payload = "GET", None
                continue
            return _Reply(response.status, headers, body, redirected=hop > 0)
        raise GitHubDown(f"more than {MAX_HOPS} redirects from {self.origin}")

    def _watch(self, headers: dict[str, str]) -> None:
        remaining = headers.get("x-ratelimit-remaining")
        if remaining is not None and remaining.strip().isdigit():
            self.remaining = int(remaining)
            if self.remaining == 0:
                reset = headers.get("x-ratelimit-reset", "")
                self.run.exhausted_until = _epoch_to_iso(reset) or "unknown"

    @property
    def exhausted(self) -> bool:
        return self.remaining == 0

    # -- GraphQL -----------------------------------------------------------------------
    async def graphql(self, repos: list[str]) -> None:
        batch = max(1, self.settings.check.github_batch)
        for start in range(0, len(repos), batch):
            if self.exhausted:
                return
            await self._graphql_batch(repos[start : start + batch])

    async def _graphql_batch(self, repos: list[str]) -> None:
        parts = []
        for index, repo in enumerate(repos):
            owner, name = repo.split("/", 1)
            parts.append(
                f"r{index}: repository(owner: {json.dumps(owner)}, name: {json.dumps(name)}) {{ {FIELDS} }}"
            )
        query = "query {\n  " + "\n  ".join(parts) + "\n  rateLimit { remaining resetAt }\n}"
        reply = await self.request("POST", f"{self.api}/graphql", payload={"query": query})
        if reply.status in (403, 429):
            self._stop_asking()
            return
        if reply.status != 200:
            raise GitHubDown(f"GraphQL answered HTTP {reply.status}")
        try:
            doc = json.loads(reply.body)
        except ValueError:
            raise GitHubDown("GraphQL answered something that is not JSON") from None
        errors = doc.get("errors") or []
        if any(e.get("type") == "RATE_LIMITED" for e in errors):
            self._stop_asking()
            return
        data = doc.get("data") or {}
        limit = data.get("rateLimit") or {}
        if isinstance(limit.get("remaining"), int):
            self.remaining = limit["remaining"]
            if self.remaining == 0:
                self.run.exhausted_until = limit.get("resetAt") or "unknown"
        not_found = {
            str(e["path"][0]) for e in errors if e.get("type") == "NOT_FOUND" and e.get("path")
        }
        for index, repo in enumerate(repos):
            node = data.get(f"r{index}")
            if isinstance(node, dict):
                facts = _from_graphql(repo, node)
                # GraphQL's repository(owner, name) follows renames itself.
                why = _distrust(repo, facts, renamed_ok=True)
                if why is None:
                    self.run.facts[repo] = facts
                else:
                    self.run.unusable[repo] = why
            elif f"r{index}" in not_found:
                self.run.missing.add(repo)

    # -- REST --------------------------------------------------------------------------
    async def rest(self, repos: list[str], etags: dict[str, str]) -> None:
        slots = asyncio.Semaphore(REST_CONCURRENCY)

        async def one(repo: str) -> None:
            async with slots:
                if self.exhausted or self.run.unreachable:
                    return
                try:
                    await self._rest_one(repo, etags.get(repo))
                except GitHubDown as exc:
                    self.run.unreachable = str(exc)

        if not repos:
            return
        # The first answer tells the budget left; never have more in flight than that.
        await one(repos[0])
        if self.remaining is not None:
            slots = asyncio.Semaphore(max(1, min(REST_CONCURRENCY, self.remaining)))
        await asyncio.gather(*(one(r) for r in repos[1:]))

    async def _rest_one(self, repo: str, etag: str | None) -> None:
        extra = {"If-None-Match": etag} if etag else None
        reply = await self.request("GET", f"{self.api}/repos/{repo}", extra=extra)
        if reply.status == 304:
            self.run.unchanged.add(repo)
        elif reply.status == 200:
            why = None
            try:
                doc = json.loads(reply.body)
            except ValueError:
                doc, why = {}, "GitHub answered something that is not JSON"
            facts = (
                _from_rest(repo, doc, reply.headers.get("etag")) if isinstance(doc, dict) else None
            )
            if why is None:
                why = _distrust(repo, facts, renamed_ok=reply.redirected)
            if why is None and facts is not None:
                self.run.facts[repo] = facts
            else:
                self.run.unusable[repo] = why or "GitHub answered an unusable body"
        elif reply.status in (404, 410, 451):
            self.run.missing.add(repo)
        elif reply.status in (403, 429):
            # Primary (Remaining: 0) or secondary rate limit: either way, stop asking.
            self._stop_asking()
        else:
            raise GitHubDown(f"/repos answered HTTP {reply.status}")

    def _stop_asking(self) -> None:
        self.remaining = 0
        self.run.exhausted_until = self.run.exhausted_until or "unknown"


# GraphQL field → REST field, for the facts both APIs give.
_SAME_FACTS = {
    "canonical": ("nameWithOwner", "full_name"),
    "archived": ("isArchived", "archived"),
    "pushed_at": ("pushedAt", "pushed_at"),
    "description": ("description", "description"),
}


def _facts(repo: str, doc: dict[str, Any], api: int, **more: Any) -> RepoFacts:
    """RepoFacts from a GraphQL node (``api=0``) or a REST document (``api=1``)."""
    values: dict[str, Any] = {name: doc.get(keys[api]) for name, keys in _SAME_FACTS.items()}
    name = values.pop("canonical")
    canonical = name if isinstance(name, str) and name else None
    moved = canonical is not None and canonical.lower() != repo.lower()
    return RepoFacts(
        repo=repo,
        canonical=canonical,
        status=LinkStatus.MOVED if moved else LinkStatus.OK,
        fetched_at=_now(),
        **values,
        **more,
    )


def _from_graphql(repo: str, node: dict[str, Any]) -> RepoFacts:
    licence = node.get("licenseInfo") or {}
    return _facts(
        repo,
        node,
        0,
        stars=_int(node.get("stargazerCount")),
        default_branch=(node.get("defaultBranchRef") or {}).get("name"),
        license=_licence(licence.get("spdxId"), licence.get("name")),
    )


def _from_rest(repo: str, doc: dict[str, Any], etag: str | None) -> RepoFacts:
    licence = doc.get("license") or {}
    return _facts(
        repo,
        doc,
        1,
        stars=_int(doc.get("stargazers_count")),
        default_branch=doc.get("default_branch"),
        license=_licence(licence.get("spdx_id"), licence.get("name")),
        etag=etag,
    )


def _distrust(repo: str, facts: RepoFacts | None, *, renamed_ok: bool) -> str | None:
    """Why an answer cannot be about ``repo``, or None when it can.

    A body without a name or a star count is not facts (taking it would erase the last known
    ones). A body naming another repository is a rename only when GitHub redirected us there
    (REST answers a renamed repository with 301 → /repositories/{id}); a plain 200 about
    another repository is a wrong answer.
    """
    if (
        facts is None
        or facts.stars is None
        or facts.canonical is None
        or "/" not in facts.canonical
    ):
        return "GitHub answered without the repository's name or stars"
    if facts.canonical.lower() != repo.lower() and not renamed_ok:
        return f"GitHub answered about {facts.canonical} without a redirect"
    return None


def _licence(spdx: Any, name: Any) -> str | None:
    # GitHub says NOASSERTION for a licence file it cannot classify: keep its name then.
    if isinstance(spdx, str) and spdx and spdx != "NOASSERTION":
        return spdx
    return str(name) if name else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _epoch_to_iso(value: str) -> str | None:
    if not value.strip().isdigit():
        return None
    return datetime.fromtimestamp(int(value), UTC).isoformat().replace("+00:00", "Z")


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# -- repository home pages as links ----------------------------------------------------------
def home_outcome(url: str, repo: str, run: GitHubRun, previous: RepoFacts | None) -> Fetched | None:
    """What the API's answer about ``repo`` says of ``url``, a link to its home page; None
    when the page itself must be fetched.

    The API is the authority on what a fetch of the page would find out for a repository
    that exists (is it there, under which name), so the page is not fetched then: a renamed
    repository is ``moved`` to its new name, as github.com redirects there; so is a link by
    ``http:`` or ``www.``, which github.com redirects to ``https://github.com/``. A repository
    the API says does not exist has its page fetched all the same, so that the page's own
    answer decides (404 is a certain failure, 451 a block), and so has one the API gave no
    usable answer about (rate limit, outage, an answer about another repository).
    """
    facts = run.facts.get(repo)
    if facts is None and repo in run.unchanged:
        facts = previous  # REST 304: what the previous run learned still holds
    if facts is None or not facts.canonical:
        return None
    note = "checked through the GitHub API"
    if facts.archived:
        note += "; the repository is archived (read-only)"
    parts = urlsplit(url.strip())
    canonical_home = parts.scheme.lower() == "https" and parts.hostname == "github.com"
    if facts.canonical.lower() != repo:
        note += f"; renamed to {facts.canonical}"
    elif canonical_home:
        return Fetched(LinkStatus.OK, note=note, answered=True)
    return Fetched(
        LinkStatus.MOVED,
        final_url=f"https://github.com/{facts.canonical}",
        note=note,
        answered=True,
    )


# -- merging with the previous run -------------------------------------------------------------
def merge(
    repos: Iterable[str],
    previous: dict[str, RepoFacts],
    run: GitHubRun | None,
    *,
    dead_after: int,
    why_kept: str,
) -> list[RepoFacts]:
    """This run's facts for each listed repository: fresh where GitHub answered, else last known.

    ``stars_delta`` is against the previous run's stars when both are known.
    """
    out: list[RepoFacts] = []
    for repo in repos:
        before = previous.get(repo)
        fresh = run.facts.get(repo) if run else None
        if fresh is not None:
            if before is not None and before.stars is not None and fresh.stars is not None:
                fresh.stars_delta = fresh.stars - before.stars
            out.append(fresh)
        elif run is not None and repo in run.unchanged and before is not None:
            out.append(replace(before, stars_delta=0, fetched_at=_now(), note=None))
        elif run is not None and repo in run.missing:
            failures = (before.failures if before else 0) + 1
            status = LinkStatus.DEAD if failures >= dead_after else LinkStatus.FAILING
            kept = before or RepoFacts(repo=repo)
            out.append(
                replace(
                    kept,
                    status=status,
                    failures=failures,
                    fetched_at=_now(),
                    note="GitHub: not found",
                )
            )
        elif run is not None and repo in run.unusable:
            kept = before or RepoFacts(repo=repo)
            out.append(replace(kept, note=f"last known figures: {run.unusable[repo]}"))
        elif before is not None:
            out.append(replace(before, note=why_kept))
        else:
            out.append(RepoFacts(repo=repo, note=why_kept))
    return out


async def fetch(settings: Settings, repos: list[str], previous: dict[str, RepoFacts]) -> GitHubRun:
    """Ask GitHub about ``repos`` (lower-case ``owner/repo``); never raises for GitHub's sake."""
    valid = [r for r in repos if is_valid(r)]
    async with aiohttp.ClientSession(
        trust_env=False, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:
        client = GitHubClient(session, settings)
        try:
            if settings.github_token:
                await client.graphql(valid)
            else:
                etags = {r: p.etag for r, p in previous.items() if p.etag}
                await client.rest(valid, etags)
        except GitHubDown as exc:
            client.run.unreachable = str(exc)
            LOG.warning("github: %s; keeping last known figures", exc)
    if client.run.exhausted_until:
        LOG.warning(
            "github: rate limit exhausted (resets %s); keeping last known figures",
            client.run.exhausted_until,
        )
    return client.run
