"""Paper pages: every address of one paper gives one key; other URLs give none."""

from __future__ import annotations

import pytest

from pipeline.ids.links import identify
from pipeline.ids.pages import paper_page, year_of

CVF = "https://openaccess.thecvf.com/content/CVPR2022"
NEURIPS = "https://proceedings.neurips.cc"


@pytest.mark.parametrize(
    ("urls", "key"),
    [
        (
            [
                "https://openreview.net/forum?id=9tx5oSkJvm",
                "https://openreview.net/pdf?id=9tx5oSkJvm",
            ],
            "openreview:9tx5oSkJvm",
        ),
        (
            [
                f"{CVF}/papers/Toker_DynamicEarthNet_Daily_CVPR_2022_paper.pdf",
                f"{CVF}/html/Toker_DynamicEarthNet_Daily_CVPR_2022_paper.html",
                f"{CVF}/supplemental/Toker_DynamicEarthNet_Daily_CVPR_2022_supplemental.pdf",
            ],
            "cvf:toker_dynamicearthnet_daily_cvpr_2022",
        ),
        (
            [
                "https://proceedings.mlr.press/v162/huang22h.html",
                "http://proceedings.mlr.press/v162/huang22h/huang22h.pdf",
            ],
            "pmlr:v162/huang22h",
        ),
        (
            [
                f"{NEURIPS}/paper/2022/hash/01c561df365429f33fcd7a7faa44c985-Abstract-Conference.html",
                f"{NEURIPS}/paper_files/paper/2022/file/01c561df365429f33fcd7a7faa44c985-Paper-Conference.pdf",
            ],
            "neurips:01c561df365429f33fcd7a7faa44c985",
        ),
        (
            [
                "https://www.ijcai.org/proceedings/2018/0380.pdf",
                "https://ijcai.org/proceedings/2018/380",
            ],
            "ijcai:2018/380",
        ),
        (
            [
                "https://aclanthology.org/2023.findings-acl.15/",
                "https://aclanthology.org/2023.findings-acl.15.pdf",
            ],
            "acl:2023.findings-acl.15",
        ),
        (
            ["https://www.ecva.net/papers/eccv_2022/papers_ECCV/papers/136710416.pdf"],
            "ecva:eccv_2022/136710416",
        ),
        (["https://ojs.aaai.org/index.php/AAAI/article/view/30260/32248"], "aaai:30260"),
    ],
)
def test_every_address_of_a_paper_gives_its_key(urls: list[str], key: str) -> None:
    assert {paper_page(u) for u in urls} == {key}
    assert {identify(u).page for u in urls} == {key}
    assert {identify(u).role for u in urls} == {"paper"}


@pytest.mark.parametrize(
    "url",
    [
        "https://openreview.net/group?id=ICLR.cc/2024",
        "https://openreview.net/forum?id=",
        "https://openaccess.thecvf.com/CVPR2022",
        "https://proceedings.mlr.press/v162/",
        "https://github.com/a/b",
        "https://example.org/paper.pdf",
    ],
)
def test_other_urls_give_no_page(url: str) -> None:
    assert paper_page(url) is None


@pytest.mark.parametrize(
    ("page", "year"),
    [
        ("acl:2025.coling-main.144", "2025"),
        ("acl:P19-1580", "2019"),
        ("ijcai:2018/380", "2018"),
        ("ecva:eccv_2022/136710416", "2022"),
        ("cvf:toker_dynamicearthnet_daily_cvpr_2022", "2022"),
        ("pmlr:v162/huang22h", None),
        ("openreview:abc", None),
    ],
)
def test_the_year_a_page_states(page: str, year: str | None) -> None:
    assert year_of(page) == year


@pytest.mark.parametrize(
    "url",
    [
        "https://proceedings.mlr.press/v139/radford21a.html",
        "https://www.ijcai.org/proceedings/2023/0123.pdf",
        "https://aclanthology.org/2023.findings-acl.15.pdf",
        "https://openaccess.thecvf.com/content/CVPR2022/html/Li_Name_CVPR_2022_paper.html",
    ],
)
def test_a_final_newline_gives_no_page(url: str) -> None:
    assert paper_page(url) is not None  # the address itself names a page
    assert paper_page(url + "%0A") is None  # "$" matched before a final newline
