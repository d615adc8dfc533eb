"""GitHub facts against the fake GitHub: REST with ETags, GraphQL batches, rate limits, token."""

from __future__ import annotations

import json
import logging
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.check import run_check
from tests.conftest import REPO
from tests.fakeweb import FakeWeb
from tests.fakeweb.core import free_port
from tests.fakeweb.github import add_repo, remove_repo, rename, rest_body, set_rate
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

TOKEN = "ghp_T0kenThatMustNeverLeak0123456789abcd"
OTHER = {
    "id": 5,
    "owner": "someone",
    "name": "else",
    "stars": 3,
    "archived": True,
    "pushed_at": "2020-01-01T00:00:00Z",
    "default_branch": "dev",
    "description": "not the one asked for",
    "license": "GPL-3.0",
}


def repos_of(root: Path) -> dict[str, dict[str, object]]:
    return {r["repo"]: r for r in read_links(root)["repos"]}


def world(web: FakeWeb, project: Path, n_extra: int = 0) -> list[str]:
    """Four kinds of repository (+ n_extra plain ones), listed by one work each."""
    add_repo(web, "Alpha/Live", stars=120, description="Live one", license_spdx="Apache-2.0")
    add_repo(web, "beta/old-tool", stars=45, archived=True, pushed_at="2021-03-04T05:06:07Z")
    add_repo(web, "NewOwner/NewName", stars=999, default_branch="master")
    rename(web, "gamma/oldname", "NewOwner/NewName")
    remove_repo(web, "delta/deleted")
    names = ["alpha/live", "beta/old-tool", "gamma/oldname", "delta/deleted"]
    for i in range(n_extra):
        add_repo(web, f"extra/r{i}", stars=i)
        names.append(f"extra/r{i}")
    works = [
        work(f"w{i}", [(f"https://github.com/{n}", "code")], github=[n], line=i + 1)
        for i, n in enumerate(names)
    ]
    write_works(project, works)
    return names


def test_rest_facts_rename_archive_and_missing(fakeweb: FakeWeb, project: Path) -> None:
    world(fakeweb, project)
    report = run_check(fake_settings(fakeweb, project))
    repos = repos_of(project)
    live = repos["alpha/live"]
    assert (live["stars"], live["canonical"], live["status"]) == (120, "Alpha/Live", "ok")
    assert (live["description"], live["license"], live["default_branch"]) == (
        "Live one",
        "Apache-2.0",
        "main",
    )
    assert live["etag"]
    old = repos["beta/old-tool"]
    assert old["archived"] is True
    assert old["pushed_at"] == "2021-03-04T05:06:07Z"
    moved = repos["gamma/oldname"]
    assert (moved["canonical"], moved["status"], moved["stars"]) == (
        "NewOwner/NewName",
        "moved",
        999,
    )
    gone = repos["delta/deleted"]
    assert gone["status"] == "failing"
    assert gone["stars"] is None  # unknown, never 0
    assert report.counts["repos"] == 4
    assert report.counts["stars_fetched"] == 3
    assert "github" not in report.degraded
    # No token: no Authorization header, and REST only.
    api = fakeweb.requests_to("/github/")
    assert all("Authorization" not in r.headers for r in api)
    assert not fakeweb.requests_to("/github/graphql")
    assert len(fakeweb.requests_to("/github/repos/")) == 4
    assert len(fakeweb.requests_to("/github/repositories/")) == 1  # the rename's redirect


def test_rest_etags_make_the_second_run_free_and_deltas_count(
    fakeweb: FakeWeb, project: Path
) -> None:
    world(fakeweb, project)
    settings = fake_settings(fakeweb, project)
    run_check(settings)
    promote(project)
    budget = fakeweb.data["github"]["remaining"]
    fakeweb.data["github"]["repos"]["alpha/live"]["stars"] = 150  # changed: new ETag
    fakeweb.clear()
    run_check(settings)
    repos = repos_of(project)
    assert (repos["alpha/live"]["stars"], repos["alpha/live"]["stars_delta"]) == (150, 30)
    assert (repos["beta/old-tool"]["stars"], repos["beta/old-tool"]["stars_delta"]) == (45, 0)
    sent = [r.headers.get("If-None-Match") for r in fakeweb.requests_to("/github/repos/")]
    assert sum(1 for etag in sent if etag) == 3  # every repository known last time
    statuses_free = fakeweb.data["github"]["remaining"]
    # Only the changed repo, the rename's 301 and the missing one cost anything (304s are free).
    assert budget - statuses_free == 3


@pytest.mark.parametrize(("extra", "batch"), [(3, 3), (10, 4), (0, 50)])
def test_graphql_batches(fakeweb: FakeWeb, project: Path, extra: int, batch: int) -> None:
    names = world(fakeweb, project, n_extra=extra)
    fakeweb.data["github"]["token"] = TOKEN
    settings = fake_settings(fakeweb, project, env={"GITHUB_TOKEN": TOKEN}, github_batch=batch)
    report = run_check(settings)
    calls = fakeweb.requests_to("/github/graphql")
    assert len(calls) == math.ceil(len(names) / batch)
    assert not fakeweb.requests_to("/github/repos/")
    assert all(r.headers.get("Authorization") == f"Bearer {TOKEN}" for r in calls)
    repos = repos_of(project)
    assert repos["gamma/oldname"]["canonical"] == "NewOwner/NewName"
    assert repos["gamma/oldname"]["status"] == "moved"
    assert repos["beta/old-tool"]["archived"] is True
    assert repos["alpha/live"]["license"] == "Apache-2.0"
    assert repos["delta/deleted"]["status"] == "failing"
    assert report.counts["stars_fetched"] == len(names) - 1
    # The token goes to GitHub only: never to the sites the links point at.
    assert all("Authorization" not in r.headers for r in fakeweb.requests_to("/web/"))


def _previous(project: Path, names: list[str], stars: int = 77) -> None:
    previous = {
        "links": [],
        "repos": [{"repo": n, "stars": stars, "archived": False} for n in names],
    }
    (project / "output").mkdir(parents=True, exist_ok=True)
    (project / "output" / "links.json").write_text(json.dumps(previous), encoding="utf-8")


def test_exhausted_rest_budget_stops_asking_and_keeps_last_known(
    fakeweb: FakeWeb, project: Path
) -> None:
    names = world(fakeweb, project, n_extra=6)
    _previous(project, names)
    set_rate(fakeweb, remaining=0, limit=60)
    report = run_check(fake_settings(fakeweb, project))
    assert len(fakeweb.requests_to("/github/")) == 1  # learned on the first answer, stopped
    repos = repos_of(project)
    assert all(r["stars"] == 77 for r in repos.values())
    assert all("rate limit exhausted" in str(r["note"]) for r in repos.values())
    assert "github" in report.degraded
    assert any("rate limit exhausted" in line for line in report.lines)


def test_budget_running_out_midway_keeps_the_rest(fakeweb: FakeWeb, project: Path) -> None:
    names = world(fakeweb, project, n_extra=10)
    _previous(project, names)
    set_rate(fakeweb, remaining=3, limit=60)
    run_check(fake_settings(fakeweb, project))
    repos = repos_of(project)
    fresh = [n for n, r in repos.items() if r["note"] is None]
    assert 1 <= len(fresh) <= 3
    for name, facts in repos.items():
        assert facts["stars"] is not None, name  # fresh or last known, never unknown/0
        if name not in fresh:
            assert facts["stars"] == 77
    # Stopped asking once told the budget was gone: at most the budget plus requests in flight.
    assert len(fakeweb.requests_to("/github/")) <= 3 + 8


def test_exhausted_graphql_budget(fakeweb: FakeWeb, project: Path) -> None:
    names = world(fakeweb, project, n_extra=6)
    _previous(project, names)
    set_rate(fakeweb, remaining=0)
    settings = fake_settings(fakeweb, project, env={"GITHUB_TOKEN": TOKEN}, github_batch=2)
    report = run_check(settings)
    assert len(fakeweb.requests_to("/github/graphql")) == 1
    assert all(r["stars"] == 77 for r in repos_of(project).values())
    assert "github" in report.degraded


def test_github_unreachable_keeps_every_star_count(fakeweb: FakeWeb, project: Path) -> None:
    names = world(fakeweb, project)
    _previous(project, names, stars=5)
    env = {"PIPELINE_GITHUB_API": f"http://127.0.0.1:{free_port()}/github", "GITHUB_TOKEN": TOKEN}
    report = run_check(fake_settings(fakeweb, project, env=env))
    assert "github" in report.degraded
    assert {r["repo"]: r["stars"] for r in read_links(project)["repos"]} == dict.fromkeys(names, 5)


def _search_everything(project: Path, *texts: str) -> list[str]:
    """Every place under ``project`` (any file) and in ``texts`` that holds the token."""
    found = [str(p) for p in project.rglob("*") if p.is_file() and TOKEN.encode() in p.read_bytes()]
    found += [f"text #{i}" for i, text in enumerate(texts) if TOKEN in text]
    return found


def test_token_does_not_follow_a_redirect_to_another_host(
    fakeweb: FakeWeb,
    project: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    names = world(fakeweb, project)
    _previous(project, names, stars=9)
    with FakeWeb(host="127.0.0.2") as elsewhere:
        fakeweb.data["github"]["graphql_redirect"] = f"{elsewhere.url}/github/graphql"
        settings = fake_settings(fakeweb, project, env={"GITHUB_TOKEN": TOKEN})
        report = run_check(settings)
        followed = elsewhere.requests_to("/github/graphql")
    assert followed, "the redirect was not followed at all"
    assert all("Authorization" not in r.headers for r in followed)
    assert all(TOKEN not in json.dumps(r.headers) for r in followed)
    assert "github" in report.degraded  # the other host wants credentials it does not get
    assert {r["repo"]: r["stars"] for r in read_links(project)["repos"]} == dict.fromkeys(names, 9)
    captured = capsys.readouterr()
    assert _search_everything(project, caplog.text, captured.out, captured.err, *report.lines) == []


@pytest.mark.parametrize("github_up", [True, False])
def test_token_never_appears_in_output_logs_or_errors(
    fakeweb: FakeWeb, project: Path, github_up: bool
) -> None:
    world(fakeweb, project)
    fakeweb.data["github"]["token"] = TOKEN
    env = {
        **os.environ,
        **fakeweb.env(),
        "GITHUB_TOKEN": TOKEN,
        "PIPELINE_CACHE_DIR": str(project / ".cache"),
    }
    if not github_up:
        env["PIPELINE_GITHUB_API"] = f"http://127.0.0.1:{free_port()}/github"
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "check", "--root", str(project), "-vv"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == (0 if github_up else 3), done.stderr
    assert (project / "build" / "links.json").exists()
    assert _search_everything(project, done.stdout, done.stderr) == []
    if github_up:
        assert fakeweb.requests_to("/github/graphql")


@pytest.mark.parametrize(
    "body",
    [
        b"{}",
        b'{"message": "Server Error"',
        json.dumps(rest_body("http://x/github", OTHER)).encode(),
    ],
    ids=["empty", "truncated", "another-repository"],
)
def test_unusable_rest_answer_keeps_the_last_known_facts(
    fakeweb: FakeWeb, project: Path, body: bytes
) -> None:
    names = world(fakeweb, project)
    _previous(project, names, stars=77)
    fakeweb.add_fault("malformed", r"^/github/repos/alpha/live$", body=body)
    report = run_check(fake_settings(fakeweb, project))
    repos = repos_of(project)
    live = repos["alpha/live"]
    assert (live["stars"], live["canonical"], live["status"]) == (77, None, "unchecked")
    assert "last known figures" in str(live["note"])
    # The others are still refreshed, and the stage says it could not refresh everything.
    assert repos["beta/old-tool"]["stars"] == 45
    assert repos["gamma/oldname"]["canonical"] == "NewOwner/NewName"  # a real rename (301)
    assert "github" in report.degraded


# -- repository home pages: settled by the API, not fetched -----------------------------------
@pytest.mark.parametrize("token", [None, TOKEN], ids=["rest", "graphql"])
def test_home_pages_are_settled_by_the_api_answer(
    fakeweb: FakeWeb, project: Path, token: str | None
) -> None:
    names = world(fakeweb, project, n_extra=5)
    site(fakeweb, "github.com", "/delta/deleted", status=404)
    env = {}
    if token:
        fakeweb.data["github"]["token"] = token
        env["GITHUB_TOKEN"] = token
    settings = fake_settings(fakeweb, project, env=env, github_batch=4, dead_after=2)
    report = run_check(settings)
    # Only the repository GitHub does not know has its page fetched: the page decides.
    pages = [r.path for r in fakeweb.requests_to("/web/github.com/")]
    assert pages == ["/web/github.com/delta/deleted"]
    if token:
        assert len(fakeweb.requests_to("/github/graphql")) == 3  # ceil(9 / 4)
        assert report.requests == 3 + 1
    links = links_by_url(project)
    live = links["https://github.com/alpha/live"]
    assert (live["status"], live["note"]) == ("ok", "checked through the GitHub API")
    assert "archived" in str(links["https://github.com/beta/old-tool"]["note"])
    renamed = links["https://github.com/gamma/oldname"]
    assert (renamed["status"], renamed["final_url"]) == (
        "moved",
        "https://github.com/NewOwner/NewName",
    )
    gone = links["https://github.com/delta/deleted"]
    assert (gone["status"], gone["failures"], gone["http_status"]) == ("failing", 1, 404)
    assert f"{len(names) - 1} repository pages answered by the GitHub API" in report.lines[0]
    promote(project)
    run_check(settings)
    gone = links_by_url(project)["https://github.com/delta/deleted"]
    assert (gone["status"], gone["failures"]) == ("dead", 2)


def test_a_home_page_github_refuses_to_show_is_blocked_not_dead(
    fakeweb: FakeWeb, project: Path
) -> None:
    remove_repo(fakeweb, "taken/down")  # REST 404 for the API, 451 for the page (DMCA)
    site(fakeweb, "github.com", "/taken/down", status=451)
    write_works(
        project, [work("w1", [("https://github.com/taken/down", "code")], github=["taken/down"])]
    )
    settings = fake_settings(fakeweb, project, dead_after=1)
    run_check(settings)
    link = links_by_url(project)["https://github.com/taken/down"]
    assert (link["status"], link["http_status"]) == ("blocked", 451)


def test_home_pages_by_http_or_www_are_moved_to_the_canonical_address(
    fakeweb: FakeWeb, project: Path
) -> None:
    add_repo(fakeweb, "Alpha/Live", stars=1)
    urls = ["http://github.com/alpha/live", "https://www.github.com/Alpha/Live/"]
    write_works(project, [work("w1", [(u, "code") for u in urls], github=["alpha/live"])])
    run_check(fake_settings(fakeweb, project))
    assert not fakeweb.requests_to("/web/")
    links = links_by_url(project)
    for url in urls:
        assert (links[url]["status"], links[url]["final_url"]) == (
            "moved",
            "https://github.com/Alpha/Live",
        )


def test_home_pages_the_api_could_not_answer_are_fetched(fakeweb: FakeWeb, project: Path) -> None:
    names = world(fakeweb, project, n_extra=2)
    _previous(project, names)
    set_rate(fakeweb, remaining=0, limit=60)
    run_check(fake_settings(fakeweb, project))
    fetched = {r.path for r in fakeweb.requests_to("/web/github.com/")}
    assert fetched == {f"/web/github.com/{n}" for n in names}
    links = links_by_url(project)
    # The fake site answers 200 for every page: the page's word is taken, not the API's.
    assert all(links[f"https://github.com/{n}"]["status"] == "ok" for n in names)
    assert all(links[f"https://github.com/{n}"]["note"] is None for n in names)


def test_deeper_github_links_are_pages(fakeweb: FakeWeb, project: Path) -> None:
    add_repo(fakeweb, "alpha/live", stars=1)
    urls = [
        "https://github.com/alpha/live",
        "https://github.com/alpha/live/tree/main/configs",
        "https://github.com/alpha/live/releases",
        "https://github.com/alpha/live?tab=readme",
    ]
    write_works(project, [work("w1", [(u, "code") for u in urls], github=["alpha/live"])])
    run_check(fake_settings(fakeweb, project))
    fetched = {r.path_qs for r in fakeweb.requests_to("/web/github.com/")}
    assert fetched == {
        "/web/github.com/alpha/live/tree/main/configs",
        "/web/github.com/alpha/live/releases",
        "/web/github.com/alpha/live?tab=readme",
    }


@pytest.mark.parametrize(
    ("url", "repo"),
    [
        ("https://github.com/Owner/Repo", "owner/repo"),
        ("https://github.com/owner/repo/", "owner/repo"),
        ("http://www.github.com/owner/repo#readme", "owner/repo"),
        ("https://GitHub.com/o/r.js", "o/r.js"),
        ("https://github.com/owner/repo.git", None),
        ("https://github.com/owner/repo/tree/main", None),
        ("https://github.com/owner", None),
        ("https://github.com/owner/repo?tab=readme", None),
        ("https://github.com:8443/owner/repo", None),
        ("https://gitlab.com/owner/repo", None),
        ("ftp://github.com/owner/repo", None),
        ("https://github.com/own%0Aer/repo", None),
        ("https://[::1/owner/repo", None),
    ],
)
def test_repo_home(url: str, repo: str | None) -> None:
    from pipeline.ids.github import repo_home

    assert repo_home(url) == repo
