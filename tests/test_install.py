"""Installed from a wheel (`pip install .`), in an empty folder: `pipeline init`, `pipeline
sources add`, `pipeline refresh --offline` write the project in that folder and nothing
anywhere else, and the package needs nothing from the checkout.

`pip install .` runs in a copy of the package's files (so the build leaves nothing in the
checkout) without network (``--no-build-isolation``: setuptools from the test extras). The fresh
virtual environment gets the dependencies by a ``.pth`` line naming the test environment's
site-packages (a path line: its ``.pth`` files, such as the editable install's finder, are
not run), so the ``pipeline`` it imports is the wheel's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

LIST = REPO / "sources" / "rs-image-text-retrieval.md"


def tree(root: Path) -> dict[str, int]:
    """Every file under root (but bytecode caches) with its size."""
    return {
        p.relative_to(root).as_posix(): p.stat().st_size
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel of this checkout installed by pip."""
    base = tmp_path_factory.mktemp("install")
    source = base / "src"
    shutil.copytree(
        REPO / "pipeline", source / "pipeline", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    env_dir = base / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "test-deps.pth").write_text("\n".join(sorted(deps)) + "\n", encoding="utf-8")
    # `pip install .` in (a copy of) the checkout: pip builds the wheel and installs it
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", "--no-index", "--no-build-isolation", "."],
        cwd=source, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    return env_dir


def run(env_dir: Path, cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    keep = {"PATH", "LANG", "LC_ALL", "SYSTEMROOT"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        HOME=str(home),
        XDG_CACHE_HOME=str(home / ".cache"),
        TMPDIR=str(home / "tmp"),
        CI="true",  # plain log lines
    )
    return subprocess.run(
        [str(env_dir / "bin" / "pipeline"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_wheel_is_imported_not_the_checkout(installed: Path) -> None:
    result = subprocess.run(
        [str(installed / "bin" / "python"), "-c",
         "import pipeline, pipeline.project as p; print(pipeline.__file__); "
         "print(p.template('caller-workflow.yml')[:1])"],
        cwd=installed, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    where, first = result.stdout.splitlines()
    assert where.startswith(str(installed)) and "site-packages" in where
    assert first == "#"  # the template travels in the wheel
    version = subprocess.run(
        [str(installed / "bin" / "python"), "-m", "pipeline", "--version"],
        cwd=installed, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert version.returncode == 0 and "0.1.0" in version.stdout


def test_init_add_refresh_in_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    folder = tmp_path / "my-list"
    home = tmp_path / "home"
    for path in (folder, home, home / "tmp"):
        path.mkdir()
    venv_before = tree(installed)
    repo_before = subprocess.run(
        ["git", "status", "--porcelain", "--ignored"], cwd=REPO, capture_output=True, text=True
    ).stdout

    steps = [
        ("init",),
        ("sources", "add", str(LIST), "--id", "X", "--repo", "o/r"),
        ("refresh", "--offline"),
    ]
    results = [run(installed, folder, home, *args) for args in steps]
    init, add, refresh = results
    assert init.returncode == 0, init.stderr
    assert add.returncode == 0, add.stderr
    assert "scrape:  21 entries" in add.stdout
    # --offline asked for: the lists alone, every record unverified, no service asked: a
    # finished run (exit 0) whose summary names what was not asked
    assert refresh.returncode == 0, refresh.stdout + refresh.stderr
    assert "  offline:     " in refresh.stdout and "degraded" not in refresh.stdout + refresh.stderr
    assert "refresh summary" in refresh.stdout and "Traceback" not in refresh.stderr

    files = tree(folder)
    for name in ("papers.bib", "papers.json", "README.md", "links.json", "link-report.md"):
        assert f"output/{name}" in files
    # the site's own page, script and style travel in the wheel
    for name in ("index.html", "site.js", "site.css", "works.js", "cite/000.js"):
        assert files.get(f"output/site/{name}", 0) > 0, name
    assert {"sources/sources.toml", "sources/X.md", ".gitignore"} <= set(files)
    assert ".github/workflows/refresh.yml" in files
    assert (folder / "sources" / "X.md").read_bytes() == LIST.read_bytes()
    # the regenerated list carries the one list's title (from its first heading)
    first = (folder / "output" / "README.md").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# Awesome Remote Sensing Image-Text Retrieval"
    assert {p.split("/")[0] for p in files} <= {
        "output",
        "sources",
        "build",
        ".github",
        ".gitignore",
        ".cache",
    }
    # nothing anywhere else: not in the environment, not in HOME or TMPDIR, not in the checkout
    assert tree(installed) == venv_before
    assert tree(home) == {}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "my-list"]
    repo_after = subprocess.run(
        ["git", "status", "--porcelain", "--ignored"], cwd=REPO, capture_output=True, text=True
    ).stdout
    assert repo_after == repo_before
