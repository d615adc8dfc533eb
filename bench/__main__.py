"""Run every benchmark in turn (``make bench``); each prints its figures and the machine.

One process per benchmark, so one's memory peak or event loop does not colour the next.
"""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = ["scrape", "emit", "check", "resolve", "resolve_lists", "site"]


def main() -> int:
    status = 0
    for name in sys.argv[1:] or BENCHMARKS:
        print(f"== bench.{name}", flush=True)
        status |= subprocess.call([sys.executable, "-m", f"bench.{name}"])
    return status


if __name__ == "__main__":
    sys.exit(main())
