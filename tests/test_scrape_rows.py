"""Rows as other people write them, one form each: the title told from a nickname, a tag, a
venue label or the word "Paper"; venue and year from the forms lists use; kinds; sections."""

from __future__ import annotations

import pytest

from pipeline.models import Entry
from pipeline.scrape.fields import stated_venue
from pipeline.scrape.markdown import parse_list

ARXIV = "https://arxiv.org/abs/2210.05714"


def entries(text: str) -> tuple[list[Entry], list[str]]:
    parsed = parse_list(text, source="t", file="sources/t.md")
    return parsed.entries, parsed.warnings


def one(text: str) -> Entry:
    found, _ = entries(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("row", "title", "nickname"),
    [
        # a bold name, then the title in quotes
        (
            f'* **VLMaps**: "Visual Language Maps for Robot Navigation", *arXiv, Oct 2022*. [[Paper]({ARXIV})]',
            "Visual Language Maps for Robot Navigation",
            "VLMaps",
        ),
        # the name in brackets inside the bold, no colon
        (
            f'* **[RT-2]** "RT-2: Vision-Language-Action Models Transfer Web Knowledge", *arXiv, July 2023*. [[Paper]({ARXIV})]',
            "RT-2: Vision-Language-Action Models Transfer Web Knowledge",
            "RT-2",
        ),
        # a short quoted title right after the name's colon
        (
            f'* **CoTPC**:"Chain-of-Thought Predictive Control", *arXiv, Apr 2023*, [[Paper]({ARXIV})]',
            "Chain-of-Thought Predictive Control",
            "CoTPC",
        ),
        # a quoted title with no name
        (
            f'* "Large Language Models as Zero-Shot Human Models", *arXiv, Mar 2023*. [[Paper]({ARXIV})]',
            "Large Language Models as Zero-Shot Human Models",
            None,
        ),
        # a linked name, then a longer bold title
        (
            f"- [CoW]({ARXIV}) **CLIP on Wheels: Zero-Shot Object Navigation** [[code](https://github.com/a/b)]",
            "CLIP on Wheels: Zero-Shot Object Navigation",
            "CoW",
        ),
        # a venue label, the title as text, tags in bold code, a fire count in brackets
        (
            "- [[CVPR](https://openaccess.thecvf.com/content_CVPR_2019/papers/Yang_Quantization_Networks_CVPR_2019_paper.pdf)] [48:fire:] Quantization Networks. [**`bnn`**] [[torch](https://github.com/a/b)] [82:star:]",
            "Quantization Networks",
            None,
        ),
        (
            "- [[ICML](https://proceedings.mlr.press/v162/huang22h.html)] SDQ: Stochastic Differentiable Quantization with Mixed Precision [**`qnn`**]",
            "SDQ: Stochastic Differentiable Quantization with Mixed Precision",
            None,
        ),
        # a long bold title stays the title, whatever follows
        (
            f"- **Remote Sensing Image Captioning With Transformers**, Some Author, *TGRS 2023* [[paper]({ARXIV})]",
            "Remote Sensing Image Captioning With Transformers",
            None,
        ),
        # a name opening the row, then its title after a colon
        (
            f"- **GeoChat**: Grounded Large Vision-Language Model for Remote Sensing [[paper]({ARXIV})]",
            "Grounded Large Vision-Language Model for Remote Sensing",
            "GeoChat",
        ),
        # the word "Paper" is never a title
        (
            f"- [Paper]({ARXIV}) A Study of Things in the Wild",
            "A Study of Things in the Wild",
            None,
        ),
    ],
)
def test_the_title_is_the_papers_title(row: str, title: str, nickname: str | None) -> None:
    entry = one(row)
    assert (entry.title, entry.nickname) == (title, nickname)
    assert entry.kind == "paper"


def test_a_project_keeps_its_name_and_its_description_is_not_a_title() -> None:
    entry = one(
        "- [camorph](https://github.com/a/camorph): A toolbox for conversion between conventions"
    )
    assert (entry.title, entry.nickname, entry.kind) == ("camorph", None, "project")


@pytest.mark.parametrize(
    ("text", "venue", "date"),
    [
        ('  "", *arXiv, May 2026*.', "arXiv", "2026-05"),
        (", CVPR 2024.", "CVPR", "2024"),
        (" (CVPR 2023)", "CVPR", "2023"),
        (" [CVPR '24]", "CVPR", "2024"),
        (", NeurIPS 2025 Highlight", "NeurIPS", "2025"),
        (". AAAI2024.", "AAAI", "2024"),
        (", IROS, 2024.", "IROS", "2024"),
        (", *ICCV Highlight, 2025*", "ICCV Highlight", "2025"),
        (", Sept 2022", None, "2022-09"),
        (" trained on '24 images", None, None),  # 'YY only after a venue's acronym
        (" no year here", None, None),
    ],
)
def test_venue_and_year_as_lists_state_them(text: str, venue: str | None, date: str | None) -> None:
    assert stated_venue(text) == (venue, date)


def test_inline_venue_and_month_reach_the_entry() -> None:
    entry = one(
        f'* **LEO**: "An Embodied Generalist Agent in 3D World", *arXiv, Nov 2023*. [[Paper]({ARXIV})]'
    )
    assert (entry.venue, entry.date) == ("arXiv", "2023-11")


def test_a_title_holding_a_year_does_not_date_the_paper() -> None:
    entry = one(f'* "Habitat 2020: A Benchmark for Embodied Things", [[Paper]({ARXIV})]')
    assert entry.date is None


def test_a_venue_label_link_names_venue_and_paper() -> None:
    entry = one(
        "- [[ACL](https://aclanthology.org/2023.findings-acl.15/)] Boost Transformer-based "
        "Language Models with GPU-Friendly Sparsity"
    )
    assert entry.venue == "ACL"
    assert entry.ids.pages == ["acl:2023.findings-acl.15"]
    assert [link.role for link in entry.links] == ["paper"]


def test_year_headings_date_their_rows_and_the_row_year_wins() -> None:
    found, _ = entries(
        "# Papers\n\n## Papers\n\n### 2024\n\n"
        "- [[CVPR](https://openreview.net/forum?id=abc)] One Paper About Something Big\n"
        "- [[ICLR 2023](https://openreview.net/forum?id=def)] A Paper From Another Year\n\n"
        "## 2022:\n\n- [Third Paper on Things and Stuff](https://openreview.net/forum?id=ghi)\n"
    )
    assert [e.date for e in found] == ["2024", "2023", "2022"]


def test_the_lists_own_title_dates_rows_nothing_nearer_dates() -> None:
    found, _ = entries(
        "# WACV-2024-Papers\n\n## Vision\n\n- [A Paper About Vision Things](https://openreview.net/forum?id=a)\n"
        "- [An Older Paper About Things (2021)](https://openreview.net/forum?id=b) (2021)\n"
    )
    assert [e.date for e in found] == ["2024", "2021"]


def test_a_bare_url_in_text_is_a_link_as_github_shows_it() -> None:
    entry = one(
        '* **BabyAI**: "BabyAI: A Platform to Study Grounded Learning", *ICLR, May 2019*. [[https://arxiv.org/abs/1810.08272)]'
    )
    assert entry.ids.arxiv == "1810.08272"
    assert entry.links[0].url == "https://arxiv.org/abs/1810.08272"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "## Tutorial Videos\n\n1. [Getting Started with 3DGS](https://www.youtube.com/watch?v=x)\n",
            "other",
        ),
        (
            "## Blog Posts\n\n1. [Gaussian Splatting is pretty cool](https://aras-p.info/blog/2023/09/05/x/)\n",
            "other",
        ),
        (
            "## Credits\n\n- Thanks to [Eric Haines](https://github.com/erich666) for fixing things.\n",
            "other",
        ),
        ("## Models\n\n- [A talk on models](https://www.youtube.com/watch?v=y)\n", "other"),
        ("## Tools\n\n- [Viewer](https://github.com/a/viewer)\n", "project"),
        # a title linking its paper makes a paper even in a section of resources
        (f"## Tutorials\n\n- [A Survey of Remote Sensing Models]({ARXIV})\n", "paper"),
        # a talk that links the paper it presents is a talk
        (f"## Talks\n\n- **A talk on remote sensing models** [[Paper]({ARXIV})]\n", "other"),
        ("## Datasets\n\n- [Big Dataset](https://github.com/a/data)\n", "dataset"),
    ],
)
def test_kinds(text: str, kind: str) -> None:
    assert one(text).kind == kind


def test_a_section_of_many_non_papers_is_a_warning_with_its_line() -> None:
    rows = "".join(f"- [Viewer {n}](https://github.com/a/v{n})\n" for n in range(5))
    _, warnings = entries(f"# L\n\n## Viewers\n\n{rows}")
    assert warnings == [
        "sources/t.md:5: section 'Viewers': 5 rows read as project, none as papers "
        "(kept in the README, not cited)"
    ]


def test_a_paper_row_titled_by_a_name_is_a_warning() -> None:
    _, warnings = entries(
        f"- [Paper]({ARXIV}) **CoW** clip on wheels zero shot object navigation\n"
    )
    assert len(warnings) == 1 and warnings[0].startswith(
        "sources/t.md:1: title 'CoW' may be a name"
    )


def test_table_name_column_beside_a_title_column_is_the_nickname() -> None:
    entry = one(
        "|Abbreviation|Title|Publication|\n|---|---|---|\n"
        f"|RemoteCLIP|[RemoteCLIP: A Vision Language Foundation Model]({ARXIV})|TGRS 2024|\n"
    )
    assert (entry.title, entry.nickname) == (
        "RemoteCLIP: A Vision Language Foundation Model",
        "RemoteCLIP",
    )


def test_a_table_without_a_title_header_is_not_titled_by_its_year_column() -> None:
    entry = one(
        "| Year | Target | Contest | Track |\n|---|---|---|---|\n"
        "| 2021 | Land cover | [Data Fusion Contest](https://example.org/c) | Change Detection |\n"
    )
    assert (entry.title, entry.date) == ("Data Fusion Contest", "2021")
