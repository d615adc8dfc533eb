"""Citation counts (issue 24) against the fake web, requests counted exactly: Semantic
Scholar's ``citationCount`` for every work with an arXiv id or DOI, in the paper batch the
preprints already take (no more than one request per 500 works), filed per id so that warm
runs ask nothing; applied only when the answer is about the record's paper."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import requests

from pipeline.models import Ids, Work
from pipeline.resolve import run_resolve
from pipeline.resolve.semanticscholar import BATCH, FIELDS
from tests.conftest import SHARED, require_shared
from tests.fakeweb import FakeWeb
from tests.fakeweb.semanticscholar import citations
from tests.fakeweb.world import REMOTECLIP_ARXIV, Record, fake_authors
from tests.helpers.resolve import fast_settings, run
from tests.test_resolve_batch import _scraped, doi_works, preprints

pytestmark = pytest.mark.network


def count(rw: object) -> object:
    return getattr(rw, "csl", {}).get("custom", {}).get("citations")


def test_the_fake_answers_as_the_real_service_does(fakeweb: FakeWeb) -> None:
    """The fake's entries have the real sample's shape: ``citationCount`` an integer beside
    ``externalIds``, ``null`` for an unknown id, and only the fields asked
    (``paper_batch_fields_authors.json`` holds ``paperId`` and ``authors`` alone)."""
    samples = SHARED / "api-samples" / "semanticscholar"
    real = json.loads(
        require_shared(samples / "paper_batch_with_null_not_found.json").read_text("utf-8")
    )
    assert real[0] is None and isinstance(real[1]["citationCount"], int)
    only = json.loads(
        require_shared(samples / "paper_batch_fields_authors.json").read_text("utf-8")
    )
    assert {frozenset(e) for e in only} == {frozenset({"paperId", "authors"})}
    works, _ = preprints(fakeweb, 1)
    answer = requests.post(
        f"{fakeweb.url}/s2/graph/v1/paper/batch?fields=citationCount,externalIds",
        json={"ids": ["ARXIV:0000.00000", f"ARXIV:{works[0].ids.arxiv}"]},
        timeout=10,
    ).json()
    assert answer[0] is None
    assert set(answer[1]) == {"paperId", "citationCount", "externalIds"}
    assert answer[1]["citationCount"] == citations(str(works[0].ids.arxiv))
    assert "citationCount" in FIELDS.split(",")


def test_counts_ride_in_the_preprints_batches(fakeweb: FakeWeb, tmp_path: Path) -> None:
    """Preprints, preprints whose list gives their DOI too, DOI works: one id each, 500 a
    request, every count on the works the service knows, none on the others; warm runs ask
    nothing."""
    pre, _published = preprints(fakeweb, BATCH + 50)
    for i, work in enumerate(pre[:30]):
        if i % 3 == 0:  # the list states the published version's DOI beside the arXiv id
            work.ids.doi = f"10.5555/published.{i}"
    dois = doi_works(fakeweb, 300)
    unknown_doi = "10.5281/zenodo.424242"  # DataCite: the service does not know it
    fakeweb.data["doi"][unknown_doi] = Record("A dataset", fake_authors("d"), 2024, doi=unknown_doi)
    zenodo = Work(id="doi:z", kind="dataset", title="A dataset", ids=Ids(doi=unknown_doi))
    fakeweb.data["s2_unknown"].add(str(pre[1].ids.arxiv))
    works = [*pre, *dois, zenodo]
    settings = fast_settings(fakeweb, tmp_path)
    report, resolved = run(settings, works)
    batches = fakeweb.data["s2_batches"]
    assert len(fakeweb.requests_to("/s2/")) == math.ceil(len(works) / BATCH) == len(batches)
    assert sorted(map(len, batches)) == [len(works) - BATCH, BATCH]
    asked = [i for b in batches for i in b]
    assert len(asked) == len(set(asked)) == len(works)  # each work once, by one id
    assert f"DOI:{unknown_doi}" in asked and f"ARXIV:{pre[0].ids.arxiv}" in asked
    for work in pre:
        expected = None if work is pre[1] else citations(str(work.ids.arxiv))
        assert count(resolved[work.id]) == expected, work.id
    for work in dois:
        assert count(resolved[work.id]) == citations(str(work.ids.doi))
    assert count(resolved["doi:z"]) is None
    assert report.counts["citations"] == len(works) - 2
    fakeweb.clear()
    fakeweb.data["s2_batches"].clear()
    report, again = run(settings, works)
    assert report.requests == 0 and fakeweb.data["s2_batches"] == []
    assert {k: count(v) for k, v in again.items()} == {k: count(v) for k, v in resolved.items()}


def test_a_published_version_counts_as_its_preprint(fakeweb: FakeWeb, tmp_path: Path) -> None:
    """A preprint Semantic Scholar links to its journal version is one paper to it: the
    record (the journal version) takes the count asked by the arXiv id, no second id asked."""
    works = [
        Work(id="arxiv:clip", kind="paper", title="RemoteCLIP", ids=Ids(arxiv=REMOTECLIP_ARXIV))
    ]
    _report, resolved = run(fast_settings(fakeweb, tmp_path), works)
    record = resolved["arxiv:clip"]
    assert record.resolved_by == "crossref" and record.preprint_of == REMOTECLIP_ARXIV
    assert count(record) == citations(REMOTECLIP_ARXIV)
    assert fakeweb.data["s2_batches"] == [[f"ARXIV:{REMOTECLIP_ARXIV}"]]


def test_an_answer_about_another_paper_gives_no_count(fakeweb: FakeWeb, tmp_path: Path) -> None:
    """The list's DOI is a claim: the service's paper for it has another title, so the count
    is not this work's (the record keeps the list's text, unverified)."""
    (work,) = doi_works(fakeweb, 1)
    other = fakeweb.data["crossref"][work.ids.doi]
    fakeweb.data["crossref"][work.ids.doi] = Record(
        "Completely different subject on ocean biology", other.authors, 2023, doi=work.ids.doi
    )
    fakeweb.add_fault("status", r"^/crossref/", status=404)
    _report, resolved = run(fast_settings(fakeweb, tmp_path), [work])
    assert fakeweb.data["s2_batches"] == [[f"DOI:{work.ids.doi}"]]
    assert count(resolved[work.id]) is None


def test_ids_learned_by_a_title_search_ride_in_a_later_batch(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    """A DOI found by a title search is not known when the batch is sent: it never costs a
    request of its own; the next batch sent anyway (a new work listed) takes it along."""
    titled = [
        Work(id=f"t{i}", kind="paper", title=f"Batched work number {i} on remote sensing")
        for i in range(3)
    ]
    doi_works(fakeweb, 3)  # Crossref holds them; the works name no DOI
    pre, _ = preprints(fakeweb, 2, published_every=10**6)
    settings = fast_settings(fakeweb, tmp_path)
    _report, resolved = run(settings, [*titled, pre[0]])
    assert all(resolved[w.id].resolved_by == "crossref" for w in titled)
    assert fakeweb.data["s2_batches"] == [[f"ARXIV:{pre[0].ids.arxiv}"]]
    assert all(count(resolved[w.id]) is None for w in titled)
    fakeweb.clear()
    fakeweb.data["s2_batches"].clear()
    assert run_resolve(settings).requests == 0  # warm: nothing asked, not even for them
    # a new preprint is listed: its batch takes the three DOIs along
    _report, resolved = run(settings, [*titled, *pre])
    assert len(fakeweb.requests_to("/s2/")) == 1
    (batch,) = fakeweb.data["s2_batches"]
    assert batch[0] == f"ARXIV:{pre[1].ids.arxiv}"
    assert sorted(batch[1:]) == [f"DOI:10.5555/batch.{i}" for i in range(3)]
    for i, work in enumerate(titled):
        assert count(resolved[work.id]) == citations(f"10.5555/batch.{i}")


def test_the_five_lists_get_counts_in_one_request(fakeweb: FakeWeb, project: Path) -> None:
    settings = _scraped(project, fakeweb)
    report = run_resolve(settings)
    assert len(fakeweb.requests_to("/s2/")) == 1 <= math.ceil(report.counts["works"] / BATCH)
    resolved = json.loads((settings.build_dir / "resolved.json").read_text("utf-8"))
    counted = [r for r in resolved if "citations" in (r["csl"].get("custom") or {})]
    assert report.counts["citations"] == len(counted) > 50
    for item in counted:  # the count of the paper the record is: by its arXiv id or DOI
        ids = {item["csl"]["custom"].get("arxiv"), str(item["csl"].get("DOI") or "").lower()}
        assert item["csl"]["custom"]["citations"] in {citations(i) for i in ids if i}
    fakeweb.clear()
    assert run_resolve(settings).requests == 0
