"""What the checked links and repositories say, as the README and the site both read it: a
link's status by its URL (with or without tracking parameters), a repository's facts, and the
change in its stars since the last run."""

from __future__ import annotations

from pipeline.emit.inputs import EmitInput
from pipeline.ids.tracking import strip_tracking
from pipeline.models import LinkResult, RepoFacts


class LinkFacts:
    """Link statuses and repository facts, this run's and the previous run's."""

    def __init__(self, data: EmitInput) -> None:
        # records carry URLs without tracking parameters (ids.tracking); their status is the
        # checked link's
        self.status: dict[str, LinkResult] = {
            strip_tracking(link.url): link for link in data.links.links
        }
        self.status |= {link.url: link for link in data.links.links}
        self.repos: dict[str, RepoFacts] = {r.repo.lower(): r for r in data.links.repos}
        self.previous = {r.repo.lower(): r for r in data.previous_links.repos}

    def delta(self, repo: str, stars: int) -> int | None:
        """The change in stars since the last run: the star history's figure, else the
        previous run's stars subtracted."""
        fact = self.repos.get(repo)
        if fact is not None and fact.stars_delta is not None:
            return fact.stars_delta
        before = self.previous.get(repo)
        return stars - before.stars if before is not None and before.stars is not None else None
