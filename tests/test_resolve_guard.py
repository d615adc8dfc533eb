"""The wrong-match guard: near-duplicate titles never merge or upgrade the wrong work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.models import Ids, Link, Work
from pipeline.resolve.match import judge, title_similarity
from tests.fakeweb import FakeWeb
from tests.fakeweb.world import (
    DECOY_CVF_DOI,
    DECOY_DIRECTIONS_DOI,
    DECOY_SAME_TITLE_DOI,
    DECOY_SIMILAR_DOI,
    DIRECTIONS_ARXIV,
    SAME_TITLE_ARXIV,
    SIMILAR_TITLE_ARXIV,
    build_world,
)
from tests.helpers.resolve import fast_settings, run


def _csl(title: str, family: str, year: int) -> dict[str, object]:
    return {"title": title, "author": [{"family": family}], "issued": {"date-parts": [[year]]}}


def test_judge_needs_title_author_and_year() -> None:
    title = "RemoteCLIP: A Vision Language Foundation Model for Remote Sensing"
    assert judge(title, "Fan Liu", 2023, _csl(title.upper(), "Liu", 2024)).accepted
    assert judge(title, "Liu, F.", 2023, _csl(title, "Liu", 2023)).accepted
    assert not judge(title, "Fan Liu", 2023, _csl(title, "Chen", 2023)).accepted
    assert not judge(title, "Fan Liu", 2023, _csl(title, "Liu", 2025)).accepted
    assert judge(title, "Fan Liu", 2023, _csl(title, "Liu", 2025), check_year=False).accepted
    near = title.replace("Remote Sensing", "Earth Observation")
    verdict = judge(title, "Fan Liu", 2023, _csl(near, "Liu", 2023))
    assert not verdict.accepted and verdict.reviewable
    assert "title similarity" in verdict.reason()


def test_title_similarity_folds_case_accents_and_punctuation() -> None:
    assert title_similarity("Café: a Study!", "cafe a study") == 1.0
    assert title_similarity("", "anything") == 0.0
    assert 0.9 < title_similarity("Future Trends in X", "Future Trend in X") < 1.0


@pytest.mark.network
def test_preprint_is_not_upgraded_to_a_same_title_paper_by_others(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    world = build_world()
    works = [
        Work(
            id=f"arxiv:{key}",
            kind="paper",
            title=world.arxiv[key].title,
            links=[Link(f"https://arxiv.org/abs/{key}", "paper")],
            ids=Ids(arxiv=key),
        )
        for key in (SAME_TITLE_ARXIV, SIMILAR_TITLE_ARXIV, DIRECTIONS_ARXIV)
    ]
    settings = fast_settings(fakeweb, tmp_path)
    report, resolved = run(settings, works)
    same, similar, directions = (resolved[w.id] for w in works)
    # Two published papers carry the preprint's exact title: the authors' own (MDPI) and a
    # decoy by other people. The guard picks the authors' one.
    assert (same.csl["DOI"], same.preprint_of) == ("10.3390/rs15133232", SAME_TITLE_ARXIV)
    # The similar-title journal paper is refused: the preprint stays a preprint.
    assert (similar.resolved_by, similar.preprint_of) == ("arxiv", None)
    assert similar.csl["DOI"] != DECOY_SIMILAR_DOI
    # Beside its real published version, a "Future Directions" decoy: the real one wins.
    assert directions.preprint_of == DIRECTIONS_ARXIV
    assert directions.csl["DOI"] not in {DECOY_DIRECTIONS_DOI, DECOY_SIMILAR_DOI}
    assert directions.csl["DOI"].startswith("10.1109/")
    reviews = json.loads((settings.build_dir / "resolve-review.json").read_text("utf-8"))
    (review,) = reviews
    assert review["candidate"]["DOI"] == DECOY_SIMILAR_DOI
    assert review["current"]["custom"]["arxiv"] == SIMILAR_TITLE_ARXIV
    assert review["current"]["title"] == similar.csl["title"]
    assert "title similarity" in review["reason"]
    assert report.counts["review"] == 1
    assert any(line.startswith(f"review arxiv:{SIMILAR_TITLE_ARXIV}") for line in report.lines)


@pytest.mark.network
def test_same_title_by_other_authors_alone_is_refused(fakeweb: FakeWeb, tmp_path: Path) -> None:
    key = SAME_TITLE_ARXIV
    del fakeweb.data["crossref"]["10.3390/rs15133232"]  # only the decoy is left
    # Semantic Scholar does not know the preprint: the title search is the way left.
    fakeweb.data["s2_unknown"].add(key)
    work = Work(
        id=f"arxiv:{key}",
        kind="paper",
        title=build_world().arxiv[key].title,
        ids=Ids(arxiv=key),
    )
    settings = fast_settings(fakeweb, tmp_path)
    _report, resolved = run(settings, [work])
    assert (resolved[work.id].resolved_by, resolved[work.id].preprint_of) == ("arxiv", None)
    (review,) = json.loads((settings.build_dir / "resolve-review.json").read_text("utf-8"))
    assert review["candidate"]["DOI"] == DECOY_SAME_TITLE_DOI
    assert review["reason"] == "first author differs"


@pytest.mark.network
def test_same_title_different_authors_each_get_their_own_record(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    world = build_world()
    mdpi = world.crossref["10.3390/rs15133232"]
    decoy = world.crossref[DECOY_SAME_TITLE_DOI]
    title = "The Potential of Visual ChatGPT for Remote Sensing"

    def work(n: int, author: str) -> Work:
        return Work(
            id=f"title:chatgpt{n}", kind="paper", title=title, authors=[author], date="2023"
        )

    works = [
        work(1, " ".join(mdpi.authors[0])),
        work(2, " ".join(decoy.authors[0])),
        work(3, "Nobody Atall"),
    ]
    _report, resolved = run(fast_settings(fakeweb, tmp_path), works)
    assert resolved["title:chatgpt1"].csl["DOI"] == "10.3390/rs15133232"
    assert resolved["title:chatgpt2"].csl["DOI"] == DECOY_SAME_TITLE_DOI
    assert resolved["title:chatgpt3"].resolved_by == "list"


@pytest.mark.network
def test_similar_title_decoy_in_crossref_is_refused_and_openalex_finds_the_paper(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    work = Work(
        id="title:gassl",
        kind="paper",
        title="Geography-Aware Self-Supervised Learning",
        date="2021",
        links=[Link("https://openaccess.thecvf.com/content/ICCV2021/html/x.html", "paper")],
    )
    _report, resolved = run(fast_settings(fakeweb, tmp_path), [work])
    rw = resolved[work.id]
    assert rw.csl.get("DOI") != DECOY_CVF_DOI
    assert (rw.resolved_by, rw.csl["title"]) == ("openalex", work.title)
    assert rw.csl["type"] == "paper-conference"
