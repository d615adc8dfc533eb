"""Merging entries into works: same arXiv id, DOI or normalized title → one work; conflicting
identifiers never merge; ids are stable and unique."""

from __future__ import annotations

import hashlib

import pytest

from pipeline.config import load_settings
from pipeline.ids.titles import identity_title, title_key
from pipeline.models import Entry, Ids, Work
from pipeline.scrape import ScrapeResult, scrape_files
from pipeline.scrape.merge import merge_entries, merge_with_findings
from tests.conftest import REPO


@pytest.fixture(scope="module")
def scraped() -> ScrapeResult:
    return scrape_files(load_settings(root=REPO, environ={}))


def _by_arxiv(works: list[Work], arxiv: str) -> list[Work]:
    return [w for w in works if w.ids.arxiv == arxiv]


@pytest.mark.parametrize(
    ("arxiv", "places"),
    [
        # RemoteCLIP: every list; rs-mllm links the IEEE version and names arXiv in its note
        (
            "2306.11029",
            [
                ("awesome-rsvlm", 12),
                ("rs-cross-modal-retrieval", 48),
                ("rs-image-text-retrieval", 52),
                ("rs-mllm", 127),
                ("rs-vlm", 48),
            ],
        ),
        # RS5M: renamed "RS5M and GeoRSCLIP" in rs-mllm, listed there twice (paper and dataset)
        (
            "2306.11300",
            [
                ("awesome-rsvlm", 8),
                ("rs-cross-modal-retrieval", 49),
                ("rs-image-text-retrieval", 55),
                ("rs-mllm", 126),
                ("rs-mllm", 170),
                ("rs-vlm", 49),
            ],
        ),
        (
            "2307.15266",
            [
                ("rs-cross-modal-retrieval", 47),
                ("rs-image-text-retrieval", 58),
                ("rs-mllm", 105),
                ("rs-vlm", 40),
            ],
        ),
        # linked as IEEE in rs-mllm:146, merged by its title
        (
            "2305.05726",
            [
                ("awesome-rsvlm", 20),
                ("rs-cross-modal-retrieval", 131),
                ("rs-mllm", 146),
                ("rs-vlm", 34),
            ],
        ),
    ],
)
def test_same_paper_in_several_lists_is_one_work(
    scraped: ScrapeResult, arxiv: str, places: list[tuple[str, int]]
) -> None:
    works = _by_arxiv(scraped.works, arxiv)
    assert len(works) == 1
    work = works[0]
    assert work.id == f"arxiv:{arxiv}"
    assert [(p.source, p.line) for p in work.places] == places
    assert all(p.section for p in work.places)
    assert [p.file for p in work.places] == sorted(p.file for p in work.places)


def test_remoteclip_work_keeps_all_ids_and_sections(scraped: ScrapeResult) -> None:
    work = _by_arxiv(scraped.works, "2306.11029")[0]
    assert work.title == "RemoteCLIP: A Vision Language Foundation Model for Remote Sensing"
    assert work.ids.ieee == "10504785"
    assert work.ids.github == ["chendelong1999/remoteclip"]
    sections = {p.source: p.section for p in work.places}
    assert sections["rs-vlm"] == ("Applications", "Pretraining")
    assert sections["rs-mllm"] == (
        "Awesome Papers",
        "Vision-Language Pre-training Models for Remote Sensing",
    )
    # the best (most complete) entry gives title, authors, venue and date
    assert work.authors[0] in ("Fan Liu", "F. Liu")
    assert work.date is not None


def test_different_papers_stay_apart(scraped: ScrapeResult) -> None:
    titles = {(p.source, p.line): w for w in scraped.works for p in w.places}
    # rs-mllm:138 also links 2412.02573, the arXiv id of the survey at rs-mllm:141
    assert titles[("rs-mllm", 138)] is not titles[("rs-mllm", 141)]
    # rs-mllm:147 and :148 link the same IEEE page but are two different surveys
    assert titles[("rs-mllm", 147)] is not titles[("rs-mllm", 148)]
    # same title as rs-cross-modal-retrieval:125, but a different IEEE number: not merged
    assert titles[("rs-mllm", 148)] is not titles[("rs-cross-modal-retrieval", 125)]
    # truncated title "…image retrieva" joins by its arXiv id
    assert titles[("rs-vlm", 94)] is titles[("awesome-rsvlm", 44)]


def test_work_ids_are_unique_and_well_formed(scraped: ScrapeResult) -> None:
    ids = [w.id for w in scraped.works]
    assert len(ids) == len(set(ids))
    assert sum(len(w.places) for w in scraped.works) == len(scraped.entries)
    for work in scraped.works:
        kind, _, value = work.id.partition(":")
        assert kind in ("arxiv", "doi", "ieee", "title")
        if kind == "title":
            assert len(value) == 16 and int(value, 16) >= 0


def _entry(title: str, line: int, **ids: str) -> Entry:
    return Entry(
        source="t",
        file="sources/t.md",
        line=line,
        section=["S"],
        kind="paper",
        title=title,
        ids=Ids(**ids),  # type: ignore[arg-type]
    )


def test_near_duplicate_titles_are_not_merged() -> None:
    works = merge_entries(
        [
            _entry("Truncation cross entropy loss for remote sensing image captionin", 1),
            _entry("Truncation cross entropy loss for remote sensing image captioning", 2),
            _entry("Remote Sensing Image Captioning", 3),
            _entry("Remote Sensing Image Captioning 2", 4),
        ]
    )
    assert len(works) == 4


def test_title_normalization_merges_case_punctuation_and_mojibake() -> None:
    works = merge_entries(
        [
            _entry(
                "Parameter-Efficient Transfer Learning for Remote Sensing Image–Text Retrieval", 1
            ),
            _entry(
                "parameter efficient transfer learning for remote sensing image-text retrieval.", 2
            ),
            _entry(
                "Parameter-Efficient Transfer Learning for Remote Sensing Imageâ€“Text Retrieval", 3
            ),
        ]
    )
    assert len(works) == 1
    assert [p.line for p in works[0].places] == [1, 2, 3]
    assert identity_title("  A:  B—C ") == "a b c"


def test_conflicting_ids_never_merge_even_with_equal_titles() -> None:
    works = merge_entries(
        [
            _entry("Same Title", 1, arxiv="2401.00001"),
            _entry("Same Title", 2, arxiv="2401.00002"),
            _entry("Other", 3, doi="10.1/a"),
            _entry("Other", 4, doi="10.1/b"),
        ]
    )
    assert len(works) == 4
    assert sorted(w.id for w in works) == [
        "arxiv:2401.00001",
        "arxiv:2401.00002",
        "doi:10.1/a",
        "doi:10.1/b",
    ]


def test_an_entry_without_ids_joins_the_first_compatible_work() -> None:
    works = merge_entries(
        [
            _entry("The Same Long Title", 1, arxiv="2401.00001"),
            _entry("The Same Long Title", 2, arxiv="2401.00002"),
            _entry("The Same Long Title", 3),
        ]
    )
    assert [[p.line for p in w.places] for w in works] == [[1, 3], [2]]


def test_transitive_merge_by_arxiv_then_doi() -> None:
    works = merge_entries(
        [
            _entry("A", 1, arxiv="2401.00001"),
            _entry("B", 2, doi="10.1/x"),
            _entry("C", 3, arxiv="2401.00001", doi="10.1/x"),
        ]
    )
    assert len(works) == 1
    assert works[0].id == "arxiv:2401.00001"
    assert works[0].ids.doi == "10.1/x"


def test_ids_fall_back_in_order_and_stay_unique() -> None:
    works = merge_entries(
        [
            _entry("Paper One", 1, ieee="100"),
            _entry("Paper Two", 2, ieee="100"),
            _entry("Paper Three", 3, ieee="200"),
            _entry("Paper Four", 4, doi="10.5/Z".lower()),
            _entry("Paper Five", 5),
        ]
    )
    expected_hash = hashlib.sha1(b"paper one").hexdigest()[:16]
    assert [w.id for w in works] == [
        f"title:{expected_hash}",
        f"title:{title_key('Paper Two')}",
        "ieee:200",
        "doi:10.5/z",
        f"title:{title_key('Paper Five')}",
    ]


def test_places_are_in_file_and_line_order() -> None:
    first = _entry("X", 9, arxiv="2401.00001")
    second = _entry("X", 3, arxiv="2401.00001")
    other_file = Entry(
        source="a",
        file="sources/a.md",
        line=50,
        section=[],
        kind="dataset",
        title="x",
        ids=Ids(arxiv="2401.00001"),
    )
    (work,) = merge_entries([first, second, other_file])
    assert [(p.file, p.line) for p in work.places] == [
        ("sources/a.md", 50),
        ("sources/t.md", 3),
        ("sources/t.md", 9),
    ]
    assert work.kind == "paper"


def _paged(title: str, line: int, *pages: str, **ids: str) -> Entry:
    entry = _entry(title, line, **ids)
    entry.ids.pages = list(pages)
    return entry


def test_a_name_alone_never_merges_papers() -> None:
    works = merge_entries(
        [
            _paged("qnn", 1, "openreview:a"),
            _paged("qnn", 2, "cvf:b_cvpr_2022"),
            _entry("VLMaps", 3),
            _entry("VLMaps", 4),
        ]
    )
    assert [[p.line for p in w.places] for w in works] == [[1], [2], [3], [4]]


def test_a_name_with_the_same_identifier_is_one_work() -> None:
    works = merge_entries(
        [_entry("NWPU-RESISC45", 1, ieee="7891544"), _entry("NWPU-RESISC45", 2, ieee="7891544")]
    )
    assert [[p.line for p in w.places] for w in works] == [[1, 2]]


def test_a_shared_page_merges_and_two_pages_of_one_site_keep_apart() -> None:
    works = merge_entries(
        [
            _paged("Post-Training Quantization for Vision Transformers", 1, "openreview:x"),
            _paged("Post-training quantization for vision transformers.", 2, "openreview:x"),
            _paged("Post-Training Quantization for Vision Transformers", 3, "openreview:y"),
        ]
    )
    assert [[p.line for p in w.places] for w in works] == [[1, 2], [3]]
    assert works[0].ids.pages == ["openreview:x"]


def test_rows_merged_by_title_alone_with_different_links_are_reported() -> None:
    works, findings = merge_with_findings(
        [
            _entry(
                "Training with Quantization Noise for Extreme Compression", 1, arxiv="2004.07320"
            ),
            _paged(
                "Training with Quantization Noise for Extreme Compression",
                2,
                "openreview:dV19Yyi1fS3",
            ),
        ]
    )
    assert len(works) == 1
    assert [(f.kind, f.line) for f in findings] == [("merged-by-title", 2)]
    assert "arxiv:2004.07320" in findings[0].message and findings[0].work_id == works[0].id


def test_a_resource_row_never_merges_into_a_paper() -> None:
    contest = _paged("DynamicEarthNet Challenge", 1, "cvf:toker_dynamicearthnet_cvpr_2022")
    contest.kind = "other"
    works = merge_entries(
        [contest, _paged("DynamicEarthNet", 2, "cvf:toker_dynamicearthnet_cvpr_2022")]
    )
    assert [(w.kind, [p.line for p in w.places]) for w in works] == [("other", [1]), ("paper", [2])]
