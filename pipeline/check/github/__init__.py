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

import logging

from pipeline.check.github import graphql, rest
from pipeline.check.github.client import GitHubClient, GitHubRun
from pipeline.check.github.home import home_outcome, merge
from pipeline.config import Settings
from pipeline.errors import GitHubDown
from pipeline.ids.github import is_valid
from pipeline.models import RepoFacts
from pipeline.transport.sessions import api_session

LOG = logging.getLogger("pipeline.check.github")


async def fetch(settings: Settings, repos: list[str], previous: dict[str, RepoFacts]) -> GitHubRun:
    """Ask GitHub about ``repos`` (lower-case ``owner/repo``); never raises for GitHub's sake."""
    valid = [r for r in repos if is_valid(r)]
    async with api_session() as session:
        client = GitHubClient(session, settings)
        try:
            if settings.github_token:
                await graphql.ask(client, valid)
            else:
                etags = {r: p.etag for r, p in previous.items() if p.etag}
                await rest.ask(client, valid, etags)
        except GitHubDown as exc:
            client.run.unreachable = str(exc)
            LOG.warning("github: %s; keeping last known figures", exc)
    if client.run.exhausted_until:
        LOG.warning(
            "github: rate limit exhausted (resets %s); keeping last known figures",
            client.run.exhausted_until,
        )
    return client.run


__all__ = ["GitHubRun", "fetch", "home_outcome", "merge"]
