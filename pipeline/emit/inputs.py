"""What the README and the link report are rendered from, gathered once by the stage."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.catalog import SourceList
from pipeline.emit.records import Record
from pipeline.models import Finding, LinkReport, ResolvedWork


@dataclass
class EmitInput:
    """Everything the README and the report are rendered from."""

    current: list[tuple[Record, ResolvedWork]]
    links: LinkReport
    previous_links: LinkReport
    sources: list[SourceList] = field(default_factory=list)
    removed: list[Record] = field(default_factory=list)
    """Records of the previous output whose work no list holds any more (not written)."""
    fixes: dict[str, int] = field(default_factory=dict)
    """List id → changes in its ``output/fixes/<id>.patch`` (lists with a patch only)."""
    upstream_fixes: set[str] = field(default_factory=set)
    """Lists whose patch has an upstream form (``<id>.upstream.patch``)."""
    findings: list[Finding] = field(default_factory=list)
