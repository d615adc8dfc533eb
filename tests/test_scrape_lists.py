"""The five source lists against hand-built ground truth (tests/fixtures/scrape/*.json,
built by reading and grepping the lists, see the README there), and the other real lists in
../shared/lists/ must scrape without crashing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.config import load_settings
from pipeline.scrape import ScrapeResult, decode_list, scrape_files
from pipeline.scrape.markdown import parse_list
from tests.conftest import REPO, SHARED, require_shared, shared_lists

FIXTURES = REPO / "tests" / "fixtures" / "scrape"
LISTS = [
    "awesome-rsvlm",
    "rs-vlm",
    "rs-cross-modal-retrieval",
    "rs-image-text-retrieval",
    "rs-mllm",
]


@pytest.fixture(scope="module")
def scraped() -> ScrapeResult:
    return scrape_files(load_settings(root=REPO, environ={}))


@pytest.mark.parametrize("name", LISTS)
def test_list_matches_ground_truth(scraped: ScrapeResult, name: str) -> None:
    truth = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    entries = [e for e in scraped.entries if e.source == name]
    assert all(e.file == truth["file"] for e in entries)
    assert len(entries) == truth["entries"]
    assert sorted({e.ids.arxiv for e in entries if e.ids.arxiv}) == sorted(truth["arxiv"])
    assert sorted({e.ids.doi for e in entries if e.ids.doi}) == sorted(truth["doi"])
    assert sorted({e.ids.ieee for e in entries if e.ids.ieee}) == sorted(truth["ieee"])
    assert sorted({g for e in entries for g in e.ids.github}) == sorted(truth["github"])


def test_every_list_is_read_with_sections_and_lines(scraped: ScrapeResult) -> None:
    assert set(scraped.per_list) == set(LISTS)
    for entry in scraped.entries:
        assert entry.line >= 1
        assert entry.section, entry.place
        assert entry.title.strip() == entry.title and entry.title
        assert "**" not in entry.title and "<" not in entry.title


def test_known_entries_read_in_full(scraped: ScrapeResult) -> None:
    by_place = {(e.source, e.line): e for e in scraped.entries}
    earthmind = by_place[("rs-mllm", 73)]
    assert earthmind.title.startswith("EarthMind: Towards Multi-Granular")
    assert earthmind.section == [
        "Awesome Papers",
        "Multimodal Large Language Models for Remote Sensing",
    ]
    assert earthmind.authors[:2] == ["Yan Shu", "Bin Ren"]
    assert (earthmind.venue, earthmind.date) == ("arXiv", "2025-06-02")
    assert earthmind.ids.github == ["shuyansy/earthmind"]
    assert [(link.url, link.role) for link in earthmind.links] == [
        ("https://arxiv.org/abs/2506.01667", "paper"),
        ("https://github.com/shuyansy/EarthMind", "code"),
    ]
    # mojibake repaired, in both encodings the lists show
    assert by_place[("rs-image-text-retrieval", 61)].title.endswith("Image–Text Retrieval")
    assert by_place[("rs-mllm", 130)].title.endswith("Image–Text Retrieval")
    assert "T. Lüddecke" in by_place[("rs-mllm", 157)].authors
    # correct Chinese text stays
    assert by_place[("rs-cross-modal-retrieval", 123)].title == "遥感大模型：进展与前瞻"
    # a title over two lines, and a title bolded twice in a row
    assert by_place[("rs-image-text-retrieval", 67)].title == (
        "Deep Unsupervised Contrastive Hashing for Large-Scale Cross-Modal Text-Image "
        "Retrieval in Remote Sensing"
    )
    assert by_place[("rs-image-text-retrieval", 46)].title == (
        "Interacting-Enhancing Feature Transformer for Cross-Modal Remote-Sensing Image and "
        "Text Retrieval"
    )
    # venue tag, date in parentheses, author sub-bullet
    textrs = by_place[("rs-image-text-retrieval", 6)]
    assert (textrs.venue, textrs.date) == ("Remote Sensing", "2020")
    assert textrs.authors == ["Abdullah T", "Bazi Y", "Al Rahhal M M"]
    assert by_place[("awesome-rsvlm", 8)].date == "2023-06"
    # "null", "-" and [Link]() are no links; a badge is not a link but gives its repo
    assert by_place[("rs-cross-modal-retrieval", 50)].links == [
        link for link in by_place[("rs-cross-modal-retrieval", 50)].links if link.role == "paper"
    ]
    popeye = by_place[("rs-mllm", 191)]
    assert [link.url for link in popeye.links] == ["https://arxiv.org/abs/2403.03790.pdf"]
    vhm = by_place[("rs-mllm", 98)]
    assert vhm.ids.github == ["opendatalab/h2rsvlm", "opendatalab/vhm"]
    assert all("shields.io" not in link.url for e in scraped.entries for link in e.links)
    assert (
        vhm.title
        == "VHM: Versatile and Honest Vision Language Model for Remote Sensing Image Analysis"
    )
    # <be> typo separates authors from the title like <br>
    assert by_place[("rs-mllm", 83)].authors[0] == "Liu, F."
    # a row without the leading pipe is still a row
    assert by_place[("rs-mllm", 129)].title.startswith("RS-CLIP: Zero Shot")
    # ?tab=… and /tree/… stripped
    assert by_place[("rs-cross-modal-retrieval", 49)].ids.github == ["om-ai-lab/rs5m"]
    assert by_place[("rs-mllm", 90)].ids.github == ["nju-lhrs/lhrs-bot"]


def test_dataset_tables_give_dataset_entries(scraped: ScrapeResult) -> None:
    kinds = {(e.source, e.line): e.kind for e in scraped.entries}
    assert kinds[("rs-vlm", 159)] == "dataset"  # RSICD, "# Dataset" section
    assert kinds[("rs-vlm", 205)] == "dataset"  # Vaihingen: a name, no link
    assert kinds[("rs-mllm", 182)] == "dataset"  # DDFAV, "Awesome Datasets"
    assert kinds[("rs-cross-modal-retrieval", 107)] == "dataset"
    assert kinds[("rs-vlm", 56)] == "paper"
    assert kinds[("rs-cross-modal-retrieval", 115)] == "project"  # code only, no paper
    counts = {
        name: sum(1 for e in scraped.entries if e.source == name and e.kind == "dataset")
        for name in LISTS
    }
    assert counts == {
        "awesome-rsvlm": 0,
        "rs-vlm": 23,
        "rs-cross-modal-retrieval": 3,
        "rs-image-text-retrieval": 0,
        "rs-mllm": 18,
    }


def test_conflicting_arxiv_links_in_one_entry_warn(scraped: ScrapeResult) -> None:
    # rs-mllm:138 links its title to 2412.02573 (another survey) and its [arXiv] to 2503.22081
    survey = next(e for e in scraped.entries if (e.source, e.line) == ("rs-mllm", 138))
    assert survey.ids.arxiv == "2503.22081"
    assert any(w.startswith("sources/rs-mllm.md:138: ") for w in scraped.warnings)


SHARED_LISTS = shared_lists()


@pytest.mark.parametrize("path", SHARED_LISTS, ids=[p.name[:40] for p in SHARED_LISTS])
def test_other_real_lists_scrape(path: Path) -> None:
    require_shared(path)
    decoded = decode_list(path.read_bytes(), path.name)
    parsed = parse_list(decoded.text, source=path.stem, file=path.name)
    assert parsed.entries, path.name
    for entry in parsed.entries:
        assert entry.title and entry.line >= 1
    if path.name != "README.md":
        assert len(parsed.entries) >= 30
        assert sum(1 for e in parsed.entries if e.links) >= len(parsed.entries) // 2
    for warning in decoded.warnings + parsed.warnings:
        assert warning.startswith(f"{path.name}:")


def test_shared_lists_exist() -> None:
    require_shared(SHARED / "lists")
    assert len(SHARED_LISTS) >= 8


ALL_LISTS = sorted((REPO / "sources").glob("*.md")) + SHARED_LISTS


@pytest.mark.parametrize("path", ALL_LISTS, ids=[p.name[:40] for p in ALL_LISTS])
def test_both_parser_backends_agree(path: Path) -> None:
    # markdown-it.rs (fast) and markdown-it-py (its fallback) must read a list the same way
    if path.is_relative_to(SHARED):
        require_shared(path)
    text = decode_list(path.read_bytes(), path.name).text
    fast = parse_list(text, source="s", file="f", backend="rust")
    reference = parse_list(text, source="s", file="f", backend="python")
    assert fast.entries == reference.entries
    assert fast.warnings == reference.warnings


def test_entry_lines_point_at_the_entry(scraped: ScrapeResult) -> None:
    lines = {
        name: (REPO / "sources" / f"{name}.md").read_text(encoding="utf-8").splitlines()
        for name in LISTS
    }
    for entry in scraped.entries:
        if entry.links:
            # the entry's first line, or the next one for a title over two lines
            text = " ".join(lines[entry.source][entry.line - 1 : entry.line + 1])
            assert entry.links[0].url in text, entry.place
