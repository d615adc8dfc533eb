"""Parked and hijacked domains (issue 15): a lapsed domain is ``parked``, never ``ok``.

Every row of the parking tables in :mod:`pipeline.check.quirks` has a test here: each
marketplace host is recognized as a redirect target, and each page fingerprint catches its
own example (and none catches an ordinary page).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.check.classify import Answer, classify
from pipeline.check.hysteresis import GOOD
from pipeline.check.quirks import (
    NO_QUIRK,
    PARKED_PAGES,
    PARKING_HOSTS,
    ParkedPage,
    Quirk,
    parked_page,
    quirk_for,
)
from pipeline.models import LinkStatus
from tests.fakeweb import FakeWeb
from tests.fakeweb.sites import site
from tests.helpers.check import check_urls, fake_settings

FOR_SALE = (
    "<!doctype html><html><head><title>lapsed-dataset.org is for sale</title></head>"
    "<body><h1>The domain lapsed-dataset.org is for sale!</h1>"
    "<p>Make an offer today.</p></body></html>"
)
ORDINARY = (
    "<html><head><title>RSICD: remote sensing image captioning dataset</title></head>"
    "<body>Download the images and the captions. We are not for sale.</body></html>"
)


@pytest.mark.parametrize("row", PARKED_PAGES, ids=lambda r: r.why)
def test_each_fingerprint_catches_its_example(row: ParkedPage) -> None:
    assert row.regex.search(row.example)
    assert parked_page(row.example) is not None
    answer = Answer("GET", 200, {}, row.example.encode())
    assert classify(answer, NO_QUIRK).status == LinkStatus.PARKED


def test_no_fingerprint_catches_an_ordinary_page() -> None:
    assert parked_page(ORDINARY) is None
    assert parked_page("<title>Slot attention for remote sensing</title>") is None
    assert classify(Answer("GET", 200, {}, ORDINARY.encode()), NO_QUIRK).status == "ok"


@pytest.mark.parametrize("row", PARKING_HOSTS, ids=lambda r: r.host)
def test_each_marketplace_host_is_a_parking_row(row: Quirk) -> None:
    host = row.host
    assert quirk_for(host).parking and quirk_for(f"www.{host}").parking
    assert classify(Answer("GET", 200, {}, b""), quirk_for(host)).status == "parked"


def test_parked_is_never_good() -> None:
    assert LinkStatus.PARKED not in GOOD


def test_fingerprints_are_not_looked_for_on_big_hosts() -> None:
    quirk = quirk_for("github.com")
    assert quirk.established
    answer = Answer("GET", 200, {}, b"<p>This domain is for sale: a README quoting one</p>")
    assert classify(answer, quirk).status == LinkStatus.OK


@pytest.mark.network
def test_lapsed_domain_redirecting_to_a_marketplace_is_parked(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    site(
        fakeweb,
        "lapsed-dataset.org",
        status=302,
        location="https://www.hugedomains.com/domain_profile.cfm?d=lapsed-dataset.org",
    )
    settings = fake_settings(fakeweb, tmp_path, parking_look=True)
    url = "https://lapsed-dataset.org/download.html"
    result = check_urls(settings, [url])[0][url]
    assert result.status == LinkStatus.PARKED
    assert result.final_url and "hugedomains.com" in result.final_url
    assert "HugeDomains" in (result.note or "")
    # The marketplace itself is not asked: the redirect is enough.
    assert not fakeweb.requests_to("/web/www.hugedomains.com")


@pytest.mark.network
def test_lapsed_domain_answering_200_for_sale_is_parked(fakeweb: FakeWeb, tmp_path: Path) -> None:
    site(fakeweb, "lapsed-dataset.org", body=FOR_SALE)
    settings = fake_settings(fakeweb, tmp_path, parking_look=True)
    urls = ["https://lapsed-dataset.org/", "https://lapsed-dataset.org/data/rsicd.zip"]
    results = check_urls(settings, urls)[0]
    assert results[urls[0]].status == LinkStatus.PARKED
    assert results[urls[1]].status == LinkStatus.PARKED
    assert "for-sale" in (results[urls[0]].note or "")
    # One page of the host was fetched with GET to look; the rest cost their HEAD.
    methods = [r.method for r in fakeweb.requests_to("/web/lapsed-dataset.org/")]
    assert methods.count("GET") == 1, methods


@pytest.mark.network
def test_an_ordinary_small_site_stays_ok_for_one_get_more(fakeweb: FakeWeb, tmp_path: Path) -> None:
    site(fakeweb, "rsicd.example", body=ORDINARY)
    settings = fake_settings(fakeweb, tmp_path, parking_look=True)
    urls = ["https://rsicd.example/", "https://rsicd.example/download"]
    results, stats = check_urls(settings, urls)
    assert {r.status for r in results.values()} == {LinkStatus.OK}
    assert stats.requests == 3  # two HEADs, one GET to look


@pytest.mark.network
def test_without_the_look_a_for_sale_200_is_not_caught(fakeweb: FakeWeb, tmp_path: Path) -> None:
    # The look is what catches it: HEAD alone has no body (the knob is honest).
    site(fakeweb, "lapsed-dataset.org", body=FOR_SALE)
    settings = fake_settings(fakeweb, tmp_path, parking_look=False)
    url = "https://lapsed-dataset.org/"
    assert check_urls(settings, [url])[0][url].status == LinkStatus.OK


def test_a_page_about_parking_research_is_not_parked() -> None:
    # A paper or project page may talk about domain parking without being a parked page.
    page = "<title>Understanding the domain parking ecosystem</title><p>parked domains abuse</p>"
    assert parked_page(page) is None
    assert quirk_for("arxiv.org").established  # paper pages are never looked at
