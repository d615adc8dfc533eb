"""``sources/sources.toml``: which lists the pipeline reads.

Each ``[[list]]`` table names one markdown file under ``sources/``::

    [[list]]
    id = "rs-mllm"            # used in records ("source") and reports
    file = "rs-mllm.md"       # relative to sources/
    title = "…"               # the list's own title
    repo = "owner/name"       # upstream GitHub repository
    raw_url = "https://raw.githubusercontent.com/…"
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import InputError, SourceError

_LINE = re.compile(r"at line (\d+)")


@dataclass(frozen=True)
class SourceList:
    """One list named in sources.toml. ``file`` is relative to ``sources/``."""

    id: str
    file: str
    title: str = ""
    repo: str = ""
    raw_url: str = ""

    def path(self, root: Path) -> Path:
        """The list's file under a project root."""
        return root / "sources" / self.file

    @property
    def relpath(self) -> str:
        """The file relative to the project root, as entries record it."""
        return f"sources/{self.file}"


def load_catalog(path: Path) -> list[SourceList]:
    """Read sources.toml; a missing file, bad TOML or a bad ``[[list]]`` is an error naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            f"{path}: not found (it names the lists to scrape; `pipeline init` creates one, "
            "or give --root)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _LINE.search(str(exc))
        where = f"{path}:{match.group(1)}" if match else str(path)
        raise SourceError(where, f"invalid TOML: {exc}") from None
    tables = data.get("list")
    if not isinstance(tables, list) or not tables:
        raise SourceError(
            str(path), "no [[list]] tables (add a list with `pipeline sources add URL|FILE`)"
        )
    lists: list[SourceList] = []
    seen: set[str] = set()
    for number, table in enumerate(tables, start=1):
        if not isinstance(table, dict):
            raise SourceError(str(path), f"[[list]] #{number} is not a table")
        values: dict[str, str] = {}
        for key in ("id", "file", "title", "repo", "raw_url"):
            value = table.get(key, "")
            if not isinstance(value, str):
                raise SourceError(str(path), f"[[list]] #{number}: {key} must be a string")
            values[key] = value.strip()
        for key in ("id", "file"):
            if not values[key]:
                raise SourceError(str(path), f"[[list]] #{number} has no {key!r}")
        if values["id"] in seen:
            raise SourceError(str(path), f"[[list]] #{number}: duplicate id {values['id']!r}")
        if Path(values["file"]).is_absolute() or ".." in Path(values["file"]).parts:
            raise SourceError(str(path), f"[[list]] #{number}: file must be a path inside sources/")
        seen.add(values["id"])
        lists.append(SourceList(**values))
    return lists
