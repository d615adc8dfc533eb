"""papers.json: schema-valid CSL-JSON, custom fields, round trip as last-known-good store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.emit import bibtex
from pipeline.emit.records import from_item, from_resolved, to_item
from pipeline.models import ResolvedWork
from pipeline.text import clean_text
from tests.conftest import SHARED, require_shared
from tests.helpers.emit import emit, make_project

SCHEMA = SHARED / "schemas" / "csl-data.json"


def _validate(items: Any) -> None:
    schema = json.loads(require_shared(SCHEMA).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(items))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


@pytest.fixture
def papers(tmp_path: Path) -> list[dict[str, Any]]:
    root = make_project(tmp_path)
    emit(root)
    data: list[dict[str, Any]] = json.loads(
        (root / "output" / "papers.json").read_text(encoding="utf-8")
    )
    return data


def test_papers_json_validates_against_the_schema(papers: list[dict[str, Any]]) -> None:
    _validate(papers)
    assert [p["id"] for p in papers] == sorted(p["id"] for p in papers)


def test_types_names_dates_and_custom(papers: list[dict[str, Any]]) -> None:
    by_key = {p["id"]: p for p in papers}
    assert {p["type"] for p in papers} <= {
        "article-journal",
        "paper-conference",
        "article",
        "dataset",
        "document",  # software: the CSL type Zotero's importer refuses is never written
    }
    geochat = by_key["kuckreja2024geochat"]
    assert geochat["type"] == "paper-conference"
    assert geochat["issued"] == {"date-parts": [[2024, 6, 16]]}
    assert geochat["author"][0] == {"family": "Kuckreja", "given": "Kartik"}
    custom = geochat["custom"]
    assert custom["work_id"] == "doi:10.1109/cvpr52733.2024.02629"
    assert custom["arxiv"] == "2311.15826"
    assert custom["github"] == ["mbzuai-oryx/geochat"]
    assert custom["stars"] == 600
    assert custom["sources"] == ["rs-mllm", "rs-vlm"]
    assert (custom["resolved_by"], custom["confidence"], custom["verified"]) == (
        "crossref",
        1.0,
        True,
    )
    assert "note" not in geochat
    clip = by_key["liu2023remoteclip"]
    assert clip["type"] == "article"  # preprint
    assert clip["number"] == "arXiv:2306.11029" and clip["publisher"] == "arXiv"
    assert by_key["zhang2023rs5m"]["type"] == "dataset"
    assert "anonndrsgpt" not in by_key  # a project (software): in the README, not cited
    # list text decides the type of unverified records: "IGARSS 2022" is a conference
    assert by_key["gross2022clip"]["type"] == "paper-conference"
    assert by_key["gross2022clip"]["custom"]["verified"] is False
    assert by_key["gross2022clip"]["custom"]["resolved_by"] == "list"
    # our status stays in custom: "note" is Zotero's Extra and styles print it
    assert not [p["id"] for p in papers if "note" in p]
    tgrs = by_key["mullernunez2022exploring"]
    assert tgrs["author"][0] == {"family": "Müller-Ñúñez", "given": "José"}
    assert tgrs["author"][-1] == {"literal": "The RS & AI Consortium, Inc."}


def test_software_is_a_type_zotero_takes() -> None:
    """Zotero's CSL-JSON importer refuses a whole file for one "software" item: software goes
    out as a Document with APA's label, and is software again when read back."""
    record = from_resolved(
        ResolvedWork.from_json(
            {
                "work": {"id": "title:x", "kind": "project", "title": "RemoteGLM"},
                "csl": {"type": "software", "URL": "https://github.com/lzw-lzw/RemoteGLM"},
            }
        ),
        key="anon2023remoteglm",
    )
    item = to_item(record)
    assert (item["type"], item["genre"]) == ("document", "Computer software")
    assert from_item(item).type == "software" and from_item(item).kind == "project"
    assert to_item(from_item(item)) == item
    _validate([item])  # last: without ../shared it skips, after the checks above


def test_items_round_trip(papers: list[dict[str, Any]]) -> None:
    for item in papers:
        assert to_item(from_item(item)) == item


def test_control_characters_never_reach_the_json(papers: list[dict[str, Any]]) -> None:
    text = json.dumps(papers, ensure_ascii=False)
    assert "\\u0000" not in text and "\\u0007" not in text and "\u202e" not in text


def test_all_unverified_offline_output_is_still_valid(tmp_path: Path) -> None:
    """The first committed output/ comes from the lists alone: every record unverified."""
    resolved = json.loads(
        (Path(__file__).parent / "fixtures" / "emit" / "resolved.json").read_text("utf-8")
    )
    for item in resolved:
        item.update(resolved_by="list", method="list-text", confidence=0.0, verified=False)
        item["csl"] = {"id": item["work"]["id"], "type": "article", "title": item["work"]["title"]}
    root = make_project(tmp_path, resolved, with_links=False)
    report = emit(root)
    papers = json.loads((root / "output" / "papers.json").read_text(encoding="utf-8"))
    assert all(p["custom"]["verified"] is False for p in papers)
    assert report.counts["unverified"] == len(resolved)
    # authors, venue and date still come from the list text
    by_key = {p["id"]: p for p in papers}
    # the list's "CVPR 2024" in the venue table's one spelling
    assert by_key["kuckreja2023geochat"]["container-title"] == (
        "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)"
    )
    assert by_key["kuckreja2023geochat"]["type"] == "paper-conference"
    _validate(papers)  # last: without ../shared it skips, after the checks above ran


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
CSL_FIELDS = ["type", "title", "author", "issued", "container-title", "volume", "issue", "page",
              "publisher", "DOI", "URL", "custom"]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(csl=st.fixed_dictionaries({}, optional={k: json_values for k in CSL_FIELDS}))
def test_any_service_record_shape_gives_a_valid_item(csl: dict[str, Any]) -> None:
    """A resolver (or a hostile upstream) handing back odd shapes never breaks the outputs."""
    rw = ResolvedWork.from_json(
        {"work": {"id": "title:x", "kind": "paper", "title": "T"}, "csl": csl, "verified": True}
    )
    record = from_resolved(rw, key="k2020t")
    assert bibtex.render([record]).startswith("@")
    _validate([to_item(record)])  # last: without ../shared it skips, after the check above


def test_a_huge_title_is_cut_quickly() -> None:
    assert len(clean_text("x" * 50_000_000)) == 2000
    assert len(clean_text("é" * 50_000_000)) == 2000
