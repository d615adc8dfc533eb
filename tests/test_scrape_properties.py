"""Property tests: arbitrary and truncated markdown never makes the scrape stage raise."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.ids.doi import normalize_doi
from pipeline.ids.links import identify
from pipeline.scrape import decode_list
from pipeline.scrape.markdown import parse_list
from pipeline.scrape.merge import merge_entries
from tests.conftest import REPO, SHARED

SOURCES = sorted((REPO / "sources").glob("*.md")) + sorted((SHARED / "lists").glob("*.md"))
TEXTS = [p.read_bytes() for p in SOURCES]

FRAGMENTS = [
    "|",
    "||",
    "|---|",
    "|:---:|",
    "\n",
    "\n\n",
    "  ",
    "- ",
    "* ",
    "1. ",
    "#",
    "## ",
    "**",
    "*",
    "_",
    "`",
    "[",
    "]",
    "(",
    ")",
    "[[pdf]]",
    "[Link]()",
    "<br>",
    "<be>",
    "<b>",
    "</b>",
    "<img src=",
    '"',
    "&amp;",
    "&#",
    "null",
    "-",
    "https://arxiv.org/abs/2306.11029v2",
    "https://doi.org/10.",
    "https://github.com/a/b?tab=x",
    "https://img.shields.io/github/stars/a/b.svg",
    "https://ieeexplore.ieee.org/document/",
    "](",
    ")](",
    "![Star](",
    "Imageâ€“Text",
    "‚Äì",
    "遥感",
    "\r\n",
    "\t",
    "> ",
    "<details>",
    "</details>",
    "```",
    "(2023.06)",
    "[TGRS 2023] ",
    "| Title | Venue | Date |",
    "| Dataset | Link |",
    "\x00",
    "\ufeff",
]
markdownish = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=6), max_size=80).map("".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _stage(text: str) -> None:
    parsed = parse_list(text, source="p", file="sources/p.md")
    lines = text.count("\n") + text.count("\r") + 2
    for entry in parsed.entries:
        assert 1 <= entry.line <= lines
        assert entry.title
        assert entry.kind in ("paper", "dataset", "project", "other")
    for warning in parsed.warnings:
        assert warning.startswith("sources/p.md:")
    works = merge_entries(parsed.entries)
    assert len({w.id for w in works}) == len(works)
    assert sum(len(w.places) for w in works) == len(parsed.entries)


@FAST
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises(text: str) -> None:
    _stage(text)


@FAST
@given(markdownish)
def test_markdown_like_text_never_raises(text: str) -> None:
    _stage(text)


@FAST
@given(st.sampled_from(range(len(TEXTS))), st.floats(min_value=0, max_value=1))
def test_truncated_real_lists_never_raise(index: int, fraction: float) -> None:
    data = TEXTS[index]
    cut = data[: int(len(data) * fraction)]  # may split a UTF-8 sequence: decode_list copes
    decoded = decode_list(cut, "sources/p.md")
    _stage(decoded.text)


@FAST
@given(st.binary(max_size=300))
def test_arbitrary_bytes_decode_and_parse(data: bytes) -> None:
    decoded = decode_list(data, "sources/p.md")
    assert len(decoded.bad_lines) == len(decoded.warnings)
    _stage(decoded.text)


@FAST
@given(st.text(max_size=120) | st.sampled_from(FRAGMENTS).map(lambda f: "https://" + f))
def test_identify_never_raises(url: str) -> None:
    found = identify(url)
    if found.doi is not None:
        assert found.doi == found.doi.lower() and found.doi.startswith("10.")
    if found.github is not None:
        assert found.github.count("/") == 1
    normalize_doi(url)
