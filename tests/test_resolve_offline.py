"""Warm cache and --offline: no metadata requests, the same records, last known kept."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from pipeline.models import ResolvedWork, Work, to_json
from pipeline.store import write_json
from tests.fakeweb import FakeWeb
from tests.fakeweb.world import list_works
from tests.helpers.fast import FAST_RESOLVE_FIELDS, settings_toml
from tests.helpers.resolve import fast_settings, run

pytestmark = pytest.mark.network


def _records(resolved: dict[str, ResolvedWork]) -> dict[str, object]:
    return {k: to_json(v) for k, v in sorted(resolved.items())}


def test_warm_cache_makes_no_requests_and_offline_gives_the_same_records(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    works = list_works()
    settings = fast_settings(fakeweb, tmp_path)
    first_report, first = run(settings, works)
    assert first_report.requests > 0
    fakeweb.clear()

    second_report, second = run(settings, works)
    assert fakeweb.requests == [] and second_report.requests == 0
    assert _records(second) == _records(first)

    # Offline, from an empty build/ (nothing to fall back on but the cache).
    (settings.build_dir / "resolved.json").unlink()
    offline = dataclasses.replace(settings, offline=True)
    offline_report, third = run(offline, works)
    assert fakeweb.requests == [] and offline_report.requests == 0
    assert offline_report.degraded == []
    assert _records(third) == _records(first)


def test_offline_without_cache_uses_previous_output_papers_json(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    works = [w for w in list_works() if w.ids.arxiv][:3]
    item = {
        "id": "liu2024remoteclip",
        "type": "article-journal",
        "title": "A title the previous run knew",
        "author": [{"family": "Known", "given": "Already"}],
        "issued": {"date-parts": [[2024]]},
        "custom": {"work_id": works[0].id, "resolved_by": "crossref", "confidence": 1.0},
    }
    write_json(tmp_path / "output" / "papers.json", [item])
    settings = dataclasses.replace(fast_settings(fakeweb, tmp_path), offline=True)
    report, resolved = run(settings, works)
    assert fakeweb.requests == []
    kept = resolved[works[0].id]
    assert kept.csl["title"] == "A title the previous run knew"
    assert kept.csl["id"] == works[0].id
    assert (kept.resolved_by, kept.verified) == ("crossref", True)
    # What neither the cache nor output/ knows stays list text, and offline is not degraded.
    assert all(resolved[w.id].resolved_by == "list" for w in works[1:])
    assert report.degraded == [] and report.counts["last-known"] == 1


def test_unresolvable_input_is_a_clear_error(tmp_path: Path, fakeweb: FakeWeb) -> None:
    from pipeline.errors import InputError
    from pipeline.resolve import run_resolve

    settings = fast_settings(fakeweb, tmp_path)
    with pytest.raises(InputError, match=r"works\.json: not found"):
        run_resolve(settings)
    (tmp_path / "build").mkdir(exist_ok=True)
    (tmp_path / "build" / "works.json").write_text('[{"kind": "paper"}]', encoding="utf-8")
    with pytest.raises(InputError, match="malformed work record"):
        run_resolve(settings)


def test_resolved_json_round_trips(fakeweb: FakeWeb, tmp_path: Path) -> None:
    works: list[Work] = [w for w in list_works() if w.ids.arxiv][:2]
    settings = fast_settings(fakeweb, tmp_path)
    run(settings, works)
    data = json.loads((settings.build_dir / "resolved.json").read_text(encoding="utf-8"))
    assert [ResolvedWork.from_json(d).work.id for d in data] == [w.id for w in works]
    assert all(d["csl"]["id"] == d["work"]["id"] for d in data)


def test_cli_exit_codes_and_offline_flag(fakeweb: FakeWeb, project: Path) -> None:
    from click.testing import CliRunner

    from pipeline.cli import cli

    works = [w for w in list_works() if w.ids.arxiv][:3]
    write_json(project / "build" / "works.json", works)
    # Short waits through the settings file's [resolve] section (as a user would set them).
    (project / "pipeline.toml").write_text(
        settings_toml(
            {
                k: FAST_RESOLVE_FIELDS[k]
                for k in ("timeout_seconds", "backoff_seconds", "retry_after_cap_seconds")
            }
        ),
        encoding="utf-8",
    )
    env = {**fakeweb.env(), "PIPELINE_CACHE_DIR": str(project / ".cache")}
    runner = CliRunner()
    args = ["resolve", "--root", str(project)]
    ok = runner.invoke(cli, args, env=env)
    assert ok.exit_code == 0, ok.output
    assert "resolve: works 3" in ok.output
    online_requests = len(fakeweb.requests)
    assert online_requests > 0

    offline = runner.invoke(cli, [*args, "--offline"], env=env)
    assert offline.exit_code == 0 and len(fakeweb.requests) == online_requests

    # Crossref down and a stale cache: done in degraded mode, exit 3, records kept.
    before = json.loads((project / "build" / "resolved.json").read_text("utf-8"))
    fakeweb.add_fault("status", "/crossref/", status=503)
    fakeweb.add_fault("status", "/arxiv/", status=503)
    (project / ".cache" / "http.sqlite3").unlink()
    degraded = runner.invoke(cli, args, env=env)
    assert degraded.exit_code == 3
    assert "could not reach arxiv, crossref" in degraded.output
    after = json.loads((project / "build" / "resolved.json").read_text("utf-8"))
    assert [x["csl"] for x in after] == [x["csl"] for x in before]
