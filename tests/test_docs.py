"""The docs document every command, every option and every environment variable, and the
README stays short (three screens) with the two commands first.

The lists come from the code (click's command objects, the environment variables that
pipeline/config.py reads), so adding an option or a variable without documenting it fails here.
The docs are README.md and docs/*.md; links and anchors are tests/test_docs_links.py's.
"""

from __future__ import annotations

import re
import tomllib

import click
import pytest

from pipeline import config
from pipeline.cli import cli
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
GUIDE = (REPO / "docs" / "user-guide.md").read_text(encoding="utf-8")
DOCS = "\n".join(
    p.read_text(encoding="utf-8") for p in [REPO / "README.md", *sorted(REPO.glob("docs/*.md"))]
)
README_MAX_LINES = 200  # about three screens


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found.extend(commands(command, f"{prefix}{name} "))
    return found


COMMANDS = commands(cli)
OPTIONS = sorted(
    {
        (name or "(group)", opt)
        for name, command in [("", cli), *COMMANDS]
        for param in command.params
        if isinstance(param, click.Option)
        for opt in [*param.opts, *param.secondary_opts]
    }
)


def env_vars_read_by_config() -> set[str]:
    """Every environment variable the settings read (the ``Env`` of each field)."""
    return {name for names, _, _ in config.environment_variables() for name in names}


ENV_VARS = sorted(env_vars_read_by_config())


def test_the_derived_lists_are_not_empty() -> None:
    # Guards the derivations themselves: a broken walk would make every test below vacuous.
    assert {"refresh", "sources update"} <= {name for name, _ in COMMANDS}
    assert {"--offline", "--strict", "--root", "-v", "--version"} <= {opt for _, opt in OPTIONS}
    assert {"PIPELINE_ARXIV_API", "PIPELINE_REMAP", "GITHUB_TOKEN"} <= set(ENV_VARS)


def test_two_commands_come_first() -> None:
    first_block = README.split("```")[1]
    assert "make refresh" in first_block and "make test" in first_block
    assert README.index("make refresh") < README.index("## ")


def test_the_readme_is_three_screens() -> None:
    lines = len(README.splitlines())
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines; move detail into docs/"


@pytest.mark.parametrize("name", [n for n, _ in COMMANDS])
def test_every_command_is_in_the_readme_table(name: str) -> None:
    assert f"| `pipeline {name}" in README, f"README.md's table does not list `pipeline {name}`"


@pytest.mark.parametrize("name", [n for n, c in COMMANDS if not isinstance(c, click.Group)])
def test_every_command_has_its_paragraph_in_the_user_guide(name: str) -> None:
    # sqlite-utils style: each command has its own entry, in bold, where it is described.
    assert f"**`pipeline {name}" in GUIDE, f"docs/user-guide.md does not describe `pipeline {name}`"


@pytest.mark.parametrize(("name", "option"), OPTIONS, ids=[f"{n} {o}" for n, o in OPTIONS])
def test_every_option_is_documented(name: str, option: str) -> None:
    assert re.search(rf"`{re.escape(option)}[`\s/=]", DOCS), (
        f"the docs do not document {option} (of `pipeline {name}`)"
    )


@pytest.mark.parametrize("var", ENV_VARS)
def test_every_environment_variable_is_documented(var: str) -> None:
    assert f"`{var}`" in DOCS, f"the docs do not document {var}"


@pytest.mark.parametrize(
    "section", ["endpoints", "check", "resolve", "pipeline", "emit", "readme", "[readme.topics]"]
)
def test_pipeline_toml_sections_are_documented(section: str) -> None:
    assert f"[{section}]" in DOCS


@pytest.mark.parametrize(
    "topic",
    [
        r"\bibliography{papers}",
        r"\usepackage{natbib}",
        r"\usepackage[backend=biber]{biblatex}",
        r"\addbibresource{papers.bib}",
        "Zotero",
        "## Installing",
        "pip install /path/to/checkout",
        "pip install -e .",
        "## Adding a source list",
        "## The scheduled run",
        "workflow_dispatch",
        "REFRESH_PUBLISH",
    ],
)
def test_the_user_guide_covers(topic: str) -> None:
    assert topic in GUIDE


def test_every_make_target_in_the_docs_exists() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, flags=re.MULTILINE))
    named = set(re.findall(r"`make ([a-z-]+)", DOCS))
    assert {"refresh", "test"} <= named
    assert sorted(named - targets) == [], "the docs name make targets the Makefile lacks"


def test_every_dependency_floor_is_explained() -> None:
    """docs/dependencies.md has a row per direct dependency (runtime and test extras) with
    the floor pyproject.toml sets, so a floor raised or added without its reason fails here."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    doc = (REPO / "docs" / "dependencies.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([\w.-]+)` \| ([^|]+?) \|", doc, flags=re.MULTILINE))
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        match = re.fullmatch(r"([\w.-]+)(?:>=([\w.]+))?", requirement)
        assert match, f"pyproject.toml: {requirement} is no name>=floor"
        name, floor = match.groups()
        assert rows.get(name) == (floor or "none"), f"docs/dependencies.md: {name} {floor}"
