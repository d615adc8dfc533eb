"""GitHub repositories: ``owner/repo``, kept lower-case, and their addresses.

Read from repository addresses (``github.com/Owner/Repo/…``, where user and organization
pages and GitHub's own pages are not repositories), from shields.io badges
(``img.shields.io/github/stars|forks|watchers/OWNER/REPO``) and from records written before.
:class:`RepoName` is a name as written, compared without case as GitHub does; the home page
and raw file addresses (``raw.githubusercontent.com``) are made here too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pipeline.ids.urls import host, split

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
REPO_NAME = re.compile(r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}")
"""``owner/repo`` as GitHub's API accepts it (each part at most 100 characters): ``fullmatch``."""
_STORED = re.compile(r"[a-z0-9_.-]+/[a-z0-9_.-]+")
BADGE_KINDS = frozenset({"stars", "forks", "watchers"})
HOST = "github.com"
HOME_HOSTS = frozenset({HOST, f"www.{HOST}"})


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
    return REPO_NAME.fullmatch(name) is not None


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


def is_canonical_home(url: str) -> bool:
    """Whether a repository's address is written as GitHub writes it, ``https://github.com/…``
    (``http:`` and ``www.`` redirect there)."""
    parts = urlsplit(url.strip())
    return parts.scheme.lower() == "https" and parts.hostname == HOST


def is_account_page(url: str) -> bool:
    """A github.com page of a user or an organisation (one path segment)."""
    netloc, path, _ = split(url)
    return host(netloc) == HOST and len([s for s in path.split("/") if s]) == 1


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


@dataclass(frozen=True)
class RepoName:
    """``owner/name`` as written, equal to another whatever the case (GitHub's names are
    case-insensitive). Raises ValueError when it is no name GitHub's API takes."""

    owner: str = field(compare=False)
    name: str = field(compare=False)
    key: str = field(init=False, repr=False)
    """Lower-case ``owner/name``: what two names are compared by."""

    def __post_init__(self) -> None:
        text = f"{self.owner}/{self.name}"
        if not is_valid(text) or self.name in (".", "..") or self.owner.lower() in NOT_OWNERS:
            raise ValueError(f"not a GitHub repository name: {text!r}")
        object.__setattr__(self, "key", text.lower())

    def __str__(self) -> str:
        return f"{self.owner}/{self.name}"

    @property
    def url(self) -> str:
        """The repository's home page."""
        return home_url(str(self))

    @classmethod
    def parse(cls, text: str) -> RepoName | None:
        """``owner/name`` → the name, None when it is none."""
        owner, _, name = text.partition("/")
        try:
            return cls(owner, name)
        except ValueError:
            return None

    @classmethod
    def of_url(cls, url: str) -> RepoName | None:
        """The repository a github.com address is in (its home, a file, ``.git``), or None
        (lower-case: :func:`split_repo_url` reads it)."""
        found = split_repo_url(url)
        return cls.parse(found[0]) if found else None


def link_to(urls: Iterable[str], repo: str) -> str | None:
    """The first of ``urls`` into the repository named ``repo`` (by name, never by substring:
    ``owner/repo`` is not in ``github.com/owner/repo-extra``), or None."""
    wanted = RepoName.parse(repo)
    return next((u for u in urls if wanted and RepoName.of_url(u) == wanted), None)


RAW_HOST = "raw.githubusercontent.com"
README_REF = "HEAD"
"""The ref a repository's README is read at: its default branch."""


def raw_url(repo: str, ref: str, path: str) -> str:
    """The address a file of a repository is downloaded from as it is."""
    return f"https://{RAW_HOST}/{repo}/{ref}/{path}"


def raw_path(url: str) -> str | None:
    """The file's path in its repository of a raw address (``…/OWNER/NAME/REF/PATH`` →
    ``PATH``), None for any other URL."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if parts.hostname != RAW_HOST or len(segments) < 4:
        return None
    return "/".join(segments[3:])


@dataclass(frozen=True)
class RawFile:
    """A file to download as it is: its address, the repository it is in ("" when none is
    known) and its name."""

    raw_url: str
    repo: str
    name: str
    """The file's name (``README.md``), for a default id."""
    readme: bool = False
    """The repository's home page was given: its README, under whatever name it has."""


def repo_file(url: str) -> RawFile | None:
    """What a list's address names on GitHub: ``github.com/OWNER/NAME`` its README (on the
    default branch, ``README.md``), ``github.com/OWNER/NAME/blob|raw/REF/PATH`` that file,
    ``raw.githubusercontent.com/OWNER/NAME/REF/PATH`` itself; None for another host. Raises
    ValueError, saying what is expected, for a GitHub address that names no file."""
    parts = urlsplit(url.strip())
    path = [p for p in parts.path.split("/") if p]
    host = parts.netloc.lower()
    if host == RAW_HOST and len(path) >= 4:
        return RawFile(url.strip(), str(_named(path[0], path[1])), path[-1])
    if host not in HOME_HOSTS:
        return None
    if len(path) == 2 or (len(path) >= 5 and path[2] in {"blob", "raw"}):
        repo = str(_named(path[0], path[1].removesuffix(".git")))
        if len(path) == 2:
            return RawFile(raw_url(repo, README_REF, "README.md"), repo, "README.md", True)
        return RawFile(raw_url(repo, path[3], "/".join(path[4:])), repo, path[-1])
    raise ValueError(
        "a GitHub URL must be a repository (github.com/OWNER/NAME) "
        "or a file in it (…/blob/REF/PATH)"
    )


def _named(owner: str, name: str) -> RepoName:
    repo = RepoName.parse(f"{owner}/{name}")
    if repo is None:
        raise ValueError(f"{owner}/{name} is no GitHub repository name")
    return repo
