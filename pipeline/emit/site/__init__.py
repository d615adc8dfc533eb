"""``output/site/``: a static page to search, filter and cite the works (issue 24).

``index.html``, ``site.js`` and ``site.css`` are this package's own files, copied as they are
(the page's title is the one value written into them). The data are scripts that hold
JSON: ``works.js`` (every work, ``window.SITE_DATA``) and ``cite/NN.js`` (the BibTeX
and CSL-JSON the copy buttons copy, :mod:`.cite`). Scripts and not ``.json`` files the page
fetches: browsers refuse ``fetch()`` and XHR of a ``file://`` page's neighbours, while a
``<script src>`` loads from ``file://`` and GitHub Pages alike, so the folder works opened
from disk as well as served. No CDN, no server, no build step.

Charts (``*.svg``) and a feed (``feed.xml``) written into the folder before this runs are
listed in the data; the page shows them.
"""

from __future__ import annotations

import html
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.emit.inputs import EmitInput
from pipeline.emit.markdown import md_url
from pipeline.emit.site import cite
from pipeline.emit.site.works import works
from pipeline.errors import OutputError
from pipeline.ids import github as github_ids
from pipeline.store import atomic_write_text
from pipeline.text import clean_text

STATIC = ("index.html", "site.js", "site.css")
DATA = "works.js"
FEED = "feed.xml"
DEFAULT_TITLE = "Merged list"


def _lists(data: EmitInput) -> list[dict[str, str]]:
    """The lists the works come from, in sources.toml order, with title and repository."""
    used = {p.source for _, rw in data.current for p in rw.work.places}
    by_id = {s.id: s for s in data.sources}
    out = []
    for source_id in [s.id for s in data.sources if s.id in used] + sorted(used - set(by_id)):
        source = by_id.get(source_id)
        entry = {"id": clean_text(source_id, 100), "title": clean_text(source_id, 100)}
        if source is not None:
            entry["title"] = clean_text(source.title, 300) or entry["title"]
            url = md_url(github_ids.home_url(source.repo)) if source.repo else ""
            if url:
                entry["url"] = url
        out.append(entry)
    return out


def payload(data: EmitInput, folder: Path) -> tuple[dict[str, Any], list[str]]:
    """What ``works.js`` holds, and the scripts of the citation shards."""
    items, places, run_date = works(data)
    where, shards = cite.shards([r for r, _ in data.current if data.cited(r)])
    for item in items:
        if "key" in item:
            item["cite"] = where[item["key"]]
    title = data.readme.title or (data.sources[0].title if len(data.sources) == 1 else "")
    topics = [t.name for t in data.readme.topics]
    content = {
        "title": clean_text(title, 300) or DEFAULT_TITLE,
        "date": run_date,
        "lists": _lists(data),
        "topics": [*topics, data.readme.other] if topics else [],
        "charts": list(data.charts),
        "feed": FEED if (folder / FEED).is_file() else "",
        "places": places,
        "works": items,
    }
    return content, shards


def data_script(content: dict[str, Any]) -> str:
    """``works.js``: the JSON, one work a line (a run's change reads as a diff), as a raw
    template string given to ``JSON.parse``, which browsers read faster than the same data
    written as an object literal. In ASCII (:func:`.cite.script_json`), with the two
    characters a template gives a meaning, `` ` `` and ``$``, written as JSON escapes."""

    def text(value: object) -> str:
        return cite.script_json(value).replace("`", "\\u0060").replace("$", "\\u0024")

    head = ",".join(f"{text(k)}:{text(v)}" for k, v in content.items() if k != "works")
    works = ",\n".join(text(w) for w in content["works"])
    return f'window.SITE_DATA = JSON.parse(String.raw`{{{head},"works":[\n{works}\n]}}`);\n'


def _remove_stale(folder: Path, keep: set[str]) -> int:
    """Delete shards a smaller run no longer writes; the number deleted."""
    stale = [p for p in sorted(folder.glob("cite/*.js")) if f"cite/{p.name}" not in keep]
    for path in stale:
        try:
            path.unlink()
        except OSError as exc:
            raise OutputError(f"{path}: cannot remove: {exc.strerror or exc}") from None
    return len(stale)


def write(folder: Path, data: EmitInput) -> int:
    """Write the site into ``folder``; the number of files that changed."""
    content, shards = payload(data, folder)
    written = 0
    for name in STATIC:
        text = resources.files(__package__).joinpath("static", name).read_text("utf-8")
        if name == "index.html":
            text = text.replace("{{title}}", html.escape(content["title"]))
        written += atomic_write_text(folder / name, text)
    written += atomic_write_text(folder / DATA, data_script(content))
    names = [cite.name(n) for n in range(len(shards))]
    for name, script in zip(names, shards, strict=True):
        written += atomic_write_text(folder / name, script)
    return written + _remove_stale(folder, set(names))


__all__ = ["DATA", "STATIC", "payload", "write"]
