"""Helpers for the tests of issue 24's numbers: emit on a given run date, new works, repositories."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from pipeline.config import load_settings
from pipeline.emit import run_emit
from pipeline.models import StageReport
from tests.helpers.emit import fixture, make_project


def emit_on(root: Path, day: str) -> StageReport:
    """One emit with ``day`` as the run date (``PIPELINE_RUN_DATE``)."""
    return run_emit(load_settings(root=root, environ={"PIPELINE_RUN_DATE": day}))


def new_work(number: int, day: int = 1) -> dict[str, Any]:
    """A resolved preprint no fixture holds: ``arxiv:2402.NNNNN``, "Added work NUMBER …"."""
    item = copy.deepcopy(fixture("resolved.json")[-1])
    arxiv = f"2402.{number:05d}"
    title = f"Added work {number} on remote sensing image captioning"
    item["work"].update(id=f"arxiv:{arxiv}", title=title)
    item["work"]["ids"]["arxiv"] = arxiv
    item["work"]["links"] = [{"url": f"https://arxiv.org/abs/{arxiv}", "role": "paper"}]
    item["csl"].update(id=f"arxiv:{arxiv}", title=title)
    item["csl"]["issued"] = {"date-parts": [[2024, 2, day]]}
    item["csl"]["custom"] = {"arxiv": arxiv}
    return item


def with_works(root: Path, *extra: dict[str, Any], links: Any | None = None) -> Path:
    """The fixture's works plus ``extra`` as build/resolved.json (and ``links``)."""
    return make_project(root, [*fixture("resolved.json"), *extra], links)


def links_with(**stars: tuple[int, int | None]) -> dict[str, Any]:
    """The fixture's link report with ``repo_key=(stars, stars_delta)`` changed (``__`` for
    ``/``: ``chendelong1999__remoteclip``)."""
    report = fixture("links.json")
    for repo in report["repos"]:
        change = stars.get(repo["repo"].replace("/", "__"))
        if change is not None:
            repo["stars"], repo["stars_delta"] = change
    return report


def read(root: Path, name: str) -> Any:
    return json.loads((root / "output" / name).read_text(encoding="utf-8"))


def text(root: Path, name: str) -> str:
    return (root / "output" / name).read_text(encoding="utf-8")
