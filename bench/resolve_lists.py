"""The project's own lists resolved against the fake web: requests per service, cold and warm.

    .venv/bin/python -m bench.resolve_lists

Scrapes ``sources/`` into a scratch folder, then runs the resolve stage twice on one cache
(the fake web answering at once, at the test suite's rate limits) and prints the machine,
each run's requests per service and per work, and its wall time.
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.resolve import machine  # noqa: E402
from pipeline.config import load_settings  # noqa: E402
from pipeline.resolve import run_resolve  # noqa: E402
from pipeline.scrape import run_scrape  # noqa: E402
from tests.fakeweb import FakeWeb  # noqa: E402


def main() -> None:
    web = FakeWeb().start()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "sources", root / "sources")
        settings = load_settings(root=root, environ=web.env())
        settings = dataclasses.replace(settings, cache_dir=root / ".cache")
        run_scrape(settings, None)
        for label in ("cold cache", "warm cache"):
            started = time.perf_counter()
            report = run_resolve(settings)
            wall = time.perf_counter() - started
            works = report.counts["works"]
            per_service = next(
                (line for line in report.lines if line.startswith("resolve requests:")), ""
            )
            print(f"{label}: {works} works, {report.requests} requests, {wall:.1f} s")
            if per_service:
                print(f"  {per_service}")


if __name__ == "__main__":
    main()
