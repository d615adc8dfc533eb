"""What changed: the works new this week and the repositories rising, for the README and the site.

* **New this week**: works first seen (``Record.first_seen``, :mod:`pipeline.emit.keys`) within
  :data:`NEW_DAYS` days up to the run date. Works dated by the first run that recorded dates
  (the baseline: they were listed before dates were kept) are never new.
* **Rising**: works whose repository gained the most stars since the last run
  (``RepoFacts.stars_delta``, :mod:`pipeline.emit.history`), at most :data:`RISING`, each
  repository once.

Both are read from :class:`~pipeline.emit.inputs.EmitInput`, so the README and the site list
the same works; the run date is the only clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from pipeline.emit.charts import TITLES
from pipeline.emit.inputs import EmitInput
from pipeline.emit.records import Record
from pipeline.models import RepoFacts, ResolvedWork

NEW_DAYS = 7
RISING = 10
SHOWN = 50
"""Works listed under "New this week" in the README at most (the feed has them all)."""
HEADINGS = ("New this week", "Rising", "Charts")
"""The README headings this module writes (the README takes their anchors before the lists'
sections take theirs, so that none collides)."""
Line = Callable[[Record, ResolvedWork], str]


def new_this_week(data: EmitInput) -> list[tuple[Record, ResolvedWork]]:
    """The works first seen within :data:`NEW_DAYS` days up to the run date, newest first."""
    start = (data.run_date - timedelta(days=NEW_DAYS - 1)).isoformat()
    end = data.run_date.isoformat()
    new = [
        (record, rw)
        for record, rw in data.current
        if record.first_seen
        and start <= record.first_seen <= end
        and record.first_seen != data.dated_since
    ]
    new.sort(key=lambda x: (-(x[0].year or 0), x[0].title.casefold(), x[0].key))
    return sorted(new, key=lambda x: x[0].first_seen, reverse=True)  # stable: newest first


def rising(data: EmitInput) -> list[tuple[int, Record, ResolvedWork]]:
    """``(star change, record, work)`` of the works whose repository gained the most stars
    since the last run, biggest gain first; a repository counts for its first work only."""
    facts: dict[str, RepoFacts] = {f.repo.lower(): f for f in data.links.repos}
    best: dict[str, tuple[int, Record, ResolvedWork]] = {}
    for record, rw in sorted(data.current, key=lambda x: x[0].key):
        for repo in record.github[:2]:
            fact = facts.get(repo)
            delta = fact.stars_delta if fact else None
            if delta is not None and delta > 0 and repo not in best:
                best[repo] = (delta, record, rw)
    gains = sorted(best.values(), key=lambda x: (-x[0], x[1].key))
    chosen: list[tuple[int, Record, ResolvedWork]] = []
    for gain in gains:
        if all(gain[1].key != other[1].key for other in chosen):
            chosen.append(gain)
    return chosen[:RISING]


def readme_sections(data: EmitInput, line: Line) -> list[str]:
    """The README's "New this week", "Rising" and "Charts" sections (each only when it has
    something to show), and a line pointing to the feed."""
    out = ["New works as they are added: the Atom feed [feed.xml](feed.xml).", ""]
    new = new_this_week(data)
    if new:
        out += [f"## {HEADINGS[0]}", ""]
        out += [
            f"{len(new)} work(s) first seen in the {NEW_DAYS} days to "
            f"{data.run_date.isoformat()}, newest first:",
            "",
        ]
        out += [line(record, rw) for record, rw in new[:SHOWN]]
        if len(new) > SHOWN:
            out.append(f"- … and {len(new) - SHOWN} more in [feed.xml](feed.xml)")
        out.append("")
    gains = rising(data)
    if gains:
        out += [f"## {HEADINGS[1]}", "", "The most stars gained since the last run:", ""]
        out += [f"- **{delta:+,}** ⭐ · {line(record, rw)[2:]}" for delta, record, rw in gains]
        out.append("")
    if data.charts:
        out += [f"## {HEADINGS[2]}", ""]
        for name in data.charts:
            out += [f"![{TITLES.get(name, name)}](site/{name})", ""]
    return out
