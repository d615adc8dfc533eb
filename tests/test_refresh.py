"""`pipeline refresh` end to end, as a subprocess, against the fake web.

* every output is written and consistent, and a second run with nothing changed rewrites
  no file (same bytes, same mtimes);
* a run SIGKILLed at points spread over each stage never leaves a truncated or half-written
  file in output/, and the next run succeeds;
* with no network at all the run ends within 60 s, exits 3, and output/ keeps everything the
  previous run knew.

Runs only ever write into temporary project roots (``--root``), never the committed output/.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from subprocess import PIPE
from typing import Any

import bibtexparser
import jsonschema
import pytest

from pipeline.config import ENV_ENDPOINTS, EmitSettings, Settings
from pipeline.scrape import run_scrape
from tests.conftest import IN_CI, REPO, SHARED, require_shared
from tests.fakeweb import FakeWeb
from tests.fakeweb.core import free_port
from tests.fakeweb.github import add_repo
from tests.helpers.fast import settings_toml

pytestmark = [pytest.mark.network, pytest.mark.slow]

OUTPUTS = [
    "papers.bib",
    "papers.json",
    "README.md",
    "links.json",
    "link-report.md",
    "keys.json",
    "review.json",
]
STAGES = ["scrape", "resolve", "check", "emit"]
CSL_SCHEMA = SHARED / "schemas" / "csl-data.json"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float

    def __str__(self) -> str:
        return f"exit {self.code} after {self.seconds:.1f} s\n{self.stdout}\n{self.stderr[-4000:]}"


def base_env(extra: dict[str, str]) -> dict[str, str]:
    """The environment of a run: no inherited PIPELINE_* or token, no tty, CI-style logs."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PIPELINE_") and k not in {"GITHUB_TOKEN", "GH_TOKEN"}
    }
    env["CI"] = "true"
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def command(root: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "refresh", "--root", str(root), *extra]


def refresh(root: Path, env: dict[str, str], *extra: str, timeout: float = 240) -> Run:
    started = time.monotonic()
    result = subprocess.run(
        command(root, *extra),
        env=base_env(env),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Run(result.returncode, result.stdout, result.stderr, time.monotonic() - started)


def fast(root: Path) -> Path:
    """Shrink every retry wait and timeout so faults cost milliseconds, not minutes."""
    # Refresh-sized: generous timeouts (a whole run shares the machine), tiny waits.
    text = settings_toml(
        resolve={"backoff_seconds": 0.01, "timeout_seconds": 5.0, "retry_budget_seconds": 5.0},
        check={
            "backoff_seconds": 0.01,
            "backoff_max_seconds": 0.05,
            "timeout_seconds": 5.0,
            "retry_budget_seconds": 5.0,
            "per_host_per_second": 1000.0,
        },
    )
    (root / "pipeline.toml").write_text(text, encoding="utf-8")
    return root


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def stray_temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob(".*.tmp") if ".cache" not in p.parts]


# -- what a complete output/ looks like -----------------------------------------------------


def check_outputs(root: Path) -> dict[str, Any]:
    """Assert every output is present, complete and consistent; return the parsed ones."""
    out = root / "output"
    for name in OUTPUTS:
        assert (out / name).is_file(), f"output/{name} missing"
        text = (out / name).read_text(encoding="utf-8")
        assert text.endswith("\n"), f"output/{name} does not end with a newline (cut short?)"
    works = json.loads((root / "build" / "works.json").read_text(encoding="utf-8"))
    papers = json.loads((out / "papers.json").read_text(encoding="utf-8"))
    links = json.loads((out / "links.json").read_text(encoding="utf-8"))
    keys = json.loads((out / "keys.json").read_text(encoding="utf-8"))
    # Without ../shared (a public clone) the schema check is left to the test that says so
    # (test_refresh_output_validates_against_the_csl_schema); in CI it is always made.
    if CSL_SCHEMA.exists() or IN_CI:
        jsonschema.validate(papers, json.loads(CSL_SCHEMA.read_text(encoding="utf-8")))

    library = bibtexparser.parse_string((out / "papers.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks, [b.error for b in library.failed_blocks][:3]
    bib_keys = [entry.key for entry in library.entries]
    assert len(bib_keys) == len(set(bib_keys))
    assert set(bib_keys) == {item["id"] for item in papers}
    # every cited work is in papers.json once (software and other resources are in the
    # README only); works found to be one paper are one entry (issue 11)
    merged = {k: v["merged_into"] for k, v in keys["keys"].items() if "merged_into" in v}
    assert set(merged.values()) <= set(bib_keys) and not set(merged) & set(bib_keys)
    uncited = [w for w in works if w["kind"] not in EmitSettings().cite_kinds]
    assert len(papers) == len(works) - len(merged) - len(uncited), "every work is in papers.json"
    assert keys, "the key map is kept"

    assert isinstance(links, dict) and links["links"]
    statuses = {link["status"] for link in links["links"]}
    assert statuses <= {
        "ok",
        "redirected",
        "moved",
        "failing",
        "dead",
        "blocked",
        "timeout",
        "error",
        "unchecked",
    }
    every_url = {link["url"] for link in links["links"]}
    for work in works:
        for link in work.get("links") or []:
            if link["url"].startswith(("http://", "https://")):
                assert link["url"] in every_url, f"{link['url']} missing from links.json"

    readme = (out / "README.md").read_text(encoding="utf-8")
    some = [item for item in papers if item.get("title")][:20]
    assert some and all(item["id"] in readme for item in some), "README lists the keys"
    assert (out / "link-report.md").read_text(encoding="utf-8").strip()
    assert not stray_temp_files(root), stray_temp_files(root)
    return {"papers": papers, "links": links, "works": works}


# -- fixtures -------------------------------------------------------------------------------


def list_repos(tmp: Path) -> list[str]:
    """Every GitHub repository the lists link to, as the scraper reads them."""
    root = tmp / "scraped"
    shutil.copytree(REPO / "sources", root / "sources")
    run_scrape(Settings(root=root), None)
    works = json.loads((root / "build" / "works.json").read_text(encoding="utf-8"))
    return sorted({repo for work in works for repo in work["ids"]["github"]})


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeWeb]:
    """The fake web, with every GitHub repository of the lists given stars (one archived)."""
    repos = list_repos(tmp_path_factory.mktemp("repos"))
    assert len(repos) > 20
    with FakeWeb() as server:
        for index, repo in enumerate(repos):
            stars = int(hashlib.sha256(repo.encode()).hexdigest()[:4], 16) % 3000
            add_repo(server, repo, stars=stars, archived=index == 0)
        yield server


@pytest.fixture(scope="module")
def first_run(
    web: FakeWeb, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Run, dict[str, Any]]:
    """One complete refresh of the five lists against the fake web, shared by the tests."""

    root = tmp_path_factory.mktemp("refresh") / "project"
    shutil.copytree(REPO / "sources", root / "sources")
    fast(root)
    run = refresh(root, web.env())
    assert run.code == 0, run
    return root, run, check_outputs(root)


def clone(root: Path, tmp_path: Path) -> Path:
    """A copy of a project root (sources, build, output, cache, settings)."""

    target = tmp_path / "copy"
    shutil.copytree(root, target)
    return target


# -- end to end -----------------------------------------------------------------------------


def test_refresh_writes_every_output(first_run: tuple[Path, Run, dict[str, Any]]) -> None:
    _, run, parsed = first_run
    papers = parsed["papers"]
    assert len(papers) > 100
    routes = {item.get("custom", {}).get("resolved_by") for item in papers}
    assert {"arxiv", "crossref"} <= routes, routes
    assert any((item.get("custom") or {}).get("stars") is not None for item in papers)
    summary = run.stdout[run.stdout.index("refresh summary") :]
    for label in ("works:", "resolved by:", "unresolved:", "links:", "stars:", "requests:"):
        assert label in summary
    assert f"works:       {len(parsed['works'])} (" in summary
    assert re.search(r"time: +scrape [\d.]+ s, resolve [\d.]+ s, check [\d.]+ s, emit", summary)
    assert "degraded" not in run.stdout + run.stderr
    # CI-style progress: plain log lines, never a bar's carriage returns.
    assert "\r" not in run.stderr


def test_refresh_output_validates_against_the_csl_schema(
    first_run: tuple[Path, Run, dict[str, Any]],
) -> None:
    root, run, _ = first_run
    schema = json.loads(require_shared(CSL_SCHEMA).read_text(encoding="utf-8"))
    papers = json.loads((root / "output" / "papers.json").read_text(encoding="utf-8"))
    assert papers, run
    jsonschema.validate(papers, schema)


def test_strict_fails_only_on_problems(
    first_run: tuple[Path, Run, dict[str, Any]], web: FakeWeb, tmp_path: Path
) -> None:
    root = clone(first_run[0], tmp_path)
    papers = first_run[2]["papers"]
    dead = [x for x in first_run[2]["links"]["links"] if x["status"] == "dead"]
    unresolved = [x for x in papers if (x.get("custom") or {}).get("resolved_by") == "list"]
    run = refresh(root, web.env(), "--strict")
    assert run.code == (1 if dead or unresolved else 0), run


# -- kill tests -----------------------------------------------------------------------------


def stage_times(run: Run) -> dict[str, float]:
    match = re.search(r"time: +(.*) \(total", run.stdout)
    assert match, run.stdout
    return {
        name: float(seconds) for name, seconds in re.findall(r"(\w+) ([\d.]+) s", match.group(1))
    }


def kill_during(root: Path, env: dict[str, str], stage: str, delay: float) -> tuple[str, bool]:
    """Start a refresh and SIGKILL it ``delay`` s after ``stage`` started.

    Returns its log and whether the kill landed inside the stage (it had not said "done").
    The log is read straight from the pipe, so "starting" is seen as soon as it is written.
    """
    process = subprocess.Popen(
        command(root, "-v"), env=base_env(env), cwd=REPO, stdout=subprocess.DEVNULL, stderr=PIPE
    )
    assert process.stderr is not None
    fd = process.stderr.fileno()
    seen = b""
    deadline = time.monotonic() + 120
    try:
        while f"{stage}: starting".encode() not in seen:
            chunk = os.read(fd, 65536)
            assert chunk and time.monotonic() < deadline, seen[-2000:].decode(errors="replace")
            seen += chunk
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        seen += process.stderr.read()
    finally:
        process.kill()
        process.wait(30)
        process.stderr.close()
    log = seen.decode("utf-8", errors="replace")
    return log, process.returncode == -signal.SIGKILL and f"{stage}: done" not in log


NEW_ENTRY = "- **A Brand New Remote Sensing Captioner** [[paper]](https://example.org/new-paper)\n"


def test_killed_runs_never_leave_half_written_output(
    first_run: tuple[Path, Run, dict[str, Any]], web: FakeWeb, tmp_path: Path
) -> None:
    root = clone(first_run[0], tmp_path)
    env = web.env()
    warm = refresh(root, env)  # stage times of a warm run: what the killed runs will take
    assert warm.code == 0, warm
    times = stage_times(warm)
    some_list = root / "sources" / "rs-vlm.md"
    original = some_list.read_bytes()
    rng = random.Random(20261123)
    for stage in STAGES:
        inside = 0
        # At least two kills per stage, more (up to six) until one is seen to land inside it:
        # stage times wobble on a busy machine.
        for attempt in range(6):
            # Alternate the list between two versions so every run has files to rewrite.
            some_list.write_bytes(original + NEW_ENTRY.encode() if attempt % 2 else original)
            delay = rng.uniform(0.05, 0.7) * times[stage]
            log, landed = kill_during(root, env, stage, delay)
            assert f"{stage}: starting" in log
            inside += landed
            # Whatever was killed, each file in output/ is whole: parseable and complete.
            for name in OUTPUTS:
                text = (root / "output" / name).read_text(encoding="utf-8")
                assert text.endswith("\n"), f"{name} cut short (killed in {stage} at {delay:.2f})"
                if name.endswith(".json"):
                    json.loads(text)
            library = bibtexparser.parse_string(
                (root / "output" / "papers.bib").read_text(encoding="utf-8")
            )
            assert not library.failed_blocks
            if attempt >= 1 and inside:
                break
        assert inside, f"no kill landed inside {stage} ({times[stage]:.2f} s long)"
    some_list.write_bytes(original + NEW_ENTRY.encode())
    run = refresh(root, env)
    assert run.code == 0, run
    assert "A Brand New Remote Sensing Captioner" in (root / "output" / "papers.bib").read_text(
        encoding="utf-8"
    )
    check_outputs(root)


# -- no network -----------------------------------------------------------------------------


def unreachable_env(kind: str) -> dict[str, str]:
    """Every endpoint and every link pointed at a closed port or at names that do not exist."""
    if kind == "closed-port":
        base = f"http://127.0.0.1:{free_port()}"
    else:
        base = "http://no-such-host.invalid"
    env = {var: f"{base}/{key}" for var, key in ENV_ENDPOINTS.items()}
    env.update(
        {
            "PIPELINE_ARXIV_DELAY_SECONDS": "0",
            "PIPELINE_ALLOW_PRIVATE_HOSTS": "1",
            "PIPELINE_REMAP": rf"^https?://([^/]+)/?(.*)$ {base}/web/\1/\2",
        }
    )
    return env


def known_fields(papers: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in papers}


def test_no_network_keeps_everything(
    first_run: tuple[Path, Run, dict[str, Any]], tmp_path: Path
) -> None:
    root = clone(first_run[0], tmp_path)
    if (root / ".cache").exists():
        _drop_cache(root)
    before_papers = known_fields(first_run[2]["papers"])
    before_links = {x["url"]: x for x in first_run[2]["links"]["links"]}
    before_repos = {x["repo"]: x for x in first_run[2]["links"].get("repos") or []}

    run = refresh(root, unreachable_env("closed-port"), timeout=60)
    assert run.code == 3, run
    assert "degraded" in run.stdout + run.stderr
    parsed = check_outputs(root)

    after_papers = known_fields(parsed["papers"])
    assert set(after_papers) == set(before_papers)
    for key, item in before_papers.items():
        for field, value in item.items():
            assert after_papers[key].get(field) == value or field == "custom", (key, field)
        for field, value in (item.get("custom") or {}).items():
            if field != "stars_delta":
                assert after_papers[key]["custom"].get(field) == value, (key, field)
    after_links = {x["url"]: x for x in parsed["links"]["links"]}
    for url, link in before_links.items():
        assert url in after_links
        if link["status"] not in {"dead", "failing"}:
            assert after_links[url]["status"] not in {"dead", "failing"}, url
    after_repos = {x["repo"]: x for x in parsed["links"].get("repos") or []}
    for repo, facts in before_repos.items():
        assert after_repos[repo].get("stars") == facts.get("stars"), repo


def _drop_cache(root: Path) -> None:
    """Without the HTTP cache a run must fall back on output/ itself."""

    shutil.rmtree(root / ".cache")


def test_fresh_clone_without_network_ends_degraded(tmp_path: Path) -> None:
    """What `make refresh` does on a fresh clone here: lists alone, everything unverified."""

    root = tmp_path / "project"
    shutil.copytree(REPO / "sources", root / "sources")
    run = refresh(root, unreachable_env("unresolvable"), timeout=60)
    assert run.code == 3, run
    parsed = check_outputs(root)
    assert all((item.get("custom") or {}).get("resolved_by") == "list" for item in parsed["papers"])
    statuses = {x["status"] for x in parsed["links"]["links"]}
    assert "dead" not in statuses and "failing" not in statuses, statuses


def test_an_offline_refresh_of_the_five_lists_is_short_and_finished(tmp_path: Path) -> None:
    """`pipeline refresh --offline` on what a fresh clone holds: a finished run (exit 0) that
    prints its summary, not a line per work (those come with -v)."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copytree(REPO / "output", root / "output")
    run = refresh(root, unreachable_env("closed-port"), "--offline", timeout=120)
    assert run.code == 0, run
    lines = (run.stdout + run.stderr).splitlines()
    assert len(lines) < 20, lines
    assert "  offline:     " in run.stdout and "INFO" not in run.stderr
    verbose = refresh(root, unreachable_env("closed-port"), "--offline", "-v", timeout=120)
    assert "INFO" in verbose.stderr
