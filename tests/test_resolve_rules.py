"""The link-rule table: each publisher's URL gives the right DOI or lookup key."""

from __future__ import annotations

import pytest

from pipeline.ids.names import csl_name
from pipeline.ids.publishers import RULES
from pipeline.models import Ids, Link, Work
from pipeline.resolve.csl import list_to_csl
from pipeline.resolve.leads import hits, known_doi


def _work(url: str, ieee: str | None = None) -> Work:
    return Work(id="w", kind="paper", title="t", links=[Link(url, "paper")], ids=Ids(ieee=ieee))


@pytest.mark.parametrize(
    ("url", "kind", "value", "publisher"),
    [
        ("https://www.mdpi.com/2072-4292/11/6/612", "doi", "10.3390/rs11060612", "mdpi"),
        ("https://www.mdpi.com/2072-4292/12/3/405/pdf", "doi", "10.3390/rs12030405", "mdpi"),
        ("https://www.mdpi.com/2072-4292/13/10/1894", "doi", "10.3390/rs13101894", "mdpi"),
        ("https://www.mdpi.com/2076-3417/13/1/282", "doi", "10.3390/app13010282", "mdpi"),
        ("https://www.mdpi.com/2227-7390/11/10/2279/htm", "doi", "10.3390/math11102279", "mdpi"),
        (
            "https://www.nature.com/articles/s42256-025-01078-8",
            "doi",
            "10.1038/s42256-025-01078-8",
            "nature",
        ),
        (
            "https://dl.acm.org/doi/abs/10.1145/3503161.3548316",
            "doi",
            "10.1145/3503161.3548316",
            "acm",
        ),
        ("https://dl.acm.org/doi/10.1145/1869790.1869829", "doi", "10.1145/1869790.1869829", "acm"),
        (
            "https://www.tandfonline.com/doi/abs/10.1080/01431161.2022.2145583",
            "doi",
            "10.1080/01431161.2022.2145583",
            "tandf",
        ),
        (
            "https://link.springer.com/article/10.1007/s11263-023-01234-5",
            "doi",
            "10.1007/s11263-023-01234-5",
            "springer",
        ),
        (
            "https://onlinelibrary.wiley.com/doi/full/10.1002/rse2.123",
            "doi",
            "10.1002/rse2.123",
            "wiley",
        ),
        ("https://doi.org/10.1609/aaai.v38i6.28393", "doi", "10.1609/aaai.v38i6.28393", "doi.org"),
        ("https://zenodo.org/records/11003436", "doi", "10.5281/zenodo.11003436", "zenodo"),
        ("https://ojs.aaai.org/index.php/AAAI/article/view/32683", "aaai", "32683", "aaai"),
        (
            "https://www.sciencedirect.com/science/article/abs/pii/S0924271614002524#preview-section-introduction",
            "pii",
            "S0924271614002524",
            "sciencedirect",
        ),
        (
            "https://www.sciencedirect.com/science/article/pii/S2095927324006510?via%3Dihub",
            "pii",
            "S2095927324006510",
            "sciencedirect",
        ),
        ("https://ieeexplore.ieee.org/abstract/document/10138021/", "ieee", "10138021", "ieee"),
        ("https://ieeexplore.ieee.org/document/9444570", "ieee", "9444570", "ieee"),
        (
            "https://ieeexplore.ieee.org/iel7/4609443/4609444/09395191.pdf",
            "ieee",
            "9395191",
            "ieee",
        ),
    ],
)
def test_rule_rows(url: str, kind: str, value: str, publisher: str) -> None:
    (hit,) = hits(_work(url))
    assert (hit.rule.kind, hit.value, hit.rule.publisher) == (kind, value, publisher)


def test_no_rule_for_other_links_and_the_table_is_rows() -> None:
    assert hits(_work("https://github.com/x/y")) == []
    assert hits(_work("https://www.mdpi.com/9999-9999/1/2/3")) == []  # unknown journal code
    assert len({r.publisher for r in RULES}) >= 11


def test_ieee_number_from_ids_and_known_doi_precedence() -> None:
    (hit,) = hits(_work("https://example.org/", ieee="8240966"))
    assert (hit.rule.kind, hit.value) == ("ieee", "8240966")
    work = _work("https://dl.acm.org/doi/abs/10.1145/3503161.3548316")
    assert known_doi(work) == ("10.1145/3503161.3548316", "rule:acm")
    work.ids.doi = "10.1/stated"
    assert known_doi(work) == ("10.1/stated", "doi")


def test_names_and_list_csl() -> None:
    assert csl_name("Luc Van Gool") == {"family": "Van Gool", "given": "Luc"}
    assert csl_name("Wu, K.") == {"family": "Wu", "given": "K."}
    assert csl_name("Plato") == {"literal": "Plato"}  # one word: a literal name
    work = Work(id="w", kind="dataset", title="RSICD", authors=["...", "X Y"], venue="arXiv")
    csl = list_to_csl(work)
    assert csl["type"] == "dataset" and csl["author"] == [{"family": "Y", "given": "X"}]
    assert "container-title" not in csl
