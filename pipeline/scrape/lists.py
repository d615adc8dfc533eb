"""``pipeline sources add`` and ``sources remove``: add a list to ``sources/sources.toml``
(and its copy to ``sources/``), or drop one.

A list comes from a file or a URL. A URL is downloaded through the same session, retries and
``PIPELINE_REMAP`` rewrites as ``sources update``; GitHub addresses are understood:

- ``https://github.com/OWNER/NAME``: the repository's README on its default branch
  (``HEAD``; ``README.md``, else the other spellings of README_NAMES), raw from
  raw.githubusercontent.com;
- ``https://github.com/OWNER/NAME/blob/REF/PATH``: that file, raw;
- ``https://raw.githubusercontent.com/OWNER/NAME/REF/PATH``: as it is.

The copy is written byte for byte. The ``[[list]]`` table is appended to sources.toml as
text, so the file's comments and layout stay; removing one cuts out just its table.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.catalog import SourceList, load_catalog
from pipeline.config import Settings
from pipeline.errors import ServiceError, SourceError, UsageError
from pipeline.ids import github
from pipeline.ids.github import RawFile
from pipeline.ids.urls import remap as remap_url
from pipeline.models import StageReport
from pipeline.scrape import decode_list
from pipeline.scrape.drift import looks_like_html
from pipeline.scrape.markdown import clean_title, parse_list
from pipeline.scrape.sources import _fetch
from pipeline.store import atomic_write_bytes, atomic_write_text
from pipeline.transport.sessions import requests_session

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_HEADER = re.compile(r"^\s*\[")
_LIST_HEADER = re.compile(r"^\s*\[\[\s*list\s*\]\]\s*(#.*)?$")
_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)(\s+#+\s*)?$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HTML_TAG = re.compile(r"<[^>]*>")


def github_origin(url: str) -> RawFile:
    """The raw URL and repository a list URL stands for (module docstring)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise UsageError(f"{url}: not an http(s) URL or an existing file")
    try:
        found = github.repo_file(url)
    except ValueError as exc:
        raise UsageError(f"{url}: {exc}") from None
    if found is not None:
        return found
    path = [p for p in parts.path.split("/") if p]
    return RawFile(url.strip(), "", path[-1] if path else parts.netloc.lower())


def first_heading(text: str) -> str:
    """The list's first heading (ATX ``# Title`` or setext), as plain text; "" when none."""
    lines = text.splitlines()
    fence = False
    for number, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if fence:
            continue
        match = _HEADING.match(line)
        title = match.group(1) if match else ""
        if (
            not match
            and number + 1 < len(lines)
            and line.strip()
            and _SETEXT.match(lines[number + 1])
        ):
            title = line.strip()
        if title:
            # badges are images: dropped; links keep their text
            title = _MD_LINK.sub(r"\1", _MD_IMAGE.sub("", _HTML_TAG.sub("", title)))
            title = clean_title(title.replace("**", "").replace("__", "").replace("`", ""))
            if title:
                return title
    return ""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")


def toml_string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, for the characters a title holds)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c >= " " and c != "\x7f" else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


def _table(item: SourceList) -> str:
    rows = [("id", item.id), ("file", item.file), ("title", item.title)]
    rows += [("repo", item.repo), ("raw_url", item.raw_url)]
    body = "".join(f"{key} = {toml_string(value)}\n" for key, value in rows if value)
    return "[[list]]\n" + body


def _download(settings: Settings, url: str) -> bytes:
    if settings.offline:
        raise UsageError(f"{url}: downloading a list needs the network; run without --offline")
    fetched = remap_url(url, settings.remap)
    session = requests_session(settings)
    try:
        return _fetch(session, fetched, settings, [0])
    except ServiceError as exc:
        # name the URL as the user gave it, not where a remap sent it
        why = str(exc).removeprefix(f"{exc.service}: ").replace(f"{fetched}: ", "")
        raise UsageError(f"{url}: cannot download the list: {why}") from None
    finally:
        session.close()


README_NAMES = ("README.md", "readme.md", "Readme.md", "README.markdown")
"""A repository's README as raw.githubusercontent.com spells it (names there are
case-sensitive): tried in this order when a repository URL is given."""


def _download_origin(settings: Settings, origin: RawFile) -> tuple[RawFile, bytes]:
    """The list's bytes; for a repository URL, its README under the first of README_NAMES
    that exists (the file returned names the one found)."""
    if not origin.readme:
        return origin, _download(settings, origin.raw_url)
    prefix = origin.raw_url.removesuffix(origin.name)
    for name in README_NAMES:
        candidate = RawFile(prefix + name, origin.repo, name)
        try:
            return candidate, _download(settings, candidate.raw_url)
        except UsageError as exc:
            if not str(exc).endswith("HTTP 404"):
                raise
    others = ", ".join(README_NAMES[1:])
    raise UsageError(
        f"{prefix}{README_NAMES[0]}: cannot download the list: HTTP 404 "
        f"(nor {others}): no README in {origin.repo} on its default branch"
    )


def add_list(
    settings: Settings,
    source: str,
    *,
    list_id: str | None = None,
    repo: str | None = None,
    title: str | None = None,
) -> StageReport:
    """Copy a list (file or URL) into ``sources/``, add its ``[[list]]``, scrape it once."""
    catalog_path = settings.sources_toml
    if not catalog_path.exists():
        raise UsageError(f"{catalog_path}: not found; run `pipeline init` first (or give --root)")
    existing = load_catalog(catalog_path) if _has_lists(catalog_path) else []
    if repo is not None and github.RepoName.parse(repo) is None:
        raise UsageError(f"--repo {repo!r}: expected OWNER/NAME")
    origin, data, where = _read_source(settings, source, repo)
    name, file = _new_name(catalog_path, existing, origin, list_id)
    text = decode_list(data, f"sources/{file}")
    item = SourceList(
        id=name,
        file=file,
        title=title or first_heading(text.text) or (origin.repo.split("/")[-1] or name),
        repo=origin.repo,
        raw_url=origin.raw_url,
    )
    parsed = parse_list(text.text, source=item.id, file=item.relpath)
    entries = [e for e in parsed.entries if e.line not in text.bad_lines]
    _append_list(catalog_path, item, data)
    return _added_report(item, data, where, len(entries), text.warnings + parsed.warnings)


def _read_source(settings: Settings, source: str, repo: str | None) -> tuple[RawFile, bytes, str]:
    """The list's origin, its bytes and where they came from (a file or a URL), refused
    when empty or an HTML page."""
    given = Path(source).expanduser()
    if given.is_file():
        try:
            data = given.read_bytes()
        except OSError as exc:
            raise UsageError(f"{given}: cannot read: {exc.strerror or exc}") from None
        upstream = repo or ""
        origin = RawFile(
            github.raw_url(upstream, github.README_REF, "README.md") if upstream else "",
            upstream,
            given.name,
        )
        where = str(given)
    else:
        if given.exists():
            raise UsageError(f"{given}: not a file")
        origin, data = _download_origin(settings, github_origin(source))
        where = origin.raw_url
    if repo:
        origin = RawFile(origin.raw_url, repo, origin.name)
    if not data.strip():
        raise UsageError(f"{where}: empty, not a markdown list")
    if looks_like_html(data):
        raise UsageError(f"{where}: an HTML page, not a markdown list (give the raw file)")
    return origin, data, where


def _new_name(
    catalog_path: Path, existing: list[SourceList], origin: RawFile, list_id: str | None
) -> tuple[str, str]:
    """The new list's id and file name, refused when either is taken or the id is not one."""
    name = list_id or _slug(origin.repo.split("/")[-1] if origin.repo else Path(origin.name).stem)
    if not name or not _ID.fullmatch(name):
        raise UsageError(
            f"--id {name!r}: use letters, digits, '.', '_' or '-' (starting with a letter or digit)"
        )
    if any(item.id == name for item in existing):
        raise UsageError(f"{catalog_path}: a list with id {name!r} exists already")
    file = f"{name}.md"
    target = catalog_path.parent / file
    if target.exists() or any(item.file == file for item in existing):
        raise UsageError(f"{target}: exists already; choose another --id")
    return name, file


def _append_list(catalog_path: Path, item: SourceList, data: bytes) -> None:
    """Write the copy, then append its ``[[list]]`` table to sources.toml."""
    old = catalog_path.read_text(encoding="utf-8")
    separator = "" if not old or old.endswith("\n\n") else ("\n" if old.endswith("\n") else "\n\n")
    updated = old + separator + _table(item)
    # what will be written must read back as the catalog plus this list, before anything is
    tables = tomllib.loads(updated).get("list", [])
    if not tables or tables[-1].get("id") != item.id:
        raise SourceError(str(catalog_path), "cannot append a [[list]] table to this file")
    # The copy first, then the table: a failure in between leaves an unlisted file, never
    # a table naming a file that is not there.
    atomic_write_bytes(catalog_path.parent / item.file, data)
    atomic_write_text(catalog_path, updated)


def _added_report(
    item: SourceList, data: bytes, where: str, entries: int, warnings: list[str]
) -> StageReport:
    report = StageReport(stage="sources", problems=0 if entries else 1)
    report.counts = {"entries": entries, "warnings": len(warnings)}
    report.lines = [
        f"added {item.id}: {item.relpath} ({len(data):,} bytes) from {where}",
        f"  title:   {item.title}",
        f"  repo:    {item.repo or '(none; give --repo OWNER/NAME)'}",
        f"  raw_url: {item.raw_url or '(none: `pipeline sources update` leaves it as it is)'}",
        f"  scrape:  {entries} entries, {len(warnings)} warnings",
        *(f"    {w}" for w in warnings),
    ]
    if not entries:
        report.lines.append("  no entries found: is this a list of papers the scraper can read?")
    return report


def _has_lists(path: Path) -> bool:
    """Whether sources.toml holds any [[list]] yet (a fresh `pipeline init` has none)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True  # let load_catalog name the problem
    return bool(data.get("list"))


def remove_list(settings: Settings, list_id: str, *, keep_file: bool = False) -> StageReport:
    """Cut the ``[[list]]`` with ``list_id`` out of sources.toml and delete its copy."""
    path = settings.sources_toml
    catalog = load_catalog(path)
    item = next((i for i in catalog if i.id == list_id), None)
    if item is None:
        known = ", ".join(i.id for i in catalog)
        raise UsageError(f"{path}: no list with id {list_id!r} (known: {known})")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start, end = _table_span(lines, list_id, str(path))
    kept = lines[:start] + lines[end:]
    atomic_write_text(path, "".join(kept))
    report = StageReport(stage="sources")
    report.lines.append(f"removed {item.id} from {path.name}")
    remaining = load_catalog(path) if _has_lists(path) else []
    copy = item.path(settings.root)
    if not keep_file and copy.exists() and all(i.file != item.file for i in remaining):
        copy.unlink()
        report.lines.append(f"deleted {item.relpath} (git keeps its history)")
    report.lines.append("run `pipeline refresh` to rebuild output/ without it")
    return report


def _table_span(lines: list[str], list_id: str, where: str) -> tuple[int, int]:
    """Lines [start, end) of the ``[[list]]`` table whose id is ``list_id``: from its header
    to the next table, less the comments and blank lines that lead into the next one."""
    headers = [n for n, line in enumerate(lines) if _HEADER.match(line)]
    for index, start in enumerate(headers):
        if not _LIST_HEADER.match(lines[start]):
            continue
        end = headers[index + 1] if index + 1 < len(headers) else len(lines)
        try:
            table = tomllib.loads("".join(lines[start + 1 : end]))
        except tomllib.TOMLDecodeError:
            continue
        if table.get("id") != list_id:
            continue
        while end > start + 1 and (
            not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")
        ):
            end -= 1
        # its own blank lines after it go too, so the file keeps one blank between tables
        while end < len(lines) and not lines[end].strip():
            end += 1
        while start > 0 and not lines[start - 1].strip() and end >= len(lines):
            start -= 1
        return start, end
    raise SourceError(where, f"cannot find the [[list]] table of {list_id!r} to cut out")
