"""What the resolvers share: the Resolver interface, a found record, the run's context."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from pipeline.config import Settings
from pipeline.errors import Unavailable
from pipeline.models import Finding, Work
from pipeline.resolve.csl import list_to_csl
from pipeline.resolve.fetch import BUDGET, Fetcher
from pipeline.resolve.match import Agreement, Verdict, agreement, csl_year, judge

log = logging.getLogger("pipeline.resolve")


@dataclass
class Found:
    """A record a resolver found for a work. ``preprint_of`` is the arXiv id a published
    record replaced (the preprint is kept in ``csl["custom"]["arxiv"]``)."""

    csl: dict[str, Any]
    resolved_by: str
    method: str
    confidence: float
    preprint_of: str | None = None


@dataclass
class Review:
    """A close title match the guard refused: both candidates side by side, never applied."""

    work_id: str
    title: str
    service: str
    reason: str
    similarity: float
    current: dict[str, Any]
    candidate: dict[str, Any]


@dataclass
class Context:
    """One run's shared state: settings, the fetcher, the review list, failed lookups."""

    settings: Settings
    fetcher: Fetcher
    reviews: list[Review] = field(default_factory=list)
    affected: dict[str, set[str]] = field(default_factory=dict)
    """Work id → services whose failure touched that work (its last known record wins)."""
    arxiv_known: frozenset[str] = frozenset()
    """Canonical arXiv ids arXiv verified in an earlier run: a feed without entries for them
    is a failed answer, not "not found"."""
    findings: list[Finding] = field(default_factory=list)
    rejected: dict[str, set[str]] = field(default_factory=dict)
    """Work id → identifiers (``arxiv:ID``, ``doi:DOI``, ``ieee:N``, ``pii:X``) whose record
    named another paper: never applied, never written as the work's id."""
    published: dict[str, str | None] = field(default_factory=dict)
    """arXiv id → the DOI of its published version Semantic Scholar gives (None: it knows the
    paper and no published version). An id absent is one it does not know or did not answer."""
    unanswered: set[str] = field(default_factory=set)
    """arXiv ids Semantic Scholar gave no answer about (refused, short or failed batch): never
    taken as "no published version"."""
    unfinished: set[str] = field(default_factory=set)
    """Works a lookup of which the time budget stopped: no later resolver is asked about them."""
    cite_fill: list[str] = field(default_factory=list)
    """Semantic Scholar ids of earlier records no answer covers yet: asked for their citation
    counts only in the room of a batch sent anyway (:mod:`.citations`)."""
    carried: list[tuple[Work, Found]] = field(default_factory=list)
    """Works with an arXiv id that an earlier resolver found (through a DOI or a publisher
    link), with their records: the arXiv resolver asks about those ids in its own batch and
    writes one into the record only where arXiv's record agrees (``_by_resolver``)."""

    def agrees(
        self,
        work: Work,
        candidate: dict[str, Any],
        other_titles: tuple[str, ...] = (),
        against: dict[str, Any] | None = None,
    ) -> bool:
        """Whether a record found through one of ``work``'s ids agrees with the list, or with
        the record ``against`` (no finding either way)."""
        return _verdict(work, candidate, other_titles, against).accepted

    def confirm(
        self,
        work: Work,
        ident: str,
        url: str,
        candidate: dict[str, Any],
        other_titles: tuple[str, ...] = (),
        against: dict[str, Any] | None = None,
    ) -> bool:
        """Whether a record found through ``ident`` (one of ``work``'s ids, from ``url``)
        agrees with what the list says (or with the record ``against``, the one another of
        its ids gave); when it names another paper, a ``wrong-paper-link`` finding per place
        of the work, and the id is noted as rejected."""
        verdict = _verdict(work, candidate, other_titles, against)
        if verdict.accepted:
            return True
        self.rejected.setdefault(work.id, set()).add(ident)
        other = str(candidate.get("title") or "")
        names = candidate.get("author") or []
        said = {
            "title": other,
            "first_author": str(names[0].get("family") or "") if names else "",
            "year": csl_year(candidate),
        }
        kind, _, value = ident.partition(":")
        label = {"arxiv": "arXiv", "doi": "DOI", "ieee": "IEEE document", "pii": "PII"}
        beside = f"; the work's own record is {against.get('title')!r}" if against else ""
        for place in work.places:
            self.findings.append(
                Finding.at(
                    place,
                    "wrong-paper-link",
                    work.id,
                    list_says={"title": place.title or work.title, "link": url},
                    registry_says={k: v for k, v in said.items() if v} | {kind: value},
                    message=f"this row links another paper: {label.get(kind, kind)} {value} "
                    f"is {other!r} (title agreement {verdict.agreement:.2f}){beside}",
                )
            )
        log.info("%s: %s names another paper (%r)", work.id, ident, other)
        return False

    def unavailable(self, work: Work, error: Unavailable) -> None:
        """Note that a service could not answer for ``work``."""
        log.info("%s: %s", work.id, error)
        self.affected.setdefault(work.id, set()).add(error.service)
        if error.service == BUDGET:
            self.unfinished.add(work.id)

    def review(
        self,
        work: Work,
        service: str,
        verdict: Verdict,
        current: dict[str, Any],
        cand: dict[str, Any],
    ) -> None:
        self.reviews.append(
            Review(
                work_id=work.id,
                title=work.title,
                service=service,
                reason=verdict.reason(),
                similarity=round(verdict.similarity, 3),
                current=current,
                candidate=cand,
            )
        )


def _verdict(
    work: Work,
    candidate: dict[str, Any],
    other_titles: tuple[str, ...],
    against: dict[str, Any] | None,
) -> Agreement:
    """``candidate`` beside the list's text of ``work``, or beside the record ``against``."""
    current = against if against is not None else list_to_csl(work)
    authors = current.get("author") or []
    title = str(current.get("title") or "") if against is not None else work.title
    return agreement(
        title, authors[0] if authors else None, csl_year(current), candidate, other_titles
    )


class Resolver(Protocol):
    """One way of finding a work's metadata (manubot style: one interface, an ordered list).

    ``wants`` says whether the resolver can try a work at all (it has the identifier or link
    the resolver needs); ``resolve`` tries a batch of such works and returns what it found by
    work id. A work it cannot find is simply absent and goes on to the next resolver.
    """

    name: str

    def wants(self, work: Work) -> bool: ...

    def resolve(self, works: Sequence[Work], ctx: Context) -> dict[str, Found]: ...


def choose(
    ctx: Context,
    work: Work,
    service: str,
    current: dict[str, Any],
    candidates: list[dict[str, Any]],
    *,
    check_year: bool = True,
) -> tuple[dict[str, Any], Verdict] | None:
    """The first candidate the guard accepts for ``current`` (what we know of the work).

    When none is accepted, the closest refused one goes to the review list beside
    ``current``; a refused candidate is never applied.
    """
    authors = current.get("author") or []
    first = authors[0] if authors else None
    year = csl_year(current)
    refused: tuple[dict[str, Any], Verdict] | None = None
    for cand in candidates:
        verdict = judge(str(current.get("title") or ""), first, year, cand, check_year=check_year)
        if verdict.accepted:
            return cand, verdict
        if verdict.reviewable and (refused is None or verdict.similarity > refused[1].similarity):
            refused = (cand, verdict)
    if refused is not None:
        ctx.review(work, service, refused[1], current, refused[0])
    return None


def each_work(
    ctx: Context, works: Sequence[Work], lookup: Callable[[Work], Found | None]
) -> dict[str, Found]:
    """Run ``lookup`` for every work, ``settings.resolve.workers`` at a time; a lookup whose
    service cannot answer notes it on the work (``ctx.unavailable``) and finds nothing."""

    def one(work: Work) -> Found | None:
        try:
            return lookup(work)
        except Unavailable as exc:
            ctx.unavailable(work, exc)
            return None

    workers = max(1, ctx.settings.resolve.workers)
    if workers == 1 or len(works) < 2:
        results = [one(w) for w in works]
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="resolve") as pool:
            results = list(pool.map(one, works))
    return {w.id: r for w, r in zip(works, results, strict=True) if r is not None}
