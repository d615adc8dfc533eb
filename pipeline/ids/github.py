"""GitHub repositories: ``owner/repo``, kept lower-case.

Read from repository addresses (``github.com/Owner/Repo/…``, where user and organization
pages and GitHub's own pages are not repositories), from shields.io badges
(``img.shields.io/github/stars|forks|watchers/OWNER/REPO``) and from records written before.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

NOT_OWNERS = frozenset(
    [
        "about",
        "apps",
        "collections",
        "contact",
        "customer-stories",
        "enterprise",
        "explore",
        "features",
        "issues",
        "join",
        "login",
        "marketplace",
        "new",
        "notifications",
        "orgs",
        "organizations",
        "pricing",
        "pulls",
        "readme",
        "search",
        "security",
        "settings",
        "site",
        "sponsors",
        "topics",
        "trending",
        "users",
        "codespaces",
    ]
)
"""First path segments of github.com that are GitHub's own pages, not an owner."""

# fullmatch, not "^…$": "$" also matches before a final newline ("owner%0A")
_NAME = re.compile(r"[A-Za-z0-9_.\-]+")
REPO_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$")
"""``owner/repo`` as GitHub's API accepts it (each part at most 100 characters)."""
_STORED = re.compile(r"[a-z0-9_.-]+/[a-z0-9_.-]+")
BADGE_KINDS = frozenset({"stars", "forks", "watchers"})
HOME_HOSTS = frozenset({"github.com", "www.github.com"})


def repo(owner: str, name: str) -> str | None:
    """``owner/name`` lower-case (a ``.git`` suffix dropped), or None when not a name."""
    name = name.removesuffix(".git")
    if not (_NAME.fullmatch(owner) and _NAME.fullmatch(name)) or name in (".", ".."):
        return None
    return f"{owner}/{name}".lower()


def from_segments(segments: list[str]) -> str | None:
    """The repository of a github.com path's segments (``["Owner", "Repo", "tree", …]``)."""
    if len(segments) >= 2 and segments[0].lower() not in NOT_OWNERS:
        return repo(segments[0], segments[1])
    return None


def from_badge(segments: list[str]) -> str | None:
    """The repository of a shields.io badge path (``github/stars/OWNER/REPO.svg``)."""
    if len(segments) >= 4 and segments[0] == "github" and segments[1] in BADGE_KINDS:
        return repo(segments[2], segments[3].removesuffix(".svg"))
    return None


def is_valid(name: str) -> bool:
    """Whether ``owner/repo`` is a name GitHub's API can be asked about."""
    return REPO_NAME.match(name) is not None


def is_stored(name: str) -> bool:
    """Whether a lower-cased ``owner/repo`` read back from a record is well formed."""
    return _STORED.fullmatch(name) is not None


def repo_home(url: str) -> str | None:
    """Lower-case ``owner/repo`` when ``url`` is exactly a repository's home page on GitHub.

    ``https://github.com/Owner/Repo`` (a trailing slash or a fragment allowed; no query, no
    ``.git``, no deeper path: ``/tree/…``, ``/releases`` and the like are pages as any other).
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or port is not None or parts.query:
        return None
    if (parts.hostname or "").lower().rstrip(".") not in HOME_HOSTS or parts.username:
        return None
    segments = parts.path.split("/")[1:]
    if segments and segments[-1] == "":
        segments.pop()
    if len(segments) != 2 or segments[1].lower().endswith(".git"):
        return None
    name = "/".join(segments)
    return name.lower() if is_valid(name) else None


def home_url(name: str) -> str:
    """The repository's home page."""
    return f"https://github.com/{name}"


_REPO_URL = re.compile(r"(?i)https?://(?:www\.)?github\.com/([^/?#\s]+)/([^/?#\s]+)(.*)")


def split_repo_url(url: str) -> tuple[str, str] | None:
    """``(owner/repo lower-case, the rest)`` of a URL into a repository on github.com: the rest
    is whatever follows the name (a path, ``?tab=…``, ``#anchor``), as written; None when the
    URL is no repository's."""
    match = _REPO_URL.fullmatch(url.strip())
    if match is None:
        return None
    name = from_segments([match.group(1), match.group(2)])
    if name is None:
        return None
    return name, match.group(3)
