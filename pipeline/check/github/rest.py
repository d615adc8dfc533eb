"""GitHub's REST API (without a token): ``/repos/{owner}/{repo}`` with ``If-None-Match`` carrying the
ETag of the previous run (a 304 does not count against the rate limit). A renamed repository
answers 301 → ``/repositories/{id}``.
"""

from __future__ import annotations

import asyncio
import json

from pipeline.check.github.client import GitHubClient
from pipeline.check.github.facts import distrust, from_rest
from pipeline.errors import GitHubDown

REST_CONCURRENCY = 8


async def ask(client: GitHubClient, repos: list[str], etags: dict[str, str]) -> None:
    """Facts of ``repos``, one conditional request each, no more in flight than the budget left."""
    slots = asyncio.Semaphore(REST_CONCURRENCY)

    async def one(repo: str) -> None:
        async with slots:
            if client.exhausted or client.run.unreachable:
                return
            try:
                await _one(client, repo, etags.get(repo))
            except GitHubDown as exc:
                client.run.unreachable = str(exc)

    if not repos:
        return
    # The first answer tells the budget left; never have more in flight than that.
    await one(repos[0])
    if client.remaining is not None:
        slots = asyncio.Semaphore(max(1, min(REST_CONCURRENCY, client.remaining)))
    await asyncio.gather(*(one(r) for r in repos[1:]))


async def _one(client: GitHubClient, repo: str, etag: str | None) -> None:
    extra = {"If-None-Match": etag} if etag else None
    reply = await client.request("GET", f"{client.api}/repos/{repo}", extra=extra)
    if reply.status == 304:
        client.run.unchanged.add(repo)
    elif reply.status == 200:
        why = None
        try:
            doc = json.loads(reply.body)
        except ValueError:
            doc, why = {}, "GitHub answered something that is not JSON"
        facts = from_rest(repo, doc, reply.headers.get("etag")) if isinstance(doc, dict) else None
        if why is None:
            why = distrust(repo, facts, renamed_ok=reply.redirected)
        if why is None and facts is not None:
            client.run.facts[repo] = facts
        else:
            client.run.unusable[repo] = why or "GitHub answered an unusable body"
    elif reply.status in (404, 410, 451):
        client.run.missing.add(repo)
    elif reply.status in (403, 429):
        # Primary (Remaining: 0) or secondary rate limit: either way, stop asking.
        client.stop_asking()
    else:
        raise GitHubDown(f"/repos answered HTTP {reply.status}")
