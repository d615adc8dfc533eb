"""The markdown reader on small inputs: each layout of the lists, odd cells, bad rows."""

from __future__ import annotations

from typing import Any

from pipeline.scrape.markdown import (
    clean_title,
    guard_text,
    parse_date,
    parse_list,
    parse_venue,
    split_authors,
)
from pipeline.text import fix_text


def read(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    parsed = parse_list(text, source="t", file="sources/t.md")
    rows = [
        {
            "line": e.line,
            "kind": e.kind,
            "title": e.title,
            "authors": e.authors,
            "venue": e.venue,
            "date": e.date,
            "section": e.section,
            "links": [(link.url, link.role) for link in e.links],
            "arxiv": e.ids.arxiv,
            "doi": e.ids.doi,
            "ieee": e.ids.ieee,
            "github": e.ids.github,
        }
        for e in parsed.entries
    ]
    return rows, parsed.warnings


def test_bullet_entry_with_venue_links_and_author_subbullet() -> None:
    rows, warnings = read(
        "# My list\n\n## Methods\n\n"
        "- [TGRS 2023] **A Title &amp; More** [[paper]](https://arxiv.org/pdf/2308.12509v2) "
        "[[code]](https://github.com/A/B/tree/main)\n"
        "  - Yuan Y, Zhan Y, Xiong Z.\n"
    )
    assert warnings == []
    assert rows == [
        {
            "line": 5,
            "kind": "paper",
            "title": "A Title & More",
            "authors": ["Yuan Y", "Zhan Y", "Xiong Z"],
            "venue": "TGRS",
            "date": "2023",
            "section": ["Methods"],
            "links": [
                ("https://arxiv.org/pdf/2308.12509v2", "paper"),
                ("https://github.com/A/B/tree/main", "code"),
            ],
            "arxiv": "2308.12509",
            "doi": None,
            "ieee": None,
            "github": ["a/b"],
        }
    ]


def test_bullet_with_date_in_parentheses_and_pdf_link() -> None:
    rows, _ = read(
        "## Paper List\n- **RS5M: A Dataset** (2023.06) [[pdf]](https://huggingface.co/blog/x)\n"
        "  - Zilun Zhang, Tiancheng Zhao\n"
    )
    assert rows[0]["date"] == "2023-06"
    assert rows[0]["links"] == [("https://huggingface.co/blog/x", "paper")]
    assert rows[0]["authors"] == ["Zilun Zhang", "Tiancheng Zhao"]


def test_table_of_contents_and_prose_bullets_are_not_entries() -> None:
    rows, warnings = read(
        "# T\n## Contents\n* [Surveys](#surveys)\n  * [Sub](#sub)\n"
        "- **2024.11.13**: Update DDFAV.\n- just text\n"
    )
    assert rows == [] and warnings == []


def test_table_columns_found_by_header() -> None:
    rows, warnings = read(
        "## Models\n\n"
        "|Abbreviation|Title|Publication|Paper|Code & Weights|\n"
        "|:---:|---|:---:|:---:|:---:|\n"
        "|**GeoKR**|**Geo Knowledge**|TGRS2021|[GeoKR](https://ieeexplore.ieee.org/abstract/document/9559903)|[link](https://github.com/x/y?tab=readme-ov-file)|\n"
        "|**GRAFT**|**Without Annotations**|ICLR2024|[GRAFT](https://openreview.net/pdf?id=w9)|null|\n"
        "|**-**|**No Code**|Arxiv2023|[Paper](https://arxiv.org/abs/2311.14656)|-|\n"
    )
    assert warnings == []
    assert [r["title"] for r in rows] == ["Geo Knowledge", "Without Annotations", "No Code"]
    assert [(r["venue"], r["date"]) for r in rows] == [
        ("TGRS", "2021"),
        ("ICLR", "2024"),
        ("Arxiv", "2023"),
    ]
    assert rows[0]["ieee"] == "9559903" and rows[0]["github"] == ["x/y"]
    assert rows[1]["links"] == [("https://openreview.net/pdf?id=w9", "paper")]
    assert rows[2]["links"] == [("https://arxiv.org/abs/2311.14656", "paper")]
    assert [r["line"] for r in rows] == [5, 6, 7]


def test_cell_with_badge_title_and_authors() -> None:
    rows, _ = read(
        "## MLLMs\n|  Title  |   Venue  |   Date   |   Code   |   Note   |\n"
        "|:--------|:--------:|:--------:|:--------:|:--------:|\n"
        "| ![Star](https://img.shields.io/github/stars/Org/Repo.svg?style=social&label=Star) <br> "
        "[**Big Model: A Thing**](https://arxiv.org/abs/2506.01667) <br>Yan Shu, Bin Ren <br>"
        "| arXiv | 2025-06-02 | [Github](https://github.com/Org/Repo) | - |\n"
        " ![Star](https://img.shields.io/github/stars/a/b.svg) <be> [**No Pipe**](https://ieeexplore.ieee.org/document/1) "
        "<be>Wu, K., Zhang, Y., ... & Li, Y. <br>| JAG | 2023-09-18 | [Link]() | [arXiv](https://arxiv.org/abs/2306.11029.pdf) |\n"
    )
    first, second = rows
    assert first["title"] == "Big Model: A Thing"
    assert first["authors"] == ["Yan Shu", "Bin Ren"]
    assert first["links"] == [
        ("https://arxiv.org/abs/2506.01667", "paper"),
        ("https://github.com/Org/Repo", "code"),
    ]
    assert first["github"] == ["org/repo"]
    assert second["title"] == "No Pipe"
    assert second["authors"] == ["Wu, K.", "Zhang, Y.", "Li, Y."]
    assert (second["arxiv"], second["ieee"]) == ("2306.11029", "1")
    assert second["github"] == ["a/b"]
    assert ("https://ieeexplore.ieee.org/document/1", "paper") in second["links"]


def test_dataset_sections_and_headers_give_datasets() -> None:
    rows, _ = read(
        "# Dataset\n## Captioning Dataset\n| Dataset | Home | Download link|\n|---|---|---|\n"
        "[RSICD](https://ieeexplore.ieee.org/abstract/document/8240966)|[Github](https://github.com/a/b)|[[BaiduYun]](https://pan.baidu.com/s/1)\n"
        "Vaihingen|[Home](https://www.isprs.org/x.aspx)|-\n"
        "# Tools\n| Dataset | Link |\n|---|---|\n| Other | [x](https://example.org) |\n"
        "# Methods\n| Title | Code |\n|---|---|\n| Thing | [code](https://github.com/c/d) |\n"
    )
    assert [(r["title"], r["kind"]) for r in rows] == [
        ("RSICD", "dataset"),
        ("Vaihingen", "dataset"),
        ("Other", "dataset"),
        ("Thing", "project"),
    ]
    assert rows[0]["links"] == [
        ("https://ieeexplore.ieee.org/abstract/document/8240966", "paper"),
        ("https://github.com/a/b", "code"),
        ("https://pan.baidu.com/s/1", "dataset"),
    ]
    assert rows[1]["links"] == [("https://www.isprs.org/x.aspx", "project")]


def test_bad_row_warns_with_file_and_line_and_the_rest_is_read() -> None:
    rows, warnings = read(
        "## S\n| Title | Venue |\n|---|---|\n| **Good One** | X 2020 |\n|  | 2021 |\n"
        "| ** ** | - |\n| **Good Two** | Y |\n- [[pdf]](https://arxiv.org/abs/2401.00001)\n"
    )
    assert [r["title"] for r in rows] == ["Good One", "Good Two"]
    assert warnings == [
        "sources/t.md:5: table row has an empty title cell; skipped",
        "sources/t.md:6: table row has an empty title cell; skipped",
        "sources/t.md:8: list item has links but no title; skipped",
    ]


def test_html_entities_tags_and_mojibake_in_titles() -> None:
    assert (
        clean_title("Remote Sensing <ins>Vision</ins> &amp; Text") == "Remote Sensing Vision & Text"
    )
    assert clean_title("**Unclosed bold") == "Unclosed bold"
    assert fix_text("Imageâ€“Text") == "Image–Text"
    assert fix_text("Image‚ÄìText") == "Image–Text"
    assert fix_text("L√ºddecke") == "Lüddecke"
    # Mac Roman shows the 0xF0 lead byte as U+F8FF (the Apple logo)
    assert fix_text("\uf8ffüî•\uf8ffüî• hot") == "🔥🔥 hot"
    assert fix_text("ü and î") == "ü and î"
    assert fix_text("遥感大模型：进展与前瞻") == "遥感大模型：进展与前瞻"
    assert fix_text("Zürich “quoted” café") == "Zürich “quoted” café"


def test_sections_follow_heading_levels_and_skip_the_document_title() -> None:
    rows, _ = read(
        "# Awesome\n## A\n### B\n- [x](https://arxiv.org/abs/2401.00001)\n## C\n"
        "- [y](https://arxiv.org/abs/2401.00002)\n# D\n- [z](https://arxiv.org/abs/2401.00003)\n"
    )
    assert [r["section"] for r in rows] == [["A", "B"], ["C"], ["D"]]
    assert [r["title"] for r in rows] == ["x", "y", "z"]


def test_fields() -> None:
    assert parse_venue("TGRS 2023") == ("TGRS", "2023")
    assert parse_venue("ICLR 2024 ML4RS Workshop") == ("ICLR 2024 ML4RS Workshop", "2024")
    assert parse_venue("GRSL 2022.") == ("GRSL", "2022")
    assert parse_venue("2023") == (None, "2023")
    assert parse_venue(" - ") == (None, None)
    assert parse_venue("武汉大学学报 (信息科学版) 2023") == ("武汉大学学报 (信息科学版)", "2023")
    assert parse_date("2025-08-04") == "2025-08-04"
    assert parse_date("2023.6") == "2023-06"
    assert parse_date("2023.13") == "2023"
    assert parse_date("soon") is None
    assert split_authors("Y. Hu, J. Yuan, and C. Wen.") == ["Y. Hu", "J. Yuan", "C. Wen"]
    assert split_authors("Huo, Chunlei; Chen, Keming") == ["Huo, Chunlei", "Chen, Keming"]
    assert split_authors("X. X. Zhu et al.") == ["X. X. Zhu"]
    assert split_authors("Abdullah T, Bazi Y, Al Rahhal M M, et al.") == [
        "Abdullah T",
        "Bazi Y",
        "Al Rahhal M M",
    ]


def test_rust_parser_panic_falls_back_to_markdown_it_py() -> None:
    # markdown-it.rs 0.6 panics on "[``" (found by the property tests); the reference
    # parser takes over and the list is still read
    text = "## S\n- **Good** [[pdf]](https://arxiv.org/abs/2401.00001) [``\n"
    fast = parse_list(text, source="t", file="sources/t.md")
    reference = parse_list(text, source="t", file="sources/t.md", backend="python")
    assert [e.title for e in fast.entries] == ["Good"]
    assert fast.entries == reference.entries


def test_crlf_and_bom_free_text_keep_line_numbers() -> None:
    text = "# T\r\n## S\r\n\r\n- [a](https://arxiv.org/abs/2401.00001)\r\n- [b](https://arxiv.org/abs/2401.00002)\r\n"
    rows, _ = read(text)
    assert [(r["title"], r["line"]) for r in rows] == [("a", 4), ("b", 5)]


def test_one_heading_per_paper() -> None:
    rows, warnings = read(
        "# Awesome\n\n## Dynamics:\n### 1. Dynamic Things: Tracking\n"
        "**Authors**: Jon Luiten, Deva Ramanan\n\n"
        "[📄 Paper](https://arxiv.org/abs/2308.09713) | [💻 Code](https://github.com/J/D)\n\n"
        "### 2. No Links Here\nJust prose.\n\n"
        "## Section With A List\n- [Listed](https://arxiv.org/abs/2401.00001)\n"
    )
    assert warnings == []
    assert [(r["line"], r["title"], r["section"]) for r in rows] == [
        (4, "Dynamic Things: Tracking", ["Dynamics"]),
        (13, "Listed", ["Section With A List"]),
    ]
    assert rows[0]["authors"] == ["Jon Luiten", "Deva Ramanan"]
    assert (rows[0]["arxiv"], rows[0]["github"]) == ("2308.09713", ["j/d"])


def test_numbered_items_with_pipes_and_quoted_titles() -> None:
    rows, _ = read(
        "## Pre-training\n"
        "1. An empirical study of pretraining. TGRS2022. | [paper](https://ieeexplore.ieee.org/abstract/document/9782149) | [code](https://github.com/V/R) |\n"
        '* "A Survey of Robots", *arXiv, May 2024*, [[Paper](https://arxiv.org/abs/2405.13245)]\n'
        "- [[arXiv](https://arxiv.org/abs/2404.14047)] How Good Are Models? [[code](https://github.com/a/b)]\n"
    )
    assert [(r["title"], r["venue"], r["date"]) for r in rows] == [
        ("An empirical study of pretraining", "TGRS", "2022"),
        ("A Survey of Robots", "arXiv", "2024-05"),
        ("How Good Are Models?", None, None),
    ]
    assert rows[0]["ieee"] == "9782149" and rows[2]["arxiv"] == "2404.14047"


ARXIV = "https://arxiv.org/abs/2306.11029"


def test_a_line_nested_too_deep_is_cut_to_a_list_item_with_one_warning() -> None:
    text = "## Papers\n\n" + "> " * 500 + f"- **Quoted** [[pdf]]({ARXIV})\n\n"
    text += "- " * 500 + f"**Bullets** [[pdf]]({ARXIV})\n\n- **Flat** [[pdf]]({ARXIV})\n"
    rows, warnings = read(text)
    assert [(r["line"], r["title"]) for r in rows] == [(3, "Quoted"), (5, "Bullets"), (7, "Flat")]
    assert warnings == [
        f"sources/t.md:{n}: nested deeper than 64 levels; deeper levels cut" for n in (3, 5)
    ]


def test_items_indented_past_the_cap_are_all_read_under_one_warning() -> None:
    items = "".join("  " * i + f"- **Level {i}** [[pdf]]({ARXIV}{i})\n" for i in range(200))
    rows, warnings = read("## Papers\n\n" + items)
    assert [r["title"] for r in rows] == [f"Level {i}" for i in range(200)]
    assert [r["line"] for r in rows] == list(range(3, 203))
    assert warnings == ["sources/t.md:67: nested deeper than 64 levels; deeper levels cut"]


def test_a_table_wider_than_the_cap_keeps_its_first_columns_with_one_warning() -> None:
    cols = 300
    header = "| Title | Paper |" + "|".join(f" c{i} " for i in range(cols)) + "|\n"
    rule = "|---|---|" + "|".join("-" for _ in range(cols)) + "|\n"
    row = f"| **Wide** | [p]({ARXIV}) |" + "|".join("x" for _ in range(cols)) + "|\n"
    rows, warnings = read("## Papers\n\n" + header + rule + row + row.replace("Wide", "Next"))
    assert [(r["title"], r["arxiv"]) for r in rows] == [
        ("Wide", "2306.11029"),
        ("Next", "2306.11029"),
    ]
    assert warnings == [
        "sources/t.md:3: table wider than 64 columns; cells after column 64 ignored"
    ]


def test_normal_lines_pass_the_guard_unchanged() -> None:
    text = "  - a\n\t\t- b\n| a | b |\n" + "-" * 200 + "\n" + "1. " * 20 + "x\n"
    assert guard_text(text) == (text, [])
    assert guard_text(text)[0] is text


def test_emphasis_200000_levels_deep_is_read_and_freed() -> None:
    # freed as usual, a tree this deep overflowed the C stack (a segfault) in markdown-it-pyrs
    deep = 200_000
    rows, warnings = read("- " + "*" * deep + "Deep" + "*" * deep + f" [[pdf]]({ARXIV})\n")
    assert [r["title"] for r in rows] == ["Deep"] and warnings == []


def test_the_python_parser_reads_block_by_block_when_its_tree_recurses_too_deep() -> None:
    text = (
        f"## Papers\n\n- **First** [[pdf]]({ARXIV})\n\n"
        f"- {'*' * 3000}x{'*' * 3000} [[pdf]]({ARXIV}1)\n\n- **Last** [[pdf]]({ARXIV}2)\n"
    )
    parsed = parse_list(text, source="t", file="sources/t.md", backend="python")
    assert [(e.line, e.title) for e in parsed.entries] == [(3, "First"), (7, "Last")]
    assert parsed.warnings[0].startswith("sources/t.md:1: markdown parser failed (RecursionError)")
    assert parsed.warnings[1].startswith("sources/t.md:5: markdown parser failed (RecursionError")
    assert parsed.warnings[1].endswith("lines 5-5 skipped")
