"""`make soak`: consecutive refreshes of the five lists against the fake web, random faults.

    .venv/bin/python -m fuzz.soak [--runs 20] [--seed N]

One clean refresh makes the baseline. Then each run injects one to three random faults (a
fault kind of tests/test_hardening_faults.py on one service, on every request or on the first
few), sometimes after throwing the HTTP cache away (as a CI cache eviction would), and refreshes
in process. After every run: each field of output/ the baseline had is still there with the
same value (papers.json, papers.bib, links.json), and the HTTP cache holds no more than
``CACHE_SLACK`` times the answers it held after the baseline (it holds one answer per request
key, replaced, never appended; faults send the resolvers down other routes, title searches
instead of id lookups, whose answers stay until pruned, so it may grow, but only up to the
finite set of keys the lists can produce). Faults that hit a known, reported defect
(tests/test_hardening_faults.py KNOWN_DEFECTS) are left out: they would fail every soak until
fixed. Prints the figures; exits 1 on the first run that lost something.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

from pipeline.cache import CACHE_FILE
from pipeline.config import Settings
from pipeline.scrape import run_scrape
from tests.fakeweb import FakeWeb
from tests.fakeweb.github import add_repo
from tests.helpers.hardening import (
    FAST_TOML,
    degraded,
    fast_settings,
    lost_fields,
    refresh_in_process,
    settings_for,
    snapshot,
)
from tests.test_hardening_faults import FAULTS, KNOWN_DEFECTS, SERVICES

ROOT = Path(__file__).resolve().parent.parent
CACHE_SLACK = 4.0
"""The cache may hold this many times the answers of the baseline run: one per route of the
four resolvers (id lookups, then title searches when a route fails)."""


def size_of(folder: Path) -> int:
    """Bytes of the cache's files (SQLite database and its write-ahead log)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def entries_of(folder: Path) -> int:
    """Answers stored in the cache (read-only: the run has closed it)."""
    path = folder / CACHE_FILE
    if not path.exists():
        return 0
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        return int(db.execute("SELECT count(*) FROM responses").fetchone()[0])


def setup(web: FakeWeb, root: Path) -> None:
    shutil.copytree(ROOT / "sources", root / "sources")
    (root / "pipeline.toml").write_text(FAST_TOML, encoding="utf-8")
    run_scrape(Settings(root=root), None)
    works = json.loads((root / "build" / "works.json").read_text(encoding="utf-8"))
    repos = sorted({repo for work in works for repo in work["ids"]["github"]})
    for index, repo in enumerate(repos):
        add_repo(web, repo, stars=(index * 37) % 2000)


def pick_faults(rng: random.Random) -> list[tuple[str, str, int | None]]:
    choices = [(s, f) for s in SERVICES for f in FAULTS if (s, f) not in KNOWN_DEFECTS]
    picked = rng.sample(choices, rng.randint(1, 3))
    return [(s, f, rng.choice([None, None, 1, 3, 10])) for s, f in picked]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # the figures below, not the stages' warnings
    rng = random.Random(args.seed)
    print(f"soak: {args.runs} refreshes, seed {args.seed}", flush=True)
    with tempfile.TemporaryDirectory() as tmp, FakeWeb() as web:
        root = Path(tmp) / "project"
        setup(web, root)
        settings = fast_settings(settings_for(web, root))
        reports, seconds = refresh_in_process(settings)
        if degraded(reports):
            print(f"baseline run degraded: {sorted(degraded(reports))}")
            return 1
        baseline = snapshot(root)
        cache0 = size_of(settings.cache_path)
        rows0 = entries_of(settings.cache_path)
        print(
            f"baseline: {len(baseline['papers'])} works, {len(baseline['links'])} links, "
            f"{len(baseline['repos'])} repos, cache {rows0} answers {cache0 / 1024:.0f} KiB, "
            f"{seconds:.1f} s",
            flush=True,
        )
        worst_cache, worst_rows, longest, evictions = cache0, rows0, seconds, 0
        for run in range(1, args.runs + 1):
            web.clear()
            faults = pick_faults(rng)
            for service, fault, times in faults:
                spec = dict(FAULTS[fault])
                if callable(spec.get("body")):
                    spec["body"] = spec["body"](service)
                web.add_fault(pattern=SERVICES[service], times=times, **spec)
            evict = rng.random() < 0.3
            if evict:
                evictions += 1
                shutil.rmtree(settings.cache_path, ignore_errors=True)
            reports, seconds = refresh_in_process(settings)
            cache, rows = size_of(settings.cache_path), entries_of(settings.cache_path)
            worst_cache, longest = max(worst_cache, cache), max(longest, seconds)
            worst_rows = max(worst_rows, rows)
            lost = lost_fields(baseline, snapshot(root))
            shown = ", ".join(f"{s}/{f}" + (f" x{t}" if t else "") for s, f, t in faults)
            print(
                f"run {run:2}: {seconds:5.1f} s, {len(web.requests):4} requests, cache "
                f"{rows:4} answers {cache / 1024:5.0f} KiB{' (evicted first)' if evict else ''}, "
                "degraded "
                f"{sorted(degraded(reports)) or '-'}, faults {shown}, lost {len(lost)}",
                flush=True,
            )
            if lost:
                print("\n".join(lost[:20]))
                return 1
            if rows > CACHE_SLACK * rows0:
                print(f"cache grew to {rows} answers (baseline {rows0})")
                return 1
        print(
            f"soak: {args.runs} runs, nothing lost; longest run {longest:.1f} s; cache at most "
            f"{worst_rows} answers / {worst_cache / 1024:.0f} KiB (baseline {rows0} / "
            f"{cache0 / 1024:.0f} KiB); "
            f"{evictions} cache evictions",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
