"""Issue 22: every arXiv id we print was checked. A work settled through its DOI (or a
publisher link) used to carry the list's arXiv id into ``custom.arxiv`` / BibTeX ``eprint``
without asking arXiv. Now the id goes in the arXiv batch the stage already makes (no request
of its own), is written only where arXiv's record agrees, and one naming another paper is a
``wrong-paper-link`` finding; emit does not fill it back in from the previous output."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from pipeline.emit import run_emit
from pipeline.models import Ids, Link, Place, Work
from pipeline.resolve import run_resolve
from pipeline.scrape import run_scrape
from tests.fakeweb import FakeWeb
from tests.fakeweb.world import Record, fake_authors
from tests.helpers.resolve import fast_settings, run

pytestmark = pytest.mark.network

DOI = "10.5555/carried.1"
TITLE = "Carried identifiers in remote sensing caption benchmarks"
OTHER = "Ocean colour retrieval from geostationary imagers with neural networks"
CARRIED = "2601.20001"  # the DOI work's arXiv link
PREPRINT = "2601.20002"  # a preprint row of another list


def _place(line: int, title: str) -> Place:
    return Place("rs-mllm", "sources/rs-mllm.md", line, ("Papers",), title)


def _world(web: FakeWeb, carried_title: str) -> list[Work]:
    """A DOI work linking the arXiv record ``carried_title``, a plain preprint, and a dataset
    row linking the DOI work's preprint (the id asked once for both)."""
    authors = fake_authors(TITLE)
    web.data["crossref"][DOI] = Record(TITLE, authors, 2024, doi=DOI, container="Remote Sensing")
    web.data["arxiv"][CARRIED] = Record(
        carried_title, authors, 2023, kind="posted-content", arxiv=CARRIED
    )
    preprint = "Preprint rows ask arXiv in the same batch as carried ids"
    web.data["arxiv"][PREPRINT] = Record(
        preprint, fake_authors(preprint), 2026, kind="posted-content", arxiv=PREPRINT
    )
    url = f"https://arxiv.org/abs/{CARRIED}"
    return [
        Work(
            id=f"doi:{DOI}",
            kind="paper",
            title=TITLE,
            links=[Link(f"https://doi.org/{DOI}", "paper"), Link(url, "paper")],
            ids=Ids(doi=DOI, arxiv=CARRIED),
            places=[_place(7, TITLE)],
        ),
        Work(
            id=f"arxiv:{PREPRINT}",
            kind="paper",
            title=preprint,
            links=[Link(f"https://arxiv.org/abs/{PREPRINT}", "paper")],
            ids=Ids(arxiv=PREPRINT),
            places=[_place(9, preprint)],
        ),
    ]


def _batches(web: FakeWeb) -> list[list[str]]:
    return [parse_qs(r.query)["id_list"][0].split(",") for r in web.requests_to("/arxiv/api/query")]


def test_an_agreeing_carried_id_is_asked_in_the_batch_and_written(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    works = _world(fakeweb, TITLE)
    settings = fast_settings(fakeweb, tmp_path)
    report, resolved = run(settings, works)
    rw = resolved[f"doi:{DOI}"]
    assert (rw.resolved_by, rw.csl["DOI"]) == ("crossref", DOI)
    assert rw.csl["custom"]["arxiv"] == CARRIED and rw.preprint_of == CARRIED
    # one request for both ids: the carried one costs none of its own
    assert _batches(fakeweb) == [[CARRIED, PREPRINT]]
    assert report.counts["findings"] == 0
    fakeweb.clear()
    assert run(settings, works)[0].requests == 0  # warm: nothing asked


def test_a_carried_id_naming_another_paper_is_a_finding_and_dropped(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    works = _world(fakeweb, OTHER)
    settings = fast_settings(fakeweb, tmp_path)
    _report, resolved = run(settings, works)
    rw = resolved[f"doi:{DOI}"]
    assert (rw.resolved_by, rw.csl["title"]) == ("crossref", TITLE)  # the DOI's record stands
    assert "arxiv" not in rw.csl["custom"] and rw.preprint_of is None
    assert rw.csl["custom"]["rejected"] == [f"arxiv:{CARRIED}"]
    # the id went in the batch; its first version (lists copy v1) in the second request,
    # as for any record that disagrees
    assert _batches(fakeweb) == [[CARRIED, PREPRINT], [f"{CARRIED}v1"]]
    findings = json.loads((settings.build_dir / "findings.json").read_text("utf-8"))
    [finding] = findings
    assert (finding["kind"], finding["line"]) == ("wrong-paper-link", 7)
    assert finding["registry_says"]["arxiv"] == CARRIED
    assert finding["registry_says"]["title"] == OTHER
    assert f"the work's own record is {TITLE!r}" in finding["message"]
    fakeweb.clear()
    assert run(settings, works)[0].requests == 0


def test_emit_does_not_fill_a_rejected_id_back_in_from_the_previous_output(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    (tmp_path / "sources").mkdir()
    works = _world(fakeweb, TITLE)
    settings = fast_settings(fakeweb, tmp_path)
    run(settings, works)
    run_emit(settings)
    papers = tmp_path / "output" / "papers.json"
    [before] = [p for p in json.loads(papers.read_text("utf-8")) if p.get("DOI") == DOI]
    assert before["custom"]["arxiv"] == CARRIED
    assert f"eprint = {{{CARRIED}}}" in (tmp_path / "output" / "papers.bib").read_text("utf-8")
    # arXiv now names another paper under that id (asked afresh: an empty cache)
    fakeweb.data["arxiv"][CARRIED] = dataclasses.replace(
        fakeweb.data["arxiv"][CARRIED], title=OTHER
    )
    settings = dataclasses.replace(settings, cache_dir=tmp_path / ".cache2")
    run(settings, works)
    run_emit(settings)
    [after] = [p for p in json.loads(papers.read_text("utf-8")) if p.get("DOI") == DOI]
    assert after["id"] == before["id"] and "arxiv" not in after["custom"]
    assert CARRIED not in (tmp_path / "output" / "papers.bib").read_text("utf-8")


def test_the_five_lists_print_only_arxiv_ids_arxiv_was_asked_about(
    fakeweb: FakeWeb, project: Path
) -> None:
    settings = fast_settings(fakeweb, project)
    run_scrape(settings, None)
    run_resolve(settings)
    asked = {i for batch in _batches(fakeweb) for i in batch}
    resolved = json.loads((settings.build_dir / "resolved.json").read_text("utf-8"))
    verified = [r for r in resolved if r["verified"]]
    printed = {a for r in verified if (a := (r["csl"].get("custom") or {}).get("arxiv"))}
    by_doi = {
        r["csl"]["custom"]["arxiv"]
        for r in verified
        if r["resolved_by"] != "arxiv" and (r["csl"].get("custom") or {}).get("arxiv")
    }
    assert len(by_doi) >= 7  # IEEE, MDPI and AAAI papers the lists also link on arXiv
    assert printed <= asked
