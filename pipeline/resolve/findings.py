"""What resolve finds wrong in the lists, gathered into ``build/findings.json`` for emit.

* scrape's ``shared-id`` findings (``build/scrape-findings.json``), passed on;
* ``wrong-paper-link``: a record found through one of a work's ids named another paper
  (:meth:`~pipeline.resolve.base.Context.confirm`);
* ``disagreement``: a list gives a year the registry's record does not have (neither the
  published year nor the preprint's, nor the year after a preprint that the registries know
  only as a preprint), or lists give one work different venues, or years more than one
  apart (where no registry knows the work, only the lists are compared; a year apart is a
  preprint's year beside its publication's).

Where the work was then found by its title, the finding's ``fix`` names the right link.
The registry's record is what the outputs use either way; a finding only reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.config import Settings
from pipeline.ids import arxiv as arxiv_ids
from pipeline.ids import doi as doi_ids
from pipeline.ids import venues
from pipeline.ids.agreement import words
from pipeline.models import Finding, Place, ResolvedWork
from pipeline.resolve.match import csl_year
from pipeline.store import read_json

_VENUE_NOISE = {
    "arxiv", "preprint", "ieee", "acm", "proceedings", "proc", "of", "the", "on", "in", "and",
    "conference", "journal", "international", "transactions", "workshop", "workshops",
}  # fmt: skip


def scrape_findings(settings: Settings) -> list[Finding]:
    """The findings scrape wrote (none when scrape ran before findings existed)."""
    data = read_json(settings.build_dir / "scrape-findings.json", default=[])
    out: list[Finding] = []
    for item in data if isinstance(data, list) else []:
        try:
            out.append(Finding.from_json(item))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def right_link(rw: ResolvedWork) -> str:
    """Where a verified record lives: its DOI, else its arXiv page, else its URL."""
    doi = str(rw.csl.get("DOI") or "")
    if doi:
        return doi_ids.url_of(doi.lower())
    custom = rw.csl.get("custom")
    short = custom.get("arxiv") if isinstance(custom, dict) else None
    if isinstance(short, str) and short:
        return arxiv_ids.abs_url(short)
    return str(rw.csl.get("URL") or "")


def complete_fixes(findings: list[Finding], resolved: list[ResolvedWork]) -> None:
    """A wrong link's fix, where the work was then found by its title (through the guard)."""
    by_id = {rw.work.id: rw for rw in resolved}
    for finding in findings:
        rw = by_id.get(finding.work_id)
        if finding.kind not in {"wrong-paper-link", "shared-id"} or rw is None:
            continue
        if not rw.verified or rw.method != "title-search":
            continue
        new = right_link(rw)
        old = str(finding.list_says.get("link") or "")
        if not old:
            old = next((x.url for x in rw.work.links if x.role == "paper"), "")
        if new and old and new != old:
            finding.fix = {"old": old, "new": new}
            finding.registry_says.setdefault("title", str(rw.csl.get("title") or ""))
            finding.message += f"; found by its title: {new}"


def _year(place: Place) -> int | None:
    match = re.match(r"\s*(\d{4})", place.date)
    return int(match.group(1)) if match else None


def _venue(text: str) -> frozenset[str]:
    """A venue's telling words; an acronym's letters sorted, so that "J-STARS" is "JSTARS" and
    "MGRS" is "GRSM" (lists write the magazine both ways); a venue the table knows by its name."""
    known = venues.lookup(text)
    text = known.name if known else text
    text = re.sub(r"(?<=\w)-(?=\w)", "", re.sub(r"\d+", " ", text))
    found = [w for w in words(text).split() if w not in _VENUE_NOISE]
    return frozenset("".join(sorted(w)) if len(w) <= 6 else w for w in found)


def _preprint_year(rw: ResolvedWork) -> int | None:
    custom = rw.csl.get("custom")
    short = custom.get("arxiv") if isinstance(custom, dict) else None
    if isinstance(short, str) and re.match(r"\d{4}\.", short):
        return 2000 + int(short[:2])
    return None


def disagreements(resolved: Iterable[ResolvedWork]) -> list[Finding]:
    """Years the registry does not have, and years or venues the lists disagree on."""
    out: list[Finding] = []
    for rw in resolved:
        places = rw.work.places
        years = {p: y for p in places if (y := _year(p)) is not None}
        registry = csl_year(rw.csl) if rw.verified else None
        preprint = _preprint_year(rw) if rw.verified else None
        allowed = {y for y in (registry, preprint) if y is not None}
        if rw.resolved_by == "arxiv" and registry is not None:
            allowed.add(registry + 1)  # the list may give the year it was published
        for place, year in years.items():
            if allowed and year not in allowed:
                out.append(_finding(rw, place, "year", year, registry, "the registry"))
        if not allowed:
            # a year apart is a preprint's year beside its publication's: no error
            for place, year in years.items():
                others = sorted({y for y in years.values() if abs(y - year) > 1})
                if others:
                    out.append(_finding(rw, place, "year", year, None, f"other lists ({others})"))
        venues = {p: v for p in places if (v := _venue(p.venue))}
        for place, venue in venues.items():
            if any(not venue & other for other in venues.values()):
                named = sorted({q.venue for q, v in venues.items() if not venue & v})
                out.append(_finding(rw, place, "venue", place.venue, None, f"lists ({named})"))
    return out


def _finding(
    rw: ResolvedWork,
    place: Place,
    field: str,
    says: object,
    registry: object,
    against: str,
) -> Finding:
    registry_says: dict[str, object] = {field: registry} if registry is not None else {}
    if rw.verified:
        registry_says["title"] = str(rw.csl.get("title") or "")
    return Finding.at(
        place,
        "disagreement",
        rw.work.id,
        list_says={"title": place.title or rw.work.title, field: says},
        registry_says=registry_says,
        message=f"{field} {says} disagrees with {against}"
        + (f": the registry says {registry}" if registry is not None else ""),
    )
