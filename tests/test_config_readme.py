"""``[readme]`` and ``[emit]`` in pipeline.toml: read into Settings, and every mistake is one
line naming the file and the key (exit 2), never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.config import EmitSettings, ReadmeSettings, Topic, load_settings
from pipeline.errors import UsageError


def _load(tmp_path: Path, text: str) -> tuple[ReadmeSettings, EmitSettings]:
    (tmp_path / "pipeline.toml").write_text(text, encoding="utf-8")
    settings = load_settings(root=tmp_path, environ={})
    return settings.readme, settings.emit


def test_defaults_keep_the_lists_sections_and_cite_papers_and_datasets(tmp_path: Path) -> None:
    readme, emit = _load(tmp_path, "")
    assert readme == ReadmeSettings() and readme.topics == () and readme.title == ""
    assert emit.cite_kinds == ("paper", "dataset")


def test_a_topic_scheme_is_read_in_order(tmp_path: Path) -> None:
    readme, emit = _load(
        tmp_path,
        """
[readme]
title = "Robots"
other = "Misc"
by_title = false

[[readme.topics]]
name = "Surveys"
match = ["Survey", "review"]

[[readme.topics]]
name = "Data"
kinds = ["dataset"]
note = "Data is data."

[emit]
cite_kinds = ["project", "paper"]
""",
    )
    assert readme.title == "Robots" and readme.other == "Misc" and readme.by_title is False
    assert readme.topics == (
        Topic("Surveys", ("survey", "review")),  # phrases match in any case
        Topic("Data", (), ("dataset",), "Data is data."),
    )
    assert emit.cite_kinds == ("paper", "project")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("[readme]\ntitel = 'x'\n", "[readme] titel: unknown; did you mean title?"),
        ("[readme]\ntitle = 3\n", "[readme] title: got 3; allowed: a string"),
        ("[readme]\nby_title = 'yes'\n", '[readme] by_title: got "yes"; allowed: true or false'),
        ("[readme]\nother = ''\n", '[readme] other: got ""; allowed: a non-empty string'),
        (
            "[readme]\ntopics = 'Surveys'\n",
            '[readme] topics: got "Surveys"; allowed: a list, each a table',
        ),
        ("readme = 1\n", "[readme]: got a value; allowed: a table"),
        (
            "[[readme.topics]]\nmatch = ['x']\n",
            "[readme] topics #1 name: missing; allowed: a non-empty string",
        ),
        (
            "[[readme.topics]]\nname = 'A'\nmatch = 'x'\n",
            '[readme] topics #1 match: got "x"; allowed: a list, each a non-empty string',
        ),
        ("[[readme.topics]]\nname = 'A'\nmatch = ['']\n", '#1 match: got ""; allowed: a list'),
        (
            "[[readme.topics]]\nname = 'A'\nrules = ['x']\n",
            "topics #1 rules: unknown; allowed: name, match, kinds, note",
        ),
        ("[[readme.topics]]\nname = 'A'\n", "[readme] topics #1 (A): matches nothing"),
        (
            "[[readme.topics]]\nname = 'A'\nkinds = ['video']\n",
            '#1 kinds: got "video"; allowed: a list, each one of paper,',
        ),
        (
            "[[readme.topics]]\nname = 'A'\nmatch = ['a']\n[[readme.topics]]\nname = 'A'\n"
            "match = ['b']\n",
            "[readme] topics #2 name: got 'A' (used twice)",
        ),
        ("[[readme.topics]]\nname = 'Other'\nmatch = ['a']\n", "name: got 'Other' (used twice)"),
        ("[emit]\ncite_kinds = 'paper'\n", '[emit] cite_kinds: got "paper"; allowed: a list'),
        (
            "[emit]\ncite_kinds = ['papers']\n",
            '[emit] cite_kinds: got "papers"; allowed: a list, each one of',
        ),
        ("[emit]\ncite_kind = ['paper']\n", "[emit] cite_kind: unknown; did you mean cite_kinds?"),
        ("[readmee]\n", "[readmee]: unknown; did you mean [readme]?"),
    ],
)
def test_a_wrong_setting_is_one_line_naming_file_and_key(
    tmp_path: Path, text: str, names: str
) -> None:
    with pytest.raises(UsageError) as caught:
        _load(tmp_path, text)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'pipeline.toml'}: ")  # outside the cwd: in full
    assert names in message and "\n" not in message


def test_the_cli_exits_2_with_the_message(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "pipeline.toml").write_text("[emit]\ncite_kinds = [1]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["emit", "--root", str(tmp_path)])
    assert result.exit_code == 2
    assert (
        "pipeline.toml: [emit] cite_kinds: got 1; allowed: a list, each one of paper"
        in result.output
    )
    assert "Traceback" not in result.output
