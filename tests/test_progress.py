"""pipeline.progress: a bar on a terminal, periodic plain log lines in CI and pipes."""

from __future__ import annotations

import io
import logging
import threading

import pytest

from pipeline.config import Settings
from pipeline.progress import interactive, progress


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_terminal_gets_a_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    stream = Terminal()
    with progress("resolve", total=4, stream=stream) as bar:
        for _ in range(4):
            bar.advance()
    text = stream.getvalue()
    assert "resolve" in text
    assert "4/4" in text


@pytest.mark.parametrize("ci", ["true", "1"])
def test_ci_gets_plain_lines_even_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, ci: str
) -> None:
    monkeypatch.setenv("CI", ci)
    stream = Terminal()
    assert not interactive(stream)
    caplog.set_level(logging.INFO, "pipeline.progress")
    with progress("check", total=10, stream=stream, interval=0.0) as bar:
        for _ in range(10):
            bar.advance()
    assert stream.getvalue() == ""  # no bar drawn
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0].startswith("check: 1/10 (10%)")
    assert lines[-1].startswith("check: 10/10 (100%)")
    assert all("\r" not in line for line in lines)


def test_pipe_lines_are_rate_limited(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("CI", raising=False)
    stream = io.StringIO()  # not a tty
    caplog.set_level(logging.INFO, "pipeline.progress")
    with progress("resolve", total=1000, stream=stream, interval=3600.0) as bar:
        for _ in range(1000):
            bar.advance()
    # Nothing in between (the interval never passed), one closing line.
    assert [r.getMessage().split(" after")[0] for r in caplog.records] == [
        "resolve: 1000/1000 (100%)"
    ]


def test_unknown_total_and_threads(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "pipeline.progress")
    with progress("links", stream=io.StringIO(), interval=3600.0) as bar:
        threads = [
            threading.Thread(target=lambda: [bar.advance() for _ in range(250)]) for _ in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert caplog.records[-1].getMessage().startswith("links: 1000 done")


def test_quiet_prints_nothing(caplog: pytest.LogCaptureFixture) -> None:
    stream = Terminal()
    caplog.set_level(logging.INFO, "pipeline.progress")
    with progress("emit", total=3, settings=Settings(verbosity=-1), stream=stream) as bar:
        for _ in range(3):
            bar.advance()
    assert stream.getvalue() == ""
    assert not caplog.records
