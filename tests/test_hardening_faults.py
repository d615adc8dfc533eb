"""Every fault of the fake web against every service, through a whole refresh.

One clean refresh of a small project fills output/. Each test copies that project without its
HTTP cache (so the run must ask the services again), injects one fault on every request to one
service, refreshes in process, and asserts:

* the run finishes (a report per stage and the summary) within ``BOUND_S`` seconds, where a
  clean run takes about 0.1 s: a liveness bound, two orders of magnitude above the real time;
* no request is repeated more often than the retry settings allow (counted in the request log);
* every field output/ knew before is still there with the same value (papers.json items,
  papers.bib entries, links.json links and repository facts), field by field;
* the service that misbehaved, when it matters, is reported degraded rather than crashing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakeweb import FakeWeb
from tests.fakeweb.arxiv import entry, feed
from tests.fakeweb.crossref import message
from tests.fakeweb.doi import csl_item
from tests.fakeweb.github import rest_body
from tests.fakeweb.openalex import work
from tests.fakeweb.world import build_world
from tests.helpers.hardening import (
    CHECK_ATTEMPTS,
    MINI_LIST,
    RESOLVE_ATTEMPTS,
    add_repos,
    copy_without_cache,
    fast_settings,
    lost_fields,
    make_project,
    refresh_in_process,
    settings_for,
    snapshot,
)

pytestmark = pytest.mark.network

BOUND_S = 20.0
"""Seconds a faulted refresh of the small project may take at most (clean: ~0.1 s)."""

SERVICES = {
    "arxiv": "^/arxiv/",
    "crossref": "^/crossref/",
    "doi": "^/doi/",
    "openalex": "^/openalex/",
    "github": "^/github/",
    "sites": "^/web/",
}


def _other_record() -> Any:
    """A real record of the fake world that is none of the small project's works."""
    world = build_world()
    return next(r for key, r in sorted(world.arxiv.items()) if key != "2306.11029")


def wrong_id_body(service: str) -> bytes:
    """A well-formed answer, but about another work (or repository)."""
    other = _other_record()
    if service == "arxiv":
        return feed("id_list=x", [entry(other.arxiv or "2401.00001", other)], 0, 10).encode()
    if service == "crossref":
        rec = next(iter(build_world().crossref.values()))
        return json.dumps(
            {"status": "ok", "message-type": "work", "message": message(rec)}
        ).encode()
    if service == "doi":
        rec = next(iter(build_world().crossref.values()))
        return json.dumps(csl_item(rec)).encode()
    if service == "openalex":
        body = work(other, 1.0)
        return json.dumps({"meta": {"count": 1}, "results": [body], **body}).encode()
    if service == "github":
        repo = {
            "id": 9,
            "owner": "someone",
            "name": "else",
            "stars": 999999,
            "archived": True,
            "pushed_at": "2020-01-01T00:00:00Z",
            "default_branch": "x",
            "description": "wrong",
            "license": None,
        }
        return json.dumps(rest_body("http://x/github", repo)).encode()
    return b"<!doctype html><title>Some other page</title><p>another page entirely</p>"


def empty_body(service: str) -> bytes:
    if service == "arxiv":
        return feed("id_list=x", [], 0, 10).encode()
    if service == "crossref":
        return json.dumps(
            {"status": "ok", "message-type": "work-list", "message": {"items": []}}
        ).encode()
    if service == "openalex":
        return json.dumps({"meta": {"count": 0}, "results": []}).encode()
    if service == "github":
        return b"{}"
    return b""


FAULTS: dict[str, dict[str, Any]] = {
    "latency-spike": {"kind": "latency", "latency_ms": 150},
    "hang": {"kind": "hang"},
    "429-retry-after": {"kind": "status", "status": 429, "retry_after": "1"},
    "429-bare": {"kind": "status", "status": 429},
    "500": {"kind": "status", "status": 500},
    "502": {"kind": "status", "status": 502},
    "503": {"kind": "status", "status": 503},
    "drop": {"kind": "drop"},
    "garbage": {"kind": "malformed"},
    "truncated": {"kind": "truncate"},
    "wrong-id": {"kind": "malformed", "body": wrong_id_body},
    "empty": {"kind": "malformed", "body": empty_body},
}
"""The fault kinds of issue 7; ``body`` callables get the service name."""

KNOWN_DEFECTS: dict[tuple[str, str], str] = {}
"""Faults that find a real defect (reported in docs/reliability.md). Strict: when the defect
is fixed the test passes, the xfail turns into a failure, and this entry must go."""

CASES = [
    pytest.param(
        s,
        f,
        id=f"{s}-{f}",
        marks=[pytest.mark.xfail(strict=True, reason=KNOWN_DEFECTS[(s, f)])]
        if (s, f) in KNOWN_DEFECTS
        else [],
    )
    for s in SERVICES
    for f in FAULTS
]


@pytest.fixture(scope="module")
def web() -> Iterator[FakeWeb]:
    with FakeWeb() as server:
        add_repos(server)
        yield server


@pytest.fixture(scope="module")
def clean(web: FakeWeb, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One clean refresh: its project, its output snapshot and its request counts."""
    root = make_project(tmp_path_factory.mktemp("clean") / "project")
    web.clear()
    reports, _ = refresh_in_process(fast_settings(settings_for(web, root)))
    assert not any(r.degraded for r in reports), [r.degraded for r in reports]
    cold = copy_without_cache(root, tmp_path_factory.mktemp("cold") / "project")
    web.clear()
    reports, _ = refresh_in_process(fast_settings(settings_for(web, cold)))
    counts = Counter((r.method, r.path_qs) for r in web.requests)
    web.clear()
    before = snapshot(root)
    assert len(before["papers"]) == 5 and len(before["repos"]) == 3
    assert all(r["stars"] is not None for r in before["repos"].values())
    return {"root": root, "before": before, "counts": counts}


def allowed(path: str, fault: str) -> int:
    """Requests of one method and URL a run may make: attempts per logical request.

    A dropped connection counts twice: aiohttp sends an idempotent request once more on a
    fresh connection when a kept-alive one is closed under it (``retry_persistent_connection``).
    """
    # The link checker and GitHub retry by [check] retry_attempts, the resolvers by [resolve].
    web = path.startswith(("/web/", "/github/"))
    attempts = CHECK_ATTEMPTS if web else RESOLVE_ATTEMPTS
    return attempts * (2 if fault == "drop" else 1)


@pytest.mark.parametrize(("service", "fault"), CASES)
def test_fault_loses_nothing_and_retries_within_limits(
    web: FakeWeb, clean: dict[str, Any], tmp_path: Path, service: str, fault: str
) -> None:
    root = copy_without_cache(clean["root"], tmp_path / "project")
    spec = dict(FAULTS[fault])
    if callable(spec.get("body")):
        spec["body"] = spec["body"](service)
    web.clear()
    web.add_fault(pattern=SERVICES[service], **spec)

    reports, seconds = refresh_in_process(fast_settings(settings_for(web, root)))

    assert [r.stage for r in reports] == ["scrape", "resolve", "check", "emit", "refresh"]
    assert seconds < BOUND_S, f"{service}/{fault}: {seconds:.1f} s"
    counts = Counter((r.method, r.path_qs) for r in web.requests)
    for (method, path), n in counts.items():
        limit = allowed(path, fault) * max(1, clean["counts"].get((method, path), 0))
        assert n <= limit, f"{method} {path} asked {n} times (at most {limit})"
    assert lost_fields(clean["before"], snapshot(root)) == []


def test_one_malformed_arxiv_link_does_not_poison_the_batch(web: FakeWeb, tmp_path: Path) -> None:
    extra = "- **Made-up Id** [[pdf]](https://arxiv.org/abs/FOO/0112017)\n"
    root = make_project(tmp_path / "project", MINI_LIST + extra)
    web.clear()
    reports, _ = refresh_in_process(fast_settings(settings_for(web, root)))
    assert not any(r.degraded for r in reports), [r.degraded for r in reports]
    batches = [r.query for r in web.requests_to("/arxiv/") if "id_list=" in r.query]
    assert all("FOO" not in query for query in batches), batches
