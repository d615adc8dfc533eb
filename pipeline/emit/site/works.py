"""The site's data: one plain dict per work, everything the page shows, filters and copies.

Every value is text or a number for the page to set as ``textContent``; every URL has passed
:func:`~pipeline.emit.markdown.md_url` (http(s) only, percent-encoded), so nothing from a
list reaches the page as markup or as a ``javascript:`` link. A cited work carries its key;
what its copy buttons copy is in the citation shards (:mod:`pipeline.emit.site.cite`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pipeline.emit.highlights import new_this_week
from pipeline.emit.inputs import EmitInput
from pipeline.emit.linkfacts import LinkFacts
from pipeline.emit.markdown import md_url
from pipeline.emit.readme import Taxonomy, kind_mark
from pipeline.emit.records import Record, best_url, silent
from pipeline.ids import github as github_ids
from pipeline.models import LinkResult, LinkStatus, ResolvedWork
from pipeline.text import clean_text

MAX_AUTHORS = 50
"""Authors kept per work (shown and searched); a hostile list of thousands stays small."""
_SHOWN = {LinkStatus.DEAD: "dead", LinkStatus.MOVED: "moved", LinkStatus.PARKED: "parked"}


class Links(LinkFacts):
    """Links and repositories as the page shows them."""

    def link(self, url: str) -> dict[str, str]:
        """``{"url", "status"}``: the new address of a moved link, and whether the link is
        dead, moved or parked; ``{}`` for a URL that must not be linked."""
        result: LinkResult | None = self.status.get(url)
        status = _SHOWN.get(result.status, "") if result else ""
        target = md_url(result.final_url if result and status == "moved" else url)
        if not target:
            return {}
        return {"url": target, "status": status} if status else {"url": target}


@dataclass
class Context:
    """What every work's data is made with: the stage's input, the links, the run's date
    ("new" and "silent" count back from it) and the topic scheme, if any."""

    data: EmitInput
    links: Links
    today: date
    taxonomy: Taxonomy | None
    new: set[int] = field(default_factory=set)
    """The records new this week (:func:`pipeline.emit.highlights.new_this_week`), by id."""
    places: dict[str, int] = field(default_factory=dict)
    """Every ``list › section › subsection`` seen, numbered: works name theirs by number."""

    def place(self, text: str) -> int:
        return self.places.setdefault(text, len(self.places))


def _day(text: str | None) -> date | None:
    """The date an ISO date or timestamp starts with, or None."""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text or "")
    try:
        return date(*map(int, match.groups())) if match else None
    except ValueError:
        return None


def _code(record: Record, rw: ResolvedWork, links: Links, today: date) -> list[Any]:
    """The work's code: its GitHub repositories (first two, as in the README) with stars,
    their change and marks, else the list's other code links. A repository's ``url`` is
    left out where it is ``https://github.com/`` and its name (the page puts it back)."""
    code_urls = [link.url for link in rw.work.links if link.role == "code"]
    out: list[dict[str, Any]] = []
    for repo in record.github[:2]:
        fact = links.repos.get(repo)
        name = clean_text(fact.canonical if fact and fact.canonical else repo, 200)
        url = github_ids.link_to(code_urls, repo) or github_ids.home_url(name)
        entry: dict[str, Any] = {"repo": name, **links.link(url)}
        if entry.get("url") == github_ids.home_url(name) and github_ids.is_stored(name.lower()):
            del entry["url"]
        stars = fact.stars if fact and fact.stars is not None else None
        if stars is None and repo == record.github[0]:
            stars = record.stars
        if stars is not None:
            entry["stars"] = stars
            delta = links.delta(repo, stars)
            if delta:
                entry["delta"] = delta
        if fact and fact.archived:
            entry["archived"] = True
        if fact and silent(fact.pushed_at, today):
            entry["silent"] = True
        out.append(entry)
    if not record.github:
        out += [x for x in (links.link(u) for u in code_urls[:2]) if x]
    return out


def _title_link(record: Record, rw: ResolvedWork, links: Links) -> dict[str, str]:
    """Where the title points, as in the README: the DOI or arXiv page, else the work's own
    URL or the list's paper link."""
    paper_urls = [link.url for link in rw.work.links if link.role == "paper"]
    if record.doi or record.arxiv:
        return links.link(best_url(record))
    return links.link(record.url or (paper_urls[0] if paper_urls else best_url(record)))


def _places(rw: ResolvedWork) -> list[str]:
    """``list › Section › Subsection`` for every distinct place the work is listed."""
    seen: list[str] = []
    for place in rw.work.places:
        path = [clean_text(re.sub(r"<[^>]*>", "", s), 200) for s in place.section]
        text = " › ".join([clean_text(place.source, 100), *(p for p in path if p)])
        if text not in seen:
            seen.append(text)
    return seen


def work(record: Record, rw: ResolvedWork, context: Context) -> dict[str, Any]:
    """One work of the site's data; absent keys mean unknown, or no (the page shows
    nothing)."""
    data, links, today = context.data, context.links, context.today
    kind = data.kind(record)
    out: dict[str, Any] = {"title": record.title, "kind": kind}
    if not data.cited(record):
        out["kind"] = kind_mark(kind, rw)
    out |= _title_link(record, rw, links)
    nickname = clean_text(rw.work.nickname, 100)
    # a title that starts with the name says it already ("RS-LLaVA: Large …")
    if nickname and not record.title.casefold().startswith(nickname.casefold()):
        out["nickname"] = nickname
    optional: dict[str, Any] = {
        "authors": [n.display for n in record.authors[:MAX_AUTHORS] if n.display],
        "more_authors": max(0, len(record.authors) - MAX_AUTHORS),
        "venue": record.container or ("arXiv" if record.arxiv else ""),
        "year": record.year,
        "places": [context.place(p) for p in _places(rw)],
        "code": _code(record, rw, links, today),
        "citations": record.citations,
        "added": record.first_seen,
        "new": id(record) in context.new,
        "topic": context.taxonomy.of(rw, record, kind) if context.taxonomy else "",
        "verified": record.verified,
        "key": record.key if data.cited(record) else "",
    }
    # 0 citations is a figure; no authors, no code, not new, not verified are not
    out |= {k: v for k, v in optional.items() if v not in (None, "", [], False) and v != 0}
    if record.citations == 0:
        out["citations"] = 0
    return out


def works(data: EmitInput) -> tuple[list[dict[str, Any]], list[str], str]:
    """Every work of the lists, newest first; the places they are listed in (the works
    name them by number); and the run's date ("new" and "silent" count back from it)."""
    run_date = data.run_date
    taxonomy = Taxonomy(data.readme) if data.readme.topics else None
    context = Context(data, Links(data), run_date, taxonomy)
    context.new = {id(record) for record, _ in new_this_week(data)}
    ordered = sorted(
        data.current, key=lambda x: (-(x[0].year or 0), x[0].title.casefold(), x[0].key)
    )
    items = [work(record, rw, context) for record, rw in ordered]
    return items, list(context.places), run_date.isoformat()
