"""The check stage as a whole: files in, build/links.json out, hysteresis and degraded runs."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from pipeline.check import run_check
from pipeline.errors import InputError
from pipeline.models import LinkStatus, to_json
from tests.fakeweb import FakeWeb
from tests.fakeweb.core import free_port
from tests.fakeweb.sites import site
from tests.helpers.check import (
    fake_settings,
    links_by_url,
    promote,
    read_links,
    work,
    write_works,
)

pytestmark = pytest.mark.network


def test_each_distinct_url_is_checked_once(fakeweb: FakeWeb, project: Path) -> None:
    works = [
        work(
            "w1",
            [("https://ok.example/paper", "paper"), ("https://code.example/x", "code")],
            line=10,
        ),
        work("w2", [("https://ok.example/paper", "paper")], line=20, file="sources/b.md"),
        work("w3", [("HTTPS://OK.example/paper#abstract", "paper")], line=5),
    ]
    write_works(project, works)
    report = run_check(fake_settings(fakeweb, project))
    assert report.stage == "check"
    paper_requests = fakeweb.requests_to("/web/ok.example/paper")
    assert len(paper_requests) == 1
    assert report.requests == 2
    links = links_by_url(project)
    # Reports keep each spelling as the list has it, with all its places, sorted.
    assert set(links) == {
        "https://ok.example/paper",
        "https://code.example/x",
        "HTTPS://OK.example/paper#abstract",
    }
    assert links["https://ok.example/paper"]["found_in"] == ["sources/a.md:10", "sources/b.md:20"]
    assert links["https://ok.example/paper"]["status"] == "ok"
    assert links["HTTPS://OK.example/paper#abstract"]["status"] == "ok"
    assert report.counts["ok"] == 3
    assert report.counts["urls"] == 3
    assert report.degraded == []


def test_dead_only_after_consecutive_failing_runs(fakeweb: FakeWeb, project: Path) -> None:
    site(fakeweb, "gone.example", status=404)
    write_works(
        project,
        [work("w1", [("https://gone.example/x", "paper"), ("https://ok.example/", "code")])],
    )
    settings = fake_settings(fakeweb, project, dead_after=2)

    run_check(settings)
    first = links_by_url(project)["https://gone.example/x"]
    assert (first["status"], first["failures"]) == ("failing", 1)
    promote(project)

    report = run_check(settings)
    second = links_by_url(project)["https://gone.example/x"]
    assert (second["status"], second["failures"]) == ("dead", 2)
    assert report.problems == 1
    promote(project)

    # Back to life: the count starts again.
    site(fakeweb, "gone.example", status=200)
    run_check(settings)
    third = links_by_url(project)["https://gone.example/x"]
    assert (third["status"], third["failures"]) == ("ok", 0)


def test_moved_link_reports_the_new_url(fakeweb: FakeWeb, project: Path) -> None:
    site(fakeweb, "old.example", "/p", status=301, location="https://new.example/p")
    write_works(project, [work("w1", [("https://old.example/p", "project")])])
    report = run_check(fake_settings(fakeweb, project))
    link = links_by_url(project)["https://old.example/p"]
    assert link["status"] == "moved"
    assert link["final_url"] == "https://new.example/p"
    assert link["note"] == "redirects: 301 https://new.example/p"
    assert any("https://new.example/p" in line for line in report.lines)


def test_blocked_paper_of_a_verified_work_says_the_paper_exists(
    fakeweb: FakeWeb, project: Path
) -> None:
    site(fakeweb, "ieeexplore.ieee.org", status=418)
    verified = work("doi:10.1109/x", [("https://ieeexplore.ieee.org/document/1", "paper")])
    unverified = work("title:abc", [("https://ieeexplore.ieee.org/document/2", "paper")])
    write_works(project, [verified, unverified])
    verified.ids.doi = "10.1109/x"
    resolved = [
        {
            "work": to_json(verified),
            "csl": {"DOI": "10.1109/x"},
            "resolved_by": "crossref",
            "verified": True,
        },
        {"work": to_json(unverified), "csl": {}, "resolved_by": "list", "verified": False},
    ]
    (project / "build" / "resolved.json").write_text(json.dumps(resolved), encoding="utf-8")
    run_check(fake_settings(fakeweb, project))
    links = links_by_url(project)
    one, two = (
        links["https://ieeexplore.ieee.org/document/1"],
        links["https://ieeexplore.ieee.org/document/2"],
    )
    assert one["status"] == two["status"] == "blocked"
    assert "the paper exists (DOI 10.1109/x, verified through crossref)" in str(one["note"])
    assert "paper exists" not in str(two["note"])


def _previous_report(project: Path) -> None:
    previous = {
        "links": [
            {
                "url": "https://ok.example/a",
                "status": "ok",
                "http_status": 200,
                "failures": 0,
                "checked_at": "2026-01-01T00:00:00Z",
                "found_in": ["sources/a.md:1"],
            },
            {
                "url": "https://gone.example/b",
                "status": "failing",
                "http_status": 404,
                "failures": 1,
                "checked_at": "2026-01-01T00:00:00Z",
                "found_in": ["sources/a.md:1"],
            },
        ],
        "repos": [{"repo": "owner/repo", "stars": 1234, "archived": False}],
    }
    (project / "output").mkdir(parents=True, exist_ok=True)
    (project / "output" / "links.json").write_text(json.dumps(previous), encoding="utf-8")
    links = [(f"https://h{i}.example/p", "other") for i in range(10)]
    links += [("https://ok.example/a", "paper"), ("https://gone.example/b", "code")]
    write_works(project, [work("w1", links, github=["owner/repo"])])


def test_no_network_marks_nothing_dead_and_keeps_the_past(fakeweb: FakeWeb, project: Path) -> None:
    _previous_report(project)
    closed = free_port()
    # Every connection refused: what a machine without network sees.
    env = {
        "PIPELINE_REMAP": rf"^https?://([^/]+)/?(.*)$ http://127.0.0.1:{closed}/\1/\2",
        "PIPELINE_GITHUB_API": f"http://127.0.0.1:{closed}/github",
    }
    settings = fake_settings(
        fakeweb, project, env=env, retry_attempts=4, backoff_seconds=0.2, dead_after=1
    )
    report = run_check(settings)
    assert "links" in report.degraded
    links = links_by_url(project)
    assert links["https://ok.example/a"]["status"] == "ok"
    assert links["https://gone.example/b"]["status"] == "failing"
    assert links["https://gone.example/b"]["failures"] == 1
    assert links["https://h3.example/p"]["status"] == "unchecked"
    assert all(link["status"] != "dead" for link in links.values())
    repos = {r["repo"]: r for r in read_links(project)["repos"]}
    assert repos["owner/repo"]["stars"] == 1234


def test_offline_asks_nobody(fakeweb: FakeWeb, project: Path) -> None:
    _previous_report(project)
    settings = dataclasses.replace(fake_settings(fakeweb, project), offline=True)
    report = run_check(settings)
    assert fakeweb.requests == []
    assert "links" in report.degraded
    links = links_by_url(project)
    assert links["https://ok.example/a"]["status"] == "ok"
    assert links["https://gone.example/b"]["failures"] == 1
    assert {r["repo"]: r["stars"] for r in read_links(project)["repos"]} == {"owner/repo": 1234}


def test_missing_or_bad_input_is_a_clear_error(fakeweb: FakeWeb, project: Path) -> None:
    settings = fake_settings(fakeweb, project)
    with pytest.raises(InputError, match=r"works\.json"):
        run_check(settings)
    (project / "build").mkdir(parents=True, exist_ok=True)
    (project / "build" / "works.json").write_text('[{"kind": "paper"}]', encoding="utf-8")
    with pytest.raises(InputError, match=r"works\.json: work #0"):
        run_check(settings)
    assert LinkStatus.DEAD.value == "dead"


def test_names_that_do_not_resolve_anywhere_are_a_degraded_run(
    fakeweb: FakeWeb, project: Path
) -> None:
    # No remap: every name is looked up for real, and none exists (RFC 2606 .invalid). A run in
    # which nothing answers proves nothing about the links, even "certain" DNS failures.
    _previous_report(project)
    links = [(f"https://site{i}.invalid/p", "paper") for i in range(8)]
    links += [("https://ok.example/a", "paper"), ("https://gone.example/b", "code")]
    write_works(project, [work("w1", links)])
    settings = dataclasses.replace(fake_settings(fakeweb, project, dead_after=1), remap=())
    report = run_check(settings)
    assert "links" in report.degraded
    result = links_by_url(project)
    assert result["https://gone.example/b"]["status"] == "failing"  # as before, not dead
    assert result["https://site3.invalid/p"]["status"] == "unchecked"
    assert all(link["status"] != "dead" for link in result.values())


def test_timestamps_move_only_when_the_outcome_changes() -> None:
    from pipeline.check.stage import keep_times
    from pipeline.models import LinkResult, LinkStatus

    before = LinkResult(
        url="https://a.org/", status=LinkStatus.OK, checked_at="2026-01-01T00:00:00Z"
    )
    same = LinkResult(url="https://a.org/", status=LinkStatus.OK, checked_at="2026-02-01T00:00:00Z")
    moved = LinkResult(
        url="https://a.org/", status=LinkStatus.MOVED, checked_at="2026-02-01T00:00:00Z"
    )
    previous = {before.url: before}
    assert keep_times([same], previous, "checked_at")[0].checked_at == "2026-01-01T00:00:00Z"
    assert keep_times([moved], previous, "checked_at")[0].checked_at == "2026-02-01T00:00:00Z"
