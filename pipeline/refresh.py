"""``pipeline refresh``: scrape → resolve → check → emit, timed, with a closing summary.

A stage that cannot reach a service either says so in its report (``degraded``) or, when it
cannot go on, raises ServiceError. Then the stage is run again with ``offline=True`` (cache
and the previous ``output/`` only), so that the stages after it still find their input, and
the run goes on to emit from what is known. It exits 3 (degraded) rather than failing, and
nothing already in ``output/`` is lost because every write is atomic and every stage keeps
the previous output as its last-known-good state.
"""

from __future__ import annotations

import dataclasses
import logging
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline.config import Settings
from pipeline.errors import InputError, ServiceError
from pipeline.models import StageReport
from pipeline.store import read_json

log = logging.getLogger("pipeline.refresh")

Stage = Callable[[Settings], StageReport]

PROBE_TIMEOUT = 3.0
"""Seconds to wait for the metadata services' hosts to answer a TCP connect."""


def _scrape(settings: Settings) -> StageReport:
    from pipeline.scrape import run_scrape

    return run_scrape(settings, None)


def _resolve(settings: Settings) -> StageReport:
    from pipeline.resolve import run_resolve

    return run_resolve(settings)


def _check(settings: Settings) -> StageReport:
    from pipeline.check import run_check

    return run_check(settings)


def _emit(settings: Settings) -> StageReport:
    from pipeline.emit import run_emit

    return run_emit(settings)


STAGES: tuple[tuple[str, Stage], ...] = (
    ("scrape", _scrape),
    ("resolve", _resolve),
    ("check", _check),
    ("emit", _emit),
)


def run_refresh(settings: Settings) -> list[StageReport]:
    """Run the four stages in order; the last report is the closing summary."""
    reports: list[StageReport] = []
    for folder in (settings.output_dir, settings.build_dir):
        remove_stale_temp_files(folder)
    no_network = not settings.offline and bool(unreachable_services(settings))
    for name, stage in STAGES:
        log.info("%s: starting", name)
        started = time.monotonic()
        if no_network and name in NETWORK_STAGES:
            report = _offline_stage(name, stage, settings, NETWORK_STAGES[name])
        else:
            report = _run_stage(name, stage, settings)
        report.seconds = time.monotonic() - started
        log.info("%s: done in %.1f s", name, report.seconds)
        reports.append(report)
    reports.append(summarize(settings, reports))
    return reports


def run_network_stage(name: str, stage: Stage, settings: Settings) -> StageReport:
    """One network stage on its own (``pipeline resolve``, ``pipeline check``): like refresh,
    it asks the API hosts first, so that with no network it finishes in seconds."""
    if not settings.offline and unreachable_services(settings):
        return _offline_stage(name, stage, settings, NETWORK_STAGES[name])
    return _run_stage(name, stage, settings)


NETWORK_STAGES: dict[str, tuple[str, ...]] = {
    "resolve": ("arxiv", "crossref", "doi", "openalex"),
    "check": ("github", "links"),
}
"""The stages that use the network, and the services each reports as degraded without it."""


def api_endpoints(settings: Settings) -> dict[str, str]:
    """The services with a fixed endpoint (the link checker's sites are anywhere)."""
    ep = settings.endpoints
    return {
        "arxiv": ep.arxiv,
        "crossref": ep.crossref,
        "doi": ep.doi,
        "openalex": ep.openalex,
        "github": ep.github,
    }


def _connects(url: str, timeout: float) -> bool:
    parts = urlsplit(url)
    if not parts.hostname:
        return False
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout):
            return True
    except OSError:
        return False


def unreachable_services(settings: Settings, timeout: float = PROBE_TIMEOUT) -> list[str]:
    """Every API service, when not one of them accepts a TCP connection; else nothing.

    With the whole network down (a fresh clone on a machine without internet) the stages
    would find out request by request, through their retries, in a minute or more; one
    connect per API host, all at once, tells within seconds. When any service answers, the
    network is up and the stages deal with whatever is down themselves (empty list).
    """
    services = api_endpoints(settings)
    ok: dict[str, bool] = {}

    def probe(name: str, url: str) -> None:
        ok[name] = _connects(url, timeout)

    # Daemon threads: a resolver that hangs in DNS must not hold the run (or its exit) up.
    threads = [threading.Thread(target=probe, args=item, daemon=True) for item in services.items()]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout + 1.0
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    if any(ok.get(name, False) for name in services):
        return []
    return sorted(services)


def _offline_stage(
    name: str, stage: Stage, settings: Settings, services: tuple[str, ...]
) -> StageReport:
    """Run a network stage from the cache and output/ only, reporting its services degraded
    (its report line says so; a warning as well would say it twice)."""
    report = _run_stage(name, stage, dataclasses.replace(settings, offline=True))
    report.degraded = sorted({*report.degraded, *services})
    report.lines.append(f"{name}: no network; used the cache and output/ only")
    return report


def remove_stale_temp_files(folder: Path) -> None:
    """Delete the temporary files of an earlier run that was killed before its rename.

    pipeline.store writes ``.{name}.*.tmp`` beside the target and renames it into place; a
    SIGKILL between the two leaves the temporary file, which must not end up committed.
    (Refresh runs never overlap: the scheduled workflow has a concurrency group.)
    """
    if not folder.is_dir():
        return
    for path in folder.glob(".*.tmp"):
        log.info("removing %s, left by an interrupted run", path)
        path.unlink(missing_ok=True)


def _run_stage(name: str, stage: Stage, settings: Settings) -> StageReport:
    try:
        return stage(settings)
    except ServiceError as exc:
        log.warning("%s: %s; going on with what is known", name, exc)
        failed = exc.service
    if settings.offline:
        # Already offline: there is nothing less to ask of the stage.
        return StageReport(stage=name, degraded=[failed], lines=[f"{name}: {failed} failed"])
    try:
        report = stage(dataclasses.replace(settings, offline=True))
    except ServiceError as exc:
        log.warning("%s: offline retry failed too: %s", name, exc)
        return StageReport(
            stage=name,
            degraded=sorted({failed, exc.service}),
            lines=[f"{name}: {failed} failed; stage skipped"],
        )
    report.degraded = sorted({*report.degraded, failed})
    report.lines.append(f"{name}: {failed} failed; used the cache and output/ only")
    return report


def _load(path: Path) -> Any:
    """A stage file for the summary; an unreadable one counts as absent (the stage said why)."""
    try:
        return read_json(path)
    except InputError as exc:
        log.warning("summary: %s", exc)
        return None


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{key} {value}" for key, value in sorted(counter.items())) or "none"


def summarize(settings: Settings, reports: list[StageReport]) -> StageReport:
    """The closing summary, read from the files the stages wrote (the single truth)."""
    works = _load(settings.build_dir / "works.json")
    resolved = _load(settings.build_dir / "resolved.json")
    links = _load(settings.output_dir / "links.json")

    lines = ["", "refresh summary"]
    counts: dict[str, int] = {}
    if isinstance(works, list):
        counts["works"] = len(works)
        lines.append(f"  works:       {len(works)} (output/README.md, papers.bib, papers.json)")
    if isinstance(resolved, list):
        routes = Counter(str(r.get("resolved_by", "list")) for r in resolved)
        unresolved = sum(1 for r in resolved if not r.get("verified", False))
        counts["unresolved"] = unresolved
        lines.append(f"  resolved by: {_counts(routes)}")
        lines.append(f"  unresolved:  {unresolved} (kept with the list's own text, unverified)")
    if isinstance(links, dict):
        statuses = Counter(str(x.get("status", "unchecked")) for x in links.get("links") or [])
        repos = links.get("repos") or []
        stars = sum(1 for x in repos if x.get("stars") is not None)
        counts["links"] = sum(statuses.values())
        counts["stars"] = stars
        lines.append(
            f"  links:       {sum(statuses.values())} ({_counts(statuses)}; "
            "what to fix: output/link-report.md)"
        )
        lines.append(f"  stars:       {stars} of {len(repos)} repositories known")
    requests = sum(r.requests for r in reports)
    counts["requests"] = requests
    lines.append(f"  requests:    {requests}")
    timing = ", ".join(f"{r.stage} {r.seconds:.1f} s" for r in reports)
    total = sum(r.seconds for r in reports)
    lines.append(f"  time:        {timing} (total {total:.1f} s)")
    degraded = sorted({s for r in reports for s in r.degraded})
    if degraded and settings.offline:
        lines.append(f"  offline:     {', '.join(degraded)} not asked")
    elif degraded:
        lines.append(
            f"  degraded:    {', '.join(degraded)} unreachable; outputs kept what was known"
        )
    return StageReport(stage="refresh", counts=counts, seconds=0.0, lines=lines)
