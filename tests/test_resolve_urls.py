"""The cache key of a request is the URL requests sends: the fast path of
:func:`pipeline.resolve.fetch.full_url` must give exactly what requests' own preparation gives,
for every URL the resolvers build and for arbitrary paths and parameters."""

from __future__ import annotations

import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ids.doi import quoted
from pipeline.resolve.fetch import _prepared

BASES = [
    "https://api.crossref.org",
    "https://api.openalex.org",
    "http://127.0.0.1:8123/crossref",
    "https://export.arxiv.org/api",
]


def by_requests(url: str, params: dict[str, str]) -> str:
    return requests.Request("GET", url, params=params).prepare().url or url


def fast(url: str, params: dict[str, str]) -> str:
    return _prepared.__wrapped__(url, tuple(params.items()))


DOIS = [
    "10.3390/rs16091477",
    "10.1109/tgrs.2024.3390838",
    "10.1016/j.isprsjprs.2025.01.002",
    "10.1002/(sici)1097-4636(199706)35:4<485::aid-jbm8>3.0.co;2-j",
    "10.5281/zenodo.11003436",
    "10.1000/a b",
    "10.1000/ü",
    "10.1000/../x",
    "10.1000/./x",
    "10.1000/100%",
    "10.1000/[x]",
    "10.1000/x#y",
    "10.1000/x?y=1",
]


def test_every_kind_of_url_the_resolvers_build_is_what_requests_sends() -> None:
    params = [
        {},
        {"mailto": "bot@example.org"},
        {"filter": "doi:10.1/a,doi:10.2/b", "rows": "4"},
        {"filter": "doi:10.1/a|10.2/b", "per-page": "50", "api_key": "k3y"},
        {"query.bibliographic": "RS-CLIP: zero-shot, “remote” sensing ü", "query.author": "Li"},
        {"fields": "externalIds,venue,year,title", "id_list": "2403.20213v1,2401.1"},
        {"search_query": "", "start": "0"},
    ]
    for base in BASES:
        for doi in DOIS:
            for path in (f"/works/{quoted(doi)}", f"/works/doi:{quoted(doi)}", f"/{doi}"):
                for extra in params:
                    url = base + path
                    assert fast(url, extra) == by_requests(url, extra), (url, extra)


PLAIN = "abcxyzABCXYZ0189._~!$&'()*+,;=:@-/"
"""Path characters the fast path keeps as they are."""


@settings(max_examples=800, deadline=None)
@given(
    path=st.one_of(st.text(max_size=30), st.text(alphabet=PLAIN, max_size=30)),
    params=st.dictionaries(st.text(max_size=8), st.text(max_size=12), max_size=3),
    base=st.sampled_from(BASES),
)
def test_any_path_and_parameters_give_what_requests_sends(
    path: str, params: dict[str, str], base: str
) -> None:
    url = f"{base}/{path}"
    try:
        expected = by_requests(url, params)
    except (requests.exceptions.InvalidURL, UnicodeError, ValueError):
        return  # requests refuses it: no request of ours can carry it
    assert fast(url, params) == expected
