"""`pipeline sources update` against a loopback server: changed lists written atomically,
unchanged ones untouched, and any failure leaves every list exactly as it was (exit 3)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.config import load_settings
from pipeline.errors import SourceError
from pipeline.scrape.sources import diff_counts, read_catalog, remap_url, update_sources
from tests.conftest import RawWeb
from tests.fakeweb.core import free_port

pytestmark = pytest.mark.network


@pytest.fixture
def project(project: Path) -> Path:
    """The shared project copy, with retry waits shrunk to milliseconds."""
    (project / "pipeline.toml").write_text("[resolve]\nbackoff_seconds = 0.01\n", encoding="utf-8")
    return project


def upstream_path(raw_url: str) -> str:
    return raw_url.removeprefix("https://raw.githubusercontent.com/")


def lists(root: Path) -> list[dict[str, str]]:
    data = tomllib.loads((root / "sources" / "sources.toml").read_text(encoding="utf-8"))
    items: list[dict[str, str]] = data["list"]
    return items


def env_for(url: str) -> dict[str, str]:
    return {"PIPELINE_REMAP": rf"^https://raw\.githubusercontent\.com/(.*)$ {url}/raw/\1"}


def serve_current(server: RawWeb, root: Path) -> dict[str, bytes]:
    """Serve every list as it is now; return the bytes by file name."""
    served: dict[str, bytes] = {}
    for item in lists(root):
        data = (root / "sources" / item["file"]).read_bytes()
        server.data.setdefault("raw", {})[upstream_path(item["raw_url"])] = data
        served[item["file"]] = data
    return served


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(root.glob("sources/*"))}


def invoke(root: Path, env: dict[str, str], *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["sources", "update", "--root", str(root), *extra], env=env)
    return result.exit_code, result.output


def test_catalog_reads_the_five_lists(project: Path) -> None:
    items = read_catalog(project / "sources" / "sources.toml")
    assert len(items) == 5
    assert all(item.raw_url.startswith("https://raw.githubusercontent.com/") for item in items)
    assert all((project / "sources" / item.file).exists() for item in items)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("[[list]]\nid = 'a'\nfile = 'a.md'\n", "has no raw_url"),
        ("[[list]]\nid = 'a'\nfile = '../x.md'\nraw_url = 'https://x/y'\n", "inside sources/"),
        ("title = 'nothing'\n", "no [[list]]"),
        ("[[list]\n", "invalid TOML"),
    ],
)
def test_bad_catalog_is_a_clear_error(tmp_path: Path, text: str, why: str) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=why.replace("[", r"\[")):
        read_catalog(path)


def test_remap_applies_rules_in_order() -> None:
    rules = ((r"^https://a/(.*)$", r"https://b/\1"), (r"^https://b/", "http://c/"))
    assert remap_url("https://a/x/y", rules) == "http://c/x/y"
    assert remap_url("https://z/", rules) == "https://z/"


def test_diff_counts() -> None:
    added, removed, diff = diff_counts(b"a\nb\nc\n", b"a\nB\nc\nd\n")
    assert (added, removed) == (2, 1)
    assert "+B" in diff and "-b" in diff


def test_nothing_changed_rewrites_nothing(rawweb: RawWeb, project: Path) -> None:
    serve_current(rawweb, project)
    before = snapshot(project)
    code, output = invoke(project, env_for(rawweb.url))
    assert code == 0, output
    assert output.count(": unchanged") == 5
    assert "0 of 5 lists changed" in output
    assert snapshot(project) == before
    requests = rawweb.requests_to("/raw/")
    assert len(requests) == 5
    assert all("rs-vlm-bibliography/" in r.headers["User-Agent"] for r in requests)


def test_changed_list_is_written_and_summarized(rawweb: RawWeb, project: Path) -> None:
    served = serve_current(rawweb, project)
    first = lists(project)[0]
    new = served[first["file"]] + b"- **A New Paper** [[paper]](https://arxiv.org/abs/2501.00001)\n"
    rawweb.data["raw"][upstream_path(first["raw_url"])] = new
    before = snapshot(project)
    code, output = invoke(project, env_for(rawweb.url), "-v")
    assert code == 0, output
    assert f"{first['id']}: {first['file']} +1 -0 lines" in output
    assert "+- **A New Paper**" in output  # -v shows the diff itself
    assert "1 of 5 lists changed" in output
    after = snapshot(project)
    assert after[first["file"]][0] == new
    for name, (data, mtime) in before.items():
        if name != first["file"]:
            assert after[name] == (data, mtime), f"{name} was rewritten"
    assert not list((project / "sources").glob(".*.tmp")), "temporary files left behind"


def test_transient_errors_are_retried(rawweb: RawWeb, project: Path) -> None:
    serve_current(rawweb, project)
    rawweb.add_fault("status", r"^/raw/", status=503, times=1)
    rawweb.add_fault("drop", r"^/raw/", times=1)
    code, output = invoke(project, env_for(rawweb.url))
    assert code == 0, output
    assert len(rawweb.requests_to("/raw/")) == 7  # five lists, two of the tries failed


def test_one_failed_list_changes_no_list(rawweb: RawWeb, project: Path) -> None:
    served = serve_current(rawweb, project)
    items = lists(project)
    # The first list changed upstream, the last one keeps failing: nothing may be written.
    rawweb.data["raw"][upstream_path(items[0]["raw_url"])] = served[items[0]["file"]] + b"new\n"
    rawweb.add_fault("status", upstream_path(items[-1]["raw_url"]), status=500)
    before = snapshot(project)
    code, output = invoke(project, env_for(rawweb.url))
    assert code == 3, output
    assert "1 of 5 lists could not be fetched; no list was changed" in output
    assert "HTTP 500" in output and "after 4 tries" in output  # [resolve] retry_attempts
    assert snapshot(project) == before
    body = (project / "build" / "sources-update.md").read_text(encoding="utf-8")
    assert "Not updated: 1 of 5 lists could not be fetched" in body


def test_missing_upstream_is_refused(rawweb: RawWeb, project: Path) -> None:
    # (An HTML page instead of the list arrives, and is a drift: tests/test_sources_drift.py.)
    serve_current(rawweb, project)
    items = lists(project)
    del rawweb.data["raw"][upstream_path(items[0]["raw_url"])]
    before = snapshot(project)
    code, output = invoke(project, env_for(rawweb.url))
    assert code == 3, output
    assert "HTTP 404" in output
    assert snapshot(project) == before


def test_no_network_is_degraded_and_quick(project: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    before = snapshot(project)
    code, output = invoke(project, env_for(closed))
    assert code == 3, output
    assert "5 of 5 lists could not be fetched" in output
    assert output.count("not tried") == 4  # one unreachable host is asked once
    assert "Traceback" not in output
    assert snapshot(project) == before


def test_offline_flag_is_a_usage_error(project: Path) -> None:
    code, output = invoke(project, {}, "--offline")
    assert code == 2
    assert "needs the network" in output


def test_update_sources_reports_requests(rawweb: RawWeb, project: Path) -> None:
    serve_current(rawweb, project)
    settings = load_settings(root=project, environ=env_for(rawweb.url))
    report = update_sources(settings)
    assert report.requests == 5
    assert report.counts == {"lists": 5, "changed": 0, "drifted": 0}
    assert report.degraded == []
