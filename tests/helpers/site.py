"""Reading back what ``pipeline emit`` wrote into ``output/site/``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PREFIX = "window.SITE_DATA = JSON.parse(String.raw`"


def site_data(folder: Path) -> dict[str, Any]:
    """The JSON of ``works.js`` (a raw template string given to JSON.parse)."""
    text = (folder / "works.js").read_text(encoding="utf-8")
    assert text.startswith(PREFIX) and text.endswith("`);\n"), text[:80]
    assert text.isascii() and "`" not in text[len(PREFIX) : -4] and "${" not in text
    data: dict[str, Any] = json.loads(text[len(PREFIX) : -4])
    return data


def citations(folder: Path) -> dict[str, list[str]]:
    """Every cited work's ``[BibTeX, CSL-JSON]`` by key, from all the ``cite/NNN.js``."""
    entries: dict[str, list[str]] = {}
    for path in sorted((folder / "cite").glob("*.js")):
        text = path.read_text(encoding="utf-8")
        head = f"window.SITE_CITE({int(path.stem)}, "
        assert text.startswith(head) and text.endswith(");\n"), text[:80]
        entries |= json.loads(text[len(head) : -3])
    return entries
