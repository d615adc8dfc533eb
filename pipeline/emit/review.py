"""``output/review.json`` and the "List errors" part of ``output/link-report.md``.

Findings come from ``build/findings.json`` (scrape's and resolve's: links naming another
paper, ids shared by different papers, disagreements) and from emit itself (works merged as
one paper). Each says where (``file:line``), what the list says, what the registry says and,
where the right link is known with confidence, the fix. Sorted by (list, line, kind), so the
same findings give the same bytes.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.emit.fixes import fixable
from pipeline.emit.markdown import md_link, md_text
from pipeline.models import Finding, to_json
from pipeline.store import dumps, read_json

log = logging.getLogger(__name__)

KINDS = (
    "wrong-paper-link",
    "shared-id",
    "two-papers",
    "merged-by-title",
    "not-read",
    "duplicate-merged",
    "disagreement",
)
"""The kinds, in the order the report and the summary name them."""


def read_findings(path: Path) -> list[Finding]:
    """The findings of scrape and resolve (none when resolve has not written any)."""
    data: Any = read_json(path, default=[])
    out: list[Finding] = []
    for number, item in enumerate(data if isinstance(data, list) else [], start=1):
        try:
            out.append(Finding.from_json(item))
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("%s: item %d is not a finding (%r); skipped", path, number, exc)
    return out


def ordered(findings: list[Finding]) -> list[Finding]:
    """Sorted by (list, line, kind), then work and message, duplicates dropped."""
    seen: dict[str, Finding] = {}
    for finding in findings:
        seen.setdefault(dumps(to_json(finding)), finding)
    return sorted(seen.values(), key=Finding.sort_key)


def render_json(findings: list[Finding]) -> str:
    """``output/review.json``."""
    return dumps({"findings": to_json(ordered(findings))})


def with_fix(findings: list[Finding]) -> list[dict[str, Any]]:
    """The findings that carry a fix, as review.json holds them (for the lists' patches)."""
    return fixable(to_json(ordered(findings)))


def counts(findings: list[Finding]) -> dict[str, int]:
    """Findings by kind, every known kind named (0 when none)."""
    found = Counter(f.kind for f in findings)
    return {kind: found.get(kind, 0) for kind in KINDS} | {
        k: n for k, n in sorted(found.items()) if k not in KINDS
    }


def _says(values: dict[str, Any]) -> str:
    parts = [f"{k}: {v}" for k, v in values.items() if v not in (None, "", [])]
    return md_text("; ".join(parts), 400) or "—"


def _fix(finding: Finding) -> str:
    if finding.fix:
        return f"{md_link(finding.fix['old'], finding.fix['old'])} → " + md_link(
            finding.fix["new"], finding.fix["new"]
        )
    return md_text(finding.message, 400)


def report_rows(findings: list[Finding], source: str) -> list[str]:
    """The "List errors" table of one list (empty when it has none)."""
    mine = [f for f in ordered(findings) if f.source == source]
    if not mine:
        return []
    out = [
        "",
        "### List errors",
        "",
        "| where | kind | the list says | the registry says | fix |",
        "| --- | --- | --- | --- | --- |",
    ]
    for f in mine:
        place = f"`{f.file.replace('`', '')}:{f.line}`"
        out.append(
            f"| {place} | {md_text(f.kind)} | {_says(f.list_says)} | "
            f"{_says(f.registry_says)} | {_fix(f)} |"
        )
    return out
