"""The identifier registry: kept in step with the records and the publisher table."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.ids import KINDS, WORK_ID_KINDS, arxiv, doi, kind
from pipeline.ids.publishers import RULES
from pipeline.models import Ids


def test_every_ids_field_has_a_kind_and_every_in_ids_kind_is_a_field() -> None:
    fields = [f.name for f in dataclasses.fields(Ids)]
    assert [k.name for k in KINDS if k.in_ids] == fields


def test_every_publisher_rule_gives_a_registered_kind() -> None:
    names = {k.name for k in KINDS}
    assert {rule.kind for rule in RULES} <= names


def test_work_ids_prefer_arxiv_then_doi_then_ieee() -> None:
    assert WORK_ID_KINDS == ("arxiv", "doi", "ieee")


@pytest.mark.parametrize(
    ("name", "text", "kept"),
    [
        ("arxiv", "arXiv:2306.11029v2", "2306.11029"),
        ("arxiv", "cs/0112017", "cs/0112017"),
        ("arxiv", "2313.12345", None),  # no month 13
        ("doi", "https://doi.org/10.1109/TGRS.2023.1.", "10.1109/tgrs.2023.1"),
        ("doi", "11.1/x", None),
        ("ieee", "009395191", "9395191"),
        ("github", "Owner/Repo.git", "owner/repo"),
        ("github", "owner", None),
        ("pii", "s0924271614002524", "S0924271614002524"),
        ("aaai", "32683", "32683"),
    ],
)
def test_each_kind_normalizes_into_its_kept_form(name: str, text: str, kept: str | None) -> None:
    entry = kind(name)
    assert entry.normalize(text) == kept
    if kept is not None:
        assert entry.pattern.fullmatch(kept)


def test_an_arxiv_feed_entry_id_gives_the_id_with_its_version() -> None:
    assert arxiv.from_entry_id("http://arxiv.org/abs/2107.05580v1") == "2107.05580v1"
    assert arxiv.from_entry_id("http://arxiv.org/abs/quant-ph/0201082v1") == "quant-ph/0201082v1"
    assert arxiv.from_entry_id("http://arxiv.org/api/errors#incorrect_id_format") is None


def test_the_link_writing_an_id_is_found_whole() -> None:
    urls = ["https://example.org/2306.110291", "https://arxiv.org/pdf/2306.11029v2.pdf"]
    assert arxiv.link_of(urls, "2306.11029") == urls[1]
    assert arxiv.link_of(urls[:1], "2306.11029") is None
    dois = ["https://doi.org/10.1109/tgrs.2023.12345", "https://doi.org/10.1109/TGRS.2023.1234"]
    assert doi.link_of(dois, "10.1109/tgrs.2023.1234") == dois[1]  # case aside, not a prefix
    assert doi.link_of(dois[:1], "10.1109/tgrs.2023.1234") is None
    assert doi.link_of(["https://x.org/110.1109/tgrs.2023.1234"], "10.1109/tgrs.2023.1234") is None
    quoted = "https://x.org/?u=https%3A%2F%2Fdoi.org%2F10.1109/tgrs.2023.1234"
    assert doi.link_of([quoted], "10.1109/tgrs.2023.1234") == quoted


@pytest.mark.parametrize(
    "url,on",
    [
        ("https://arxiv.org/abs/2306.11029", True),
        ("http://export.arxiv.org/pdf/2306.11029", True),
        ("https://web.archive.org/web/2020/https://arxiv.org/abs/2306.11029", False),
        ("https://notarxiv.org/abs/2306.11029", False),
    ],
)
def test_an_address_is_on_arxiv_by_its_host(url: str, on: bool) -> None:
    assert arxiv.on_arxiv(url) is on


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://arxiv.org/abs/2306.11029",
            ("2306.11029", None, "https://arxiv.org/abs/2306.11029"),
        ),
        (
            "http://arxiv.org/pdf/2306.11029v2",
            ("2306.11029", 2, "https://arxiv.org/pdf/2306.11029v2"),
        ),
        (
            "https://WWW.arXiv.org/pdf/2306.11029v3.pdf?x=1",
            ("2306.11029", 3, "https://arxiv.org/pdf/2306.11029v3.pdf?x=1"),
        ),
        (
            "https://arxiv.org/abs/cs/0112017v1",
            ("cs/0112017", 1, "https://arxiv.org/abs/cs/0112017v1"),
        ),
        ("https://arxiv.org/html/2306.11029", None),  # not the abstract or the PDF
        ("https://export.arxiv.org/abs/2306.11029", None),  # a mirror: fetched as it is
        ("https://arxiv.org:8443/abs/2306.11029", None),
        ("https://arxiv.org/abs/2313.11029", None),  # no 13th month
        ("ftp://arxiv.org/abs/2306.11029", None),
        ("https://arxiv.org/list/cs.CV/recent", None),
    ],
)
def test_a_paper_page_on_arxiv_gives_its_id_version_and_canonical_address(
    url: str, expected: tuple[str, int | None, str] | None
) -> None:
    page = arxiv.paper_page(url)
    got = None if page is None else (page.short_id, page.version, page.canonical_url)
    assert got == expected


def test_a_version_is_read_from_an_entry_id() -> None:
    assert arxiv.version_of("2306.11029v12") == 12
    assert arxiv.version_of("cs/0112017v1") == 1
    assert arxiv.version_of("2306.11029") is None
