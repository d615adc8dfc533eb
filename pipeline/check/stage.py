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
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from pipeline.check import arxiv, github
from pipeline.check.checker import LinkChecker
from pipeline.check.classify import Fetched
from pipeline.check.guard import GuardedResolver
from pipeline.check.hysteresis import GOOD, kept, settle
from pipeline.check.request import CheckStats
from pipeline.check.targets import Target, collect, fetch_key
from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.ids.github import repo_home
from pipeline.ids.urls import normalize
from pipeline.models import (
    LinkReport,
    LinkResult,
    LinkStatus,
    RepoFacts,
    ResolvedWork,
    StageReport,
    Work,
    to_json,
)
from pipeline.progress import progress
from pipeline.store import read_json, write_json
from pipeline.transport.sessions import aiohttp_session

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


@dataclass
class Checked:
    """What the network part of the stage found."""

    fetched: dict[str, Fetched] = field(default_factory=dict)
    """Outcome per URL as the list spells it."""
    stats: CheckStats = field(default_factory=CheckStats)
    run: github.GitHubRun | None = None
    from_api: int = 0
    """Repository home pages settled by GitHub's API answer, not fetched."""
    papers: arxiv.ArxivRun | None = None
    from_arxiv: int = 0
    """arXiv abstract pages and PDFs settled by the arXiv API's answer, not fetched."""


@dataclass
class Settled:
    """Links an API answers for, the rest fetched: the outcomes, those the API settled, and
    what it says of a link (``outcome``, None: fetch the page)."""

    outcomes: dict[str, Fetched] = field(default_factory=dict)
    by_api: set[str] = field(default_factory=set)
    outcome: Callable[[str], Fetched | None] | None = None

    def of(self, url: str, fetched: str) -> Fetched | None:
        """The outcome of ``url`` (normalized) whose fetch is ``fetched``'s, when the API settled
        that one: said of ``url`` itself, as two forms one fetch stands for (``http:`` and
        ``https:`` remapped onto one mirror) need not be the same address."""
        if fetched not in self.by_api or self.outcome is None:
            return None
        return self.outcome(url) or self.outcomes[fetched]


async def _settle_or_fetch(
    checker: LinkChecker,
    urls: list[str],
    outcome: Callable[[str], Fetched | None],
    advance: Callable[[], None],
) -> Settled:
    """The URLs an API's answer settles (``outcome``), and the others fetched like any page."""
    settled = Settled(outcome=outcome)
    for url in urls:
        found = outcome(url)
        if found is not None:
            settled.outcomes[url] = found
            advance()
    settled.by_api = set(settled.outcomes)
    rest = [url for url in urls if url not in settled.outcomes]
    settled.outcomes.update(await checker.check_many(rest, on_done=advance))
    return settled


def _by_api(
    settings: Settings, inputs: Inputs
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Every distinct fetch once (fetch key → URL), and which of them an API answers for:
    repository homes (URL → repository) and arXiv papers (URL → canonical id)."""
    keys: dict[str, str] = {}
    for url in inputs.targets:
        keys.setdefault(fetch_key(url, settings), normalize(url))
    listed = set(inputs.repos)
    homes: dict[str, str] = {}
    papers: dict[str, str] = {}
    for url in keys.values():
        repo = repo_home(url)
        paper = arxiv.wanted(url)
        if repo is not None and repo in listed:
            homes[url] = repo
        elif paper is not None:
            papers[url] = paper
    return keys, homes, papers


async def _check_all(settings: Settings, inputs: Inputs, previous: dict[str, RepoFacts]) -> Checked:
    """Fetch each distinct URL once, and ask GitHub about every repository and arXiv about every
    paper linked, at the same time.

    A link to a repository's home page waits for GitHub's API instead of being fetched, and a
    link to an arXiv abstract or PDF for arXiv's: the API answers the question the page would
    (exists? moved?) for 50 repositories or 100 papers a request, and github.com and arxiv.org
    (whose robots.txt asks 15 s between requests) are spared one page per link. Links the API
    did not confirm (not found, rate limit, outage) are then fetched like any other.
    """
    keys, homes, papers = _by_api(settings, inputs)
    confirmed = {
        papers[normalize(link.url)]
        for link in inputs.previous.links
        if link.status in GOOD and normalize(link.url) in papers
    }  # papers arXiv had last run: a feed without them is no answer
    pages = [url for url in keys.values() if url not in homes and url not in papers]
    checked = Checked()
    resolver = GuardedResolver(allow_private=settings.allow_private_hosts)
    with progress("check links", total=len(keys), settings=settings) as bar:
        async with aiohttp_session(settings, resolver=resolver) as session:
            checker = LinkChecker(session, settings)

            async def repositories() -> Settled:
                if not inputs.repos:
                    return Settled()
                run = checked.run = await github.fetch(settings, inputs.repos, previous)

                def home(url: str) -> Fetched | None:
                    repo = repo_home(url)
                    if repo is None:
                        return None
                    return github.home_outcome(url, repo, run, previous.get(repo))

                return await _settle_or_fetch(checker, list(homes), home, bar.advance)

            async def preprints() -> Settled:
                if not papers:
                    return Settled()
                run = checked.papers = await arxiv.fetch(settings, papers.values(), confirmed)
                return await _settle_or_fetch(
                    checker, list(papers), lambda url: arxiv.paper_outcome(url, run), bar.advance
                )

            by_page, by_home, by_paper = await asyncio.gather(
                checker.check_many(pages, on_done=bar.advance), repositories(), preprints()
            )
    checked.from_api, checked.from_arxiv = len(by_home.by_api), len(by_paper.by_api)
    by_url = {**by_page, **by_home.outcomes, **by_paper.outcomes}
    for url in inputs.targets:
        fetched = keys[fetch_key(url, settings)]
        own, fetch = normalize(url), by_url[fetched]
        checked.fetched[url] = by_home.of(own, fetched) or by_paper.of(own, fetched) or fetch
    checked.stats = checker.stats
    return checked


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


def _why_kept(run: github.GitHubRun | None) -> str:
    if run is None:
        return "last known figures: offline"
    if run.unreachable:
        return f"last known figures: {run.unreachable}"
    if run.exhausted_until:
        return f"last known figures: GitHub rate limit exhausted until {run.exhausted_until}"
    return "last known figures: not refreshed"


def _settle_links(
    settings: Settings, inputs: Inputs, fetched: dict[str, Fetched]
) -> list[LinkResult]:
    previous = {link.url: link for link in inputs.previous.links}
    checked_at = _now()
    links = []
    for url, target in inputs.targets.items():
        if fetched[url].status == LinkStatus.UNCHECKED:  # not asked this run: the last result
            links.append(kept(target, previous.get(url), fetched[url].note or "not checked"))
            continue
        result = settle(
            target,
            fetched[url],
            previous.get(url),
            dead_after=settings.check.dead_after,
            checked_at=checked_at,
        )
        _annotate_blocked(result, target, inputs.verified)
        links.append(result)
    return links


def _keep_links(inputs: Inputs, why: str) -> list[LinkResult]:
    previous = {link.url: link for link in inputs.previous.links}
    return [kept(t, previous.get(t.url), why) for t in inputs.targets.values()]


_Timed = TypeVar("_Timed", LinkResult, RepoFacts)


def keep_times(items: list[_Timed], previous: dict[str, _Timed], stamp: str) -> list[_Timed]:
    """Keep the previous run's timestamp where nothing else about an item changed.

    The timestamp then says since when the outcome has held, and a run that finds the world
    as it was writes byte-identical files (a scheduled run must not open noise pull requests).
    ``stars_delta`` is derived from the stars, which the comparison already covers.
    """
    ignored = {stamp, "stars_delta"}
    out = []
    for item in items:
        key = item.url if isinstance(item, LinkResult) else item.repo.lower()
        before = previous.get(key)
        if before is not None:
            now, then = to_json(item), to_json(before)
            if all(now[k] == then.get(k) for k in now if k not in ignored):
                item = replace(item, **{stamp: getattr(before, stamp)})
        out.append(item)
    return out


def run_check(settings: Settings) -> StageReport:
    """Check every distinct URL once and GitHub facts of every repository; write build/links.json."""
    started = time.monotonic()
    inputs = _load(settings)
    report = StageReport(stage="check")
    previous_repos = {r.repo.lower(): r for r in inputs.previous.repos}
    checked = Checked()  # offline: nobody asked
    if settings.offline:
        links = _keep_links(inputs, "offline: not checked")
        degraded_links = bool(inputs.targets)
    else:
        checked = asyncio.run(_check_all(settings, inputs, previous_repos))
        stats = checked.stats
        # Nobody answered at all: the network is down, not every site. Keep the past.
        degraded_links = bool(stats.requests) and not stats.answers
        if degraded_links:
            LOG.warning(
                "links: no host answered any of %d requests; keeping the previous results",
                stats.requests,
            )
            links = _keep_links(inputs, "not checked: no host could be reached")
        else:
            links = _settle_links(settings, inputs, checked.fetched)
    run = checked.run
    repos = github.merge(
        inputs.repos,
        previous_repos,
        run,
        dead_after=settings.check.dead_after,
        why_kept=_why_kept(run),
    )
    fresh = 0 if run is None else len(run.facts) + len(run.unchanged & set(previous_repos))
    links = keep_times(links, {link.url: link for link in inputs.previous.links}, "checked_at")
    repos = keep_times(repos, previous_repos, "fetched_at")
    links.sort(key=lambda link: link.url)
    write_json(settings.build_dir / "links.json", LinkReport(links=links, repos=repos))

    counts: Counter[str] = Counter(str(link.status) for link in links)
    report.counts = {
        **dict(sorted(counts.items())),
        "urls": len(links),
        "repos": len(repos),
        "stars_fetched": fresh,
    }
    if degraded_links:
        report.degraded.append("links")
    missing = len(run.missing) if run else 0
    if inputs.repos and fresh + missing < len(inputs.repos):
        report.degraded.append("github")
    report.problems = counts.get(str(LinkStatus.DEAD), 0) + counts.get(str(LinkStatus.PARKED), 0)
    report.requests = (
        checked.stats.requests
        + (run.requests if run else 0)
        + (checked.papers.requests if checked.papers else 0)
    )
    report.seconds = round(time.monotonic() - started, 3)
    report.lines = _summary(report, links, checked)
    return report


def _by_apis(checked: Checked) -> str:
    """How many links an API answered for, instead of a fetch."""
    said = []
    if checked.from_api:
        said.append(f"{checked.from_api} repository pages answered by the GitHub API")
    if checked.from_arxiv:
        said.append(f"{checked.from_arxiv} arXiv papers answered by the arXiv API")
    return f" ({'; '.join(said)})" if said else ""


def _summary(report: StageReport, links: list[LinkResult], checked: Checked) -> list[str]:
    counts: dict[str, Any] = report.counts
    statuses = ", ".join(f"{counts[s.value]} {s.value}" for s in LinkStatus if counts.get(s.value))
    run = checked.run
    lines = [
        f"check: {counts['urls']} links ({statuses or 'none'}); "
        f"{counts['stars_fetched']}/{counts['repos']} repositories refreshed; "
        f"{report.requests} requests" + _by_apis(checked)
    ]
    if checked.papers is not None and checked.papers.unusable:
        lines.append(f"  arxiv: {checked.papers.unusable}; those links keep their last result")
    if run is not None and run.exhausted_until:
        lines.append(
            f"  github: rate limit exhausted until {run.exhausted_until}; "
            "the other repositories keep their last known figures"
        )
    if run is not None and run.unreachable:
        lines.append(f"  github: {run.unreachable}; last known figures kept")
    for link in links:
        if link.status in (LinkStatus.DEAD, LinkStatus.PARKED, LinkStatus.MOVED):
            target = f" → {link.final_url}" if link.final_url else ""
            lines.append(f"  {link.status}: {link.url}{target} ({', '.join(link.found_in[:3])})")
    return lines
