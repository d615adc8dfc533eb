"""Faults on the fake web: 429 storms, 500s, timeouts, dropped and garbled answers.

The stage must finish (retries bounded by attempts, budget and the circuit breaker), retry
with backoff, say which services failed, and lose nothing a previous run resolved.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from typing import Any

import pytest

from pipeline.models import Ids, Link, Work, to_json
from tests.fakeweb import FakeWeb
from tests.fakeweb.world import list_works
from tests.helpers.resolve import FAST, fast_settings, run

pytestmark = pytest.mark.network

# Requests a failing service can get in a run: the breaker trips after ``breaker_after``
# failed lookups, and up to ``workers - 1`` others may already be under way then.
BOUND = (FAST.breaker_after + FAST.workers - 1) * FAST.retry_attempts

MDPI_WORK = Work(
    id="title:textrs",
    kind="paper",
    title="TextRS: Deep Bidirectional Triplet Network for Matching Text to Remote Sensing Images",
    links=[Link("https://www.mdpi.com/2072-4292/12/3/405/pdf", "paper")],
)


def test_429_with_retry_after_is_honoured_then_succeeds(fakeweb: FakeWeb, tmp_path: Path) -> None:
    fakeweb.add_fault("status", r"/crossref/works/10\.3390", status=429, retry_after="0.3", times=2)
    report, resolved = run(fast_settings(fakeweb, tmp_path), [MDPI_WORK])
    assert resolved[MDPI_WORK.id].method == "rule:mdpi"
    calls = fakeweb.requests_to("/crossref/works/10.3390")
    assert len(calls) == 3
    # Retry-After: 0.3 is within the cap (2 s in tests) and longer than the backoff (1 ms):
    # the waits really happen, and are the server's.
    gaps = [b.time - a.time for a, b in itertools.pairwise(calls)]
    assert all(gap >= 0.3 * 0.9 for gap in gaps)
    # and Semantic Scholar's batch for the DOI's citation count
    assert report.degraded == [] and report.requests == 3 + 1


def test_429_storm_is_bounded_by_the_circuit_breaker(fakeweb: FakeWeb, tmp_path: Path) -> None:
    works = list_works()
    fakeweb.add_fault("status", "/crossref/", status=429, retry_after="120")
    report, resolved = run(fast_settings(fakeweb, tmp_path), works)
    crossref_calls = fakeweb.requests_to("/crossref/")
    # Retry-After 120 s is beyond the cap: each lookup gives up after its first try, and the
    # breaker stops the rest.
    assert FAST.breaker_after <= len(crossref_calls) <= FAST.breaker_after + FAST.workers - 1
    assert "crossref" in report.degraded
    # arXiv still answers: preprints are resolved from it; nothing is invented for the rest.
    assert any(rw.resolved_by == "arxiv" for rw in resolved.values())
    assert all(rw.resolved_by != "crossref" for rw in resolved.values())


def uncounted(csl: dict[str, Any]) -> Any:
    """A record as JSON without its citation count."""
    data = to_json(csl)
    custom = {k: v for k, v in (data.get("custom") or {}).items() if k != "citations"}
    return {k: v for k, v in data.items() if k != "custom"} | ({"custom": custom} if custom else {})


def test_nothing_previously_resolved_is_lost(fakeweb: FakeWeb, tmp_path: Path) -> None:
    works = list_works()
    settings = fast_settings(fakeweb, tmp_path)
    _report, before = run(settings, works)
    shutil.rmtree(settings.cache_path)  # no cache to fall back on: only build/resolved.json
    fakeweb.clear()
    fakeweb.add_fault("status", "/crossref/", status=500)
    fakeweb.add_fault("hang", "/arxiv/")
    fakeweb.add_fault("malformed", "/openalex/")
    fakeweb.add_fault("drop", "/doi/")
    report, after = run(settings, works)
    # doi.org is asked when Crossref fails for a known DOI, and it drops connections.
    assert set(report.degraded) == {"arxiv", "crossref", "doi", "openalex"}
    for work_id, rw in before.items():
        if rw.verified:
            # a citation count learned meanwhile is news, not a loss; one known is kept
            assert uncounted(after[work_id].csl) == uncounted(rw.csl), work_id
            if "citations" in (rw.csl.get("custom") or {}):
                assert after[work_id].csl["custom"]["citations"] == rw.csl["custom"]["citations"]
            assert after[work_id].resolved_by == rw.resolved_by
    assert report.counts["last-known"] == sum(1 for rw in before.values() if rw.verified)
    # Bounded: the breaker stops asking each failing service after a few failed requests.
    per_service = BOUND
    assert len(fakeweb.requests_to("/crossref/")) <= per_service
    assert len(fakeweb.requests_to("/openalex/")) <= per_service
    assert len(fakeweb.requests_to("/arxiv/")) == FAST.retry_attempts


def test_timeouts_retry_then_report_arxiv(fakeweb: FakeWeb, tmp_path: Path) -> None:
    work = Work(
        id="arxiv:2306.11029", kind="paper", title="RemoteCLIP", ids=Ids(arxiv="2306.11029")
    )
    fakeweb.add_fault("hang", "/arxiv/", times=1)
    report, resolved = run(fast_settings(fakeweb, tmp_path), [work])
    assert len(fakeweb.requests_to("/arxiv/")) == 2  # the hung one, then the retry
    assert resolved[work.id].preprint_of == "2306.11029"
    assert report.degraded == []


def test_truncated_and_malformed_bodies_are_retried(fakeweb: FakeWeb, tmp_path: Path) -> None:
    fakeweb.add_fault("truncate", r"/crossref/works/10\.3390", times=1)
    fakeweb.add_fault("malformed", r"/crossref/works/10\.3390", times=1)
    report, resolved = run(fast_settings(fakeweb, tmp_path), [MDPI_WORK])
    assert resolved[MDPI_WORK.id].csl["DOI"] == "10.3390/rs12030405"
    assert len(fakeweb.requests_to("/crossref/works/10.3390")) == 3
    assert report.degraded == []


def test_garbage_forever_leaves_list_text_and_reports(fakeweb: FakeWeb, tmp_path: Path) -> None:
    fakeweb.add_fault("malformed", "/crossref/")
    fakeweb.add_fault("malformed", "/doi/")
    fakeweb.add_fault("status", "/openalex/", status=503)
    report, resolved = run(fast_settings(fakeweb, tmp_path), [MDPI_WORK])
    rw = resolved[MDPI_WORK.id]
    assert (rw.resolved_by, rw.verified) == ("list", False)
    assert report.degraded == ["crossref", "doi", "openalex"]
    assert report.problems == 1
    assert len(list((tmp_path / ".cache").iterdir())) >= 1  # the cache exists ...
    from pipeline.cache import HttpCache, request_key
    from pipeline.resolve.fetch import full_url
    from pipeline.resolve.semanticscholar import FIELDS

    # ... and holds no failure: only Semantic Scholar's answer (a citation count) is in it
    cache = HttpCache(tmp_path / ".cache")
    s2 = full_url(f"{fakeweb.url}/s2/graph/v1/paper/DOI:10.3390/rs12030405", {"fields": FIELDS})
    assert len(cache) == 1 and cache.get(request_key("GET", s2)) is not None
