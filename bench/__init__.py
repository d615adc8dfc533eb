"""Benchmarks: each module generates its own input and prints figures and the machine.

Run one with ``python -m bench.<name>`` (for example ``python -m bench.scrape``).
"""

from __future__ import annotations

import os
import platform
from pathlib import Path


def machine() -> str:
    """The machine a figure was measured on: CPU count (nproc), CPU model, Python."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = f", load average {os.getloadavg()[0]:.1f}"
    return f"{os.cpu_count()} CPUs (nproc), {model}, Python {platform.python_version()}{load}"
