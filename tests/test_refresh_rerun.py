"""A second `pipeline refresh` with nothing changed rewrites no file (byte-identical output/,
same mtimes). Shares the fixtures of test_refresh.py."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.fakeweb import FakeWeb
from tests.test_refresh import Run, clone, first_run, refresh, snapshot, web

pytestmark = [pytest.mark.network, pytest.mark.slow]
__all__ = ["first_run", "web"]  # fixtures used by name


def deltas_apart(data: bytes) -> tuple[Any, dict[str, Any]]:
    """links.json without its stars_delta fields, and those fields by repository."""
    links = json.loads(data)
    deltas = {repo["repo"]: repo.pop("stars_delta", None) for repo in links.get("repos") or []}
    return links, deltas


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The field names that differ between two links.json documents (for the message)."""
    fields: set[str] = set()
    for part in ("links", "repos"):
        for a, b in zip(old.get(part) or [], new.get(part) or [], strict=False):
            fields |= {f"{part}.{k}" for k in a.keys() | b.keys() if a.get(k) != b.get(k)}
    return sorted(fields)


def test_second_run_rewrites_nothing(
    first_run: tuple[Path, Run, dict[str, Any]], web: FakeWeb, tmp_path: Path
) -> None:
    root = clone(first_run[0], tmp_path)
    before = snapshot(root / "output")
    time.sleep(0.05)  # a rewrite would show in the mtimes
    run = refresh(root, web.env())
    assert run.code == 0, run
    after = snapshot(root / "output")
    assert set(after) == set(before)
    changed = [name for name in before if before[name] != after[name]]
    if "links.json" in changed:
        # The one thing a second run may add: a repository's stars_delta, unknown (null) on
        # the run that first saw it and 0 once there is a previous count to compare with.
        old, old_deltas = deltas_apart(before["links.json"][0])
        new, new_deltas = deltas_apart(after["links.json"][0])
        assert old == new, f"links.json changed beyond stars_delta: {changed_fields(old, new)}"
        assert all(new_deltas[r] in (0, d) for r, d in old_deltas.items()), new_deltas
        changed.remove("links.json")
    assert not changed, f"rewritten although nothing changed: {changed}"

    # From then on nothing at all: same bytes, same mtimes.
    steady = snapshot(root / "output")
    run = refresh(root, web.env())
    assert run.code == 0, run
    assert snapshot(root / "output") == steady
