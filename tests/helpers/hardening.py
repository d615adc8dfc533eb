"""Shared pieces of the hardening tests (tests/test_hardening_*.py) and the soak run.

A small project (one list of five works: arXiv + GitHub with a published version via
Crossref, IEEE via Crossref, CVF via OpenAlex, Zenodo via DataCite/doi.org, a preprint that
only arXiv knows) keeps each in-process refresh well under a second, so that every
fault can be tried against every service. :func:`snapshot` reads output/ into the fields a later
run must never lose, and :func:`lost_fields` compares two snapshots field by field.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from pathlib import Path
from typing import Any

import bibtexparser

from pipeline.config import Settings, load_settings
from pipeline.models import StageReport
from pipeline.refresh import run_refresh
from tests.fakeweb import FakeWeb
from tests.fakeweb.github import add_repo
from tests.helpers.fast import fast_toml

MINI_LIST = """# Mini list

## Papers

- **RemoteCLIP: A Vision Language Foundation Model for Remote Sensing** (2023.06) [[pdf]](https://arxiv.org/abs/2306.11029) [[code]](https://github.com/ChenDelong1999/RemoteCLIP)
- **SS-MAE: Spatial-Spectral Masked Auto-Encoder for Mulit-Source Remote Sensing Image Classification** [[paper]](https://ieeexplore.ieee.org/document/10314566/) [[code]](https://github.com/summitgao/SS-MAE)
- **Geography-Aware Self-Supervised Learning** [[paper]](https://openaccess.thecvf.com/content/ICCV2021/html/Ayush_Geography-Aware_Self-Supervised_Learning_ICCV_2021_paper.html) [[code]](https://github.com/sustainlab-group/geography-aware-ssl)
- **ChatEarthNet: A Global-Scale Image-Text Dataset for Remote Sensing** [[data]](https://zenodo.org/records/11003436)
- **LRSCLIP: A Vision-Language Foundation Model for Aligning Remote Sensing Image with Longer Text** [[pdf]](https://arxiv.org/abs/2503.19311)
"""

REPOS = {
    "chendelong1999/remoteclip": 1201,
    "summitgao/ss-mae": 77,
    "sustainlab-group/geography-aware-ssl": 333,
}
"""The list's repositories and their stars (all different, so a body for the wrong repository
would show as a changed count)."""

CATALOG = """[[list]]
id = "mini"
file = "mini.md"
title = "Mini list"
repo = "example/mini"
raw_url = "https://raw.githubusercontent.com/example/mini/HEAD/README.md"
"""

FAST_TOML = fast_toml(
    resolve={"backoff_seconds": 0.005, "retry_after_cap_seconds": 0.05},
    check={
        "timeout_seconds": 0.5,
        "retry_budget_seconds": 3.0,
        "backoff_seconds": 0.005,
        "backoff_max_seconds": 0.02,
        "retry_after_cap_seconds": 0.05,
        "per_host_per_second": 1000.0,
    },
)
"""Waits in milliseconds, so a fault costs little time but every retry path still runs."""

RESOLVE_ATTEMPTS = 3
CHECK_ATTEMPTS = 3  # [check] retry_attempts (tries in all)


def make_project(root: Path, text: str = MINI_LIST) -> Path:
    """A project root with one list (``text``), the catalog and the fast settings."""
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "sources" / "mini.md").write_text(text, encoding="utf-8")
    (root / "sources" / "sources.toml").write_text(CATALOG, encoding="utf-8")
    (root / "pipeline.toml").write_text(FAST_TOML, encoding="utf-8")
    return root


def add_repos(web: FakeWeb) -> None:
    for repo, stars in REPOS.items():
        add_repo(web, repo, stars=stars)


def settings_for(web: FakeWeb, root: Path, **env: str) -> Settings:
    return load_settings(root=root, environ={**web.env(), **env})


def refresh_in_process(settings: Settings) -> tuple[list[StageReport], float]:
    started = time.monotonic()
    reports = run_refresh(settings)
    return reports, time.monotonic() - started


def copy_without_cache(root: Path, target: Path) -> Path:
    """A copy of a project after a run, minus its HTTP cache: the next run must ask again."""
    shutil.copytree(root, target, ignore=shutil.ignore_patterns(".cache"))
    return target


def degraded(reports: list[StageReport]) -> set[str]:
    return {service for report in reports for service in report.degraded}


# -- what output/ knows -------------------------------------------------------------------------

VOLATILE = {"checked_at", "fetched_at", "stars_delta", "etag", "failures", "note"}
"""Fields that legitimately change from run to run (times, counters, free text)."""


def snapshot(root: Path) -> dict[str, dict[str, Any]]:
    """The fields output/ holds: CSL items, BibTeX entries, link and repository facts."""
    out = root / "output"
    papers = json.loads((out / "papers.json").read_text(encoding="utf-8"))
    library = bibtexparser.parse_string((out / "papers.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks, [b.error for b in library.failed_blocks][:3]
    links = json.loads((out / "links.json").read_text(encoding="utf-8"))
    return {
        "papers": {item["id"]: _flatten(item) for item in papers},
        "bib": {
            entry.key: {f.key: f.value for f in entry.fields} | {"@type": entry.entry_type}
            for entry in library.entries
        },
        "links": {
            link["url"]: {k: v for k, v in link.items() if k not in VOLATILE}
            for link in links.get("links", [])
        },
        "repos": {
            repo["repo"]: {k: v for k, v in repo.items() if k not in VOLATILE}
            for repo in links.get("repos", [])
        },
    }


def _flatten(item: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in item.items() if k != "custom"}
    for key, value in (item.get("custom") or {}).items():
        if key not in VOLATILE:
            flat[f"custom.{key}"] = value
    return flat


LINK_STATUS_MAY_CHANGE = {"status", "http_status", "final_url"}
"""A faulted run may see a link fail once (``failing``); it may never call it ``dead``."""


def lost_fields(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> list[str]:
    """Every field known before and missing or changed after, as ``part/record/field``."""
    lost: list[str] = []
    for part in ("papers", "bib", "repos", "links"):
        may_change = LINK_STATUS_MAY_CHANGE if part == "links" else set()
        for record, fields in before[part].items():
            now = after[part].get(record)
            if now is None:
                lost.append(f"{part}/{record}")
                continue
            lost += [
                f"{part}/{record}/{name}: {value!r} -> {now.get(name)!r}"
                for name, value in fields.items()
                if name not in may_change and value is not None and now.get(name) != value
            ]
            if part == "links" and now["status"] == "dead" and fields["status"] != "dead":
                lost.append(f"links/{record}/status: {fields['status']} -> dead after one run")
    return lost


def fast_settings(settings: Settings) -> Settings:
    """Settings whose waits are already short (pipeline.toml), with no arXiv delay."""
    return dataclasses.replace(settings, arxiv_delay_seconds=0.0)
