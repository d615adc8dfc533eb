"""``output/fixes/``: the patches written on every emit, and ``pipeline fix`` reading them.

Each list with something to fix has ``<id>.patch`` (against ``sources/<file>``) and, when its
upstream file is known, ``<id>.upstream.patch`` (against that file in the list's repository);
a list with nothing to fix has neither (a stale one is removed). Unchanged patches are not
rewritten, so a run that finds nothing new changes no byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.catalog import SourceList
from pipeline.config import Settings
from pipeline.emit.fixes import ListFixes, list_fixes, read_entries, read_review, url_fixes
from pipeline.emit.patch import apply_patch, read_hunks
from pipeline.errors import InputError, UsageError
from pipeline.models import LinkReport, StageReport
from pipeline.store import atomic_write_bytes

_REASON = re.compile(r"^\S+:(\d+): ")


def fixes_dir(settings: Settings) -> Path:
    return settings.output_dir / "fixes"


@dataclass
class Written:
    """What :func:`write_fixes` did: files changed, and changes per list id."""

    files: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    upstream: set[str] = field(default_factory=set)


def write_fixes(
    settings: Settings,
    sources: list[SourceList],
    links: LinkReport,
    review: list[dict[str, Any]] | None = None,
) -> Written:
    """Write (or remove) every list's patches; without ``build/entries.json`` (scrape not run)
    the folder is left as it is. ``review``: the findings with a fix (review.json's shape) of
    this emit; None reads them from ``output/review.json``."""
    folder = fixes_dir(settings)
    spots = read_entries(settings.build_dir / "entries.json")
    if spots is None:
        counts = _existing_counts(folder, sources)
        upstream = {i for i in counts if (folder / f"{i}.upstream.patch").is_file()}
        return Written(counts=counts, upstream=upstream)
    fixes = url_fixes(links)
    if review is None:
        review = read_review(settings.output_dir / "review.json")
    done = Written()
    keep: set[str] = set()
    for source in sources:
        path = source.path(settings.root)
        if not path.is_file():
            continue
        found: ListFixes = list_fixes(
            source, path.read_bytes(), spots.get(source.relpath, []), fixes, review
        )
        for name, patch in ((f"{source.id}.patch", found.patch), _upstream(found)):
            if patch is not None:
                keep.add(name)
                done.files += atomic_write_bytes(folder / name, patch)
        if found.patch is not None:
            done.counts[source.id] = len(found.changes)
        if found.upstream is not None:
            done.upstream.add(source.id)
    done.files += _remove_stale(folder, keep)
    return done


def _upstream(found: ListFixes) -> tuple[str, bytes | None]:
    return f"{found.source.id}.upstream.patch", found.upstream


def _remove_stale(folder: Path, keep: set[str]) -> int:
    if not folder.is_dir():
        return 0
    removed = 0
    for path in sorted(folder.glob("*.patch")):
        if path.name not in keep:
            path.unlink()
            removed += 1
    if not any(folder.iterdir()):
        folder.rmdir()
    return removed


def reasons(patch: bytes) -> list[str]:
    """The ``file:line: kind → new (was old)`` lines at the head of a patch."""
    head = patch.split(b"\n--- ", 1)[0].decode("utf-8", "replace")
    return [line for line in head.splitlines() if _REASON.match(line)]


def _existing_counts(folder: Path, sources: list[SourceList]) -> dict[str, int]:
    counts = {}
    for source in sources:
        path = folder / f"{source.id}.patch"
        if path.is_file():
            counts[source.id] = len(reasons(path.read_bytes()))
    return counts


# -- pipeline fix ---------------------------------------------------------------------------


@dataclass
class FixRun:
    """What ``pipeline fix`` prints: the patches themselves (bytes, for a pipe into
    ``git apply``) and the report."""

    patches: list[bytes] = field(default_factory=list)
    report: StageReport = field(default_factory=lambda: StageReport(stage="fix"))


def _chosen(sources: list[SourceList], ids: tuple[str, ...]) -> list[SourceList]:
    known = {s.id: s for s in sources}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise UsageError(f"no such list: {', '.join(unknown)} (known: {', '.join(known)})")
    return [known[i] for i in ids] if ids else sources


def run_fix(
    settings: Settings, sources: list[SourceList], ids: tuple[str, ...], *, apply: bool
) -> FixRun:
    """Print (or apply to ``sources/``) the patches in ``output/fixes/``.

    An applied patch is removed with its upstream form: it is in the list now, and the next
    emit makes whatever is left to fix. A patch that no longer fits its list changes nothing
    (InputError, exit 2)."""
    run = FixRun()
    lines = run.report.lines
    folder = fixes_dir(settings)
    applied = 0
    for source in _chosen(sources, ids):
        path = folder / f"{source.id}.patch"
        if not path.is_file():
            lines.append(f"{source.id}: nothing to fix")
            continue
        patch = path.read_bytes()
        lines += reasons(patch)
        if not apply:
            run.patches.append(patch)
            continue
        target = source.path(settings.root)
        try:
            data = target.read_bytes()
        except OSError as exc:
            raise InputError(f"{target}: cannot read: {exc}") from None
        atomic_write_bytes(target, apply_patch(data, patch, str(path)))
        hunks = len(read_hunks(patch, str(path)))
        lines.append(f"{source.id}: applied {path.name} ({hunks} hunk(s)) to {source.relpath}")
        path.unlink()
        (folder / f"{source.id}.upstream.patch").unlink(missing_ok=True)
        applied += 1
    run.report.counts = {"applied": applied}
    return run
