"""Works with an arXiv id: the preprint from arXiv, then its published version if it has one.

``arxiv:doi`` and ``journal_ref`` are read when present. A preprint that has since been
published is emitted as the published work (keeping its arXiv id) when the wrong-match guard
accepts the published record: the DOI arXiv states is checked by title and first author; a
record found by title search must also be within a year of the preprint.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.errors import FeedError, Unavailable
from pipeline.models import Work
from pipeline.resolve import arxiv, crossref
from pipeline.resolve import batch as batchmod
from pipeline.resolve.base import Context, Found, choose, each_work

PUBLISHED_TYPES = {"article-journal", "paper-conference", "chapter"}


class ArxivResolver:
    """Works with an arXiv id, fetched in batches; published versions looked up after."""

    name = "arxiv"

    def __init__(self) -> None:
        self.pace = batchmod.Pace()

    def wants(self, work: Work) -> bool:
        return arxiv.arxiv_id(work) is not None

    def resolve(self, works: Sequence[Work], ctx: Context) -> dict[str, Found]:
        by_id: dict[str, list[Work]] = {}
        for work in works:
            key = arxiv.arxiv_id(work)
            if key is not None:
                by_id.setdefault(key, []).append(work)
        found: dict[str, Found] = {}
        batches = arxiv.fetch(ctx, list(by_id))
        while True:
            try:
                batch, entries = next(batches)
            except StopIteration:
                break
            except (Unavailable, FeedError) as exc:
                _batch_failed(ctx, by_id, found, exc)
                break
            answered = [w for key in batch if key in entries for w in by_id[key]]
            # The DOIs arXiv states, in one Crossref batch (most Semantic Scholar named).
            batchmod.dois(ctx, [e.doi for e in entries.values() if e.doi], self.pace)

            def one(work: Work, entries: dict[str, arxiv.Entry] = entries) -> Found:
                entry = entries[arxiv.arxiv_id(work) or ""]
                return self._published(ctx, work, entry) or Found(
                    arxiv.to_csl(entry, work.id), "arxiv", "arxiv-id", 1.0
                )

            found.update(each_work(ctx, answered, one))
        return found

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


def _published_by_title(
    ctx: Context, work: Work, preprint: dict[str, Any], first: dict[str, str] | None
) -> list[dict[str, Any]]:
    """Published records (journal, proceedings, chapter) Crossref finds by the preprint's title."""
    items = crossref.query(
        ctx, title=preprint["title"], author=first.get("family") if first else None
    )
    candidates = [crossref.to_csl(i, work.id) for i in items]
    return [c for c in candidates if c["type"] in PUBLISHED_TYPES]


def _batch_failed(
    ctx: Context, by_id: dict[str, list[Work]], found: dict[str, Found], exc: Exception
) -> None:
    """A batch could not be had: the fetch is over, and every id not yet answered is affected."""
    error = exc if isinstance(exc, Unavailable) else Unavailable("arxiv", "", str(exc))
    for group in by_id.values():
        if not any(w.id in found for w in group):
            for work in group:
                ctx.unavailable(work, error)
    if isinstance(exc, FeedError):
        ctx.fetcher.failed.add("arxiv")
