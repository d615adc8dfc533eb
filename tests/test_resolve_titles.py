"""Crossref titles in two languages: the English one is the title, the original is kept,
and a list that gives the original still matches the record."""

from __future__ import annotations

import pytest

from pipeline.resolve.crossref import to_csl as crossref_to_csl
from pipeline.resolve.match import judge

ORIGINAL = "遥感基础模型发展综述与未来设想"
ENGLISH = "Review and prospect of remote sensing foundation models"


@pytest.mark.parametrize(
    "message",
    [
        {"title": [ORIGINAL, ENGLISH]},  # both deposited as titles (Chinese journals)
        {"title": [ENGLISH, ORIGINAL]},
        {"title": [ENGLISH], "original-title": [ORIGINAL]},
    ],
)
def test_english_title_with_the_original_kept(message: dict[str, list[str]]) -> None:
    csl = crossref_to_csl({"type": "journal-article", **message}, "doi:x")
    assert csl["title"] == ENGLISH
    assert csl["original-title"] == ORIGINAL
    assert csl["language"] == "zh"


@pytest.mark.parametrize(
    ("titles", "language"),
    [(["リモートセンシング", "Remote sensing"], "ja"), (["원격 탐사", "Remote sensing"], "ko")],
)
def test_language_of_the_original(titles: list[str], language: str) -> None:
    assert crossref_to_csl({"title": titles}, "doi:x")["language"] == language


def test_one_language_is_left_as_it_is() -> None:
    for titles in ([ORIGINAL], [ENGLISH], [ENGLISH, "A second English title"]):
        csl = crossref_to_csl({"title": titles}, "doi:x")
        assert csl["title"] == titles[0]
        assert "original-title" not in csl and "language" not in csl


def test_a_list_giving_the_original_title_still_matches() -> None:
    csl = crossref_to_csl({"title": [ORIGINAL, ENGLISH]}, "doi:x")
    assert judge(ORIGINAL, None, None, csl).similarity == 1.0
    assert judge(ENGLISH, None, None, csl).similarity == 1.0
    assert judge("Something else entirely", None, None, csl).similarity < 0.5
