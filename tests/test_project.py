"""Root = where you stand, `pipeline init`, `pipeline sources add` and `sources remove`.

Downloads go to the fake web (raw.githubusercontent.com remapped onto it), through the same
session as `sources update`."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipeline import WORKFLOW_REF
from pipeline.catalog import load_catalog
from pipeline.cli import cli
from pipeline.config import load_settings
from pipeline.project import find_root, init_project
from pipeline.scrape.lists import first_heading, github_origin, toml_string
from tests.conftest import REPO, RawWeb
from tests.test_sources_update import env_for

LIST = REPO / "sources" / "rs-mllm.md"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env or {}, catch_exceptions=False)
    return result.exit_code, result.output


def catalog(root: Path) -> list[dict[str, str]]:
    data = tomllib.loads((root / "sources" / "sources.toml").read_text(encoding="utf-8"))
    tables: list[dict[str, str]] = data.get("list", [])
    return tables


# -- root ---------------------------------------------------------------------------------------


def test_root_is_the_nearest_folder_holding_sources_toml(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "sources.toml").write_text("", encoding="utf-8")
    deep = tmp_path / "output" / "a" / "b"
    deep.mkdir(parents=True)
    assert find_root(deep) == tmp_path.resolve()
    assert find_root(tmp_path / "sources") == tmp_path.resolve()
    bare = tmp_path.parent / f"{tmp_path.name}-bare"
    bare.mkdir()
    assert find_root(bare) == bare.resolve()  # nothing above: where you stand


def test_settings_root_follows_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init_project(tmp_path)
    (tmp_path / "output").mkdir()
    monkeypatch.chdir(tmp_path / "output")
    assert load_settings(environ={}).root == tmp_path.resolve()
    other = tmp_path.parent / f"{tmp_path.name}-other"
    assert load_settings(root=other, environ={}).root == other.resolve()  # --root wins


def test_commands_run_in_the_folder_you_stand_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "mine"
    project.mkdir()
    monkeypatch.chdir(project)
    assert run("init")[0] == 0
    code, output = run("sources", "add", str(LIST), "--id", "x", "--repo", "o/r")
    assert code == 0, output
    code, output = run("scrape")
    assert code == 0, output
    assert (project / "build" / "entries.json").is_file()
    assert not (REPO / "sources" / "x.md").exists()


def test_a_folder_without_sources_toml_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = run("scrape")
    assert code == 2
    assert f"{tmp_path.resolve()}/sources/sources.toml: not found" in output
    assert "pipeline init" in output and "Traceback" not in output


# -- init ---------------------------------------------------------------------------------------


def test_init_writes_the_three_files(tmp_path: Path) -> None:
    code, output = run("init", "--root", str(tmp_path))
    assert code == 0, output
    assert "wrote sources/sources.toml" in output
    text = (tmp_path / "sources" / "sources.toml").read_text(encoding="utf-8")
    assert tomllib.loads(text) == {}  # comments only, until a list is added
    ignore = (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"/build/", "/.cache/"} <= set(ignore) and "/output/" not in ignore
    workflow = yaml.safe_load((tmp_path / ".github" / "workflows" / "refresh.yml").read_text())
    job = workflow["jobs"]["refresh"]
    assert job["uses"] == (
        f"rs-vlm-bibliography/rs-vlm-bibliography/.github/workflows/refresh.yml@{WORKFLOW_REF}"
    )
    assert job["with"]["pipeline-version"] == WORKFLOW_REF  # tests/test_init_ref.py: it exists
    assert job["permissions"] == {
        "contents": "write",
        "pull-requests": "write",
        "pages": "write",
        "id-token": "write",
    }
    assert workflow["permissions"] == {}


def test_init_never_overwrites_without_force(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    mine = "[[list]]\nid = 'a'\nfile = 'a.md'\n"
    (tmp_path / "sources" / "sources.toml").write_text(mine, encoding="utf-8")
    (tmp_path / ".gitignore").write_text("node_modules/\n/.cache/", encoding="utf-8")
    code, output = run("init", "--root", str(tmp_path))
    assert code == 0, output
    assert "kept  sources/sources.toml (exists; --force overwrites)" in output
    assert (tmp_path / "sources" / "sources.toml").read_text(encoding="utf-8") == mine
    # .gitignore keeps its lines and gains only the missing one
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines() == [
        "node_modules/",
        "/.cache/",
        "# pipeline: scratch folders of a run (output/ is committed)",
        "/build/",
    ]
    code, output = run("init", "--root", str(tmp_path), "--force", "--ref", "0" * 40)
    assert code == 0, output
    assert tomllib.loads((tmp_path / "sources" / "sources.toml").read_text()) == {}
    assert f"refresh.yml@{'0' * 40}" in (tmp_path / WORKFLOW).read_text(encoding="utf-8")
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8").count("/build/") == 1


WORKFLOW = Path(".github") / "workflows" / "refresh.yml"


def test_init_refuses_a_bad_ref(tmp_path: Path) -> None:
    code, output = run("init", "--root", str(tmp_path), "--ref", "main; rm -rf /")
    assert code == 2 and "--ref" in output
    assert not (tmp_path / "sources").exists()


# -- sources add / remove -----------------------------------------------------------------------


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    root = tmp_path / "fresh"
    init_project(root)
    return root


def test_add_a_file(fresh: Path) -> None:
    code, output = run(
        "sources", "add", str(LIST), "--id", "mllm", "--repo", "o/r", "--root", str(fresh)
    )
    assert code == 0, output
    assert (fresh / "sources" / "mllm.md").read_bytes() == LIST.read_bytes()
    assert catalog(fresh) == [
        {
            "id": "mllm",
            "file": "mllm.md",
            "title": "Awesome-Remote-Sensing-Multimodal-Large-Language-Models",
            "repo": "o/r",
            "raw_url": "https://raw.githubusercontent.com/o/r/HEAD/README.md",
        }
    ]
    assert "scrape:  82 entries, 1 warnings" in output
    assert "sources/mllm.md:138: links give different arxiv ids" in output
    # the comments of sources.toml stay
    assert (fresh / "sources" / "sources.toml").read_text().startswith("# The source lists")


def test_add_a_repository_url_downloads_its_readme(rawweb: RawWeb, fresh: Path) -> None:
    data = b"# Awesome **Things** [![badge](https://x/b.svg)](https://x)\n\n"
    data += LIST.read_bytes().split(b"\n", 1)[1]
    rawweb.data.setdefault("raw", {})["Someone/Awesome-Things/HEAD/README.md"] = data
    code, output = run(
        "sources",
        "add",
        "https://github.com/Someone/Awesome-Things",
        "--root",
        str(fresh),
        env=env_for(rawweb.url),
    )
    assert code == 0, output
    (item,) = catalog(fresh)
    assert item == {
        "id": "awesome-things",
        "file": "awesome-things.md",
        "title": "Awesome Things",
        "repo": "Someone/Awesome-Things",
        "raw_url": "https://raw.githubusercontent.com/Someone/Awesome-Things/HEAD/README.md",
    }
    assert (fresh / "sources" / "awesome-things.md").read_bytes() == data
    (request,) = rawweb.requests_to("/raw/")
    assert "rs-vlm-bibliography/" in request.headers["User-Agent"]


def test_add_a_repository_finds_a_lower_case_readme(rawweb: RawWeb, fresh: Path) -> None:
    rawweb.data.setdefault("raw", {})["o/awesome-x/HEAD/readme.md"] = LIST.read_bytes()
    code, output = run(
        "sources",
        "add",
        "https://github.com/o/awesome-x",
        "--root",
        str(fresh),
        env=env_for(rawweb.url),
    )
    assert code == 0, output
    (item,) = catalog(fresh)
    assert item["raw_url"] == "https://raw.githubusercontent.com/o/awesome-x/HEAD/readme.md"
    paths = [r.path for r in rawweb.requests_to("/raw/")]
    assert paths == ["/raw/o/awesome-x/HEAD/README.md", "/raw/o/awesome-x/HEAD/readme.md"]


def test_add_a_raw_url_with_a_title(rawweb: RawWeb, fresh: Path) -> None:
    rawweb.data.setdefault("raw", {})["o/r/main/docs/list.md"] = LIST.read_bytes()
    url = "https://raw.githubusercontent.com/o/r/main/docs/list.md"
    code, output = run(
        "sources", "add", url, "--title", 'My "list"', "--root", str(fresh), env=env_for(rawweb.url)
    )
    assert code == 0, output
    (item,) = catalog(fresh)
    assert (item["id"], item["title"], item["repo"], item["raw_url"]) == (
        "r",
        'My "list"',
        "o/r",
        url,
    )


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (None, "HTTP 404"),
        (b"<!DOCTYPE html><html><body>rate limited</body></html>", "an HTML page"),
    ],
)
def test_add_refuses_what_is_no_list(
    rawweb: RawWeb, fresh: Path, body: bytes | None, why: str
) -> None:
    if body is not None:
        rawweb.data.setdefault("raw", {})["o/r/HEAD/README.md"] = body
    before = (fresh / "sources" / "sources.toml").read_bytes()
    code, output = run(
        "sources", "add", "https://github.com/o/r", "--root", str(fresh), env=env_for(rawweb.url)
    )
    assert code == 2, output
    assert why in output and "raw.githubusercontent.com/o/r/HEAD/README.md" in output
    assert (fresh / "sources" / "sources.toml").read_bytes() == before
    assert sorted(p.name for p in (fresh / "sources").iterdir()) == ["sources.toml"]


def test_add_offline_is_a_usage_error(fresh: Path) -> None:
    code, output = run(
        "sources", "add", "https://github.com/o/r", "--offline", "--root", str(fresh)
    )
    assert code == 2 and "needs the network" in output


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (["--id", "Bad Id"], "--id 'Bad Id'"),
        (["--repo", "not a repo"], "expected OWNER/NAME"),
        (["--id", "rs-mllm"], "exists already"),
    ],
)
def test_add_refuses_bad_options(project: Path, args: list[str], why: str) -> None:
    before = (project / "sources" / "sources.toml").read_bytes()
    code, output = run("sources", "add", str(LIST), *args, "--root", str(project))
    assert code == 2, output
    assert why in output
    assert (project / "sources" / "sources.toml").read_bytes() == before


def test_add_a_missing_file_or_odd_url(fresh: Path) -> None:
    code, output = run("sources", "add", "no/such/file.md", "--root", str(fresh))
    assert code == 2 and "no/such/file.md: not an http(s) URL or an existing file" in output
    code, output = run("sources", "add", "https://github.com/o/r/issues/1", "--root", str(fresh))
    assert code == 2 and "a GitHub URL must be a repository" in output


def test_add_without_init(tmp_path: Path) -> None:
    code, output = run("sources", "add", str(LIST), "--root", str(tmp_path))
    assert code == 2 and "run `pipeline init` first" in output


def test_remove_cuts_only_that_table(project: Path) -> None:
    toml = project / "sources" / "sources.toml"
    before = toml.read_text(encoding="utf-8")
    code, output = run("sources", "remove", "rs-cross-modal-retrieval", "--root", str(project))
    assert code == 0, output
    assert "deleted sources/rs-cross-modal-retrieval.md" in output
    assert not (project / "sources" / "rs-cross-modal-retrieval.md").exists()
    after = toml.read_text(encoding="utf-8")
    assert [i.id for i in load_catalog(toml)] == [
        "awesome-rsvlm",
        "rs-vlm",
        "rs-image-text-retrieval",
        "rs-mllm",
    ]
    assert after.startswith(before[: before.index("[[list]]")])  # the comments stay
    assert "\n\n\n" not in after and after.endswith("\n")
    # the last table, kept file
    code, output = run("sources", "remove", "rs-mllm", "--keep-file", "--root", str(project))
    assert code == 0, output
    assert (project / "sources" / "rs-mllm.md").exists()
    assert toml.read_text(encoding="utf-8").endswith('Awesome-RSITR/HEAD/README.md"\n')


def test_remove_an_unknown_id(project: Path) -> None:
    code, output = run("sources", "remove", "nope", "--root", str(project))
    assert code == 2 and "no list with id 'nope' (known: awesome-rsvlm, rs-vlm" in output


def test_add_then_remove_round_trips(fresh: Path) -> None:
    before = (fresh / "sources" / "sources.toml").read_text(encoding="utf-8")
    assert run("sources", "add", str(LIST), "--id", "a", "--root", str(fresh))[0] == 0
    assert run("sources", "add", str(LIST), "--id", "b", "--root", str(fresh))[0] == 0
    assert [i["id"] for i in catalog(fresh)] == ["a", "b"]
    assert run("sources", "remove", "a", "--root", str(fresh))[0] == 0
    assert run("sources", "remove", "b", "--root", str(fresh))[0] == 0
    assert (fresh / "sources" / "sources.toml").read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("url", "raw", "repo"),
    [
        ("https://github.com/o/r", "https://raw.githubusercontent.com/o/r/HEAD/README.md", "o/r"),
        (
            "https://github.com/o/r.git/",
            "https://raw.githubusercontent.com/o/r/HEAD/README.md",
            "o/r",
        ),
        (
            "https://github.com/o/r/blob/dev/docs/README.md",
            "https://raw.githubusercontent.com/o/r/dev/docs/README.md",
            "o/r",
        ),
        ("https://example.org/list.md", "https://example.org/list.md", ""),
    ],
)
def test_github_origin(url: str, raw: str, repo: str) -> None:
    origin = github_origin(url)
    assert (origin.raw_url, origin.repo) == (raw, repo)


def test_first_heading() -> None:
    assert first_heading("<p align=center><img src=x></p>\n\n# Awesome [RS](x) `VLM`\n") == (
        "Awesome RS VLM"
    )
    assert first_heading("```\n# not this\n```\nAwesome Setext\n===\n") == "Awesome Setext"
    assert first_heading("no heading at all\n") == ""


def test_toml_string_round_trips() -> None:
    for text in ['a "quoted" \\ title', "tab\there", "ünïcode ✓", "ctrl\x01"]:
        assert tomllib.loads(f"x = {toml_string(text)}")["x"] == text


def test_refresh_before_any_list_says_what_to_do(fresh: Path) -> None:
    code, output = run("scrape", "--root", str(fresh))
    assert code == 2
    assert "no [[list]] tables (add a list with `pipeline sources add URL|FILE`)" in output
    assert not (fresh / "build").exists()
