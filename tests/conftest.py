"""Shared fixtures: the fake web, a project copy in a temporary directory, and tool lookup."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakeweb import FakeWeb

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture
def fakeweb() -> Iterator[FakeWeb]:
    """A fresh fake web on a free loopback port, stopped after the test."""
    with FakeWeb() as web:
        yield web


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's sources/ in a temporary root, for stage runs that write files."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "sources", root / "sources")
    return root


def require_tool(name: str) -> str:
    """Path of an external tool. Missing: a failure in CI (CI=true), a skip elsewhere."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (.ci/run installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)  # outside CI only; in CI a missing tool fails above
    return path


TOOLS = REPO / ".tools"  # git-ignored; `make tools` installs the npm test tools here


def require_npm_package(spec: str, name: str) -> Path:
    """Folder of an npm package under .tools/, installed on first use (``spec`` is
    ``name@version``). Missing after that: a failure in CI, a skip elsewhere."""
    require_tool("node")
    folder = TOOLS / "node_modules" / name
    if not (folder / "package.json").exists():
        npm = require_tool("npm")
        command = [npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(TOOLS)]
        subprocess.run([*command, spec], check=False, capture_output=True, timeout=300)
    if not (folder / "package.json").exists():
        message = f"{name} is not installed (make tools: npm install {spec})"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)  # outside CI only; in CI a missing package fails above
    return folder
