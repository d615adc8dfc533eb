"""``output/papers.json``: a CSL-JSON array (schema: ../shared/schemas/csl-data.json).

Items are in key order; each ``id`` is the BibTeX key and ``custom`` carries what CSL has no
field for (arxiv, github, stars, sources, resolved_by, confidence, work_id, verified).
It is also the last-known-good store the next run reads back (:func:`read_previous`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.emit.records import Record, from_item, to_item
from pipeline.store import dumps, read_json

log = logging.getLogger(__name__)


def render(records: Iterable[Record]) -> str:
    """The CSL-JSON text, one item per record, in key order."""
    return dumps([to_item(r) for r in sorted(records, key=lambda r: r.key)])


def read_previous(path: Path) -> dict[str, Record]:
    """The previous output's records by key; a damaged file is reported and ignored, since
    keys.json still keeps every key stable."""
    data: Any = read_json(path, default=[])
    if not isinstance(data, list):
        log.warning("%s: not a CSL-JSON array; previous metadata ignored", path)
        return {}
    records: dict[str, Record] = {}
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not item.get("id"):
            log.warning("%s: item %d has no id; ignored", path, number)
            continue
        record = from_item(item)
        records[record.key] = record
    return records
