"""Records passed between stages, as dataclasses with a JSON form (docs/design.md, "Records").

``build/entries.json``  → list of Entry
``build/works.json``    → list of Work
``build/resolved.json`` → list of ResolvedWork
``output/links.json``   → LinkReport (links + repos)
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, get_args

Kind = Literal["paper", "dataset", "project", "other"]
"""What an entry is: a paper, a dataset, a project or software (code, a tool), or another
resource (a video, blog post, course, person). Only papers and datasets are cited."""
KIND_NAMES: tuple[Kind, ...] = get_args(Kind)
LinkRole = Literal["paper", "code", "project", "dataset", "other"]


@dataclass(frozen=True)
class Link:
    """A link as it stands in a list, with what it points at."""

    url: str
    role: LinkRole = "other"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Link:
        return cls(url=data["url"], role=data.get("role", "other"))


@dataclass
class Ids:
    """Normalized identifiers: arXiv without version, DOI lower-case without resolver,
    IEEE Xplore document number, GitHub ``owner/repo`` lower-case."""

    arxiv: str | None = None
    doi: str | None = None
    ieee: str | None = None
    github: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    """Proceedings and review pages of the paper (``openreview:ID``, ``cvf:NAME`` …)."""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Ids:
        return cls(
            arxiv=data.get("arxiv"),
            doi=data.get("doi"),
            ieee=data.get("ieee"),
            github=list(data.get("github") or []),
            pages=list(data.get("pages") or []),
        )


@dataclass(frozen=True)
class Place:
    """Where an entry stands: list id, file, 1-based line and section path, and what the
    list says there (``title``, ``date``, ``venue``: the findings compare them with the
    registry and with the other lists)."""

    source: str
    file: str
    line: int
    section: tuple[str, ...] = ()
    title: str = ""
    date: str = ""
    venue: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Place:
        return cls(
            source=data["source"],
            file=data["file"],
            line=int(data["line"]),
            section=tuple(data.get("section") or ()),
            title=str(data.get("title") or ""),
            date=str(data.get("date") or ""),
            venue=str(data.get("venue") or ""),
        )


@dataclass
class Entry:
    """One entry as it stands in one list."""

    source: str
    file: str
    line: int
    section: list[str]
    kind: Kind
    title: str
    authors: list[str] = field(default_factory=list)
    venue: str | None = None
    date: str | None = None
    links: list[Link] = field(default_factory=list)
    ids: Ids = field(default_factory=Ids)
    nickname: str | None = None
    """A short name the row gives the paper beside its title (``**VLMaps**: "Visual …"``)."""

    @property
    def place(self) -> Place:
        return Place(
            self.source,
            self.file,
            self.line,
            tuple(self.section),
            self.title,
            self.date or "",
            self.venue or "",
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        return cls(
            source=data["source"],
            file=data["file"],
            line=int(data["line"]),
            section=list(data.get("section") or []),
            kind=data.get("kind", "paper"),
            title=data["title"],
            authors=list(data.get("authors") or []),
            venue=data.get("venue"),
            date=data.get("date"),
            links=[Link.from_json(x) for x in data.get("links") or []],
            ids=Ids.from_json(data.get("ids") or {}),
            nickname=data.get("nickname"),
        )


@dataclass
class Work:
    """Entries that are the same work, merged. ``id`` is stable across runs:
    ``arxiv:ID``, ``doi:DOI``, ``ieee:N`` or ``title:HASH`` (first that applies)."""

    id: str
    kind: Kind
    title: str
    authors: list[str] = field(default_factory=list)
    venue: str | None = None
    date: str | None = None
    links: list[Link] = field(default_factory=list)
    ids: Ids = field(default_factory=Ids)
    places: list[Place] = field(default_factory=list)
    nickname: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Work:
        return cls(
            id=data["id"],
            kind=data.get("kind", "paper"),
            title=data["title"],
            authors=list(data.get("authors") or []),
            venue=data.get("venue"),
            date=data.get("date"),
            links=[Link.from_json(x) for x in data.get("links") or []],
            ids=Ids.from_json(data.get("ids") or {}),
            places=[Place.from_json(x) for x in data.get("places") or []],
            nickname=data.get("nickname"),
        )


@dataclass
class ResolvedWork:
    """A work with its CSL-JSON metadata and how we know it.

    ``resolved_by`` names the resolver (``arxiv``, ``crossref``, ``doi``, ``openalex``) or
    ``list`` when only the list's own text is known; ``verified`` is False exactly then.
    ``list_fields`` names the CSL fields filled from list text rather than a service.
    """

    work: Work
    csl: dict[str, Any]
    resolved_by: str = "list"
    method: str = "list-text"
    confidence: float = 0.0
    verified: bool = False
    list_fields: list[str] = field(default_factory=list)
    preprint_of: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ResolvedWork:
        return cls(
            work=Work.from_json(data["work"]),
            csl=dict(data.get("csl") or {}),
            resolved_by=data.get("resolved_by", "list"),
            method=data.get("method", "list-text"),
            confidence=float(data.get("confidence", 0.0)),
            verified=bool(data.get("verified", False)),
            list_fields=list(data.get("list_fields") or []),
            preprint_of=data.get("preprint_of"),
        )


@dataclass
class Finding:
    """Something wrong in a list, for ``output/review.json`` (docs/design.md, "Records").

    ``kind``: ``wrong-paper-link`` (an identifier's record names another paper),
    ``shared-id`` (entries sharing an id name different papers), ``duplicate-merged`` (two
    works found to be one paper), ``disagreement`` (lists, or a list and the registry,
    disagree on year, venue or first author). ``fix`` is ``{"old": url, "new": url}`` only
    where the right link is known with confidence.
    """

    kind: str
    source: str
    file: str
    line: int
    work_id: str
    list_says: dict[str, Any] = field(default_factory=dict)
    registry_says: dict[str, Any] = field(default_factory=dict)
    fix: dict[str, str] | None = None
    message: str = ""

    @classmethod
    def at(cls, place: Place, kind: str, work_id: str, **rest: Any) -> Finding:
        """A finding about the entry at ``place``."""
        return cls(kind, place.source, place.file, place.line, work_id, **rest)

    def sort_key(self) -> tuple[str, int, str, str, str]:
        return (self.source, self.line, self.kind, self.work_id, self.message)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        fix = data.get("fix")
        return cls(
            kind=str(data["kind"]),
            source=str(data.get("source") or ""),
            file=str(data.get("file") or ""),
            line=int(data.get("line") or 0),
            work_id=str(data.get("work_id") or ""),
            list_says=dict(data.get("list_says") or {}),
            registry_says=dict(data.get("registry_says") or {}),
            fix={"old": str(fix["old"]), "new": str(fix["new"])} if isinstance(fix, dict) else None,
            message=str(data.get("message") or ""),
        )


class LinkStatus(StrEnum):
    """Outcome of checking one URL. ``failing`` is a first failure, ``dead`` only after
    ``dead_after`` consecutive failing runs (hysteresis). ``parked``: the page is a domain
    marketplace's, a parking page or a lapsed domain now serving something else: never good,
    and there is no new address to fix it with."""

    OK = "ok"
    REDIRECTED = "redirected"
    MOVED = "moved"
    FAILING = "failing"
    DEAD = "dead"
    BLOCKED = "blocked"
    PARKED = "parked"
    TIMEOUT = "timeout"
    ERROR = "error"
    UNCHECKED = "unchecked"


@dataclass
class LinkResult:
    """One distinct URL and what checking it found. ``found_in`` lists ``file:line``."""

    url: str
    status: LinkStatus = LinkStatus.UNCHECKED
    final_url: str | None = None
    http_status: int | None = None
    checked_at: str | None = None
    found_in: list[str] = field(default_factory=list)
    failures: int = 0
    """Consecutive failing runs so far (0 after a success)."""
    note: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinkResult:
        return cls(
            url=data["url"],
            status=LinkStatus(data.get("status", "unchecked")),
            final_url=data.get("final_url"),
            http_status=data.get("http_status"),
            checked_at=data.get("checked_at"),
            found_in=list(data.get("found_in") or []),
            failures=int(data.get("failures", 0)),
            note=data.get("note"),
        )


@dataclass
class RepoFacts:
    """A GitHub repository's facts. ``stars`` is None when unknown, never 0 for unknown."""

    repo: str
    canonical: str | None = None
    stars: int | None = None
    stars_delta: int | None = None
    archived: bool | None = None
    pushed_at: str | None = None
    default_branch: str | None = None
    description: str | None = None
    license: str | None = None
    status: LinkStatus = LinkStatus.UNCHECKED
    fetched_at: str | None = None
    etag: str | None = None
    failures: int = 0
    """Consecutive runs GitHub said the repository does not exist (``dead`` after
    ``dead_after``, like links)."""
    note: str | None = None
    """Why the figures are last-known rather than fresh (rate limit, GitHub unreachable)."""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RepoFacts:
        fields = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in fields}
        values["status"] = LinkStatus(values.get("status", "unchecked"))
        return cls(**values)


@dataclass
class LinkReport:
    """``output/links.json``: every distinct URL and every GitHub repository."""

    links: list[LinkResult] = field(default_factory=list)
    repos: list[RepoFacts] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinkReport:
        return cls(
            links=[LinkResult.from_json(x) for x in data.get("links") or []],
            repos=[RepoFacts.from_json(x) for x in data.get("repos") or []],
        )


def to_json(obj: Any) -> Any:
    """Dataclasses (and lists of them) to plain JSON values; tuples become lists."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_json(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, StrEnum):
        return obj.value
    if isinstance(obj, list | tuple):
        return [to_json(x) for x in obj]
    if isinstance(obj, dict):
        return {k: to_json(v) for k, v in obj.items()}
    return obj


@dataclass
class StageReport:
    """What a stage did, for the closing summary and the exit code.

    ``degraded`` names services that could not be reached (exit 3); ``problems`` counts what
    ``--strict`` turns into exit 1 (dead links, unresolved works).
    """

    stage: str
    counts: dict[str, int] = field(default_factory=dict)
    degraded: list[str] = field(default_factory=list)
    problems: int = 0
    requests: int = 0
    seconds: float = 0.0
    lines: list[str] = field(default_factory=list)
    """Human-readable summary lines (the CLI prints them)."""
