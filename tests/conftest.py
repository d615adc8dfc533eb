"""Shared fixtures: the fake web, a project copy in a temporary directory, and tool lookup."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web

from tests.fakeweb import FakeWeb
from tests.helpers import zotero as zotero_server
from tests.helpers.zotero import Zotero

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture
def fakeweb() -> Iterator[FakeWeb]:
    """A fresh fake web on a free loopback port, stopped after the test."""
    with FakeWeb() as web:
        yield web


class RawWeb(FakeWeb):
    """The fake web plus raw.githubusercontent.com under /raw/, served from ``data["raw"]``
    (tests point the pipeline at it with a ``PIPELINE_REMAP`` rule)."""

    def build_app(self) -> web.Application:
        app = super().build_app()

        async def raw(request: web.Request) -> web.Response:
            body = self.data.setdefault("raw", {}).get(request.match_info["path"])
            if body is None:
                return web.Response(status=404, text="404: Not Found")
            return web.Response(body=body, content_type="text/plain", charset="utf-8")

        app.router.add_get("/raw/{path:.*}", raw)
        return app


@pytest.fixture
def rawweb() -> Iterator[RawWeb]:
    with RawWeb() as server:
        yield server


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's sources/ in a temporary root, for stage runs that write files."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "sources", root / "sources")
    return root


def require_shared(path: Path) -> Path:
    """A file or folder under ../shared/ (the real lists, API samples and CSL schema kept
    beside the checkout, not in it). Missing: a failure in CI (CI=true), a skip elsewhere
    whose message names what is missing, so a public clone's `make test` passes honestly."""
    if not path.exists() or (path.is_dir() and not any(path.iterdir())):
        try:
            shown = f"../shared/{path.relative_to(SHARED).as_posix()}"
        except ValueError:
            shown = str(path)
        message = f"{shown} is missing (kept beside the checkout, not in it: {SHARED})"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)  # outside CI only; in CI missing shared data fails above
    return path


def shared_lists() -> list[Path]:
    """The real lists in ../shared/lists/; when absent, the folder itself, so that a test
    parametrized over them still runs once and reports (via require_shared) what is missing."""
    found = sorted((SHARED / "lists").glob("*.md"))
    return found or [SHARED / "lists"]


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


@pytest.fixture(scope="session")
def zotero(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Zotero]:
    """Zotero's translation-server (../shared/consumers/zotero-translation-server.tar.gz),
    installed once into .tools/zotero/ and running on a free loopback port for the session.
    Missing tarball, node or npm: a failure in CI (CI=true), a skip elsewhere."""
    require_shared(zotero_server.TARBALL)
    require_tool("node")
    require_tool("npm")
    try:
        server = zotero_server.install()
        with zotero_server.serve(server, tmp_path_factory.mktemp("zotero") / "server.log") as z:
            yield z
    except zotero_server.Unavailable as reason:
        if IN_CI:
            pytest.fail(str(reason))
        pytest.skip(str(reason))  # outside CI only; in CI it fails above
