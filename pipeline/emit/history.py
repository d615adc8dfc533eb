"""``output/stars.json``: each repository's star counts over the runs.

``output/links.json`` holds one run's facts and is rewritten by every check, so the change
since the last run cannot rest on it alone: a second run in one week would compare with the
first and show no change. The history keeps, per repository, ``[date, stars]`` pairs::

    {"about": "…", "repos": {
      "owner/name": [["2026-01-05", 120], ["2026-01-19", 131]]}}

A pair is added only when the count changed (a date says since when a count held), a run
replaces its own date's pair, and at most :data:`KEEP` pairs stay per repository, for the
repositories listed in this run only: the file stays small and the same inputs on the same
run date give the same bytes. A repository's ``stars_delta`` is its count minus the last
count dated before the run date; where the history knows none (the first runs), check's
delta against the previous ``output/links.json`` stands.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.models import LinkReport
from pipeline.store import read_json

log = logging.getLogger(__name__)

KEEP = 12
"""Pairs kept per repository: the last dozen changes."""
ABOUT = (
    "Star counts of each listed GitHub repository over the runs: [date, stars] pairs, one "
    "added when the count changed; the README's and the site's change since the last run "
    "is the count minus the last one dated before the run."
)

Pairs = list[tuple[str, int]]


def _pairs(value: Any) -> Pairs:
    pairs: Pairs = []
    for item in value if isinstance(value, list) else []:
        if (
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], int)
            and not isinstance(item[1], bool)
        ):
            pairs.append((item[0][:10], item[1]))
    return sorted(pairs)


@dataclass
class StarHistory:
    """Repository (lower-case ``owner/name``) → its ``(ISO date, stars)`` pairs, oldest first."""

    repos: dict[str, Pairs] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> StarHistory:
        """The history in ``path``; a damaged file is reported and started afresh (the
        deltas then fall back to check's)."""
        try:
            data = read_json(path, default={})
        except InputError as exc:
            log.warning("%s; star history started afresh", exc)
            return cls()
        repos = data.get("repos") if isinstance(data, dict) else None
        if not isinstance(repos, dict):
            if data:
                log.warning("%s: no repos object; star history started afresh", path)
            return cls()
        return cls({str(k).lower(): p for k, v in repos.items() if (p := _pairs(v))})

    def before(self, repo: str, run_date: str) -> int | None:
        """The last count dated before ``run_date``."""
        earlier = [stars for day, stars in self.repos.get(repo, []) if day < run_date]
        return earlier[-1] if earlier else None

    def render(self) -> str:
        """One repository a line, in name order."""
        lines = [
            f"    {json.dumps(repo)}: {json.dumps([list(p) for p in pairs])}"
            for repo, pairs in sorted(self.repos.items())
        ]
        body = ",\n".join(lines)
        repos = "{\n" + body + "\n  }" if lines else "{}"
        return '{\n  "about": ' + json.dumps(ABOUT) + ',\n  "repos": ' + repos + "\n}\n"


def record_stars(links: LinkReport, history: StarHistory, run_date: date) -> StarHistory:
    """Set each repository's ``stars_delta`` (in ``links``, for the README and the site)
    against the history, and return the history with this run's counts.

    Counts GitHub gave this run are recorded; last known figures kept because GitHub could
    not be asked (a ``note`` says why) are not news of the run date.
    """
    day = run_date.isoformat()
    out = StarHistory()
    for fact in sorted(links.repos, key=lambda f: f.repo.lower()):
        repo = fact.repo.lower()
        pairs = history.repos.get(repo, [])
        before = history.before(repo, day)
        if fact.stars is not None and before is not None:
            fact.stars_delta = fact.stars - before
        if fact.stars is not None and fact.note is None:
            pairs = [p for p in pairs if p[0] < day]  # a re-run replaces its own date's count
            if not pairs or pairs[-1][1] != fact.stars:
                pairs.append((day, fact.stars))
        if pairs:
            out.repos[repo] = pairs[-KEEP:]
    return out
