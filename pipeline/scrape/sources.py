"""``pipeline sources update``: fetch the newest upstream copy of every source list.

Each ``[[list]]`` of ``sources/sources.toml`` names a ``raw_url`` (a list without one is
left as it is). Every list is fetched through the shared requests session (project
User-Agent, timeouts), retried by the transport's one rule (:mod:`pipeline.transport.retry`,
with the ``[resolve]`` retry settings), the ``PIPELINE_REMAP`` rewrites applied first
(mirrors, tests), and requests to one host paced as the link checker paces them
(``[check] per_host_per_second``). Only when *every* list arrived
are the changed files written, atomically, so a network failure half-way leaves all lists
exactly as they were (exit 3, degraded). A copy that arrived but is no list any more (an HTML
page, cut short, unreadable: pipeline.scrape.drift) is *drifted*: that list keeps its last
copy and is reported, the others are taken. The bytes are written as received: repairing
mojibake is the scraper's job, and the copy must match upstream.

Besides its summary lines the update writes ``build/sources-update.md``: per list, the works
added and removed (titles with links) and the drifted lists with why, for the weekly pull
request's body.
"""

from __future__ import annotations

import difflib
import logging
from pathlib import Path
from urllib.parse import urlsplit

import requests

from pipeline.catalog import SourceList, load_catalog
from pipeline.config import Settings
from pipeline.errors import ServiceError, SourceError, Transient, UsageError
from pipeline.ids.urls import remap as remap_url
from pipeline.models import Entry, StageReport
from pipeline.scrape.drift import Copy, drift_reason, md_work, read_copy, works_changed
from pipeline.store import atomic_write_bytes, atomic_write_text
from pipeline.transport.pace import Pace
from pipeline.transport.retry import Policy, failure_of, retry_sync, status_failure
from pipeline.transport.sessions import requests_session

log = logging.getLogger("pipeline.sources")

SERVICE = "sources"
UPDATE_REPORT = "sources-update.md"
"""Under build/: what the update changed, in markdown (the weekly pull request's body)."""


def read_catalog(path: Path) -> list[SourceList]:
    """The lists of ``sources.toml`` (pipeline.catalog), each with a ``raw_url``."""
    lists = load_catalog(path)
    for number, item in enumerate(lists, start=1):
        if not item.raw_url:
            raise SourceError(str(path), f"[[list]] #{number} ({item.id}) has no raw_url")
    return lists


def reason(exc: BaseException) -> str:
    """A one-line cause instead of urllib3's nested repr."""
    if _dns_failure(exc):
        return "host name does not resolve"
    if isinstance(exc, requests.Timeout):
        return "timed out"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "connection closed before the whole body arrived"
    if isinstance(exc, requests.ConnectionError):
        return "refused" if "refused" in repr(exc) else "connection failed"
    return str(exc) or type(exc).__name__


def _dns_failure(exc: BaseException) -> bool:
    """A name that does not resolve will not resolve a second later: do not retry it."""
    text = repr(exc)
    return "NameResolutionError" in text or "Name or service not known" in text


class Unreachable(ServiceError):
    """The host could not be reached at all (DNS, refused, timed out): other lists on the
    same host are not tried, so a run without network ends in a moment."""


def _fetch(
    session: requests.Session,
    url: str,
    settings: Settings,
    counter: list[int],
    pace: Pace | None = None,
) -> bytes:
    """One list's bytes, retried by the transport's rule (pipeline.transport.retry) with the
    ``[resolve]`` settings: a 429, a 5xx, a timeout or a dropped connection is tried again; a
    name that does not resolve, or an answer that is no list, is not. Every try keeps to its
    host's ``pace`` (None: one request alone, nothing to keep apart)."""
    timeout = settings.resolve.timeout_seconds

    def attempt() -> bytes | Transient:
        if pace is not None:
            pace.wait()
        counter[0] += 1
        try:
            response = session.get(url, timeout=(min(10.0, timeout), timeout))
            failed = status_failure(response.status_code, response.headers)
            body = response.content
        except (
            requests.ConnectionError,
            requests.Timeout,
            requests.exceptions.ChunkedEncodingError,
        ) as exc:
            if _dns_failure(exc):
                raise Unreachable(SERVICE, f"{url}: {reason(exc)}") from None
            return Transient(reason(exc))  # no service: nothing answered
        except requests.RequestException as exc:
            raise Unreachable(SERVICE, f"{url}: {reason(exc)}") from None
        if failed is not None:
            return Transient(failed.reason, failed.retry_after, service=SERVICE)
        if response.status_code != 200:
            raise ServiceError(SERVICE, f"{url}: HTTP {response.status_code}")
        return body

    tried = retry_sync(Policy.of(settings.resolve), attempt, failure_of)
    if not isinstance(tried.value, Transient):
        return tried.value
    # An answer came (a 429, a 5xx): the host is up. None came: the host is unreachable.
    kind = ServiceError if tried.value.service else Unreachable
    ended = tried.ended.stop if tried.ended and tried.ended.beyond_cap else ""
    why = f"{tried.value.reason} (after {tried.tries} tries{'; ' + ended if ended else ''})"
    raise kind(SERVICE, f"{url}: {why}")


def diff_counts(old: bytes, new: bytes) -> tuple[int, int, list[str]]:
    """Lines added, lines removed and the unified diff between two versions of a list."""
    before = old.decode("utf-8", errors="replace").splitlines()
    after = new.decode("utf-8", errors="replace").splitlines()
    diff = list(difflib.unified_diff(before, after, "before", "after", lineterm=""))
    added = sum(1 for x in diff if x.startswith("+") and not x.startswith("+++"))
    removed = sum(1 for x in diff if x.startswith("-") and not x.startswith("---"))
    return added, removed, diff


def update_sources(settings: Settings) -> StageReport:
    """Fetch every list; write the changed ones only if all arrived (else exit 3)."""
    if settings.offline:
        raise UsageError("sources update needs the network; run it without --offline")
    catalog = load_catalog(settings.sources_toml)
    lists = [item for item in catalog if item.raw_url]
    folder = settings.sources_toml.parent
    report = StageReport(stage="sources")
    for item in catalog:
        if not item.raw_url:
            report.lines.append(f"{item.id}: no raw_url in sources.toml; kept as it is")
    counter = [0]
    fetched: dict[str, bytes] = {}
    failures: list[str] = []
    hosts: set[str] = set()
    session = requests_session(settings)
    unreachable: set[str] = set()
    # A list's host is a host like those the link checker asks: [check] per_host_per_second.
    paces: dict[str, Pace] = {}
    try:
        for item in lists:
            url = remap_url(item.raw_url, settings.remap)
            host = urlsplit(url).netloc
            if host in unreachable:
                failures.append(f"{item.id}: not tried, {host} is unreachable")
                continue
            log.info("%s: fetching %s", item.id, item.raw_url)
            try:
                pace = paces.setdefault(host, Pace(settings.check.per_host_per_second))
                data = _fetch(session, url, settings, counter, pace)
            except ServiceError as exc:
                failures.append(f"{item.id}: {exc}")
                hosts.add(urlsplit(item.raw_url).hostname or item.raw_url)
                if isinstance(exc, Unreachable):
                    unreachable.add(host)
                continue
            fetched[item.id] = data
    finally:
        session.close()
    report.requests = counter[0]

    if failures:
        report.degraded = sorted(hosts)
        report.lines += [
            *failures,
            f"sources: {len(failures)} of {len(lists)} lists could not be fetched; "
            "no list was changed",
        ]
        # never leave an earlier run's report behind to be taken for this one
        atomic_write_text(
            settings.build_dir / UPDATE_REPORT,
            "## Upstream lists\n\nNot updated: "
            f"{len(failures)} of {len(lists)} lists could not be fetched, so every list "
            "stays as committed.\n",
        )
        return report

    _write_changed(lists, fetched, folder, settings, report)
    return report


def _write_changed(
    lists: list[SourceList],
    fetched: dict[str, bytes],
    folder: Path,
    settings: Settings,
    report: StageReport,
) -> None:
    """Write the lists whose bytes changed; report lines added and removed (the diff with -v)."""
    changed = 0
    drifted: list[str] = []
    sections: list[str] = []
    for item in lists:
        path = folder / item.file
        old = path.read_bytes() if path.exists() else b""
        new = fetched[item.id]
        if old == new:
            report.lines.append(f"{item.id}: unchanged")
            continue
        before = read_copy(old, item) if old else Copy()
        after = read_copy(new, item)
        why = drift_reason(before, after)
        if why is not None:
            log.warning("%s: drifted, kept at its last copy: %s", item.id, why)
            report.lines.append(f"{item.id}: drifted, kept at its last copy: {why}")
            drifted.append(item.id)
            sections.append(_drift_section(item, why))
            continue
        added, removed, diff = diff_counts(old, new)
        atomic_write_bytes(path, new)
        changed += 1
        gained, lost = works_changed(before, after)
        report.lines.append(
            f"{item.id}: {item.file} +{added} -{removed} lines; "
            f"entries {len(before.entries)} → {len(after.entries)}, "
            f"works +{len(gained)} -{len(lost)}"
        )
        if settings.verbosity > 0:
            report.lines.extend(f"    {line}" for line in diff)
        sections.append(_works_section(item, gained, lost))
    report.counts = {"lists": len(lists), "changed": changed, "drifted": len(drifted)}
    report.problems = len(drifted)
    report.lines.append(
        f"sources: {changed} of {len(lists)} lists changed"
        + (f", {len(drifted)} drifted (kept: {', '.join(drifted)})" if drifted else "")
        + ("; run `pipeline refresh` to rebuild output/" if changed else "")
    )
    body = "\n".join(sections) if sections else "No list changed upstream.\n"
    atomic_write_text(settings.build_dir / UPDATE_REPORT, "## Upstream lists\n\n" + body)


def _works_section(item: SourceList, gained: list[Entry], lost: list[Entry]) -> str:
    """The markdown of one changed list: its works added and removed."""
    head = f"### {item.id}: {len(gained)} added, {len(lost)} removed\n\n"
    lines = [f"- added: {md_work(e)}" for e in gained]
    lines += [f"- removed: {md_work(e)}" for e in lost]
    if not lines:
        lines = ["- no work added or removed (edits to existing entries only)"]
    return head + "\n".join(lines) + "\n"


def _drift_section(item: SourceList, why: str) -> str:
    return (
        f"### {item.id}: drifted, kept at its last copy\n\n"
        f"The new copy of {item.raw_url} {_as_clause(why)}. If the change is real, "
        f"save it over `sources/{item.file}` by hand.\n"
    )


def _as_clause(why: str) -> str:
    return why if why.startswith(("yields", "cannot")) else f"is {why}"
