"""Helpers for the resolve tests: fast settings against the fake web, one-call stage runs."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from pipeline.config import ResolveSettings, Settings, load_settings
from pipeline.models import ResolvedWork, StageReport, Work
from pipeline.resolve import run_resolve
from pipeline.store import write_json
from tests.fakeweb import FakeWeb

FAST = ResolveSettings(
    timeout=0.5,
    retry_wait=0.001,
    retry_attempts=3,
    retry_budget=3.0,
    retry_after_cap=0.02,
    breaker_after=3,
)
"""Milliseconds of backoff, half-second timeouts: fault tests finish fast yet really retry."""


def fast_settings(web: FakeWeb, root: Path, **changes: object) -> Settings:
    """Settings pointing at ``web`` (its ``env()``), cache under ``root``, short waits."""
    settings = load_settings(root=root, environ=web.env())
    resolve = dataclasses.replace(FAST, **changes)  # type: ignore[arg-type]
    return dataclasses.replace(settings, cache_dir=root / ".cache", resolve=resolve)


def run(settings: Settings, works: list[Work]) -> tuple[StageReport, dict[str, ResolvedWork]]:
    """Write ``works`` as build/works.json, run the stage, read build/resolved.json back."""
    write_json(settings.build_dir / "works.json", works)
    report = run_resolve(settings)
    data = json.loads((settings.build_dir / "resolved.json").read_text(encoding="utf-8"))
    return report, {item["work"]["id"]: ResolvedWork.from_json(item) for item in data}
