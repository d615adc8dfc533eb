"""GitHub's GraphQL API (with a token): ``check.github_batch`` repositories per query as aliases,
so a few hundred repositories cost a handful of requests. ``repository(owner, name)`` follows
renames itself.
"""

from __future__ import annotations

import json

from pipeline.check.github.client import GitHubClient
from pipeline.check.github.facts import distrust, from_graphql
from pipeline.errors import GitHubDown

FIELDS = """nameWithOwner stargazerCount isArchived pushedAt description
    defaultBranchRef { name } licenseInfo { spdxId name }"""


async def ask(client: GitHubClient, repos: list[str]) -> None:
    """Facts of ``repos``, ``check.github_batch`` repositories per query."""
    batch = max(1, client.settings.check.github_batch)
    for start in range(0, len(repos), batch):
        if client.exhausted:
            return
        await _batch(client, repos[start : start + batch])


async def _batch(client: GitHubClient, repos: list[str]) -> None:
    parts = []
    for index, repo in enumerate(repos):
        owner, name = repo.split("/", 1)
        parts.append(
            f"r{index}: repository(owner: {json.dumps(owner)}, name: {json.dumps(name)}) {{ {FIELDS} }}"
        )
    query = "query {\n  " + "\n  ".join(parts) + "\n  rateLimit { remaining resetAt }\n}"
    reply = await client.request("POST", f"{client.api}/graphql", payload={"query": query})
    if reply.status in (403, 429):
        client.stop_asking()
        return
    if reply.status != 200:
        raise GitHubDown(f"GraphQL answered HTTP {reply.status}")
    try:
        doc = json.loads(reply.body)
    except ValueError:
        raise GitHubDown("GraphQL answered something that is not JSON") from None
    errors = doc.get("errors") or []
    if any(e.get("type") == "RATE_LIMITED" for e in errors):
        client.stop_asking()
        return
    data = doc.get("data") or {}
    limit = data.get("rateLimit") or {}
    if isinstance(limit.get("remaining"), int):
        client.remaining = limit["remaining"]
        if client.remaining == 0:
            client.run.exhausted_until = limit.get("resetAt") or "unknown"
    not_found = {
        str(e["path"][0]) for e in errors if e.get("type") == "NOT_FOUND" and e.get("path")
    }
    for index, repo in enumerate(repos):
        node = data.get(f"r{index}")
        if isinstance(node, dict):
            facts = from_graphql(repo, node)
            # GraphQL's repository(owner, name) follows renames itself.
            why = distrust(repo, facts, renamed_ok=True)
            if why is None:
                client.run.facts[repo] = facts
            else:
                client.run.unusable[repo] = why
        elif f"r{index}" in not_found:
            client.run.missing.add(repo)
