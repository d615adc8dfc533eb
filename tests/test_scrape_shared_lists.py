"""The real lists in ../shared/lists/, written by others in other layouts: no paper lost,
swallowed or mis-titled. The truth comes from each list's raw text, not from the scraper:
every arXiv id it writes, the year its rows and headings state, the quoted or bold phrase
beside a short name. Then one case per layout, checked by hand against the list."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from pipeline.config import load_settings
from pipeline.ids import arxiv, pages
from pipeline.models import Work
from pipeline.scrape import ScrapeResult, scrape_files
from tests.conftest import SHARED, require_shared, shared_lists

LISTS = [p for p in shared_lists() if p.name != "README.md"]
IDS = [p.name.split("__")[0] if "__" in p.name else p.name for p in LISTS]
ARXIV_IN_TEXT = re.compile(r"arxiv\.org/(?:abs|pdf|html)/(\d{4}\.\d{4,5})", re.IGNORECASE)
YEAR = re.compile(r"\b(?:19[89]\d|20[0-3]\d)\b")
LONG_PHRASE = re.compile(r'"([^"]{20,})"|\*\*([^*]{20,})\*\*')


@cache
def scraped(path: Path) -> ScrapeResult:
    require_shared(path)
    return scrape_files(load_settings(root=path.parent, environ={}), [path])


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n").split("\n")


def cited(result: ScrapeResult) -> list[Work]:
    return [w for w in result.works if w.kind in ("paper", "dataset")]


@pytest.mark.parametrize("path", LISTS, ids=IDS)
def test_every_arxiv_id_is_on_a_work_or_in_a_finding_with_its_line(path: Path) -> None:
    result = scraped(path)
    text = "\n".join(lines_of(path))
    written = set(ARXIV_IN_TEXT.findall(text)) | {m.group(1) for m in arxiv.MENTION.finditer(text)}
    on_works = {w.ids.arxiv for w in result.works}
    reported = {f.list_says.get("arxiv"): f for f in result.findings}
    lost = sorted(written - on_works - set(reported))
    assert not lost, lost
    for short_id in written - on_works:
        finding = reported[short_id]
        assert short_id in lines_of(path)[finding.line - 1], (finding.line, short_id)


@pytest.mark.parametrize("path", LISTS, ids=IDS)
def test_no_work_links_two_papers(path: Path) -> None:
    result = scraped(path)
    by_place = {(e.file, e.line): e for e in result.entries}
    for work in result.works:
        entries = [by_place[(p.file, p.line)] for p in work.places]
        assert len({e.ids.arxiv for e in entries if e.ids.arxiv}) <= 1, work.places
        assert len({e.ids.doi for e in entries if e.ids.doi}) <= 1, work.places
        sites: dict[str, set[str]] = {}
        for page in work.ids.pages:
            sites.setdefault(page.partition(":")[0], set()).add(page)
        assert all(len(keys) == 1 for keys in sites.values()), work.ids.pages


@pytest.mark.parametrize("path", LISTS, ids=IDS)
def test_works_whose_list_states_a_year_have_one(path: Path) -> None:
    result = scraped(path)
    lines = lines_of(path)
    need = have = 0
    for work in cited(result):
        rows = [lines[p.line - 1] for p in work.places]
        sections = [s for p in work.places for s in p.section]
        if not (work.ids.arxiv or any(YEAR.search(t) for t in rows + sections)):
            continue
        need += 1
        stated = [arxiv.year_of(work.ids.arxiv or "")] + [pages.year_of(p) for p in work.ids.pages]
        have += bool(work.date or any(stated))
    assert have >= 0.95 * need, (have, need)


@pytest.mark.parametrize("path", LISTS, ids=IDS)
def test_titles_are_not_nicknames(path: Path) -> None:
    result = scraped(path)
    lines = lines_of(path)
    nicknames = [
        w.title
        for w in cited(result)
        if len(w.title.split()) <= 2
        and any(LONG_PHRASE.search(lines[p.line - 1]) for p in w.places)
    ]
    assert len(nicknames) <= 0.02 * len(cited(result)), nicknames


def work_at(result: ScrapeResult, line: int) -> Work:
    return next(w for w in result.works if any(p.line == line for p in w.places))


def shared_list(prefix: str) -> Path:
    found = sorted((SHARED / "lists").glob(f"{prefix}*"))
    return found[0] if found else SHARED / "lists" / prefix


def test_robotics_nickname_quoted_title_and_inline_venue() -> None:
    result = scraped(shared_list("GT-RIPL"))
    vlmaps = next(w for w in result.works if w.nickname == "VLMaps")
    assert vlmaps.title == "Visual Language Maps for Robot Navigation"
    assert (vlmaps.venue, vlmaps.date, vlmaps.ids.arxiv) == ("arXiv", "2023-03", "2210.05714")
    # PIGLeT's row links ZSP's arXiv id: two papers, never merged, and reported
    piglet = next(w for w in result.works if w.nickname == "PIGLeT")
    zsp = next(w for w in result.works if w.nickname == "ZSP")
    assert piglet is not zsp
    assert any(
        f.kind == "shared-id" and f.list_says.get("arxiv") == "2201.07207" for f in result.findings
    )


def test_quantization_tags_and_venue_labels_swallow_no_paper() -> None:
    result = scraped(shared_list("htqin"))
    titles = {w.title for w in result.works}
    assert not titles & {"qnn", "bnn", "hardware", "snn", "other", "CVPR", "ICML"}
    obc = next(w for w in result.works if w.title.startswith("Optimal Brain Compression"))
    assert (obc.venue, obc.date, len(obc.places)) == ("NeurIPS", "2022", 1)
    assert len(result.works) >= 500


def test_gaussian_splatting_resources_are_not_cited() -> None:
    result = scraped(shared_list("MrNeRF"))
    kinds = {w.title: w.kind for w in result.works}
    assert kinds["Gaussian Splatting is pretty cool"] == "other"
    assert kinds["Eric Haines"] == "other"
    assert kinds["Approximate Differentiable Rendering with Algebraic Surfaces"] == "paper"


def test_commented_rows_and_an_introductions_paper_are_findings() -> None:
    temporal = scraped(shared_list("Chen-Yang-Liu"))
    commented = {f.list_says.get("arxiv"): f for f in temporal.findings if f.kind == "not-read"}
    assert "commented out" in commented["2305.05726"].message
    rsfms = scraped(shared_list("xiaoaoran"))
    assert any(
        f.kind == "not-read" and f.list_says == {"arxiv": "2410.16602"} for f in rsfms.findings
    )


def test_change_detection_competitions_are_contests_that_report_their_papers() -> None:
    result = scraped(shared_list("wenhwu"))
    assert not [w for w in result.works if re.fullmatch(r"\d{4}", w.title)]
    contest = next(w for w in result.works if w.title == "IEEE GRSS Data Fusion Contest")
    assert (contest.kind, contest.date) == ("other", "2021")
    # a contest's solution paper on no cited row is reported, not lost
    solution = next(f for f in result.findings if f.list_says == {"ieee": "10281500"})
    assert solution.kind == "not-read" and "read as other" in solution.message
    assert solution.line == 319
    # the dataset it shares a paper with stays the dataset's own work
    dataset = next(w for w in result.works if w.title == "DynamicEarthNet")
    assert dataset.kind == "dataset" and len(dataset.places) == 1
