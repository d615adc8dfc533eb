"""Helpers for the emit tests: a project root with hand-made build/ inputs, and one run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from pipeline.config import load_settings
from pipeline.emit import run_emit
from pipeline.models import StageReport
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "emit"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def make_project(
    root: Path, resolved: Any | None = None, links: Any | None = None, *, with_links: bool = True
) -> Path:
    """A project root holding sources/, pipeline.toml (this repository's topics for the
    README) and build/resolved.json (+ build/links.json)."""
    if not (root / "sources").exists():
        shutil.copytree(REPO / "sources", root / "sources")
        shutil.copyfile(REPO / "pipeline.toml", root / "pipeline.toml")
    build = root / "build"
    build.mkdir(parents=True, exist_ok=True)
    data = fixture("resolved.json") if resolved is None else resolved
    (build / "resolved.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    if with_links:
        report = fixture("links.json") if links is None else links
        (build / "links.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    else:
        (build / "links.json").unlink(missing_ok=True)
    return root


def emit(root: Path) -> StageReport:
    return run_emit(load_settings(root=root, environ={}))


def outputs(root: Path) -> dict[str, bytes]:
    """Every file under output/, by name."""
    return {p.name: p.read_bytes() for p in sorted((root / "output").iterdir()) if p.is_file()}


def payloads_output(root: Path) -> Path:
    """output/ of the hand-made payloads plus all five real lists as an offline run resolves
    them (lists-resolved.json: a snapshot of build/resolved.json from `pipeline scrape` and
    `pipeline resolve --offline`, every record unverified)."""
    resolved = fixture("resolved.json")
    seen = {item["work"]["id"] for item in resolved}
    resolved += [x for x in fixture("lists-resolved.json") if x["work"]["id"] not in seen]
    emit(make_project(root, resolved))
    return root / "output"
