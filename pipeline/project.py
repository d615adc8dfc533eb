"""Where a project lives, and ``pipeline init``: set up a list repository in a folder.

The project root is where the user stands: the current directory, or the nearest parent
holding ``sources/sources.toml`` (so a command run from ``output/`` or ``sources/`` still
finds its project, the way git finds ``.git``). ``--root`` overrides it. Nothing is taken
from the installed package's location: a wheel in site-packages has no ``sources/`` beside
it, and the package carries everything else it needs (templates) as package data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from pipeline import WORKFLOW_REF
from pipeline.errors import UsageError
from pipeline.store import atomic_write_text

CATALOG = Path("sources") / "sources.toml"
WORKFLOW = Path(".github") / "workflows" / "refresh.yml"

# What `init` adds to .gitignore: the scratch folders a run writes (output/ is committed).
GITIGNORE_LINES = ("/build/", "/.cache/")
_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")


def find_root(start: Path | None = None) -> Path:
    """The nearest folder from ``start`` (default: the current directory) upwards that holds
    ``sources/sources.toml``; ``start`` itself when none does (a folder still to ``init``)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CATALOG).is_file():
            return folder
    return here


def template(name: str) -> str:
    """A file shipped inside the package (``pipeline/templates/``)."""
    return resources.files("pipeline").joinpath("templates", name).read_text(encoding="utf-8")


@dataclass
class InitResult:
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """Files that exist already and were left alone (no ``--force``)."""


def default_ref() -> str:
    """What the written workflow calls and installs: ``WORKFLOW_REF``, a commit SHA until
    releases exist, then this version's tag (docs/releasing.md)."""
    return WORKFLOW_REF


def init_project(root: Path, *, force: bool = False, ref: str | None = None) -> InitResult:
    """Write ``sources/sources.toml``, ``.gitignore`` lines and the caller workflow into ``root``.

    An existing file is never overwritten without ``force``; ``.gitignore`` is only ever
    appended to (the lines it lacks), so an awesome-list repository keeps its own. ``ref``
    (default: ``WORKFLOW_REF``) is the pipeline commit or release the workflow calls and installs.
    """
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root}: not a directory")
    ref = ref or default_ref()
    if not _REF.match(ref):
        raise UsageError(f"--ref {ref!r}: expected a tag, branch or commit SHA")
    result = InitResult()
    for relative, name in ((CATALOG, "sources.toml"), (WORKFLOW, "caller-workflow.yml")):
        path = root / relative
        if path.exists() and not force:
            result.kept.append(relative.as_posix())
            continue
        atomic_write_text(path, template(name).replace("__REF__", ref))
        result.written.append(relative.as_posix())

    ignore = root / ".gitignore"
    try:
        text = ignore.read_text(encoding="utf-8") if ignore.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{ignore}: cannot read: {exc}") from None
    present = {line.strip() for line in text.splitlines()}
    missing = [line for line in GITIGNORE_LINES if line not in present]
    if missing:
        prefix = "" if not text or text.endswith("\n") else "\n"
        header = "# pipeline: scratch folders of a run (output/ is committed)\n"
        atomic_write_text(ignore, text + prefix + header + "".join(f"{m}\n" for m in missing))
        result.written.append(".gitignore")
    else:
        result.kept.append(".gitignore")
    return result
