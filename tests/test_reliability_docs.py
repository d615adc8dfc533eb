"""docs/reliability.md cannot drift from the suite.

Every test the page names (``tests/<file>.py::<test>``, optionally ``[<parameter id>]`` where
``*`` matches any part of an id) must be collected by pytest; every row of its tables must name
at least one; every test in tests/test_hardening_*.py must be named on the page; and a row
reports an open defect exactly when the hardening tests it names are marked xfail.
"""

from __future__ import annotations

import ast
import fnmatch
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from _pytest.mark.structures import ParameterSet

from tests.conftest import REPO

DOC = REPO / "docs" / "reliability.md"
REFERENCE = re.compile(r"`(tests/[\w/]+\.py::\w+(?:\[[^\]`]+\])?)`")


def references(text: str) -> list[str]:
    return REFERENCE.findall(text)


def table_rows(text: str) -> list[str]:
    """Body rows of the page's tables (not the header row, not the rule under it)."""
    rows: list[str] = []
    in_table = False
    for line in text.splitlines():
        if not line.startswith("|"):
            in_table = False
            continue
        if not in_table:
            in_table = True  # the header row
            continue
        if re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", line.strip()):
            continue
        rows.append(line)
    return rows


@pytest.fixture(scope="module")
def collected() -> set[str]:
    files = sorted({ref.split("::")[0] for ref in references(DOC.read_text(encoding="utf-8"))})
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *files],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return {line.strip() for line in done.stdout.splitlines() if "::" in line}


def found(reference: str, collected: set[str]) -> bool:
    if "[" in reference:
        return any(
            fnmatch.fnmatchcase(node, reference.replace("[", "[[]", 1)) for node in collected
        )
    return reference in collected or any(node.startswith(reference + "[") for node in collected)


def test_the_page_names_tests() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert len(references(text)) > 40
    assert len(table_rows(text)) > 25


def test_every_named_test_exists(collected: set[str]) -> None:
    missing = [r for r in references(DOC.read_text(encoding="utf-8")) if not found(r, collected)]
    assert missing == []


def test_every_table_row_is_backed_by_a_test() -> None:
    bare = [row for row in table_rows(DOC.read_text(encoding="utf-8")) if not references(row)]
    assert bare == []


def test_every_hardening_test_is_on_the_page() -> None:
    named = {ref.split("[")[0] for ref in references(DOC.read_text(encoding="utf-8"))}
    absent = []
    for path in sorted((REPO / "tests").glob("test_hardening_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                name = f"tests/{path.name}::{node.name}"
                if name not in named:
                    absent.append(name)
    assert absent == []


def test_the_checker_itself_can_fail(collected: set[str]) -> None:
    assert not found("tests/test_hardening_faults.py::test_no_such_test", collected)
    assert not found(
        "tests/test_hardening_faults.py::test_fault_loses_nothing_and_retries_within_limits"
        "[nowhere-*]",
        collected,
    )
    assert found(
        "tests/test_hardening_faults.py::test_fault_loses_nothing_and_retries_within_limits"
        "[*-hang]",
        collected,
    )
    assert table_rows("| a | b |\n| --- | --- |\n| 1 | `x` |\n\ntext\n") == ["| 1 | `x` |"]


def xfailed(reference: str) -> bool:
    """Whether the named test (or any of the named parameter cases) is marked xfail."""
    path, name = reference.split("::")
    name, _, param = name.partition("[")
    module = importlib.import_module("tests." + Path(path).stem)
    marks = getattr(getattr(module, name), "pytestmark", [])
    if any(mark.name == "xfail" for mark in marks):
        return True
    pattern = param.rstrip("]") or "*"
    for mark in marks:
        if mark.name != "parametrize":
            continue
        for case in mark.args[1]:
            if (
                isinstance(case, ParameterSet)
                and case.id is not None
                and fnmatch.fnmatchcase(case.id, pattern)
                and any(m.name == "xfail" for m in case.marks)
            ):
                return True
    return False


def test_results_say_which_defects_are_open() -> None:
    """A row says "**DEFECT** (…, open)" exactly when its hardening tests are xfail: a fix that
    removes the marks must update the page, and a new xfail must be on the page as a defect."""
    wrong = []
    for row in table_rows(DOC.read_text(encoding="utf-8")):
        is_open = re.search(r"\*\*DEFECT\*\* \([^)]*\bopen\)", row) is not None
        for ref in references(row):
            if ref.startswith("tests/test_hardening_") and xfailed(ref) != is_open:
                wrong.append(f"{ref}: page says {'open' if is_open else 'holds'}")
    assert wrong == []
