"""The ref `pipeline init` writes works on the adopter's first run: it is a commit (or tag) of
this repository, and the reusable workflow there declares every input the written caller
workflow passes. Checked against the test's own git checkout; a shallow clone lacking the
commit skips outside CI naming why, and fails under CI=true."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline import WORKFLOW_REF, __version__
from pipeline.project import default_ref, init_project
from tests.conftest import IN_CI, REPO

CALLED = ".github/workflows/refresh.yml"


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    git = shutil.which("git")
    if git is None:
        _unavailable("git is not installed")
    return subprocess.run(
        [str(git), *args], cwd=REPO, capture_output=True, text=True, timeout=60, check=False
    )


def _unavailable(message: str) -> None:
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)  # outside CI only; under CI=true it fails above


def _require_commit(ref: str) -> None:
    """``ref`` names a commit of this checkout's history, or the test says why it cannot tell."""
    if _git("rev-parse", "--is-inside-work-tree").returncode != 0:
        _unavailable(f"{REPO} is not a git checkout: cannot look up {ref}")
    if _git("cat-file", "-e", f"{ref}^{{commit}}").returncode == 0:
        return
    shallow = _git("rev-parse", "--is-shallow-repository").stdout.strip() == "true"
    if shallow:
        _unavailable(
            f"this checkout is shallow and lacks {ref}: git fetch --unshallow "
            "(CI checks out with fetch-depth: 0)"
        )
    pytest.fail(f"{ref} (pipeline.WORKFLOW_REF) is no commit of this repository's history")


def _caller(tmp_path: Path) -> dict[str, Any]:
    init_project(tmp_path)
    text = (tmp_path / ".github" / "workflows" / "refresh.yml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def test_workflow_ref_is_a_full_sha_or_this_versions_tag() -> None:
    # A short SHA is refused by GitHub in `uses:`; a tag must be this version's own.
    assert re.fullmatch(r"[0-9a-f]{40}", WORKFLOW_REF) or f"v{__version__}" == WORKFLOW_REF
    assert default_ref() == WORKFLOW_REF


def test_the_ref_exists_and_its_workflow_takes_every_input_passed(tmp_path: Path) -> None:
    _require_commit(WORKFLOW_REF)
    shown = _git("show", f"{WORKFLOW_REF}:{CALLED}")
    assert shown.returncode == 0, f"{WORKFLOW_REF} has no {CALLED}: {shown.stderr}"
    called = yaml.safe_load(shown.stdout)
    # PyYAML reads the key `on` as True
    call = (called.get("on") or called.get(True))["workflow_call"]
    job = _caller(tmp_path)["jobs"]["refresh"]
    passed = set(job.get("with", {}))
    assert passed, "the written workflow passes no input: nothing was checked"
    assert passed <= set(call["inputs"]), passed - set(call["inputs"])
    assert set(job.get("secrets", {})) <= set(call.get("secrets", {}))


def test_a_missing_ref_is_told_apart(tmp_path: Path) -> None:
    # The lookup itself can fail: a SHA of no commit is neither found nor mistaken for one.
    _require_commit(WORKFLOW_REF)
    missing = _git("cat-file", "-e", f"{'0' * 40}^{{commit}}")
    assert missing.returncode != 0


def test_the_version_is_said_once_in_both_places() -> None:
    # docs/releasing.md: a release sets both; the tag init pins is made from __version__.
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == __version__


def test_the_docs_show_the_ref_init_writes() -> None:
    # The caller example and the release notes quote the pinned commit: a moved WORKFLOW_REF
    # must move them too, or an adopter copying the example pins another commit than init.
    for name in ("docs/user-guide.md", "docs/releasing.md"):
        text = (REPO / name).read_text(encoding="utf-8")
        quoted = set(re.findall(r"\b[0-9a-f]{40}\b", text))
        assert quoted == {WORKFLOW_REF}, f"{name} quotes {sorted(quoted)}"
