"""Issue 11: the right paper, once. Records checked against the list, one entry per paper,
list errors reported (output/review.json, link-report.md), against the fake web.

* an arXiv id or a DOI whose record names another paper is not applied: a finding, and the
  work is found by its title; a renamed arXiv paper is accepted through its first version;
* entries sharing an id with different titles stay two works, with a finding;
* two works resolving to one DOI, or to one arXiv id, are one entry; the other key stays
  valid (biblatex ``ids``, keys.json ``merged_into``); BibTeX reports it missing;
* lists disagreeing on year or venue: findings;
* the five lists: no DOI or arXiv id twice in papers.json, RS-GPT4V its own entry, the
  RS-LLaVA and Brain-Inspired pairs one entry each, every previous key still maps.
"""

from __future__ import annotations

import collections
import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pipeline.emit import run_emit
from pipeline.models import Entry, Ids, Link, Place, ResolvedWork, Work
from pipeline.resolve import run_resolve
from pipeline.resolve.findings import disagreements
from pipeline.scrape import run_scrape
from pipeline.scrape.merge import merge_with_findings
from tests.conftest import REPO, require_tool
from tests.fakeweb import FakeWeb
from tests.fakeweb.world import (
    H2RSVLM_ARXIV,
    H2RSVLM_V1,
    REMOTECLIP_ARXIV,
    VHM_TITLE,
    build_world,
)
from tests.helpers.emit import emit, make_project
from tests.helpers.resolve import fast_settings, run

EARTHGPT = (
    "EarthGPT: A Universal Multi-modal Large Language Model for Multi-sensor Image "
    "Comprehension in Remote Sensing Domain"
)
RS_GPT4V = (
    "RS-GPT4V: A Unified Multimodal Instruction-Following Dataset for Remote Sensing Image "
    "Understanding"
)
RS_LLAVA = (
    "RS-LLaVA: A Large Vision-Language Model for Joint Captioning and Question Answering in "
    "Remote Sensing Imagery"
)


def _work(work_id: str, title: str, url: str, **ids: str) -> Work:
    place = Place("rs-mllm", "sources/rs-mllm.md", 7, ("Papers",), title)
    return Work(
        id=work_id,
        kind="paper",
        title=title,
        links=[Link(url, "paper")],
        ids=Ids(**ids),
        places=[place],
    )


def _findings(root: Path) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((root / "build" / "findings.json").read_text())
    return data


# -- agreement before acceptance ------------------------------------------------------------


@pytest.mark.network
def test_an_arxiv_record_naming_another_paper_is_not_applied(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    url = f"https://arxiv.org/abs/{REMOTECLIP_ARXIV}"  # RemoteCLIP's id under EarthGPT's title
    work = _work(f"arxiv:{REMOTECLIP_ARXIV}", EARTHGPT, url, arxiv=REMOTECLIP_ARXIV)
    _report, resolved = run(fast_settings(fakeweb, tmp_path), [work])
    rw = resolved[work.id]
    assert rw.csl["title"] == EARTHGPT  # found by its title, not RemoteCLIP's record
    assert rw.verified and rw.method == "title-search"
    assert (rw.csl.get("custom") or {}).get("arxiv") != REMOTECLIP_ARXIV
    [finding] = [f for f in _findings(tmp_path) if f["kind"] == "wrong-paper-link"]
    assert finding["registry_says"]["title"] == build_world().arxiv[REMOTECLIP_ARXIV].title
    assert (finding["file"], finding["line"], finding["work_id"]) == (
        "sources/rs-mllm.md",
        7,
        work.id,
    )
    earthgpt = next(k for k, r in build_world().arxiv.items() if r.title == EARTHGPT)
    assert finding["fix"] == {"old": url, "new": f"https://doi.org/10.48550/arxiv.{earthgpt}"}


@pytest.mark.network
def test_a_doi_from_a_link_that_belongs_to_another_paper_is_not_applied(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    url = "https://www.tandfonline.com/doi/abs/10.1080/01431161.2022.2145583"  # another paper
    work = _work("title:rsllava", RS_LLAVA, url)
    _report, resolved = run(fast_settings(fakeweb, tmp_path), [work])
    rw = resolved[work.id]
    assert rw.csl["DOI"] == "10.3390/rs16091477" and rw.method == "title-search"
    [finding] = [f for f in _findings(tmp_path) if f["kind"] == "wrong-paper-link"]
    assert finding["registry_says"]["doi"] == "10.1080/01431161.2022.2145583"
    assert finding["fix"] == {"old": url, "new": "https://doi.org/10.3390/rs16091477"}


@pytest.mark.network
def test_a_renamed_arxiv_paper_is_accepted_through_its_first_version(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    url = f"https://arxiv.org/abs/{H2RSVLM_ARXIV}"
    work = _work(f"arxiv:{H2RSVLM_ARXIV}", H2RSVLM_V1, url, arxiv=H2RSVLM_ARXIV)
    _report, resolved = run(fast_settings(fakeweb, tmp_path), [work])
    assert resolved[work.id].csl["title"] == VHM_TITLE  # the registry's title wins
    assert resolved[work.id].verified and _findings(tmp_path) == []
    asked = [r.query for r in fakeweb.requests_to("/arxiv/")]
    assert any(f"id_list={H2RSVLM_ARXIV}v1" in q for q in asked)

    # Without the first version's title the same record names another paper.
    record = copy.deepcopy(fakeweb.data["arxiv"][H2RSVLM_ARXIV])
    record.versions = {}
    fakeweb.data["arxiv"][H2RSVLM_ARXIV] = record
    other = tmp_path / "again"
    _report, resolved = run(fast_settings(fakeweb, other), [work])
    assert resolved[work.id].csl["title"] != VHM_TITLE
    assert [f["kind"] for f in _findings(other)] == ["wrong-paper-link"]


# -- no false merges ------------------------------------------------------------------------


def _entry(line: int, title: str, arxiv: str) -> Entry:
    return Entry(
        source="a",
        file="sources/a.md",
        line=line,
        section=["Papers"],
        kind="paper",
        title=title,
        links=[Link(f"https://arxiv.org/abs/{arxiv}", "paper")],
        ids=Ids(arxiv=arxiv),
    )


def test_entries_sharing_an_id_with_different_titles_are_two_works() -> None:
    survey = "Towards Vision-Language Geo-Foundation Model: A Survey"
    entries = [
        _entry(3, survey, "2406.09385"),
        _entry(5, RS_GPT4V, "2406.09385"),
        _entry(9, survey + ".", "2406.09385"),
    ]
    works, findings = merge_with_findings(entries)
    assert works[0].id == "arxiv:2406.09385"
    assert [len(w.places) for w in works] == [2, 1]
    assert works[1].ids.arxiv is None and works[1].id.startswith("title:")
    [finding] = findings
    assert (finding.kind, finding.line, finding.work_id) == ("shared-id", 5, works[1].id)
    assert "sources/a.md:3" in finding.message


def test_a_dataset_row_titled_by_its_name_still_merges_with_its_paper() -> None:
    paper = (
        "Exploring a Fine-Grained Multiscale Method for Cross-Modal Remote Sensing Image Retrieval"
    )
    entries = [_entry(3, "RSITMD", "2204.09868"), _entry(4, paper, "2204.09868")]
    works, findings = merge_with_findings(entries)
    assert len(works) == 1 and findings == []


# -- one paper, one entry -------------------------------------------------------------------


def _resolved(work_id: str, title: str, family: str, **csl: Any) -> dict[str, Any]:
    work = _work(work_id, title, csl.pop("url", "https://example.org/" + work_id))
    item = {
        "id": work_id,
        "type": "article-journal",
        "title": title,
        "author": [{"family": family, "given": "A."}],
        "issued": {"date-parts": [[2024]]},
        "container-title": "Remote Sensing",
    } | csl
    rw = ResolvedWork(work, item, resolved_by="crossref", method="doi", verified=True)
    from pipeline.models import to_json

    data: dict[str, Any] = to_json(rw)
    return data


def _bib_entries(root: Path) -> dict[str, str]:
    text = (root / "output" / "papers.bib").read_text(encoding="utf-8")
    return {
        chunk.split("{", 1)[1].split(",", 1)[0]: chunk
        for chunk in text.split("\n@")[1:]
        if not chunk.startswith("preamble")
    }


@pytest.mark.parametrize("shared", ["DOI", "arxiv"])
def test_two_works_of_one_paper_are_one_entry_and_both_keys_stay(
    tmp_path: Path, shared: str
) -> None:
    a = _resolved("doi:10.3390/rs1", RS_LLAVA, "Bazi", DOI="10.3390/rs1")
    b = _resolved("title:b", RS_LLAVA.replace("A Large", "Large"), "Bazi", DOI="10.3390/rs2")
    if shared == "arxiv":
        a["csl"]["custom"], b["csl"]["custom"] = {"arxiv": "2401.00001"}, {"arxiv": "2401.00002"}
    root = make_project(tmp_path, [a, b])
    emit(root)  # two works, two published keys
    before = set(json.loads((root / "output" / "keys.json").read_text())["keys"])
    assert len(_bib_entries(root)) == 2
    if shared == "DOI":
        b["csl"]["DOI"] = "10.3390/rs1"
    else:
        b["csl"]["custom"]["arxiv"] = "2401.00001"
    make_project(root, [a, b])
    report = emit(root)
    entries = _bib_entries(root)
    [key] = entries
    [old] = before - {key}
    assert f"ids = {{{old}}}" in entries[key]
    keys = json.loads((root / "output" / "keys.json").read_text())["keys"]
    assert keys[old]["merged_into"] == key and before <= set(keys)
    papers = json.loads((root / "output" / "papers.json").read_text())
    assert [p["id"] for p in papers] == [key] and papers[0]["custom"]["aliases"] == [old]
    review = json.loads((root / "output" / "review.json").read_text())["findings"]
    assert [f["kind"] for f in review] == ["duplicate-merged"]
    assert report.counts["findings duplicate-merged"] == 1
    report_md = (root / "output" / "link-report.md").read_text(encoding="utf-8")
    assert "### List errors" in report_md and "duplicate-merged" in report_md
    # the same input again: the same bytes, the same survivor
    first = {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    emit(root)
    assert {p: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()} == first


def _latex_log(root: Path, old: str, backend: str) -> str:
    """Cite the merged-away key in a document built with ``backend``; the build's log."""
    shutil.copy(root / "output" / "papers.bib", root / "papers.bib")
    if backend == "bibtex":
        pre, post = "", "\\bibliographystyle{plain}\\bibliography{papers}"
    else:
        pre, post = (
            "\\usepackage[backend=biber]{biblatex}\\addbibresource{papers.bib}",
            ("\\printbibliography"),
        )
    doc = (
        f"\\documentclass{{article}}{pre}\\begin{{document}}\\cite{{{old}}}{post}\\end{{document}}"
    )
    (root / "paper.tex").write_text(doc, encoding="utf-8")
    latex = [require_tool("pdflatex"), "-interaction=nonstopmode", "paper"]
    tool = require_tool(backend)
    out = ""
    for command in (latex, [tool, "paper"], latex):
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)
        out += done.stdout + done.stderr
    return out


@pytest.mark.slow
def test_what_a_citation_of_a_merged_away_key_gives(tmp_path: Path) -> None:
    """biblatex finds the paper by its alias; BibTeX says the key has no entry (the user guide)."""
    a = _resolved("doi:10.3390/rs1", RS_LLAVA, "Bazi", DOI="10.3390/rs1")
    b = _resolved("title:b", RS_LLAVA.replace("A Large", "Large"), "Bazi", DOI="10.3390/rs2")
    root = make_project(tmp_path, [a, b])
    emit(root)
    before = set(_bib_entries(root))
    b["csl"]["DOI"] = "10.3390/rs1"
    emit(make_project(root, [a, b]))
    [old] = before - set(_bib_entries(root))
    assert "didn't find a database entry" not in _latex_log(root, old, "biber")
    assert f'I didn\'t find a database entry for "{old}"' in _latex_log(root, old, "bibtex")
    guide = (REPO / "docs" / "user-guide.md").read_text(encoding="utf-8")
    assert "merged_into" in guide and "didn't find a database entry" in guide


# -- disagreements --------------------------------------------------------------------------


def test_lists_disagreeing_on_year_and_venue_are_findings() -> None:
    title = "GeoChat: Grounded Large Vision-Language Model for Remote Sensing"
    places = [
        Place("a", "sources/a.md", 3, (), title, "2022-11", "CVPR"),
        Place("b", "sources/b.md", 8, (), title, "2024", "CVPR 2024"),
        Place("c", "sources/c.md", 9, (), title, "2024", "TGRS"),
    ]
    work = Work("arxiv:2311.15826", "paper", title, places=places, ids=Ids(arxiv="2311.15826"))
    unverified = ResolvedWork(work, {"title": title})
    found = disagreements([unverified])
    said = sorted((f.file, str(f.list_says.get("year") or f.list_says["venue"])) for f in found)
    assert said == [
        ("sources/a.md", "2022"),
        ("sources/a.md", "CVPR"),
        ("sources/b.md", "2024"),
        ("sources/b.md", "CVPR 2024"),
        ("sources/c.md", "2024"),
        ("sources/c.md", "TGRS"),
    ]
    # With the registry's record the registry decides: 2024 (and the preprint's 2023) stand.
    work.places[0] = Place("a", "sources/a.md", 3, (), title, "2023-11", "CVPR")
    verified = ResolvedWork(
        work,
        {"title": title, "issued": {"date-parts": [[2024]]}, "custom": {"arxiv": "2311.15826"}},
        resolved_by="crossref",
        verified=True,
    )
    assert [f for f in disagreements([verified]) if "year" in f.list_says] == []
    work.places[0] = Place("a", "sources/a.md", 3, (), title, "2021", "CVPR")
    [year] = [f for f in disagreements([verified]) if "year" in f.list_says]
    assert (year.line, year.registry_says["year"]) == (3, 2024)


# -- the five lists -------------------------------------------------------------------------


@pytest.mark.network
@pytest.mark.slow
def test_the_five_lists_hold_each_paper_once(fakeweb: FakeWeb, project: Path) -> None:
    shutil.copytree(REPO / "output", project / "output")
    settings = fast_settings(fakeweb, project)
    run_scrape(settings, None)
    run_resolve(settings)
    run_emit(settings)
    out = project / "output"
    papers = json.loads((out / "papers.json").read_text(encoding="utf-8"))
    for field in ("DOI", "arxiv"):
        values = [p.get(field) or p["custom"].get(field) for p in papers]
        twice = [v for v, n in collections.Counter(v for v in values if v).items() if n > 1]
        assert twice == [], field
    titles = collections.Counter(p["title"].split(":")[0] for p in papers)
    assert titles["RS-GPT4V"] == 1 and titles["RS-LLaVA"] == 1
    assert titles["Brain-Inspired Remote Sensing Foundation Models and Open Problems"] == 1
    assert titles["VHM"] == 1 and titles["H2RSVLM"] == 0  # renamed: the registry's title
    survey = next(p for p in papers if p["title"].startswith("Towards Vision-Language Geo"))
    assert survey["custom"]["arxiv"] == "2406.09385"
    keys = json.loads((out / "keys.json").read_text(encoding="utf-8"))["keys"]
    previous = json.loads((REPO / "output" / "keys.json").read_text(encoding="utf-8"))["keys"]
    entries = {p["id"] for p in papers}

    def final(key: str) -> str:
        for _ in range(10):
            if key in entries:
                break
            key = keys[key].get("merged_into") or keys[key].get("replaced_by") or key
        return key

    # software and blog posts leave the bibliography ([emit] cite_kinds): their keys are not
    # lost, only uncited
    works = json.loads((project / "build" / "works.json").read_text(encoding="utf-8"))
    uncited_works = {f"work:{w['id']}" for w in works if w["kind"] not in ("paper", "dataset")}
    uncited = {k for k, v in previous.items() if uncited_works & set(v["identifiers"])}
    assert len(uncited) == 4  # three software projects, one blog post
    assert [k for k in previous if final(k) not in entries and k not in uncited] == []
    # the Chinese rows' provisional anon2023untitled, …a, …b keys were read again (issue 22)
    assert [k for k in entries if "untitled" in k] == []
    assert {final(k) for k in previous if "untitled" in k} <= entries
    assert uncited <= set(keys)
    review = json.loads((out / "review.json").read_text(encoding="utf-8"))["findings"]
    kinds = collections.Counter(f["kind"] for f in review)
    assert kinds["shared-id"] == 2 and kinds["duplicate-merged"] >= 3
    assert kinds["wrong-paper-link"] >= 1
    rs_gpt4v = [f for f in review if f["line"] == 185 and f["source"] == "rs-mllm"]
    assert {f["kind"] for f in rs_gpt4v} == {"shared-id", "wrong-paper-link"}
    assert review == sorted(review, key=lambda f: (f["source"], f["line"], f["kind"]))
    report = (out / "link-report.md").read_text(encoding="utf-8")
    assert "`sources/rs-mllm.md:185`" in report and report.count("### List errors") >= 2
    readme = (out / "README.md").read_text(encoding="utf-8").splitlines()
    [llava] = [line for line in readme if line.startswith("- [RS-LLaVA")]
    assert " · in rs-cross-modal-retrieval › " in llava and "; rs-mllm › " in llava
    before = (out / "review.json").read_bytes()
    run_emit(settings)
    assert (out / "review.json").read_bytes() == before
