"""Works with an arXiv id: the preprint from arXiv, then its published version if it has one.

``arxiv:doi`` and ``journal_ref`` are read when present. A preprint that has since been
published is emitted as the published work (keeping its arXiv id) when the wrong-match guard
accepts the published record: the DOI arXiv states is checked by title and first author; a
record found by title search must also be within a year of the preprint.

Before any of that, the arXiv record must agree with what the list says (title, and first
author and year where the list gives them; :meth:`Context.confirm`). A record that does not
is checked once more against the title of its first version, which lists often copy; one that
still names another paper is not applied, and the work goes on to the title searches.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.errors import FeedError, Unavailable
from pipeline.ids import arxiv as ids
from pipeline.models import Work
from pipeline.resolve import arxiv, crossref
from pipeline.resolve import batch as batchmod
from pipeline.resolve.base import Context, Found, choose, each_work

PUBLISHED_TYPES = {"article-journal", "paper-conference", "chapter"}


class ArxivResolver:
    """Works with an arXiv id, fetched in batches; published versions looked up after.

    The ids of works an earlier resolver found (``Context.carried``: the list links both the
    DOI and the preprint) go in the same batches: such a record carries the id only when
    arXiv's record agrees with it (or with the list); one naming another paper is a
    ``wrong-paper-link`` finding and the id is dropped."""

    name = "arxiv"
    checks_carried = True

    def wants(self, work: Work) -> bool:
        return arxiv.arxiv_id(work) is not None

    def resolve(self, works: Sequence[Work], ctx: Context) -> dict[str, Found]:
        carried = {w.id: f for w, f in ctx.carried}
        by_id: dict[str, list[Work]] = {}
        for work in [*works, *(w for w, _ in ctx.carried)]:
            key = arxiv.arxiv_id(work)
            if key is not None:
                by_id.setdefault(key, []).append(work)
        answered: dict[str, arxiv.Entry] = {}
        batches = arxiv.fetch(ctx, list(by_id))
        while True:
            try:
                _, entries = next(batches)
            except StopIteration:
                break
            except (Unavailable, FeedError) as exc:
                _batch_failed(ctx, by_id, set(answered), exc)
                break
            answered.update(entries)
        against = {k: f.csl for k, f in carried.items()}
        agreed = self._agreeing(ctx, by_id, answered, against)
        for work in agreed:
            if work.id in carried:
                _carry(carried[work.id], answered[arxiv.arxiv_id(work) or ""])
        agreed = [w for w in agreed if w.id not in carried]
        # The DOIs arXiv states for the agreeing works, in Crossref batches (most of them
        # Semantic Scholar also names).
        stated = {answered[arxiv.arxiv_id(w) or ""].doi for w in agreed}
        batchmod.dois(ctx, sorted(d for d in stated if d))

        def one(work: Work) -> Found:
            entry = answered[arxiv.arxiv_id(work) or ""]
            return self._published(ctx, work, entry) or Found(
                arxiv.to_csl(entry, work.id), "arxiv", "arxiv-id", 1.0
            )

        return each_work(ctx, agreed, one)

    def _agreeing(
        self,
        ctx: Context,
        by_id: dict[str, list[Work]],
        answered: dict[str, arxiv.Entry],
        against: dict[str, dict[str, Any]],
    ) -> list[Work]:
        """The works whose arXiv record agrees with the list (or, for a work found already,
        with its record, ``against``): at once, or through the title of the first version
        (lists copy v1; a paper may be renamed in v2). One batched request for all first
        versions asked."""
        agreed: list[Work] = []
        doubtful: list[tuple[Work, str]] = []
        for key, group in by_id.items():
            if key not in answered:
                continue
            csl = arxiv.to_csl(answered[key], "")
            for work in group:
                record = against.get(work.id)
                if ctx.agrees(work, csl) or (
                    record is not None and ctx.agrees(work, csl, against=record)
                ):
                    agreed.append(work)
                else:
                    doubtful.append((work, key))
        first = _first_versions(ctx, [w for w, _ in doubtful], sorted({k for _, k in doubtful}))
        if first is None:
            return agreed
        for work, key in doubtful:
            csl = arxiv.to_csl(answered[key], work.id)
            v1 = first.get(key)
            earlier = (v1.title,) if v1 is not None and v1.title != csl["title"] else ()
            record = against.get(work.id)
            if (record is not None and ctx.agrees(work, csl, earlier)) or ctx.confirm(
                work, f"arxiv:{key}", arxiv_link(work, key), csl, earlier, record
            ):
                agreed.append(work)
        return agreed

    def _published(self, ctx: Context, work: Work, entry: arxiv.Entry) -> Found | None:
        """The published version of a preprint, if the guard accepts one."""
        preprint = arxiv.to_csl(entry, work.id)
        first = preprint["author"][0] if preprint.get("author") else None
        short = preprint["custom"]["arxiv"]
        key = arxiv.arxiv_id(work) or ""
        try:
            stated = entry.doi.lower() if entry.doi else None
            method, check_year = "arxiv-doi", False
            if stated is None and key in ctx.published:
                # Semantic Scholar's word: a DOI to confirm, or no published version at all.
                stated, method, check_year = ctx.published[key], "s2-doi", True
                if stated is None:
                    return None
            if stated is None and key in ctx.unanswered:
                raise Unavailable("semanticscholar", key, "no answer about this preprint")
            if stated is not None:
                record = crossref.get_work(ctx, stated)
                candidates = [crossref.to_csl(record, work.id)] if record else []
            elif ctx.settings.resolve.find_published:
                candidates = _published_by_title(ctx, work, preprint, first)
                method, check_year = "published-title", True
            else:
                return None
        except Unavailable as exc:
            ctx.unavailable(work, exc)
            return None
        chosen = choose(ctx, work, "crossref", preprint, candidates, check_year=check_year)
        if chosen is None:
            return None
        cand, verdict = chosen
        cand["custom"] = {"arxiv": short}
        return Found(cand, "crossref", method, round(verdict.similarity, 3), short)


def _carry(found: Found, entry: arxiv.Entry) -> None:
    """A record found through another id carries the arXiv id whose record agreed with it."""
    short = ids.strip_version(entry.short_id)
    custom = found.csl.setdefault("custom", {})
    custom["arxiv"] = short
    found.preprint_of = found.preprint_of or short


def _published_by_title(
    ctx: Context, work: Work, preprint: dict[str, Any], first: dict[str, str] | None
) -> list[dict[str, Any]]:
    """Published records (journal, proceedings, chapter) Crossref finds by the preprint's title."""
    items = crossref.query(
        ctx, title=preprint["title"], author=first.get("family") if first else None
    )
    candidates = [crossref.to_csl(i, work.id) for i in items]
    return [c for c in candidates if c["type"] in PUBLISHED_TYPES]


def _first_versions(
    ctx: Context, works: list[Work], keys: list[str]
) -> dict[str, arxiv.Entry] | None:
    """The first version's entry of each id (``2403.20213v1``), by id without version; None
    when arXiv could not answer (the works are then affected, their last records kept)."""
    if not keys:
        return {}
    got: dict[str, arxiv.Entry] = {}
    try:
        for _, entries in arxiv.fetch(ctx, [f"{key}v1" for key in keys]):
            got.update({k[: -len("v1")]: e for k, e in entries.items()})
    except (Unavailable, FeedError) as exc:
        error = exc if isinstance(exc, Unavailable) else Unavailable("arxiv", "", str(exc))
        for work in works:
            ctx.unavailable(work, error)
        return None
    return got


def arxiv_link(work: Work, key: str) -> str:
    """The list's link that gave ``key`` (its abstract page when none did)."""
    return ids.link_of((link.url for link in work.links), key) or ids.abs_url(key)


def _batch_failed(
    ctx: Context, by_id: dict[str, list[Work]], answered: set[str], exc: Exception
) -> None:
    """A batch could not be had: the fetch is over, and every id not yet answered is affected."""
    error = exc if isinstance(exc, Unavailable) else Unavailable("arxiv", "", str(exc))
    for key, group in by_id.items():
        if key not in answered:
            for work in group:
                ctx.unavailable(work, error)
    if isinstance(exc, FeedError):
        ctx.fetcher.failed.add("arxiv")
