"""URL → identifiers: the normalization rules of docs/design.md and issue 2."""

from __future__ import annotations

import pytest

from pipeline.ids.arxiv import normalize_arxiv
from pipeline.ids.doi import normalize_doi
from pipeline.ids.links import identify


@pytest.mark.parametrize(
    ("url", "arxiv"),
    [
        ("https://arxiv.org/abs/2306.11029", "2306.11029"),
        ("https://arxiv.org/abs/2306.11029v3", "2306.11029"),
        ("https://arxiv.org/pdf/2204.09868", "2204.09868"),
        ("https://arxiv.org/pdf/2204.09868v2.pdf", "2204.09868"),
        ("https://arxiv.org/abs/2403.03790.pdf", "2403.03790"),
        ("https://arxiv.org/abs/2402.02544v2.pdf", "2402.02544"),
        ("http://arxiv.org/abs/2311.15826.pdf", "2311.15826"),
        ("https://www.arxiv.org/abs/2306.11029/", "2306.11029"),
        ("https://export.arxiv.org/abs/1906.07789", "1906.07789"),
        ("https://arxiv.org/abs/cs/0112017", "cs/0112017"),
        ("https://arxiv.org/pdf/cs/0112017v1.pdf", "cs/0112017"),
        ("https://arxiv.org/abs/math.GT/0309136", "math.GT/0309136"),
        ("https://arxiv.org/html/2501.12345v1", "2501.12345"),
        ("https://arxiv.org/abs/arXiv:2306.11029v99", "2306.11029"),
        ("https://doi.org/10.48550/arXiv.2306.11029", "2306.11029"),
        ("https://arxiv.org/list/cs.CV/recent", None),
        ("https://arxiv.org/abs/23061.1029", None),
    ],
)
def test_arxiv(url: str, arxiv: str | None) -> None:
    found = identify(url)
    assert found.arxiv == arxiv
    assert found.role == "paper"
    assert found.doi is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("arXiv:2306.11029v99", "2306.11029"),
        ("2306.11029", "2306.11029"),
        ("arxiv: 2306.11029v2", "2306.11029"),
        ("cs/0112017v2", "cs/0112017"),
        ("2306.1102", None),
        ("see 2306.11029", None),
    ],
)
def test_normalize_arxiv(text: str, expected: str | None) -> None:
    assert normalize_arxiv(text) == expected


@pytest.mark.parametrize(
    ("url", "doi"),
    [
        ("https://doi.org/10.1609/aaai.v38i6.28393", "10.1609/aaai.v38i6.28393"),
        ("https://dx.doi.org/10.1109/TGRS.2023.1234567", "10.1109/tgrs.2023.1234567"),
        ("http://www.doi.org/10.1145/ABC", "10.1145/abc"),
        ("https://dl.acm.org/doi/abs/10.1145/3591106.3592236", "10.1145/3591106.3592236"),
        ("https://dl.acm.org/doi/pdf/10.1145/3503161.3548316", "10.1145/3503161.3548316"),
        ("https://dl.acm.org/doi/full/10.1145/1869790.1869829", "10.1145/1869790.1869829"),
        ("https://dl.acm.org/doi/10.1145/1869790.1869829", "10.1145/1869790.1869829"),
        (
            "https://www.tandfonline.com/doi/abs/10.1080/01431161.2022.2145583",
            "10.1080/01431161.2022.2145583",
        ),
        (
            "https://www.tandfonline.com/doi/full/10.1080/01431161.2022.2145583",
            "10.1080/01431161.2022.2145583",
        ),
        (
            "https://onlinelibrary.wiley.com/doi/10.1002/widm.1234",
            "10.1002/widm.1234",
        ),
        (
            "https://onlinelibrary.wiley.com/doi/epdf/10.1002/widm.1234",
            "10.1002/widm.1234",
        ),
        (
            "https://link.springer.com/article/10.1007/s11263-023-01234-5",
            "10.1007/s11263-023-01234-5",
        ),
        (
            "https://link.springer.com/chapter/10.1007/978-3-031-19827-4_20",
            "10.1007/978-3-031-19827-4_20",
        ),
        ("https://www.nature.com/articles/s42256-025-01078-8", "10.1038/s42256-025-01078-8"),
        ("https://www.nature.com/articles/s42256-025-01078-8.pdf", "10.1038/s42256-025-01078-8"),
        (
            "http://ch.whu.edu.cn/cn/article/doi/10.13203/j.whugis20230341?viewType=HTML",
            "10.13203/j.whugis20230341",
        ),
        ("https://www.ygxb.ac.cn/zh/article/doi/10.11834/jrs.20233313/", "10.11834/jrs.20233313"),
        ("https://doi.org/10.1016%2FS0924-2716(20)30123-4", "10.1016/s0924-2716(20)30123-4"),
    ],
)
def test_doi(url: str, doi: str) -> None:
    found = identify(url)
    assert found.doi == doi
    assert found.role == "paper"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.1145/3591106.3592236.", "10.1145/3591106.3592236"),
        ("10.1145/3591106.3592236),", "10.1145/3591106.3592236"),
        ("doi:10.1016/S0924-2716(20)30123-4", "10.1016/s0924-2716(20)30123-4"),
        ("(10.1016/S0924-2716(20)30123-4)", None),
        ("https://doi.org/10.1109/ABC;", "10.1109/abc"),
        ("10.1109/", None),
        ("11.1109/abc", None),
    ],
)
def test_normalize_doi(text: str, expected: str | None) -> None:
    assert normalize_doi(text) == expected


@pytest.mark.parametrize(
    ("url", "ieee"),
    [
        ("https://ieeexplore.ieee.org/document/9444570", "9444570"),
        ("https://ieeexplore.ieee.org/document/10314566/", "10314566"),
        ("https://ieeexplore.ieee.org/abstract/document/9559903", "9559903"),
        ("https://ieeexplore.ieee.org/abstract/document/9628066/", "9628066"),
        ("https://ieeexplore.ieee.org/iel7/4609443/9656571/09925582.pdf", "9925582"),
        ("https://ieeexplore.ieee.org/iel7/4609443/4609444/09395191.pdf", "9395191"),
        ("https://ieeexplore.ieee.org/stamp/stamp.jsp?arnumber=9925582", "9925582"),
        ("https://ieeexplore.ieee.org/stamp/stamp.jsp?tp=&arnumber=0009925582", "9925582"),
        ("https://ieeexplore.ieee.org/document/10938120/?arnumber=10938120", "10938120"),
        ("https://ieeexplore.ieee.org/xpl/RecentIssue.jsp?punumber=36", None),
    ],
)
def test_ieee(url: str, ieee: str | None) -> None:
    found = identify(url)
    assert found.ieee == ieee
    assert found.role == "paper"


@pytest.mark.parametrize(
    ("url", "repo", "role"),
    [
        ("https://github.com/ChenDelong1999/RemoteCLIP", "chendelong1999/remoteclip", "code"),
        ("https://github.com/om-ai-lab/RS5M?tab=readme-ov-file", "om-ai-lab/rs5m", "code"),
        ("https://github.com/NJU-LHRS/LHRS-Bot/tree/nova", "nju-lhrs/lhrs-bot", "code"),
        ("https://github.com/a/b/blob/main/README.md", "a/b", "code"),
        ("https://github.com/a/b.git", "a/b", "code"),
        ("https://www.github.com/A/B/", "a/b", "code"),
        ("https://github.com/a/b#readme", "a/b", "code"),
        ("https://github.com/fMoW", None, "other"),
        ("https://github.com/orgs/opendatalab/repositories", None, "other"),
        ("https://github.com/topics/remote-sensing", None, "other"),
        ("https://github.com/", None, "other"),
        ("https://multimodalgeo.github.io/GeoText/", None, "project"),
        ("https://vrsbench.github.io/", None, "project"),
    ],
)
def test_github(url: str, repo: str | None, role: str) -> None:
    found = identify(url)
    assert (found.github, found.role, found.badge) == (repo, role, False)


def test_star_badge_gives_repo_but_is_no_link() -> None:
    found = identify(
        "https://img.shields.io/github/stars/shuyansy/EarthMind.svg?style=social&label=Star"
    )
    assert (found.github, found.badge) == ("shuyansy/earthmind", True)
    found = identify("https://img.shields.io/github/watchers/BaolanChen/Awesome-X?style=social")
    assert found.github == "baolanchen/awesome-x"
    other = identify("https://img.shields.io/badge/PRs-welcome-brightgreen.svg?style=flat-square")
    assert (other.github, other.badge) == (None, True)


@pytest.mark.parametrize(
    ("url", "role"),
    [
        ("https://huggingface.co/datasets/Zilun/RS5M", "dataset"),
        ("https://zenodo.org/records/11003436", "dataset"),
        ("https://git.tu-berlin.de/rsim/lit4rsvqa", "code"),
        ("https://gitlab.com/a/b", "code"),
        ("https://www.mdpi.com/2072-4292/16/9/1477", "paper"),
        ("https://openreview.net/pdf?id=w9tc699w3Z", "paper"),
        ("https://infoscience.epfl.ch/record/300085/files/Mi_2022.pdf", "paper"),
        ("https://pan.baidu.com/s/1bp71tE3", "other"),
        ("https://makeapullrequest.com", "other"),
    ],
)
def test_roles(url: str, role: str) -> None:
    assert identify(url).role == role


@pytest.mark.parametrize("url", ["", "not a url", "http://[::1", "https://", "://x", "\x00"])
def test_odd_urls_do_not_raise(url: str) -> None:
    found = identify(url)
    assert (found.arxiv, found.doi, found.ieee, found.github) == (None, None, None, None)


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2306.11029%0A",  # "$" matched before a final newline
        "https://dl.acm.org/doi/10.1145/3591106.3592236%0A",
        "https://link.springer.com/article/10.1007/s11263-023-01234-5%0A",
        "https://www.nature.com/articles/s41597-023-02345-6%0A",
        "https://github.com/owner/repo%0A",
        "https://arxiv.org/abs/\u0662\u0663\u0660\u0666.\u0661\u0661\u0660\u0662\u0669",  # Arabic-Indic digits
        "https://ieeexplore.ieee.org/document/\u0661\u0662\u0663",
        "https://arxiv.org/abs/CS/0112017",  # archives are lower-case
    ],
)
def test_a_final_newline_or_a_non_ascii_digit_gives_no_id(url: str) -> None:
    found = identify(url)
    assert (found.arxiv, found.doi, found.ieee, found.github) == (None, None, None, None)


def test_the_arxiv_prefix_and_version_stay_case_insensitive() -> None:
    assert normalize_arxiv("ARXIV:cs/0112017V2") == "cs/0112017"
    assert normalize_arxiv("arXiv:math.GT/0309136") == "math.GT/0309136"
    assert identify("https://arxiv.org/PDF/2306.11029V2.PDF").arxiv == "2306.11029"
    assert identify("https://arxiv.org/abs/cs/0112017").arxiv == "cs/0112017"
