"""The emit stage: everything under ``output/`` from ``build/`` and the previous ``output/``.

Reads ``build/resolved.json`` (required) and ``build/links.json`` (optional: without it the
previous ``output/links.json`` stands). The previous ``output/papers.json`` and
``output/keys.json`` are the last-known-good state: no field of a listed work is lost because
this run's input lacks it, and no citation key ever changes. A work no list holds any more
leaves the outputs; its key stays in ``output/keys.json``, marked removed, and the emit
summary and ``build/removed.md`` (the weekly pull request) name it.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from pathlib import Path
from typing import Any

from pipeline.catalog import SourceList, load_catalog
from pipeline.config import Settings
from pipeline.emit import bibtex, charts, csljson, feed, readme, removed, report, review, site
from pipeline.emit.dedupe import merge_duplicates
from pipeline.emit.fixfiles import write_fixes
from pipeline.emit.history import StarHistory, record_stars
from pipeline.emit.inputs import EmitInput
from pipeline.emit.keys import KeyMap, identifiers, work_identifiers
from pipeline.emit.records import Record, from_resolved, merge
from pipeline.errors import InputError
from pipeline.models import LinkReport, LinkStatus, ResolvedWork, StageReport
from pipeline.store import atomic_write_bytes, atomic_write_text, dumps, read_json

log = logging.getLogger(__name__)

__all__ = ["EmitInput", "run_emit"]


def _read_resolved(path: Path) -> list[ResolvedWork]:
    data = read_json(path, required=True)
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON array of resolved works")
    works = []
    for number, item in enumerate(data, start=1):
        try:
            works.append(ResolvedWork.from_json(item))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(f"{path}: item {number}: not a resolved work ({exc!r})") from None
    return works


def _read_links(path: Path) -> tuple[LinkReport | None, bytes | None]:
    if not path.exists():
        return None, None
    data: Any = read_json(path)
    try:
        report = LinkReport.from_json(data if isinstance(data, dict) else {})
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{path}: not a link report ({exc!r})") from None
    return report, path.read_bytes()


def read_sources(settings: Settings) -> list[SourceList]:
    """The lists named in sources/sources.toml (none when the file is absent: the README
    then names lists by id)."""
    if not settings.sources_toml.exists():
        return []
    return load_catalog(settings.sources_toml)


def build_records(
    resolved: list[ResolvedWork], keymap: KeyMap, previous: dict[str, Record]
) -> tuple[list[tuple[Record, ResolvedWork]], list[Record]]:
    """Records with stable keys, merged with the previous output; plus the previous records
    whose work no list holds any more (removed; ``keymap`` marks their keys removed).

    ``resolved`` holds every work scrape found, also those resolve could not answer for (they
    carry their last known record), so a previous record whose key no work of ``resolved``
    takes has left the lists: it is not a service failure, and it is not kept.
    """
    for key, record in sorted(previous.items()):
        if key not in keymap.entries:  # keys.json lost or older than papers.json
            keymap.remember(key, identifiers(record))
    fresh = [from_resolved(rw) for rw in resolved]
    ids = [
        identifiers(rec) | work_identifiers(rw.work.id, rw.work.ids, rw.preprint_of)
        for rec, rw in zip(fresh, resolved, strict=True)
    ]
    keys = keymap.assign(list(zip(fresh, ids, strict=True)))
    keys = keymap.follow_merges(keys, [rw.work.id for rw in resolved])
    current: list[tuple[Record, ResolvedWork]] = []
    for record, rw, key in zip(fresh, resolved, keys, strict=True):
        record.key = key
        if key in previous:
            record = merge(record, _without_rejected(previous[key], rw))
        current.append((record, rw))
    used = set(keys)
    keymap.mark_removed(used)
    # A replaced provisional key's work is in this run under its new key, an alias's under
    # the key it was merged into: neither has left the lists.
    removed = [
        r
        for k, r in sorted(previous.items())
        if k not in used and k not in keymap.replaced and keymap.resolve(k) not in used
    ]
    return current, removed


def _without_rejected(previous: Record, rw: ResolvedWork) -> Record:
    """The previous record less the ids whose records resolve found to name another paper
    (``custom.rejected``): the merge must not fill them back in."""
    custom = rw.csl.get("custom")
    rejected = custom.get("rejected") if isinstance(custom, dict) else None
    if not isinstance(rejected, list):
        return previous
    arxiv = "" if f"arxiv:{previous.arxiv}" in rejected else previous.arxiv
    doi = "" if f"doi:{previous.doi}" in rejected else previous.doi
    return dataclasses.replace(previous, arxiv=arxiv, doi=doi)


def _apply_repo_facts(records: list[Record], links: LinkReport) -> None:
    facts = {r.repo.lower(): r for r in links.repos}
    for record in records:
        for repo in record.github:
            fact = facts.get(repo)
            if fact is not None and fact.stars is not None:
                record.stars = fact.stars
                break


def _write_numbers(out: Path, data: EmitInput, stars: StarHistory) -> int:
    """The star history, the feed and the charts (``data.charts`` names them, for the README
    and the site)."""
    written = int(atomic_write_text(out / "stars.json", stars.render()))
    atom = feed.render(data, readme.title_of(data))
    written += atomic_write_text(out / "feed.xml", atom)
    # the site carries its own copy: GitHub Pages publishes output/site/ alone
    written += atomic_write_text(out / "site" / "feed.xml", atom)
    grouped_by = "topic" if data.readme.topics else "list"
    pictures = charts.render(data, readme.filed_under(data), grouped_by)
    for chart in pictures:
        written += atomic_write_text(out / "site" / chart.name, chart.svg)
    data.charts = [chart.name for chart in pictures]
    return written


def _write(
    out: Path,
    everything: list[Record],
    keymap: KeyMap,
    new_links_bytes: bytes | None,
    data: EmitInput,
    stars: StarHistory,
) -> int:
    """Write every output file; the number that changed (unchanged files are not rewritten)."""
    written = 0
    written += atomic_write_text(out / "papers.bib", bibtex.render(everything))
    written += atomic_write_text(out / "papers.json", csljson.render(everything))
    written += atomic_write_text(out / "keys.json", dumps(keymap.to_json()))
    if new_links_bytes is not None:
        written += atomic_write_bytes(out / "links.json", new_links_bytes)
    written += _write_numbers(out, data, stars)
    written += atomic_write_text(out / "README.md", readme.render(data))
    written += atomic_write_text(out / "link-report.md", report.render(data))
    written += atomic_write_text(out / "review.json", review.render_json(data.findings))
    written += site.write(out / "site", data)  # last: it lists the charts and feed beside it

    return written


def run_emit(settings: Settings) -> StageReport:
    """Write output/papers.bib, papers.json, keys.json, links.json, stars.json, feed.xml,
    README.md, the charts in site/, link-report.md, review.json and the lists' patches in
    output/fixes/."""
    started = time.monotonic()
    out = settings.output_dir
    resolved = _read_resolved(settings.build_dir / "resolved.json")
    keymap = KeyMap.from_json(read_json(out / "keys.json", default={}))
    previous = csljson.read_previous(out / "papers.json")
    try:
        previous_links, _ = _read_links(out / "links.json")
    except InputError as exc:  # only stars deltas and marks depend on it; build/ replaces it
        log.warning("%s; previous link results ignored", exc)
        previous_links = None
    new_links, new_links_bytes = _read_links(settings.build_dir / "links.json")
    links = new_links or previous_links or LinkReport()

    current, removed_records = build_records(resolved, keymap, previous)
    current, merged = merge_duplicates(current, keymap, previous)
    keymap.stamp(settings.run_date.isoformat())
    for record, _ in current:
        record.first_seen = keymap.first_seen_of(record.key, record.aliases)
    findings = review.read_findings(settings.build_dir / "findings.json") + merged
    _apply_repo_facts([r for r, _ in current], links)
    stars = record_stars(links, StarHistory.read(out / "stars.json"), settings.run_date)
    everything = [r for r, _ in current]
    data = EmitInput(
        current=current,
        links=links,
        previous_links=previous_links or LinkReport(),
        sources=read_sources(settings),
        removed=removed_records,
        findings=findings,
        readme=settings.readme,
        emit=settings.emit,
        run_date=settings.run_date,
        dated_since=keymap.baseline(),
    )
    everything = [r for r in everything if data.cited(r)]  # software, videos: README only

    fixed = write_fixes(settings, data.sources, links, review.with_fix(findings))
    data.fixes, data.upstream_fixes = fixed.counts, fixed.upstream
    written = _write(out, everything, keymap, new_links_bytes, data, stars) + fixed.files
    removed.write(settings.build_dir / removed.REPORT, data.removed)
    counts, line = _summary(data, len(everything), fixed.counts, written)
    if new_links is None:
        line += "; no build/links.json (check not run): output/links.json left as it was"
    return StageReport(
        stage="emit",
        counts=counts,
        problems=counts["dead"] + counts["unverified"],
        seconds=round(time.monotonic() - started, 3),
        lines=[line, *removed.lines(data.removed)],
    )


def _summary(
    data: EmitInput, entries: int, fixes: dict[str, int], written: int
) -> tuple[dict[str, int], str]:
    """The stage's counts and its summary line."""
    statuses = [link.status for link in data.links.links]
    dead = sum(s in (LinkStatus.DEAD, LinkStatus.PARKED) for s in statuses)
    unverified = sum(not r.verified for r, _ in data.current)
    by_kind = review.counts(data.findings)
    counts = {
        "works": len(data.current),
        "bib_entries": entries,
        "removed": len(data.removed),
        "unverified": unverified,
        "links": len(statuses),
        "dead": dead,
        "fixes": sum(fixes.values()),
        "files_written": written,
    } | {f"findings {k}": n for k, n in by_kind.items()}
    line = (
        f"emit: {entries} BibTeX/CSL entries ({len(data.current)} works in the lists, "
        f"{unverified} unverified; {len(data.removed)} removed: in no list any more), "
        f"{dead} dead or parked links; {sum(fixes.values())} fix(es) in "
        f"{len(fixes)} patch(es); {written} file(s) changed"
        "; list findings (output/review.json): " + ", ".join(f"{k} {n}" for k, n in by_kind.items())
    )
    return counts, line
