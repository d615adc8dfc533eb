"""The check stage: build/works.json (+ build/resolved.json, output/links.json) → build/links.json.

A run that reaches nothing (``--offline``, or every connection failing) is not evidence that
anything died: it keeps what the previous ``output/links.json`` says, link by link and star
count by star count, and reports itself degraded (exit 3).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pipeline.check.guard import GuardedResolver
from pipeline.check.links import (
    CheckStats,
    Fetched,
    LinkChecker,
    Target,
    collect,
    fetch_key,
    kept,
    normalize,
    settle,
)
from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.http import aiohttp_session
from pipeline.models import (
    LinkReport,
    LinkResult,
    LinkStatus,
    RepoFacts,
    ResolvedWork,
    StageReport,
    Work,
)
from pipeline.store import read_json, write_json

LOG = logging.getLogger(__name__)


@dataclass
class Inputs:
    """What the stage reads."""

    targets: dict[str, Target]
    repos: list[str]
    verified: dict[str, str]
    """Work id → how its paper was verified (for ``blocked`` paper links)."""
    previous: LinkReport = field(default_factory=LinkReport)


def _load(settings: Settings) -> Inputs:
    works_path = settings.build_dir / "works.json"
    raw = read_json(works_path, required=True)
    if not isinstance(raw, list):
        raise InputError(f"{works_path}: expected a list of works")
    works: list[Work] = []
    for index, item in enumerate(raw):
        try:
            works.append(Work.from_json(item))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{works_path}: work #{index}: bad record ({exc!r})") from None
    repos = sorted({r.lower() for w in works for r in w.ids.github if "/" in r})
    return Inputs(collect(works), repos, _verified(settings), _previous(settings))


def _verified(settings: Settings) -> dict[str, str]:
    path = settings.build_dir / "resolved.json"
    raw = read_json(path, default=[])
    verified: dict[str, str] = {}
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        try:
            resolved = ResolvedWork.from_json(item)
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{path}: item #{index}: bad record ({exc!r})") from None
        ids = resolved.work.ids
        doi = ids.doi or resolved.csl.get("DOI")
        ident = f"DOI {doi}" if doi else (f"arXiv {ids.arxiv}" if ids.arxiv else None)
        if resolved.verified and ident:
            verified[resolved.work.id] = f"{ident}, verified through {resolved.resolved_by}"
    return verified


def _previous(settings: Settings) -> LinkReport:
    path = settings.output_dir / "links.json"
    raw = read_json(path, default=None)
    if raw is None:
        return LinkReport()
    try:
        return LinkReport.from_json(raw)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"{path}: not a link report ({exc!r})") from None


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


async def _check_links(
    settings: Settings, targets: dict[str, Target]
) -> tuple[dict[str, Fetched], CheckStats]:
    """Fetch each distinct URL once; results keyed by the list's URL."""
    keys: dict[str, str] = {}
    for url in targets:
        keys.setdefault(fetch_key(url, settings), normalize(url))
    resolver = GuardedResolver(allow_private=settings.allow_private_hosts)
    async with aiohttp_session(settings, resolver=resolver) as session:
        checker = LinkChecker(session, settings)
        by_key = await checker.check_many(keys.values())
    results = {url: by_key[keys[fetch_key(url, settings)]] for url in targets}
    return results, checker.stats


def _annotate_blocked(result: LinkResult, target: Target, verified: dict[str, str]) -> None:
    """A blocked paper link whose work the resolve stage confirmed: say the paper exists."""
    if result.status != LinkStatus.BLOCKED or "paper" not in target.roles:
        return
    proofs = sorted(verified[w] for w in target.works if w in verified)
    if proofs:
        result.note = (
            f"{result.note or 'blocked'}; the paper exists ({proofs[0]}); "
            "only the publisher's page could not be checked"
        )


def _repos_kept(inputs: Inputs) -> list[RepoFacts]:
    """Previous facts of the repositories still listed (the GitHub part refreshes them)."""
    previous = {r.repo.lower(): r for r in inputs.previous.repos}
    return [previous.get(name) or RepoFacts(repo=name) for name in inputs.repos]


def run_check(settings: Settings) -> StageReport:
    """Check every distinct URL once and write ``build/links.json``."""
    started = time.monotonic()
    inputs = _load(settings)
    report = StageReport(stage="check")
    previous_links = {link.url: link for link in inputs.previous.links}
    links: list[LinkResult] = []
    stats = CheckStats()
    degraded_links = False
    if settings.offline:
        degraded_links = bool(inputs.targets)
        links = [
            kept(t, previous_links.get(t.url), "offline: not checked")
            for t in inputs.targets.values()
        ]
    elif inputs.targets:
        fetched, stats = asyncio.run(_check_links(settings, inputs.targets))
        if stats.requests and not stats.answers:
            # Nobody answered at all: the network is down, not every site.
            degraded_links = True
            LOG.warning(
                "links: no host answered any of %d requests; keeping the previous results",
                stats.requests,
            )
            links = [
                kept(t, previous_links.get(t.url), "not checked: no host could be reached")
                for t in inputs.targets.values()
            ]
        else:
            checked_at = _now()
            for url, target in inputs.targets.items():
                result = settle(
                    target,
                    fetched[url],
                    previous_links.get(url),
                    dead_after=settings.check.dead_after,
                    checked_at=checked_at,
                )
                _annotate_blocked(result, target, inputs.verified)
                links.append(result)
    repos = _repos_kept(inputs)
    links.sort(key=lambda link: link.url)
    write_json(settings.build_dir / "links.json", LinkReport(links=links, repos=repos))

    counts: Counter[str] = Counter(str(link.status) for link in links)
    report.counts = {
        **dict(sorted(counts.items())),
        "urls": len(links),
        "repos": len(repos),
        "stars_fetched": 0,
    }
    if degraded_links:
        report.degraded.append("links")
    report.problems = counts.get(str(LinkStatus.DEAD), 0)
    report.requests = stats.requests
    report.seconds = round(time.monotonic() - started, 3)
    report.lines = _summary(report, links)
    return report


def _summary(report: StageReport, links: list[LinkResult]) -> list[str]:
    counts: dict[str, Any] = report.counts
    statuses = ", ".join(f"{counts[s.value]} {s.value}" for s in LinkStatus if counts.get(s.value))
    lines = [f"check: {counts['urls']} links ({statuses or 'none'}) in {report.requests} requests"]
    for link in links:
        if link.status in (LinkStatus.DEAD, LinkStatus.MOVED):
            target = f" → {link.final_url}" if link.final_url else ""
            lines.append(f"  {link.status}: {link.url}{target} ({', '.join(link.found_in[:3])})")
    return lines
