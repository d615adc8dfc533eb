"""Helpers for the resolve tests: fast settings against the fake web, one-call stage runs."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from pipeline.config import Settings, load_settings
from pipeline.models import ResolvedWork, StageReport, Work
from pipeline.resolve import run_resolve
from pipeline.store import write_json
from tests.fakeweb import FakeWeb
from tests.helpers.fast import FAST_RESOLVE

FAST = FAST_RESOLVE
"""The resolve tests' name for :data:`tests.helpers.fast.FAST_RESOLVE`."""


def fast_settings(web: FakeWeb, root: Path, **changes: object) -> Settings:
    """Settings pointing at ``web`` (its ``env()``), cache under ``root``, short waits."""
    settings = load_settings(root=root, environ=web.env())
    resolve = dataclasses.replace(FAST_RESOLVE, **changes)  # type: ignore[arg-type]
    return dataclasses.replace(settings, cache_dir=root / ".cache", resolve=resolve)


def run(settings: Settings, works: list[Work]) -> tuple[StageReport, dict[str, ResolvedWork]]:
    """Write ``works`` as build/works.json, run the stage, read build/resolved.json back."""
    write_json(settings.build_dir / "works.json", works)
    report = run_resolve(settings)
    data = json.loads((settings.build_dir / "resolved.json").read_text(encoding="utf-8"))
    return report, {item["work"]["id"]: ResolvedWork.from_json(item) for item in data}
