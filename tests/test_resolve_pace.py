"""Crossref's rate limits kept to (issue 16): since 1 December 2025 its polite pool takes 3 list
requests (queries, filters) and 10 single records a second, and says so in every answer. The
fake Crossref serves those limits at scale 1 here, and refuses (429) a request over them."""

from __future__ import annotations

import dataclasses
import itertools
import time
from pathlib import Path

import pytest
import requests

from pipeline.models import Ids, Link, Work
from pipeline.resolve.rates import concurrency, kind, pacers, rates
from pipeline.transport.pace import Pace
from tests.fakeweb import FakeWeb
from tests.fakeweb.world import Record, fake_authors
from tests.helpers.resolve import fast_settings, run

pytestmark = pytest.mark.network


def test_the_fake_refuses_list_requests_over_the_limit(fakeweb: FakeWeb) -> None:
    # Without this, "no request was refused" below would prove nothing.
    fakeweb.data["crossref_rate_scale"] = 1
    url = f"{fakeweb.url}/crossref/works?rows=1&mailto=t@example.org"
    statuses = [requests.get(url, timeout=5).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200] and 429 in statuses[3:]


def _works(web: FakeWeb, n: int) -> list[Work]:
    """``n`` IEEE Xplore links: one Crossref list query each."""
    works = []
    for i in range(n):
        number, title = str(9100000 + i), f"Paced paper number {i} on remote sensing"
        doi = f"10.1109/tgrs.2022.{number}"
        resource = f"http://ieeexplore.ieee.org/document/{number}/"
        web.data["crossref"][doi] = Record(
            title, fake_authors(title), 2022, doi=doi, resource_url=resource
        )
        works.append(
            Work(
                id=f"ieee{i}",
                kind="paper",
                title=title,
                links=[Link(f"https://ieeexplore.ieee.org/document/{number}", "paper")],
                ids=Ids(ieee=number),
            )
        )
    return works


def test_list_requests_keep_to_three_a_second(fakeweb: FakeWeb, tmp_path: Path) -> None:
    fakeweb.data["crossref_rate_scale"] = 1
    works = _works(fakeweb, 8)
    started = time.monotonic()
    report, resolved = run(fast_settings(fakeweb, tmp_path), works)
    took = time.monotonic() - started
    queries = fakeweb.requests_to("/crossref/works")
    assert len(queries) == 8 and fakeweb.data.get("crossref_refused", 0) == 0
    assert all(rw.resolved_by == "crossref" for rw in resolved.values())
    # Three a second: request starts a third of a second apart (arrival jitter allowed for).
    assert all(b.time - a.time >= 0.3 for a, b in itertools.pairwise(queries))
    assert took >= 7 / 3 * 0.9 and report.degraded == []


def test_limits_are_learned_per_kind_and_by_pool() -> None:
    assert kind("crossref", "https://api.crossref.org/works?query=x") == "crossref:list"
    assert kind("crossref", "https://api.crossref.org/works/10.1/x") == "crossref:single"
    assert kind("openalex", "https://api.openalex.org/works?filter=doi:x") == "openalex"
    pace = Pace(3.0)
    assert pace.gap == pytest.approx(1 / 3)
    pace.learn({"x-rate-limit-limit": "50", "x-rate-limit-interval": "1s"})
    assert pace.gap == pytest.approx(0.02)
    pace.learn({"x-rate-limit-limit": "garbage"})
    assert pace.gap == pytest.approx(0.02)  # an unreadable header changes nothing
    pace.learn({"x-rate-limit-limit": "3000", "x-rate-limit-interval": "60s"})
    assert pace.gap == pytest.approx(0.02)
    # Past the time budget no request has a turn, not even one that need not wait.
    assert not Pace().wait(deadline=time.monotonic() - 1)
    assert Pace().wait(deadline=time.monotonic() + 60)


def test_the_public_pool_is_paced_and_asked_one_at_a_time(fakeweb: FakeWeb, tmp_path: Path) -> None:
    polite = fast_settings(fakeweb, tmp_path)
    public = dataclasses.replace(polite, mailto=None)
    assert concurrency("crossref", polite) == 3 and concurrency("crossref", public) == 1
    assert concurrency("openalex", public) == 3
    paced = pacers(public, ["crossref"])["crossref"]
    assert paced.pace(kind("crossref", "http://x/works?query=a")).gap == pytest.approx(1.0)
    assert paced.pace(kind("crossref", "http://x/works/10.1/a")).gap == pytest.approx(0.2)
    assert rates(polite)["crossref:list"] == pytest.approx(3.0)
