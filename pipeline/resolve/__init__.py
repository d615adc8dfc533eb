"""The resolve stage: ``build/works.json`` → ``build/resolved.json`` (+ ``resolve-review.json``).

Every work is handed to the resolvers of :mod:`pipeline.resolve.registry` in order. What a
service says always beats the list's text; list text fills only fields no service knew and
is named in ``list_fields``. A work whose lookups failed (service down, slow, garbage, or
offline without a cached answer) keeps its last known record, read from the previous
``build/resolved.json`` or from ``output/papers.json`` (items carry ``custom.work_id``), so
nothing already known is lost; the failed services are reported in ``degraded`` (exit 3).

A work verified before also keeps its last known record when this run finds only something
less authoritative (:data:`RANK`: a published record beats OpenAlex beats the arXiv preprint):
a record is never downgraded because one answer was missing or wrong.

A record found through an identifier is applied only when it agrees with what the list says;
what the lists get wrong (links to another paper, ids shared by different papers, years and
venues they disagree on) goes to ``build/findings.json`` (:mod:`pipeline.resolve.findings`).
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor

from pipeline.cache import HttpCache
from pipeline.config import Settings
from pipeline.models import Finding, StageReport, Work
from pipeline.progress import Progress, progress
from pipeline.resolve import batch, citations
from pipeline.resolve.arxiv import arxiv_id
from pipeline.resolve.base import Context, Found
from pipeline.resolve.fetch import Fetcher
from pipeline.resolve.findings import complete_fixes, disagreements, scrape_findings
from pipeline.resolve.history import last_known, load_works, settle, verified_on_arxiv
from pipeline.resolve.registry import resolvers
from pipeline.store import write_json

__all__ = ["resolve_works", "run_resolve"]

log = logging.getLogger("pipeline.resolve")

ROUTES = ("arxiv", "crossref", "doi", "openalex", "list")


def resolve_works(works: list[Work], ctx: Context) -> dict[str, Found]:
    """Ask the batch questions (:mod:`.batch`), then hand every work to the resolvers in the
    registry's order until one finds it.

    Works with an arXiv id go in a lane of their own, one resolver at a time over all of them
    (arXiv answers 100 ids a request, 3 s apart). The rest go beside them, each work through
    the resolvers on its own, so that while one work waits for a service another is
    answered from the cache or asks another service, and arXiv's pauses hold up nobody. The
    fetcher keeps the requests in flight to one service within ``workers``.

    Progress counts works settled: found by a resolver, or left when no resolver is left.
    """
    with progress("resolve", total=len(works), settings=ctx.settings) as bar:
        batch.prefetch(ctx, works)
        on_arxiv = [w for w in works if arxiv_id(w) is not None]
        rest = [w for w in works if arxiv_id(w) is None]
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="lane") as pool:
            lane = pool.submit(_by_resolver, on_arxiv, ctx, bar)
            found = _by_work(rest, ctx, bar) | lane.result()
        bar.advance(len(works) - len(found))
    return found


def _by_resolver(works: list[Work], ctx: Context, bar: Progress) -> dict[str, Found]:
    """Each resolver in turn over the works still unresolved that it wants.

    A resolver that ``checks_carried`` (arXiv) also gets, in ``ctx.carried``, the works it
    wants that an earlier one found: the arXiv ids their records would carry are asked in
    the same batch as its own, never printed unasked."""
    found: dict[str, Found] = {}
    for resolver in resolvers():
        # A work the time budget stopped is not handed on: the next run finishes it.
        wanted = [w for w in works if w.id not in ctx.unfinished and resolver.wants(w)]
        pending = [w for w in wanted if w.id not in found]
        checks = bool(getattr(resolver, "checks_carried", False))
        ctx.carried = [(w, found[w.id]) for w in wanted if w.id in found] if checks else []
        if pending or ctx.carried:
            log.info("%s: %d works", resolver.name, len(pending))
            before = len(found)
            found.update(resolver.resolve(pending, ctx))
            bar.advance(len(found) - before)
    ctx.carried = []
    return found


def _by_work(works: list[Work], ctx: Context, bar: Progress) -> dict[str, Found]:
    """Each work through the resolvers in turn, ``2 * workers`` works at a time."""
    chain = resolvers()

    def one(work: Work) -> Found | None:
        for resolver in chain:
            if work.id in ctx.unfinished:
                return None  # the time budget stopped it: the next run finishes it
            if resolver.wants(work):
                hit = resolver.resolve([work], ctx).get(work.id)
                if hit is not None:
                    bar.advance()
                    return hit
        return None

    # Twice the fetcher's limit per service: a work waiting its turn for Crossref does not
    # keep another from asking OpenAlex meanwhile.
    threads = 2 * max(1, ctx.settings.resolve.workers)
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="resolve") as pool:
        results = list(pool.map(one, works))
    return {w.id: r for w, r in zip(works, results, strict=True) if r is not None}


def run_resolve(settings: Settings) -> StageReport:
    """Resolve ``build/works.json`` into ``build/resolved.json``; see the module docstring."""
    started = time.monotonic()
    works = load_works(settings)
    previous = last_known(settings)
    cache = HttpCache(settings.cache_path)
    budget = settings.resolve.time_budget_seconds
    try:
        # The budget is for asking: it starts once the works and last records are read.
        asking = time.monotonic()
        fetcher = Fetcher(settings, cache, None if budget is None else asking + budget)
        ctx = Context(settings, fetcher, arxiv_known=verified_on_arxiv(previous))
        ctx.cite_fill = citations.fill(ctx, [previous[w.id] for w in works if w.id in previous])
        # Works no service has answered for yet go first: a resumed run then asks its first
        # question at once, not after re-deriving from the cache all that the last one found.
        answered = {k for k, rw in previous.items() if rw.resolved_by != "list"}
        found = resolve_works(sorted(works, key=lambda w: w.id in answered), ctx)
        resolved, kept, not_downgraded = settle(
            works, found, previous, set(ctx.affected), ctx.rejected
        )
        cited = citations.attach(ctx, resolved)  # from the cache: asks nothing
        if not settings.offline:
            # Bounded: answers no run has used for a long while (works that left the lists)
            # are dropped; everything else is replaced by key, never appended.
            cache.prune(unused_for=max(4 * settings.resolve.cache_max_age_seconds, 180 * 86400.0))
    finally:
        cache.close()

    findings = scrape_findings(settings) + ctx.findings
    complete_fixes(findings, resolved)
    findings += disagreements(resolved)
    findings.sort(key=Finding.sort_key)
    counts = {"works": len(works)} | {route: 0 for route in ROUTES}
    for rw in resolved:
        counts[rw.resolved_by] = counts.get(rw.resolved_by, 0) + 1
    counts["published"] = sum(1 for rw in resolved if rw.preprint_of)
    ctx.reviews.sort(key=lambda r: (r.work_id, r.service))  # lookups ran concurrently
    counts["review"] = len(ctx.reviews)
    counts["last-known"] = kept
    counts["citations"] = cited
    write_json(settings.build_dir / "resolved.json", resolved)
    write_json(settings.build_dir / "resolve-review.json", ctx.reviews)
    write_json(settings.build_dir / "findings.json", findings)
    counts["findings"] = len(findings)
    degraded = sorted(fetcher.failed)
    return StageReport(
        stage="resolve",
        counts=counts,
        degraded=degraded,
        problems=counts["list"],
        requests=fetcher.requests,
        seconds=round(time.monotonic() - started, 3),
        lines=_lines(counts, fetcher, ctx, not_downgraded, degraded),
    )


def _lines(
    counts: dict[str, int],
    fetcher: Fetcher,
    ctx: Context,
    not_downgraded: list[str],
    degraded: list[str],
) -> list[str]:
    """The stage's summary lines: counts, requests per service, reviews, kept records."""
    lines = [
        "resolve: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
        + f"; {fetcher.requests} requests"
    ]
    if fetcher.by_service:
        per_work = fetcher.requests / max(1, counts["works"])
        lines.append(
            "resolve requests: "
            + ", ".join(f"{k} {v}" for k, v in sorted(fetcher.by_service.items()))
            + f"; {per_work:.2f} per work"
        )
    if fetcher.out_of_time:
        lines.append(
            f"resolve: time budget spent; {len(ctx.unfinished)} works unfinished kept their "
            "last known record, the next run continues"
        )
    for review in ctx.reviews:
        lines.append(
            f"review {review.work_id}: {review.reason} — list/preprint "
            f"{review.current.get('title')!r} vs {review.service} {review.candidate.get('title')!r}"
        )
    if not_downgraded:
        lines.append(
            "resolve: last known record kept, this run found only a less authoritative one: "
            + ", ".join(not_downgraded)
        )
    if degraded:
        lines.append(f"resolve: could not reach {', '.join(degraded)}; last known records kept")
    return lines
