"""Typed, checked settings (issue 23): every wrong value, unknown key or section, bad TOML or
bad environment value is exit 2 with one line naming the key, through the real command;
renamed keys warn or fail; secrets stay out of reprs and logs; the reference is current."""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import config, config_docs, config_renames
from pipeline.cli import cli
from pipeline.config import SECTIONS, Settings, environment_variables, load_settings
from pipeline.config_renames import ENVIRONMENT, Rename
from pipeline.config_types import IN_FILE, SECRET, check_value, hints, is_table
from pipeline.errors import UsageError
from tests.conftest import REPO
from tests.helpers.hardening import make_project

TOML_CASES = [
    # wrong type
    ('[resolve]\nworkers = "3"\n', '[resolve] workers: got "3"; allowed: an integer ≥ 1'),
    ('[check]\ntimeout_seconds = "fast"\n', "[check] timeout_seconds: got"),
    ("[check]\nconcurrency = true\n", "[check] concurrency: got true"),
    ("[check]\nconcurrency = 2.5\n", "[check] concurrency: got 2.5"),
    ("[check]\nparking_look = 1\n", "[check] parking_look: got 1; allowed: true or false"),
    ("[resolve]\nfind_published = 'no'\n", "[resolve] find_published: got"),
    ('[endpoints]\ncrossref = "ftp://example.org"\n', "[endpoints] crossref: got"),
    ('[endpoints]\ncrossref = "https://"\n', "allowed: an http or https URL with a host"),
    (
        '[endpoints]\ncrossref = "https://me:hunter2@api.example.org"\n',
        "[endpoints] crossref: got (a URL with a user or password, hidden)",
    ),
    ('[scrape]\nexclude_sections = "Credits"\n', "[scrape] exclude_sections: got"),
    ("[scrape]\ninclude_sections = [1]\n", "[scrape] include_sections: got 1"),
    ("[pipeline]\nremap = [1]\n", "[pipeline] remap: got [1]"),
    ("[pipeline]\nremap = ['(unclosed x']\n", "[pipeline] remap:1: bad regular expression"),
    ("[pipeline]\nmailto = 3\n", "[pipeline] mailto: got 3; allowed: a string"),
    ("[pipeline]\ncache_dir = ''\n", "[pipeline] cache_dir: got"),
    ("[readme]\ntopics = [1]\n", "[readme] topics #1: got 1; allowed: a table"),
    ("[emit]\ncite_kinds = ['papers']\n", '[emit] cite_kinds: got "papers"'),
    ("check = 3\n", "[check]: got a value; allowed: a table"),
    # out of range
    ("[check]\ntimeout_seconds = -5\n", "[check] timeout_seconds: got -5 (out of range)"),
    ("[check]\ntimeout_seconds = 0\n", "allowed: a number > 0"),
    ("[check]\nconcurrency = 0\n", "[check] concurrency: got 0 (out of range); allowed: an"),
    ("[resolve]\nworkers = -1\n", "[resolve] workers: got -1 (out of range)"),
    ("[resolve]\ntime_budget_seconds = -1\n", "[resolve] time_budget_seconds: got -1"),
    ("[resolve]\ncache_max_age_seconds = nan\n", "[resolve] cache_max_age_seconds: got nan"),
    ("[pipeline]\narxiv_delay_seconds = -0.5\n", "[pipeline] arxiv_delay_seconds: got -0.5"),
    # unknown keys, with a suggestion when one is close
    ("[check]\nconcurreny = 3\n", "[check] concurreny: unknown; did you mean concurrency?"),
    ("[resolve]\nworker = 3\n", "[resolve] worker: unknown; did you mean workers?"),
    ("[pipeline]\nopenalex_key = 'x'\n", "[pipeline] openalex_key: unknown"),  # env only
    ("[pipeline]\nrun_date = 2024-01-01\n", "[pipeline] run_date: unknown"),
    ("[[readme.topics]]\nname = 'A'\nrules = ['x']\n", "[readme] topics #1 rules: unknown"),
    # unknown sections
    ("[chek]\n", "[chek]: unknown; did you mean [check]?"),
    ("[tools]\nx = 1\n", "[tools]: unknown; allowed: [pipeline], [endpoints]"),
    # bad TOML: the file, line and column
    ("[check]\nconcurrency = = 3\n", "pipeline.toml:2:15: not valid TOML"),
    ("[check]\nconcurrency = 3\nconcurrency = 4\n", "pipeline.toml:3:"),
    # renamed with both names set
    ("[check]\ntimeout = 3\ntimeout_seconds = 4\n", "[check] timeout: renamed to timeout_seconds"),
]
"""pipeline.toml text, and what the one line says (after ``pipeline.toml: ``)."""

UNKNOWN_IN_EVERY_SECTION = [
    (f"[{s}]\nbogus_key = 1\n", f"[{s}] bogus_key: unknown") for s in SECTIONS
]

ENV_CASES = [
    ("PIPELINE_RUN_DATE", "yesterday", 'PIPELINE_RUN_DATE: got "yesterday"; allowed: a date'),
    ("PIPELINE_RUN_DATE", "2024-02-30", "PIPELINE_RUN_DATE: got"),
    ("PIPELINE_ARXIV_DELAY_SECONDS", "fast", "PIPELINE_ARXIV_DELAY_SECONDS: got"),
    ("PIPELINE_ARXIV_DELAY_SECONDS", "-1", "PIPELINE_ARXIV_DELAY_SECONDS: got -1.0 (out of"),
    ("PIPELINE_ARXIV_DELAY_SECONDS", "inf", "PIPELINE_ARXIV_DELAY_SECONDS: got"),
    ("PIPELINE_ALLOW_PRIVATE_HOSTS", "maybe", "PIPELINE_ALLOW_PRIVATE_HOSTS: got"),
    ("PIPELINE_CROSSREF_API", "api.crossref.org", "PIPELINE_CROSSREF_API: got"),
    ("PIPELINE_CROSSREF_API", "https://me:hunter2@api.example.org", "a user or password, hidden"),
    ("PIPELINE_REMAP", "one-word-only", "PIPELINE_REMAP:1: expected 'REGEX REPLACEMENT'"),
]


def run_cli(root: Path, command: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [command, "--root", str(root)], env=env)
    return result.exit_code, result.output


@pytest.mark.parametrize("command", ["refresh", "check"])
@pytest.mark.parametrize(("text", "says"), TOML_CASES + UNKNOWN_IN_EVERY_SECTION)
def test_a_bad_pipeline_toml_is_exit_2_with_one_line_naming_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, text: str, says: str
) -> None:
    (tmp_path / "pipeline.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the file is then named as the user wrote it
    code, output = run_cli(tmp_path, command)
    assert code == 2, output
    assert "Traceback" not in output
    assert output.startswith("error: pipeline.toml") and output.count("\n") == 1, output
    assert says in output, output
    assert "hunter2" not in output  # a password in an endpoint is never echoed


@pytest.mark.parametrize("command", ["refresh", "check"])
@pytest.mark.parametrize(("var", "value", "says"), ENV_CASES)
def test_a_bad_environment_value_is_exit_2_naming_the_variable(
    tmp_path: Path, command: str, var: str, value: str, says: str
) -> None:
    code, output = run_cli(tmp_path, command, env={var: value})
    assert code == 2, output
    assert "Traceback" not in output
    assert output.startswith(f"error: {var}") and output.count("\n") == 1, output
    assert says in output, output
    assert "hunter2" not in output  # a password in an endpoint is never echoed


def test_every_section_and_key_is_checked(tmp_path: Path) -> None:
    """The cases above reach every section; and every key of every section refuses a value
    of a type it cannot take (a table), so no field escapes the table-driven check."""
    assert {s for s in SECTIONS} == {t.split("]")[0][1:] for t, _ in UNKNOWN_IN_EVERY_SECTION}
    for section in SECTIONS:
        cls = Settings if section == "pipeline" else hints(Settings)[section].base
        for key, hint in hints(cls).items():
            if section == "pipeline" and IN_FILE not in hint.markers:
                continue
            text = f"[{section}]\n{key} = {{ a = 1 }}\n"
            (tmp_path / "pipeline.toml").write_text(text, encoding="utf-8")
            with pytest.raises(UsageError, match=rf"\[{section}\] {key}: got a table"):
                load_settings(root=tmp_path, environ={})


def _load(tmp_path: Path, text: str, environ: dict[str, str] | None = None) -> Settings:
    (tmp_path / "pipeline.toml").write_text(text, encoding="utf-8")
    return load_settings(root=tmp_path, environ=environ or {})


def test_good_values_are_read_as_their_type(tmp_path: Path) -> None:
    settings = _load(
        tmp_path,
        "[check]\ntimeout_seconds = 5\nconcurrency = 8\n"
        "[resolve]\ntime_budget_seconds = 600\n"
        '[endpoints]\ncrossref = "http://127.0.0.1:8080/"\n'
        "[emit]\ncite_kinds = ['dataset', 'paper', 'paper']\n",
    )
    assert settings.check.timeout_seconds == 5.0 and type(settings.check.timeout_seconds) is float
    assert settings.check.concurrency == 8 and type(settings.check.concurrency) is int
    assert settings.resolve.time_budget_seconds == 600.0
    assert settings.endpoints.crossref == "http://127.0.0.1:8080"  # a trailing slash dropped
    assert settings.emit.cite_kinds == ("paper", "dataset")  # the kinds' own order, once each


def test_none_is_taken_where_a_field_is_optional_only() -> None:
    resolve = hints(config.ResolveSettings)
    assert check_value(None, resolve["time_budget_seconds"], "x") is None
    assert load_settings(environ={}).resolve.time_budget_seconds is None  # the default
    with pytest.raises(UsageError, match="x: got None; allowed: an integer ≥ 1"):
        check_value(None, resolve["workers"], "x")


def test_environment_values_are_read_as_their_type(tmp_path: Path) -> None:
    env = {
        "PIPELINE_ARXIV_DELAY_SECONDS": " 0.5 ",
        "PIPELINE_ALLOW_PRIVATE_HOSTS": "yes",
        "PIPELINE_RUN_DATE": "2024-02-29",
        "PIPELINE_MAILTO": "",  # empty: unset
    }
    settings = _load(tmp_path, "", env)
    assert settings.arxiv_delay_seconds == 0.5 and settings.allow_private_hosts is True
    assert str(settings.run_date) == "2024-02-29" and settings.mailto is None
    off = _load(tmp_path, "", {"PIPELINE_ALLOW_PRIVATE_HOSTS": "0"})
    assert off.allow_private_hosts is False


@pytest.mark.parametrize("cls", [config.Endpoints, config.CheckSettings, config.ResolveSettings])
def test_every_default_passes_its_own_check(cls: type[object]) -> None:
    default = cls()
    for key, hint in hints(cls).items():
        value = getattr(default, key)
        assert check_value(value, hint, key) == value


# Renamed keys


def test_an_old_key_with_the_same_meaning_is_read_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="pipeline"):
        settings = _load(
            tmp_path,
            "[check]\ntimeout = 7\n[resolve]\ncache_max_age = 60\n",
            {"PIPELINE_ARXIV_DELAY": "0"},
        )
    assert settings.check.timeout_seconds == 7.0
    assert settings.resolve.cache_max_age_seconds == 60.0
    assert settings.arxiv_delay_seconds == 0.0
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("[check] timeout: renamed to timeout_seconds" in w for w in warnings), warnings
    assert any(
        "PIPELINE_ARXIV_DELAY: renamed to PIPELINE_ARXIV_DELAY_SECONDS" in w for w in warnings
    )


@pytest.mark.parametrize(
    "row", [r for r in config_renames.RENAMED if not r.same_meaning], ids=lambda r: r.old
)
def test_an_old_key_whose_meaning_changed_is_exit_2_naming_the_new_key(
    tmp_path: Path, row: Rename
) -> None:
    (tmp_path / "pipeline.toml").write_text(f"[{row.section}]\n{row.old} = 3\n", encoding="utf-8")
    code, output = run_cli(tmp_path, "check")
    assert code == 2 and "Traceback" not in output
    assert f"[{row.section}] {row.old}: renamed to {row.new} with a new meaning" in output


def test_the_table_has_a_rename_whose_meaning_changed() -> None:
    # the test above is not vacuous: [check] retries counted the retries, retry_attempts all tries
    assert (
        Rename("check", "retries", "retry_attempts", same_meaning=False) in config_renames.RENAMED
    )


@pytest.mark.parametrize("row", config_renames.RENAMED, ids=lambda r: f"{r.section}.{r.old}")
def test_every_rename_leads_to_a_key_that_exists_and_from_one_that_does_not(row: Rename) -> None:
    if row.section == ENVIRONMENT:
        names = {n for names, _, _ in environment_variables() for n in names}
    elif row.section == "pipeline":
        names = {k for k, h in hints(Settings).items() if IN_FILE in h.markers}
    else:
        names = set(hints(hints(Settings)[row.section].base))
    assert row.new in names and row.old not in names


# Secrets


SECRETS = {
    name: f"SENTINEL{i}x{name.lower()}q"
    for i, (names, _, hint) in enumerate(environment_variables())
    if SECRET in hint.markers
    for name in names[:1]
}


def test_every_secret_is_marked_and_left_out_of_reprs() -> None:
    looks_secret = re.compile(r"KEY|TOKEN|SECRET|PASSWORD")
    for names, path, hint in environment_variables():
        assert any(looks_secret.search(n) for n in names) == (SECRET in hint.markers), path
    for cls in [Settings, *(h.base for h in hints(Settings).values() if is_table(h.base))]:
        for field in dataclasses.fields(cls):
            if SECRET in hints(cls)[field.name].markers:
                assert field.repr is False, f"{cls.__name__}.{field.name}"
    assert len(SECRETS) >= 3  # openalex, S2, GitHub


def test_secrets_are_set_but_never_in_repr_str_or_the_start_log(tmp_path: Path) -> None:
    settings = load_settings(root=tmp_path, environ=SECRETS)
    values = {settings.openalex_key, settings.s2_key, settings.github_token}
    assert values == set(SECRETS.values())  # they were read, so their absence below means something
    for text in (repr(settings), str(settings)):
        assert "SENTINEL" not in text
    root = make_project(tmp_path / "project")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
    env |= SECRETS | {"CI": "true"}
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "scrape", "-vv", "--root", str(root)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "settings: Settings(" in done.stderr  # the start's log line is there …
    assert "SENTINEL" not in done.stdout + done.stderr  # … without a secret


# The reference


def test_the_reference_is_made_from_the_current_fields() -> None:
    page = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert config_docs.updated(page) == page, (
        "docs/configuration.md is out of date: run `python -m pipeline.config_docs`"
    )
    assert not config_docs._check_all_documented(config_docs.docstrings())


def test_the_reference_names_every_key_and_variable() -> None:
    """Guards the generator itself: each key and variable appears as a row."""
    text = config_docs.render()
    for section in SECTIONS:
        cls = Settings if section == "pipeline" else hints(Settings)[section].base
        for key, hint in hints(cls).items():
            if section != "pipeline" or IN_FILE in hint.markers:
                assert f"| `{key}` |" in text, f"[{section}] {key}"
    for names, _, _ in environment_variables():
        for name in names:
            assert f"| `{name}` |" in text


@pytest.mark.parametrize("number", [0, 1])
def test_the_examples_in_the_reference_are_good_settings(tmp_path: Path, number: int) -> None:
    page = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", page, flags=re.DOTALL)
    assert len(blocks) == 2
    settings = _load(tmp_path, blocks[number])
    assert settings != Settings(root=tmp_path)  # the example set something
