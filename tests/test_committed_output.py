"""The committed output/: valid for its consumers and free of anything from the fake web."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from tests.conftest import REPO, SHARED, require_shared

OUTPUT = REPO / "output"


def test_committed_papers_json_validates() -> None:
    papers = json.loads((OUTPUT / "papers.json").read_text(encoding="utf-8"))
    keys = json.loads((OUTPUT / "keys.json").read_text(encoding="utf-8"))["keys"]
    assert {item["id"] for item in papers} <= set(keys)
    schema_path = require_shared(SHARED / "schemas" / "csl-data.json")
    jsonschema.validate(papers, json.loads(schema_path.read_text(encoding="utf-8")))


def test_committed_output_holds_nothing_from_the_fake_web() -> None:
    for path in sorted(p for p in Path(OUTPUT).rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8")
        for marker in ("127.0.0.1", "localhost", "tests@example.org", "/web/"):
            assert marker not in text, f"{path.name} mentions {marker!r}"


def test_unverified_records_say_so() -> None:
    papers = json.loads((OUTPUT / "papers.json").read_text(encoding="utf-8"))
    for item in papers:
        if item["custom"]["resolved_by"] == "list":
            assert item["custom"]["verified"] is False, item["id"]
