"""Repository home pages as links: what the API's answer says of ``https://github.com/owner/repo``,
and the repository facts of this run merged with the previous run's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from pipeline.check.classify import Fetched
from pipeline.check.github.client import GitHubRun
from pipeline.check.github.facts import now
from pipeline.ids.github import home_url, is_canonical_home
from pipeline.models import LinkStatus, RepoFacts


def home_outcome(url: str, repo: str, run: GitHubRun, previous: RepoFacts | None) -> Fetched | None:
    """What the API's answer about ``repo`` says of ``url``, a link to its home page; None
    when the page itself must be fetched.

    The API is the authority on what a fetch of the page would find out for a repository
    that exists (is it there, under which name), so the page is not fetched then: a renamed
    repository is ``moved`` to its new name, as github.com redirects there; so is a link by
    ``http:`` or ``www.``, which github.com redirects to ``https://github.com/``. A repository
    the API says does not exist has its page fetched all the same, so that the page's own
    answer decides (404 is a certain failure, 451 a block), and so has one the API gave no
    usable answer about (rate limit, outage, an answer about another repository).
    """
    facts = run.facts.get(repo)
    if facts is None and repo in run.unchanged:
        facts = previous  # REST 304: what the previous run learned still holds
    if facts is None or not facts.canonical:
        return None
    note = "checked through the GitHub API"
    if facts.archived:
        note += "; the repository is archived (read-only)"
    canonical_home = is_canonical_home(url)
    if facts.canonical.lower() != repo:
        note += f"; renamed to {facts.canonical}"
    elif canonical_home:
        return Fetched(LinkStatus.OK, note=note, answered=True)
    return Fetched(
        LinkStatus.MOVED,
        final_url=home_url(facts.canonical),
        note=note,
        answered=True,
    )


def merge(
    repos: Iterable[str],
    previous: dict[str, RepoFacts],
    run: GitHubRun | None,
    *,
    dead_after: int,
    why_kept: str,
) -> list[RepoFacts]:
    """This run's facts for each listed repository: fresh where GitHub answered, else last known.

    ``stars_delta`` is against the previous run's stars when both are known.
    """
    out: list[RepoFacts] = []
    for repo in repos:
        before = previous.get(repo)
        fresh = run.facts.get(repo) if run else None
        if fresh is not None:
            if before is not None and before.stars is not None and fresh.stars is not None:
                fresh.stars_delta = fresh.stars - before.stars
            out.append(fresh)
        elif run is not None and repo in run.unchanged and before is not None:
            out.append(replace(before, stars_delta=0, fetched_at=now(), note=None))
        elif run is not None and repo in run.missing:
            failures = (before.failures if before else 0) + 1
            status = LinkStatus.DEAD if failures >= dead_after else LinkStatus.FAILING
            kept = before or RepoFacts(repo=repo)
            out.append(
                replace(
                    kept,
                    status=status,
                    failures=failures,
                    fetched_at=now(),
                    note="GitHub: not found",
                )
            )
        elif run is not None and repo in run.unusable:
            kept = before or RepoFacts(repo=repo)
            out.append(replace(kept, note=f"last known figures: {run.unusable[repo]}"))
        elif before is not None:
            out.append(replace(before, note=why_kept))
        else:
            out.append(RepoFacts(repo=repo, note=why_kept))
    return out
