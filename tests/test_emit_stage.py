"""The emit stage as a whole: determinism, last-known-good, links.json, bad input."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest

from pipeline.errors import InputError
from tests.helpers.emit import emit, fixture, make_project, outputs

EXPECTED = {
    "README.md",
    "keys.json",
    "link-report.md",
    "links.json",
    "papers.bib",
    "papers.json",
    "review.json",
}


def test_emit_writes_everything_and_reports(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    report = emit(root)
    assert set(outputs(root)) == EXPECTED
    assert report.stage == "emit"
    # the fixture's one project (software, "RSGPT Toolkit") is listed but not cited
    assert report.counts["works"] == 12 and report.counts["bib_entries"] == 11
    assert report.counts["dead"] == 2
    assert report.lines and "11 BibTeX/CSL entries" in report.lines[0]
    copied = json.loads((root / "output" / "links.json").read_text(encoding="utf-8"))
    assert copied == fixture("links.json")


def test_emitting_twice_is_byte_identical_and_rewrites_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    emit(root)
    first = outputs(root)
    stamps = {p.name: p.stat().st_mtime_ns for p in (root / "output").iterdir()}
    os.utime(root / "output" / "papers.bib", ns=(1, 1))  # would change if rewritten
    second_report = emit(root)
    assert outputs(root) == first
    assert second_report.counts["files_written"] == 0
    assert (root / "output" / "papers.bib").stat().st_mtime_ns == 1
    assert stamps  # all files existed


def test_input_order_does_not_matter(tmp_path: Path) -> None:
    one = make_project(tmp_path / "one")
    emit(one)
    shuffled = fixture("resolved.json")
    shuffled = shuffled[5:] + shuffled[:5]
    two = make_project(tmp_path / "two", shuffled)
    emit(two)
    assert outputs(one) == outputs(two)


def test_missing_links_json_keeps_the_previous_one(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    emit(root)
    before = (root / "output" / "links.json").read_bytes()
    readme_before = (root / "output" / "README.md").read_bytes()
    make_project(root, with_links=False)
    report = emit(root)
    assert (root / "output" / "links.json").read_bytes() == before
    assert (root / "output" / "README.md").read_bytes() == readme_before  # stars kept too
    assert "no build/links.json" in report.lines[0]


def test_degraded_resolve_loses_no_work_and_no_field(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    emit(root)
    before = {p["id"]: p for p in json.loads((root / "output" / "papers.json").read_text("utf-8"))}
    degraded = copy.deepcopy(fixture("resolved.json"))
    dropped = degraded.pop(2)  # a work missing from this run's input altogether
    geochat = degraded[1]  # resolved from the list only this time
    geochat.update(resolved_by="list", method="list-text", confidence=0.0, verified=False)
    geochat["csl"] = {"id": geochat["work"]["id"], "type": "article", "title": "GeoChat (list)"}
    clip = degraded[0]
    del clip["csl"]["custom"]["primary_class"]  # a field this run did not get
    make_project(root, degraded, with_links=False)
    report = emit(root)
    after = {p["id"]: p for p in json.loads((root / "output" / "papers.json").read_text("utf-8"))}
    assert set(after) == set(before)
    assert report.counts["kept_from_previous"] == 1
    assert after["mullernunez2022exploring"] == before["mullernunez2022exploring"]
    assert after["kuckreja2024geochat"] == before["kuckreja2024geochat"]  # verified kept
    assert after["liu2023remoteclip"]["custom"]["primary_class"] == "cs.CV"
    bib = (root / "output" / "papers.bib").read_text(encoding="utf-8")
    assert "@article{mullernunez2022exploring," in bib
    readme = (root / "output" / "README.md").read_text(encoding="utf-8")
    assert dropped["work"]["title"].split(":")[0] not in readme  # no longer in any list


def test_missing_or_broken_input_is_a_clear_error(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "build" / "resolved.json").unlink()
    with pytest.raises(InputError, match=r"resolved\.json: not found"):
        emit(root)
    (root / "build" / "resolved.json").write_text('[{"work": {}}]', encoding="utf-8")
    with pytest.raises(InputError, match=r"resolved\.json: item 1"):
        emit(root)
    (root / "build" / "resolved.json").write_text("[1,", encoding="utf-8")
    with pytest.raises(InputError, match=r"resolved\.json:1: invalid JSON"):
        emit(root)
    assert not (root / "output").exists()  # nothing written


def test_a_damaged_previous_links_json_is_replaced(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "output").mkdir()
    (root / "output" / "links.json").write_text("{broken", encoding="utf-8")
    emit(root)
    assert json.loads((root / "output" / "links.json").read_text("utf-8")) == fixture("links.json")
