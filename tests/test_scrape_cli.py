"""`pipeline scrape` end to end through click: files written, warnings counted, and bad input
giving exit 2 with a clear message and nothing written."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.catalog import load_catalog
from pipeline.cli import cli
from pipeline.config import load_settings
from pipeline.errors import InputError, SourceError
from pipeline.scrape import run_scrape


def invoke(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["scrape", "--root", str(root), *args])
    return result.exit_code, result.output + (result.stderr or "")


def test_scrape_writes_entries_and_works(project: Path) -> None:
    code, output = invoke(project)
    assert code == 0, output
    entries = json.loads((project / "build" / "entries.json").read_text(encoding="utf-8"))
    works = json.loads((project / "build" / "works.json").read_text(encoding="utf-8"))
    assert len(entries) == 12 + 95 + 55 + 21 + 82
    assert 100 < len(works) < len(entries)
    assert f"{len(entries)} entries from 5 lists" in output
    first = entries[0]
    assert first["source"] == "awesome-rsvlm" and first["file"] == "sources/awesome-rsvlm.md"
    assert set(first["ids"]) == {"arxiv", "doi", "ieee", "github", "pages"}
    assert {"id", "places", "links", "ids"} <= set(works[0])


def test_report_counts(project: Path) -> None:
    settings = load_settings(root=project, environ={})
    report = run_scrape(settings, None)
    assert report.stage == "scrape"
    assert report.counts["lists"] == 5
    assert report.counts["entries"] == 265
    assert report.counts["warnings"] >= 1  # rs-mllm:138 links two arXiv ids
    assert report.lines and report.lines[0].startswith("scrape: 265 entries")


def test_files_argument_scrapes_only_those(project: Path) -> None:
    code, output = invoke(project, str(project / "sources" / "rs-mllm.md"))
    assert code == 0, output
    entries = json.loads((project / "build" / "entries.json").read_text(encoding="utf-8"))
    assert {e["source"] for e in entries} == {"rs-mllm"}
    assert len(entries) == 82


def test_bad_row_and_bad_bytes_warn_and_the_rest_is_read(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = project / "sources" / "extra.md"
    path.write_bytes(
        b"# X\n## Papers\n| Title | Venue |\n|---|---|\n| **Good** | A 2020 |\n| | 2021 |\n"
        b"| **Bad \xff\xfe bytes** | B |\n| **Also good** | C |\n"
    )
    settings = load_settings(root=project, environ={})
    with caplog.at_level(logging.WARNING, logger="pipeline.scrape"):
        report = run_scrape(settings, [path])
    messages = [r.getMessage() for r in caplog.records if r.name == "pipeline.scrape"]
    assert "sources/extra.md:6: table row has an empty title cell; skipped" in messages
    assert any(m.startswith("sources/extra.md:7: not UTF-8") for m in messages)
    assert report.counts["warnings"] == len(messages) == 2
    entries = json.loads((project / "build" / "entries.json").read_text(encoding="utf-8"))
    assert [(e["title"], e["line"]) for e in entries] == [("Good", 5), ("Also good", 8)]


def test_missing_file_exits_2_and_writes_nothing(project: Path) -> None:
    code, output = invoke(project, str(project / "sources" / "nope.md"))
    assert code == 2
    assert "nope.md" in output and "not found" in output
    assert "Traceback" not in output
    assert not (project / "build").exists()


def test_missing_list_in_catalog_keeps_previous_build(project: Path) -> None:
    build = project / "build"
    build.mkdir()
    (build / "entries.json").write_text("[]\n", encoding="utf-8")
    toml = project / "sources" / "sources.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + '\n[[list]]\nid = "gone"\nfile = "gone.md"\n',
        encoding="utf-8",
    )
    code, output = invoke(project)
    assert code == 2
    assert "sources/gone.md: list file not found" in output
    assert (build / "entries.json").read_text(encoding="utf-8") == "[]\n"
    assert not (build / "works.json").exists()


def test_bad_toml_names_file_and_line(project: Path) -> None:
    toml = project / "sources" / "sources.toml"
    toml.write_text('[[list]]\nid = "a"\nfile = \n', encoding="utf-8")
    code, output = invoke(project)
    assert code == 2
    assert "sources.toml:3:" in output and "invalid TOML" in output
    assert not (project / "build").exists()


def test_catalog(project: Path) -> None:
    lists = load_catalog(project / "sources" / "sources.toml")
    assert [s.id for s in lists] == [
        "awesome-rsvlm",
        "rs-vlm",
        "rs-cross-modal-retrieval",
        "rs-image-text-retrieval",
        "rs-mllm",
    ]
    assert lists[4].repo == "ZhanYang-nwpu/Awesome-Remote-Sensing-Multimodal-Large-Language-Model"
    assert lists[4].raw_url.startswith("https://raw.githubusercontent.com/")
    assert lists[4].relpath == "sources/rs-mllm.md"
    assert lists[4].path(project) == project / "sources" / "rs-mllm.md"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no [[list]] tables"),
        ('[[list]]\nfile = "a.md"\n', "has no 'id'"),
        ('[[list]]\nid = "a"\n', "has no 'file'"),
        ('[[list]]\nid = "a"\nfile = "a.md"\n[[list]]\nid = "a"\nfile = "b.md"\n', "duplicate id"),
        ('[[list]]\nid = "a"\nfile = "../x.md"\n', "inside sources/"),
        ('[[list]]\nid = 3\nfile = "a.md"\n', "must be a string"),
    ],
)
def test_catalog_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=r"sources\.toml") as info:
        load_catalog(path)
    assert message in str(info.value)


def test_catalog_missing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_catalog(tmp_path / "sources.toml")
