"""The link-check benchmark still measures a real run (a small corpus, ours only).

Not a timing test: it checks that the benchmark's fake web, corpus and verdict reading agree,
so that the figures in docs/performance.md come from a run that checked every URL.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = [pytest.mark.network, pytest.mark.slow]


def test_small_bench_run_checks_every_url_with_right_verdicts() -> None:
    small = ["--urls", "200", "--hosts", "10", "--latency-ms", "0", "--tools", "ours"]
    done = subprocess.run(
        [sys.executable, "-m", "bench.check", *small],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("ours (pipeline check)"))
    requests = int(re.search(r"\)\s+(\d+) \(", line).group(1))  # type: ignore[union-attr]
    # 180 pages + 20 repository homes: every page asked (plus retries and HEAD probes, and
    # one GET per host to look for a parking page), the 20 homes in one GraphQL query.
    assert 181 <= requests <= 210, line
    assert "POST:1" in line, line
    # 9 pages answering 404 and the deleted repository; the renamed one is a move.
    assert "dead=10 moved=1 ok=189" in line, line
    assert "false-dead=0 missed-dead=0" in line, line
    per_host = int(re.search(r"\(≤(\d+) per host\)", line).group(1))  # type: ignore[union-attr]
    assert 1 <= per_host <= 4, line
