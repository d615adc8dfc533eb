"""The scrape stage: source lists → build/entries.json and build/works.json.

Never reaches the network. Every file is read before anything is written, so a missing or
unreadable list stops the run (exit 2) with build/ untouched.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.catalog import SourceList, load_catalog
from pipeline.config import Settings
from pipeline.errors import InputError, SourceError
from pipeline.models import KIND_NAMES, Entry, Finding, StageReport, Work
from pipeline.scrape.kinds import wanted
from pipeline.scrape.markdown import Parsed, parse_list
from pipeline.scrape.merge import merge_with_findings
from pipeline.scrape.unread import unread_findings
from pipeline.store import write_json

__all__ = ["Decoded", "ScrapeResult", "decode_list", "run_scrape", "scrape_files"]

log = logging.getLogger("pipeline.scrape")


@dataclass
class ScrapeResult:
    entries: list[Entry]
    works: list[Work]
    warnings: list[str]
    per_list: dict[str, int]
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Decoded:
    """A list's text; ``bad_lines`` (1-based) were not UTF-8: their bad bytes are replaced so
    that tables and items around them keep their shape, and entries starting there are
    skipped."""

    text: str
    warnings: list[str]
    bad_lines: frozenset[int] = frozenset()


def decode_list(data: bytes, file: str) -> Decoded:
    """Decode a list as UTF-8 (BOM allowed), line by line when the whole does not decode."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return Decoded(data.decode("utf-8"), [])
    except UnicodeDecodeError:
        pass
    warnings: list[str] = []
    bad: set[int] = set()
    lines: list[str] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            warnings.append(
                f"{file}:{number}: not UTF-8 (byte 0x{raw[exc.start]:02x} at column "
                f"{exc.start + 1}); line skipped"
            )
            bad.add(number)
            lines.append(raw.decode("utf-8", errors="replace"))
    return Decoded("\n".join(lines), warnings, frozenset(bad))


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _targets(settings: Settings, files: list[Path] | None) -> list[tuple[str, Path]]:
    """(list id, path) for every list to read."""
    root = settings.root
    if files is None:
        return [(s.id, s.path(root)) for s in load_catalog(settings.sources_toml)]
    try:
        catalog: list[SourceList] = load_catalog(settings.sources_toml)
    except InputError:
        catalog = []  # explicit FILES do not need a catalog; ids then come from file names
    by_path = {s.path(root).resolve(): s.id for s in catalog}
    targets: list[tuple[str, Path]] = []
    for given in files:
        path = given
        if not path.is_absolute() and not path.exists() and (root / path).exists():
            path = root / path
        targets.append((by_path.get(path.resolve(), path.stem), path))
    return targets


def scrape_files(settings: Settings, files: list[Path] | None = None) -> ScrapeResult:
    """Read and merge the lists without writing anything."""
    texts: list[tuple[str, str, Decoded]] = []
    for source, path in _targets(settings, files):
        rel = _relative(path, settings.root)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise SourceError(rel, "list file not found") from None
        except IsADirectoryError:
            raise SourceError(rel, "is a directory, not a list file") from None
        except OSError as exc:
            raise SourceError(rel, f"cannot read: {exc.strerror or exc}") from None
        texts.append((source, rel, decode_list(data, rel)))

    entries: list[Entry] = []
    warnings: list[str] = []
    per_list: dict[str, int] = {}
    noted: list[tuple[Entry, Finding]] = []
    unread: list[Finding] = []
    for source, rel, decoded in texts:
        parsed: Parsed = parse_list(decoded.text, source=source, file=rel)
        kept = [e for e in parsed.entries if e.line not in decoded.bad_lines]
        left_out = [e for e in kept if not wanted(e.section, settings.scrape)]
        kept = [e for e in kept if wanted(e.section, settings.scrape)]
        entries.extend(kept)
        noted += [(e, f) for e, f in parsed.findings if e.line not in decoded.bad_lines]
        reported = {
            f"{k}:{v}" for _, f in parsed.findings for k, v in f.list_says.items() if k != "title"
        }
        unread += unread_findings(
            decoded.text, source=source, file=rel, entries=kept + left_out, known=reported
        )
        per_list[source] = per_list.get(source, 0) + len(kept)
        warnings.extend(decoded.warnings + parsed.warnings)
    works, findings = merge_with_findings(entries)
    findings += _placed(noted, works) + unread
    return ScrapeResult(entries, works, warnings, per_list, findings)


def _placed(noted: list[tuple[Entry, Finding]], works: list[Work]) -> list[Finding]:
    """The entries' own findings with their work's id; a second paper a row links is no
    finding when another row put it on a work."""
    work_of = {(p.file, p.line): w.id for w in works for p in w.places}
    listed = {
        f"{kind}:{value}"
        for w in works
        for kind in ("arxiv", "doi", "ieee")
        if (value := getattr(w.ids, kind))
    }
    out: list[Finding] = []
    for entry, finding in noted:
        if finding.kind == "two-papers" and all(
            f"{k}:{v}" in listed for k, v in finding.list_says.items() if k != "title"
        ):
            continue
        finding.work_id = work_of.get((entry.file, entry.line), "")
        out.append(finding)
    return out


def run_scrape(settings: Settings, files: list[Path] | None) -> StageReport:
    """``pipeline scrape``: write build/entries.json and build/works.json."""
    started = time.monotonic()
    result = scrape_files(settings, files)
    for warning in result.warnings:
        log.warning("%s", warning)
    write_json(settings.build_dir / "entries.json", result.entries)
    write_json(settings.build_dir / "works.json", result.works)
    write_json(settings.build_dir / "scrape-findings.json", result.findings)
    lists = ", ".join(f"{name} {count}" for name, count in result.per_list.items())
    kinds = Counter(w.kind for w in result.works)
    by_kind = ", ".join(f"{kinds[k]} {k}" for k in KIND_NAMES if kinds[k])
    return StageReport(
        stage="scrape",
        counts={
            "entries": len(result.entries),
            "works": len(result.works),
            "lists": len(result.per_list),
            "warnings": len(result.warnings),
            "findings": len(result.findings),
        }
        | {f"works {k}": kinds[k] for k in KIND_NAMES},
        seconds=time.monotonic() - started,
        lines=[
            f"scrape: {len(result.entries)} entries from {len(result.per_list)} lists "
            f"({lists}) → {len(result.works)} works ({by_kind}); "
            f"{len(result.warnings)} warnings"
            + (f"; {len(result.findings)} findings for review" if result.findings else ""),
        ],
    )
