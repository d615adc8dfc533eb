"""run_refresh's orchestration with stand-in stages: a ServiceError degrades the stage, which
is re-run offline, and the run goes on; stale temporary files of a killed run are removed.
(The real stages, end to end against the fake web, are tested in test_refresh.py.)"""

from __future__ import annotations

import dataclasses
import socket
from pathlib import Path

import pytest

from pipeline import refresh as module
from pipeline.config import Endpoints, Settings
from pipeline.errors import ServiceError
from pipeline.models import StageReport
from tests.fakeweb.core import free_port

Calls = list[tuple[str, bool]]


def stand_ins(monkeypatch: pytest.MonkeyPatch, failing: str | None) -> Calls:
    """Replace the four stages by recorders; ``failing`` raises ServiceError when online."""
    calls: Calls = []

    def stage(name: str) -> module.Stage:
        def run(settings: Settings) -> StageReport:
            calls.append((name, settings.offline))
            if name == failing and not settings.offline:
                raise ServiceError("crossref", "HTTP 503 after 4 tries")
            return StageReport(stage=name, requests=2)

        return run

    stages = tuple((name, stage(name)) for name in ("scrape", "resolve", "check", "emit"))
    monkeypatch.setattr(module, "STAGES", stages)
    return calls


def endpoints_at(base: str) -> Settings:
    services = {"arxiv": "a", "crossref": "c", "doi": "d", "openalex": "o", "github": "g"}
    return Settings(endpoints=Endpoints(**{k: f"{base}/{v}" for k, v in services.items()}))


def test_service_error_degrades_and_retries_offline(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = stand_ins(monkeypatch, failing="resolve")
    monkeypatch.setattr(module, "unreachable_services", lambda settings: [])
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


def test_probe_finds_a_listening_service() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        assert module.unreachable_services(endpoints_at(f"http://127.0.0.1:{port}")) == []


ALL = ["arxiv", "crossref", "doi", "github", "openalex"]


def test_probe_reports_all_services_down_quickly() -> None:
    closed = endpoints_at(f"http://127.0.0.1:{free_port()}")
    assert module.unreachable_services(closed) == ALL
    unresolvable = endpoints_at("http://no-such-host.invalid")
    assert module.unreachable_services(unresolvable, timeout=1.0) == ALL


def test_one_service_up_means_the_network_is_up() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        settings = endpoints_at(f"http://127.0.0.1:{free_port()}")
        github = f"http://127.0.0.1:{server.getsockname()[1]}/github"
        settings = dataclasses.replace(
            settings, endpoints=dataclasses.replace(settings.endpoints, github=github)
        )
        assert module.unreachable_services(settings) == []


def test_no_network_runs_resolve_and_check_offline_at_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = stand_ins(monkeypatch, failing=None)
    closed = dataclasses.replace(endpoints_at(f"http://127.0.0.1:{free_port()}"), root=tmp_path)
    reports = module.run_refresh(closed)
    assert calls == [("scrape", False), ("resolve", True), ("check", True), ("emit", False)]
    assert reports[1].degraded == ["arxiv", "crossref", "doi", "openalex"]
    assert reports[2].degraded == ["github", "links"]
    assert not reports[0].degraded and not reports[3].degraded
