"""Repository facts from an API answer, and whether the answer can be about the repository asked.

Stars are never 0 for "unknown": they stay None (or last known).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pipeline.models import LinkStatus, RepoFacts

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
        fetched_at=now(),
        **values,
        **more,
    )


def from_graphql(repo: str, node: dict[str, Any]) -> RepoFacts:
    licence = node.get("licenseInfo") or {}
    return _facts(
        repo,
        node,
        0,
        stars=_int(node.get("stargazerCount")),
        default_branch=(node.get("defaultBranchRef") or {}).get("name"),
        license=_licence(licence.get("spdxId"), licence.get("name")),
    )


def from_rest(repo: str, doc: dict[str, Any], etag: str | None) -> RepoFacts:
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


def distrust(repo: str, facts: RepoFacts | None, *, renamed_ok: bool) -> str | None:
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


def now() -> str:
    """The time now, as the facts record it."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
