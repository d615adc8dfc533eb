"""Tracking and session parameters leave every URL; everything else stays byte for byte.
One case per row of the tables in pipeline/ids/tracking.py (a test keeps them in step)."""

from __future__ import annotations

import pytest

from pipeline.ids.tracking import TRACKING_PARAMETERS, TRACKING_PREFIXES, strip_tracking

CASES = {
    "via": (
        "https://www.sciencedirect.com/science/article/pii/S2095927324006510?via%3Dihub",
        "https://www.sciencedirect.com/science/article/pii/S2095927324006510",
    ),
    "fbclid": ("https://example.org/p?fbclid=IwAR0_x", "https://example.org/p"),
    "gclid": ("https://example.org/p?id=1&gclid=Cj0", "https://example.org/p?id=1"),
    "dclid": ("https://example.org/p?dclid=1", "https://example.org/p"),
    "msclkid": ("https://example.org/p?msclkid=ab", "https://example.org/p"),
    "yclid": ("https://example.org/p?yclid=1", "https://example.org/p"),
    "igshid": ("https://example.org/p?igshid=x&b=2", "https://example.org/p?b=2"),
    "mc_cid": ("https://example.org/p?mc_cid=1&mc_eid=2", "https://example.org/p"),
    "mc_eid": ("https://example.org/p?a=1&mc_eid=2", "https://example.org/p?a=1"),
    "_hsenc": ("https://example.org/p?_hsenc=p2&_hsmi=3", "https://example.org/p"),
    "_hsmi": ("https://example.org/p?_hsmi=3", "https://example.org/p"),
    "mkt_tok": ("https://example.org/p?mkt_tok=eyJ", "https://example.org/p"),
    "casa_token": (
        "https://www.sciencedirect.com/science/article/pii/S0924271621003269?casa_token=AbC_d",
        "https://www.sciencedirect.com/science/article/pii/S0924271621003269",
    ),
    "dgcid": ("https://example.org/p?dgcid=raven_sd_via_email", "https://example.org/p"),
    "jsessionid": (
        "https://example.org/view;jsessionid=A1B2C3?id=3&JSESSIONID=x",
        "https://example.org/view?id=3",
    ),
    "phpsessid": ("https://example.org/p?PHPSESSID=abc&page=2", "https://example.org/p?page=2"),
    "sessionid": ("https://example.org/p?sessionid=9", "https://example.org/p"),
    "utm_": (
        "https://example.org/p?utm_source=twitter&utm_medium=social&q=remote+sensing",
        "https://example.org/p?q=remote+sensing",
    ),
    "preview-section": (
        "https://www.sciencedirect.com/science/article/abs/pii/S0924271614002524"
        "#preview-section-introduction",
        "https://www.sciencedirect.com/science/article/abs/pii/S0924271614002524",
    ),
    "text fragment": ("https://example.org/p#:~:text=remote%20sensing", "https://example.org/p"),
}


def test_every_rule_has_a_case() -> None:
    assert set(TRACKING_PARAMETERS) | set(TRACKING_PREFIXES) <= set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule(name: str) -> None:
    dirty, clean = CASES[name]
    assert strip_tracking(dirty) == clean
    assert strip_tracking(clean) == clean  # idempotent


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2306.11029",
        "https://example.org/papers/a_b/c%20d.pdf#page=2",  # a real anchor stays
        "https://pan.baidu.com/s/1_DQluiDgJ4Z7dXSnciVx1A#list/path=%2F",
        "https://example.org/article.pl?sid=12",  # sid is an article id on some sites
        "https://example.org/p?b=2&a=1",  # order kept
        "https://example.org/p?utm=1",  # not a utm_ parameter
        "http://[::1/broken",  # not parseable: left alone
    ],
)
def test_leaves_other_urls_alone(url: str) -> None:
    assert strip_tracking(url) == url
