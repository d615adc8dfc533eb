"""What the site's copy buttons copy: each cited work's BibTeX entry and CSL-JSON item,
exactly as ``papers.bib`` and ``papers.json`` hold them (the same renderers write them).

They are the bulk of the data and are needed only when a reader copies, so they are not in
``works.js`` but in ``cite/NN.js`` shards the page loads when a reader comes near a copy
button: the page and its works stay small however long the lists grow. A work's shard is
fixed by a hash of its citation key (keys never change), so a run that adds a work
rewrites one shard, not all of them.
"""

from __future__ import annotations

import hashlib
import json
import re

from pipeline.emit import bibtex
from pipeline.emit.records import Record, to_item
from pipeline.store import dumps

PER_SHARD = 500
"""Works per shard, about: 20,000 works make 64 shards of some 55 KB gzipped each."""


def bibtex_entries(records: list[Record]) -> dict[str, str]:
    """Each record's entry exactly as papers.bib has it: the same file rendered, cut at its
    entries (a value never holds a line break: :func:`pipeline.text.clean_text`)."""
    if not records:
        return {}
    blocks = re.split(r"\n\n(?=@)", bibtex.render(records).rstrip("\n"))
    entries = {}
    for block in blocks[1:]:
        match = re.match(r"@\w+\{([^,\s]+),\n", block)
        if match:
            entries[match.group(1)] = block + "\n"
    if not blocks[0].startswith("@preamble") or len(entries) != len(records):
        raise AssertionError("papers.bib's layout changed: its entries cannot be cut apart")
    return entries


def csl_text(record: Record) -> str:
    """The record's item as papers.json has it, as a CSL-JSON array of one (a file of its
    own when pasted)."""
    return dumps([to_item(record)])


def shard_count(works: int) -> int:
    """Shards for this many cited works: a power of two, so the count (and with it every
    work's shard) changes only when the lists double or halve."""
    count = 1
    while count * PER_SHARD < works:
        count *= 2
    return count


def shard_of(key: str, count: int) -> int:
    return int.from_bytes(hashlib.sha1(key.encode("utf-8")).digest()[:4], "big") % count


def shards(records: list[Record]) -> tuple[dict[str, int], list[str]]:
    """Each record's shard by key, and each shard's script (``cite/NN.js``)."""
    count = shard_count(len(records))
    where = {r.key: shard_of(r.key, count) for r in records}
    parts: list[dict[str, list[str]]] = [{} for _ in range(count)]
    bib = bibtex_entries(records)
    for record in sorted(records, key=lambda r: r.key):
        parts[where[record.key]][record.key] = [bib[record.key], csl_text(record)]
    return where, [_script(n, part) for n, part in enumerate(parts)]


def _script(number: int, part: dict[str, list[str]]) -> str:
    """A shard's script: one entry a line."""
    lines = ",\n".join(f"{script_json(k)}:{script_json(v)}" for k, v in part.items())
    return f"window.SITE_CITE({number}, {{\n{lines}\n}});\n"


def script_json(value: object) -> str:
    """Compact JSON to stand in a script, in ASCII: browsers read a one-byte script about
    twice as fast, and no character can end the script early (U+2028 did before ES2019)."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def name(number: int) -> str:
    """A shard's file name inside the site folder."""
    return f"cite/{number:03d}.js"
