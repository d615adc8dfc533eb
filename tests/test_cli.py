"""The command line: every command has help text and is documented in the README."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from tests.conftest import REPO
from tests.fakeweb.core import free_port


def all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        found.append((path, command))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, f"{path} "))
    return found


COMMANDS = all_commands(cli)


def test_expected_commands_exist() -> None:
    names = {name for name, _ in COMMANDS}
    assert {"scrape", "resolve", "check", "emit", "refresh", "sources", "sources update"} <= names


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help(name: str, command: click.Command) -> None:
    assert command.help and len(command.help.strip()) > 20, f"{name} has no help text"
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


@pytest.mark.parametrize("name", [n for n, _ in COMMANDS])
def test_every_command_is_documented_in_readme(name: str) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"pipeline {name}" in readme, f"README.md does not document `pipeline {name}`"


def test_bad_config_file_is_a_clear_error(tmp_path: click.Path) -> None:
    result = CliRunner().invoke(cli, ["scrape", "--config", "/nonexistent/pipeline.toml"])
    assert result.exit_code == 2
    assert "configuration file not found" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("stage", ["resolve", "check"])
def test_a_network_stage_alone_with_no_network_is_degraded_at_once(
    stage: str, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    for var in ("ARXIV_API", "CROSSREF_API", "DOI_RESOLVER", "OPENALEX_API", "GITHUB_API"):
        monkeypatch.setenv(f"PIPELINE_{var}", closed)
    runner = CliRunner()
    assert runner.invoke(cli, ["scrape", "--root", str(project), "-q"]).exit_code == 0
    result = runner.invoke(cli, [stage, "--root", str(project), "-q"])
    assert result.exit_code == 3, result.output
    assert "no network" in result.output
    # nothing was retried request by request: no requests counted at all
    assert "0 requests" in result.output
