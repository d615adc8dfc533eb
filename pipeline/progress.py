"""Progress for long stages: a bar on a terminal, plain periodic log lines elsewhere.

A stage wraps its loop in :func:`progress` and calls ``advance()`` per item::

    with progress("resolve", total=len(works), settings=settings) as bar:
        for work in works:
            ...
            bar.advance()

On an interactive terminal (stderr is a tty and ``CI`` is not set) this draws a
``click.progressbar``; in CI, in a pipe or under ``-q`` it writes a log line at most every
``interval`` seconds plus one at the end, so CI logs stay readable and never fill with
carriage-return redraws.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TextIO

import click

from pipeline.config import Settings

log = logging.getLogger("pipeline.progress")

DEFAULT_INTERVAL = 10.0
"""Seconds between two plain log lines."""


class Progress(Protocol):
    """What a stage sees: one method, safe to call from several threads."""

    def advance(self, n: int = 1) -> None: ...


def interactive(stream: TextIO | None = None) -> bool:
    """True when a bar makes sense: a terminal, and not a CI job (``CI=true``)."""
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        return False
    target = stream if stream is not None else sys.stderr
    try:
        return target.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


class _LogProgress:
    """Periodic ``label: done/total (pct%)`` log lines; a final line on close."""

    def __init__(self, label: str, total: int | None, interval: float, quiet: bool) -> None:
        self.label = label
        self.total = total
        self.interval = interval
        self.quiet = quiet
        self.done = 0
        self.started = time.monotonic()
        self._last = self.started
        self._lock = threading.Lock()

    def _line(self) -> str:
        elapsed = time.monotonic() - self.started
        if self.total:
            pct = 100 * self.done // self.total
            return f"{self.label}: {self.done}/{self.total} ({pct}%) after {elapsed:.1f} s"
        return f"{self.label}: {self.done} done after {elapsed:.1f} s"

    def advance(self, n: int = 1) -> None:
        with self._lock:
            self.done += n
            now = time.monotonic()
            if now - self._last < self.interval:
                return
            self._last = now
            line = self._line()
        if not self.quiet:
            log.info("%s", line)

    def close(self) -> None:
        if not self.quiet and self.done:
            log.info("%s", self._line())


class _BarProgress:
    """A ``click.progressbar`` drawn on stderr."""

    def __init__(self, bar: Any) -> None:
        self._bar = bar
        self._lock = threading.Lock()

    def advance(self, n: int = 1) -> None:
        with self._lock:
            self._bar.update(n)


@contextmanager
def progress(
    label: str,
    total: int | None = None,
    *,
    settings: Settings | None = None,
    interval: float = DEFAULT_INTERVAL,
    stream: TextIO | None = None,
) -> Iterator[Progress]:
    """Report progress of ``total`` items (None when unknown) under ``label``."""
    quiet = settings is not None and settings.verbosity < 0
    target = stream if stream is not None else sys.stderr
    if not quiet and interactive(target):
        with click.progressbar(
            length=total if total is not None else 0,
            label=label,
            file=target,
            show_pos=True,
            show_eta=total is not None,
        ) as bar:
            yield _BarProgress(bar)
        return
    plain = _LogProgress(label, total, interval, quiet)
    try:
        yield plain
    finally:
        plain.close()
