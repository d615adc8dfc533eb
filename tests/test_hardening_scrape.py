"""Hostile lists against the scraper and the identifier parser, beyond the property tests.

tests/test_scrape_properties.py (hypothesis: arbitrary text, markdown-like text, truncated real
lists, arbitrary bytes) and tests/test_scrape_cli.py (bad bytes warn per line) cover small
inputs. Here: inputs a pull request could add that are large or deep — a 50 MB line, a table of
100,000 columns, lists and quotes nested thousands of levels — with peak memory measured by
tracemalloc; links with ``javascript:``/``file:``/``data:`` URLs; titles made of LaTeX
commands; identifiers that look right and are not.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.ids.arxiv import normalize_arxiv
from pipeline.ids.links import identify
from pipeline.scrape import run_scrape
from pipeline.scrape.markdown import Parsed, parse_list
from pipeline.scrape.merge import merge_entries

MEMORY_FACTOR = 20
"""Peak traced memory may be at most this many times the input's size in bytes."""

ARXIV = "https://arxiv.org/abs/2306.11029"


def parse(text: str) -> Parsed:
    return parse_list(text, source="p", file="sources/p.md")


def peak_while(call: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_50_mb_line_is_read_in_bounded_memory() -> None:
    title = "A" * (50 << 20)
    text = f"# L\n\n## Papers\n\n- **{title}** [[pdf]]({ARXIV})\n- **Next** [[pdf]]({ARXIV}1)\n"
    result: list[Parsed] = []
    peak = peak_while(lambda: result.append(parse(text)))
    assert peak < MEMORY_FACTOR * len(text), f"peak {peak >> 20} MiB for {len(text) >> 20} MiB"
    entries = result[0].entries
    assert [e.line for e in entries] == [5, 6]
    assert entries[0].ids.arxiv == "2306.11029" and entries[1].title == "Next"
    assert len(merge_entries(entries)) == 2


def wide_table(columns: int) -> str:
    header = "|" + "|".join(f"c{i}" for i in range(columns)) + "|\n"
    rule = "|" + "|".join("-" for _ in range(columns)) + "|\n"
    row = "|" + "|".join("**Wide**" if i == 0 else "x" for i in range(columns)) + "|\n"
    return header + rule + row


def test_a_100000_column_row_in_a_narrow_table_is_cut_to_the_table() -> None:
    text = f"## Papers\n\n| Title | Paper |\n|---|---|\n| **Narrow** | [p]({ARXIV}) |\n"
    text += wide_table(100_000).split("\n", 2)[2]  # the wide row alone, inside the table
    result: list[Parsed] = []
    peak = peak_while(lambda: result.append(parse(text)))
    assert peak < MEMORY_FACTOR * len(text)
    assert "Narrow" in [e.title for e in result[0].entries]


def test_a_100000_column_table_is_read_in_bounded_memory() -> None:
    text = "## Papers\n\n" + wide_table(100_000).rsplit("\n", 2)[0] + "\n"  # header and rule
    peak = peak_while(lambda: parse(text))
    assert peak < MEMORY_FACTOR * len(text), f"peak {peak >> 20} MiB for {len(text) >> 10} KiB"


DEEP = 5000
NESTED: dict[str, tuple[str, bool]] = {
    "list-items-2000-levels": (
        "".join("  " * i + f"- **Level {i}** [[pdf]]({ARXIV})\n" for i in range(2000)),
        True,
    ),
    "bullets-on-one-line": ("- " * DEEP + f"**Deep** [[pdf]]({ARXIV})\n", True),
    "block-quotes": (">" * DEEP + f" - **Quoted** [[pdf]]({ARXIV})\n", True),
    "emphasis": ("- " + "*" * DEEP + "x" + "*" * DEEP + f" [[pdf]]({ARXIV})\n", True),
    "links": ("- " + "[" * DEEP + "x" + "](https://a.example/)" * DEEP + "\n", False),
}


@pytest.mark.parametrize(
    "text",
    [pytest.param(text, id=name) for name, (text, _) in NESTED.items()],
)
def test_deep_nesting_never_crashes(text: str) -> None:
    parsed = parse("# L\n\n## Papers\n\n" + text)
    for entry in parsed.entries:
        assert entry.title and entry.line >= 5


def test_deep_nesting_in_a_source_list_is_a_warning_not_a_traceback(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (project / "sources" / "rs-vlm.md").write_text(NESTED["block-quotes"][0], encoding="utf-8")
    report = run_scrape(Settings(root=project), None)
    assert (project / "build" / "works.json").is_file()
    assert report.counts["warnings"] >= 1
    assert "sources/rs-vlm.md:1" in caplog.text


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "java\tscript:alert(1)",
    ],
)
def test_non_web_urls_never_become_links(link: str) -> None:
    text = (
        "## Papers\n\n"
        f"- **Evil Item** [[paper]]({link}) [[pdf]]({ARXIV})\n"
        f'- **Evil Html** <a href="{link}">paper</a> [[pdf]]({ARXIV})\n'
        "\n| Title | Paper |\n|---|---|\n"
        f"| **Evil Row** | [p]({link}) [q]({ARXIV}) |\n"
    )
    entries = parse(text).entries
    assert {e.title for e in entries} == {"Evil Item", "Evil Html", "Evil Row"}
    for entry in entries:
        assert [link.url for link in entry.links] == [ARXIV], entry


def test_a_title_of_latex_commands_stays_text() -> None:
    title = r"\input{/etc/passwd} \write18{rm -rf /} \textbf{Bold} $\alpha$ \def\x{y}"
    parsed = parse(f"## Papers\n\n- **{title}** [[pdf]]({ARXIV})\n")
    assert [e.title for e in parsed.entries] == [title]
    assert parsed.entries[0].ids.arxiv == "2306.11029"


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/sponsors/someone",
        "https://github.com/settings/profile",
        "https://github.com/marketplace/actions/checkout",
        "https://github.com/users/someone/projects/1",
        "https://github.com/features/copilot",
        "https://github.com/search?q=remote+sensing",
        "https://github.com/fMoW/",
        "https://gist.github.com/someone/0123456789abcdef",
        "https://raw.githubusercontent.com/a/b/main/README.md",
    ],
)
def test_github_pages_that_are_not_repositories(url: str) -> None:
    found = identify(url)
    assert found.github is None and found.role != "code", found


@pytest.mark.parametrize(
    ("url", "arxiv", "doi"),
    [
        ("https://doi.org/10.1145/3591106.3592236.", None, "10.1145/3591106.3592236"),
        ("https://doi.org/10.1145/3591106.3592236),", None, "10.1145/3591106.3592236"),
        ("https://arxiv.org/abs/2306.11029v99.pdf", "2306.11029", None),
        ("https://arxiv.org/abs/2313.00001", None, None),  # month 13
        ("https://arxiv.org/abs/2306.110290", None, None),  # six digits
    ],
)
def test_identifiers_that_look_right(url: str, arxiv: str | None, doi: str | None) -> None:
    found = identify(url)
    assert (found.arxiv, found.doi) == (arxiv, doi)


@pytest.mark.parametrize("url", ["https://github.com/evil%0A/repo", "https://github.com/a/b%0A"])
def test_an_encoded_newline_never_makes_a_repository_name(url: str) -> None:
    assert identify(url).github is None
    parsed = parse(f"## Papers\n\n- **T** [[code]]({url}) [[pdf]]({ARXIV})\n")
    assert all("\n" not in repo for e in parsed.entries for repo in e.ids.github)


@pytest.mark.parametrize("number", ["%C2%B2", "➇"])
def test_a_unicode_digit_in_an_ieee_link_is_no_crash(number: str) -> None:
    url = f"https://ieeexplore.ieee.org/stamp/stamp.jsp?arnumber={number}"
    parsed = parse(f"## Papers\n\n- **T** [[paper]]({url})\n")
    assert [e.ids.ieee for e in parsed.entries] == [None]


def test_an_upper_case_archive_is_no_arxiv_id() -> None:
    assert identify("https://arxiv.org/abs/FOO/0112017").arxiv is None
    assert normalize_arxiv("arXiv:CS/0112017") is None
