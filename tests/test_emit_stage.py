"""The emit stage as a whole: determinism, last-known-good, links.json, bad input."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import InputError
from tests.helpers.emit import emit, fixture, make_project, outputs

EXPECTED = {
    "README.md",
    "feed.xml",
    "keys.json",
    "link-report.md",
    "links.json",
    "papers.bib",
    "papers.json",
    "review.json",
    "stars.json",
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
    """Resolve could not answer (the works are still listed): every field stays."""
    root = make_project(tmp_path)
    emit(root)
    before = {p["id"]: p for p in json.loads((root / "output" / "papers.json").read_text("utf-8"))}
    degraded = copy.deepcopy(fixture("resolved.json"))
    geochat = degraded[1]  # resolved from the list only this time
    geochat.update(resolved_by="list", method="list-text", confidence=0.0, verified=False)
    geochat["csl"] = {"id": geochat["work"]["id"], "type": "article", "title": "GeoChat (list)"}
    clip = degraded[0]
    del clip["csl"]["custom"]["primary_class"]  # a field this run did not get
    make_project(root, degraded, with_links=False)
    report = emit(root)
    after = {p["id"]: p for p in json.loads((root / "output" / "papers.json").read_text("utf-8"))}
    assert set(after) == set(before)
    assert report.counts["removed"] == 0
    assert after["kuckreja2024geochat"] == before["kuckreja2024geochat"]  # verified kept
    assert after["liu2023remoteclip"]["custom"]["primary_class"] == "cs.CV"
    assert not (root / "build" / "removed.md").exists()


def cited(resolved: list[dict[str, Any]]) -> int:
    """Works of the kinds papers.json holds by default (a project is listed, not cited)."""
    return sum(rw["work"]["kind"] in ("paper", "dataset") for rw in resolved)


def test_a_work_no_list_holds_leaves_and_comes_back_with_its_key(tmp_path: Path) -> None:
    """A work missing from build/resolved.json is in no list any more (resolve writes every
    listed work): it leaves papers.bib, papers.json and the README; keys.json keeps its key,
    marked removed; when the work is listed again it gets that key back."""
    root = make_project(tmp_path)
    emit(root)
    resolved = fixture("resolved.json")
    without = copy.deepcopy(resolved)
    dropped = without.pop(2)
    assert dropped["work"]["id"] == "doi:10.1109/tgrs.2022.3163706"
    make_project(root, without)
    report = emit(root)
    out = root / "output"
    papers = json.loads((out / "papers.json").read_text("utf-8"))
    assert "mullernunez2022exploring" not in {p["id"] for p in papers}
    assert len(papers) == cited(resolved) - 1
    assert "mullernunez2022exploring" not in (out / "papers.bib").read_text(encoding="utf-8")
    assert "Fine-Grained Multiscale" not in (out / "README.md").read_text(encoding="utf-8")
    keys = json.loads((out / "keys.json").read_text("utf-8"))["keys"]
    assert keys["mullernunez2022exploring"]["removed"] is True
    assert "doi:10.1109/tgrs.2022.3163706" in keys["mullernunez2022exploring"]["identifiers"]
    assert sum("removed" in v for v in keys.values()) == 1
    assert report.counts["removed"] == 1 and report.counts["bib_entries"] == len(papers)
    assert "1 removed: in no list any more" in report.lines[0]
    assert report.lines[1].startswith("emit: removed mullernunez2022exploring (Exploring a Fine")
    body = (root / "build" / "removed.md").read_text(encoding="utf-8")
    assert body == (
        "- mullernunez2022exploring: [Exploring a Fine-Grained Multiscale Method for "
        "Cross-Modal Remote Sensing Image Retrieval](https://doi.org/10.1109/tgrs.2022.3163706)\n"
    )
    # the next run removes nothing more: no report left behind, nothing rewritten
    report = emit(root)
    assert report.counts["removed"] == 0 and report.counts["files_written"] == 0
    assert not (root / "build" / "removed.md").exists()
    # listed again, under a new work id (the list now links its IEEE page only): same key
    back = copy.deepcopy(dropped)
    back["work"]["id"] = "ieee:9745546"
    back["csl"]["id"] = "ieee:9745546"
    make_project(root, [*without, back])
    report = emit(root)
    papers = json.loads((out / "papers.json").read_text("utf-8"))
    item = next(p for p in papers if p["custom"]["work_id"] == "ieee:9745546")
    assert item["id"] == "mullernunez2022exploring"
    assert len(papers) == cited(resolved) and report.counts["removed"] == 0
    keys = json.loads((out / "keys.json").read_text("utf-8"))["keys"]
    assert "removed" not in keys["mullernunez2022exploring"]
    assert "@article{mullernunez2022exploring," in (out / "papers.bib").read_text("utf-8")


def test_a_removed_key_is_never_given_to_another_work(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    emit(root)
    resolved = fixture("resolved.json")
    without = [rw for rw in resolved if rw["work"]["id"] != "arxiv:2401.00001"]
    make_project(root, without)
    emit(root)
    # a different paper whose key would be the removed one's
    other = copy.deepcopy(next(rw for rw in resolved if rw["work"]["id"] == "arxiv:2401.00001"))
    other["work"].update(id="arxiv:2409.00009", title="Remote Sensing Is Different")
    other["work"]["ids"]["arxiv"] = "2409.00009"
    other["csl"].update(id="arxiv:2409.00009", title="Remote Sensing Is Different")
    other["csl"]["custom"]["arxiv"] = "2409.00009"
    make_project(root, [*without, other])
    emit(root)
    keys = json.loads((root / "output" / "keys.json").read_text("utf-8"))["keys"]
    assert [k for k, v in keys.items() if v.get("removed")] == ["zhang2024remote"]
    papers = json.loads((root / "output" / "papers.json").read_text("utf-8"))
    new = next(p["id"] for p in papers if p["custom"]["work_id"] == "arxiv:2409.00009")
    assert new == "zhang2024remoteb"  # zhang2024remote is reserved for its own work


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
