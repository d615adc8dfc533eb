"""run_refresh's orchestration with stand-in stages: a ServiceError degrades the stage, which
is re-run offline, and the run goes on; stale temporary files of a killed run are removed.
(The real stages, end to end against the fake web, are tested in test_refresh.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import refresh as module
from pipeline.config import Settings
from pipeline.errors import ServiceError
from pipeline.models import StageReport


def test_service_error_degrades_and_retries_offline(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[tuple[str, bool]] = []

    def stage(name: str, fail_online: bool) -> module.Stage:
        def run(settings: Settings) -> StageReport:
            calls.append((name, settings.offline))
            if fail_online and not settings.offline:
                raise ServiceError("crossref", "HTTP 503 after 4 tries")
            return StageReport(stage=name, requests=2)

        return run

    monkeypatch.setattr(
        module,
        "STAGES",
        (
            ("scrape", stage("scrape", False)),
            ("resolve", stage("resolve", True)),
            ("check", stage("check", False)),
            ("emit", stage("emit", False)),
        ),
    )
    (tmp_path / "output").mkdir()
    stale = tmp_path / "output" / ".papers.bib.abc123.tmp"
    stale.write_text("half a file", encoding="utf-8")
    reports = module.run_refresh(Settings(root=tmp_path))
    assert calls == [
        ("scrape", False),
        ("resolve", False),
        ("resolve", True),
        ("check", False),
        ("emit", False),
    ]
    assert [r.stage for r in reports] == ["scrape", "resolve", "check", "emit", "refresh"]
    assert reports[1].degraded == ["crossref"]
    assert any("used the cache and output/ only" in line for line in reports[1].lines)
    summary = "\n".join(reports[-1].lines)
    assert "requests:    8" in summary
    assert "degraded:    crossref unreachable" in summary
    assert not stale.exists()
