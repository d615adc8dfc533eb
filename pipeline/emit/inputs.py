"""What the README and the link report are rendered from, gathered once by the stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pipeline.catalog import SourceList
from pipeline.clock import today
from pipeline.config import EmitSettings, ReadmeSettings
from pipeline.emit.records import Record
from pipeline.models import Finding, Kind, LinkReport, ResolvedWork


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
    readme: ReadmeSettings = field(default_factory=ReadmeSettings)
    emit: EmitSettings = field(default_factory=EmitSettings)
    run_date: date = field(default_factory=today)
    """The run's date (``Settings.run_date``): "new this week", silent repositories."""
    dated_since: str = ""
    """The first run that recorded first-seen dates (``KeyMap.baseline``): its works are not
    "new" (they were listed before dates were kept)."""
    charts: list[str] = field(default_factory=list)
    """File names of the charts in ``output/site/`` (:mod:`pipeline.emit.charts`)."""

    def __post_init__(self) -> None:
        # The list's "other" (a video, a blog post) is known only from the work; a record's
        # type says the rest (a service may know a listed "paper" is a dataset).
        self._kinds: dict[str, Kind] = {
            r.key: "other" if rw.work.kind == "other" else r.kind for r, rw in self.current
        }

    def kind(self, record: Record) -> Kind:
        """What a record is (a retained record: what its type says)."""
        return self._kinds.get(record.key, record.kind)

    def cited(self, record: Record) -> bool:
        """Whether the record goes to papers.bib and papers.json (``[emit] cite_kinds``)."""
        return self.kind(record) in self.emit.cite_kinds
