"""``output/feed.xml``: an Atom feed (RFC 4287) of the works added, newest first.

One entry per work the lists hold, dated by the day it was first seen (``Record.first_seen``),
the newest :data:`LIMIT` of them. Works dated by the first run that recorded dates (the
baseline: they were listed before dates were kept) are not entries: they were not added then,
and a feed reader would otherwise be handed the whole bibliography at once.

Everything in it comes from the works and their dates, never from a clock: the feed's
``updated`` is its newest work's day, so a run that adds nothing rewrites nothing. Ids are
``urn:uuid:`` names (RFC 4122, version 5) of the citation key and its first-seen day, so an
entry keeps its id for ever (keys never change).
"""

from __future__ import annotations

import uuid

from pipeline import PROJECT_URL
from pipeline.emit.inputs import EmitInput
from pipeline.emit.records import Record, best_url
from pipeline.emit.xmltext import xml_attr, xml_text
from pipeline.models import ResolvedWork

LIMIT = 100
"""Entries at most: the newest works."""
ATOM = "http://www.w3.org/2005/Atom"
GENERATOR = PROJECT_URL
_NAMESPACE = uuid.UUID("6f2c7d3e-2b1a-5a41-9c53-8f0d2a7f9e11")
"""Our own namespace for the version-5 ids (any fixed UUID will do; this one never changes)."""


def _urn(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, name)}"


def _stamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def added(data: EmitInput) -> list[tuple[Record, ResolvedWork]]:
    """The works of the feed: first seen after the baseline, newest first (then by key)."""
    works = [
        (record, rw)
        for record, rw in data.current
        if record.first_seen and record.first_seen != data.dated_since
    ]
    works.sort(key=lambda x: x[0].key)
    return sorted(works, key=lambda x: x[0].first_seen, reverse=True)[:LIMIT]


def _link(record: Record, rw: ResolvedWork) -> str:
    """Where the entry links: the DOI or arXiv page, else the list's own paper link."""
    if record.doi or record.arxiv:
        return best_url(record)
    papers = [link.url for link in rw.work.links if link.role == "paper"]
    links = [link.url for link in rw.work.links]
    return record.url or next(iter(papers + links), "") or best_url(record)


def _summary(record: Record, rw: ResolvedWork, cited: bool) -> str:
    names = [n.display for n in record.authors]
    authors = ", ".join(names[:6]) + (" et al." if len(names) > 6 else "")
    venue = record.container or ("arXiv" if record.arxiv else "")
    where = " ".join(x for x in (venue, str(record.year or "")) if x)
    places = []
    for place in rw.work.places:
        label = " › ".join([place.source, *place.section[-1:]])
        if label not in places:
            places.append(label)
    parts = [authors, where, "Listed in " + "; ".join(places) if places else ""]
    parts.append(f"Citation key: {record.key}" if cited else "Not cited (software or resource)")
    return ". ".join(p for p in parts if p) + "."


def _entry(record: Record, rw: ResolvedWork, cited: bool) -> list[str]:
    out = [
        "  <entry>",
        f"    <id>{_urn(record.key + ' ' + record.first_seen)}</id>",
        f'    <title type="text">{xml_text(record.title)}</title>',
        f"    <updated>{_stamp(record.first_seen)}</updated>",
        f"    <published>{_stamp(record.first_seen)}</published>",
    ]
    out += [f"    <author><name>{xml_text(n.display)}</name></author>" for n in record.authors[:20]]
    link = _link(record, rw)
    if link:
        out.append(f'    <link rel="alternate" href={xml_attr(link)}/>')
    for source in record.sources or sorted({p.source for p in rw.work.places}):
        out.append(f"    <category term={xml_attr(source)}/>")
    out.append(f'    <content type="text">{xml_text(_summary(record, rw, cited))}</content>')
    return [*out, "  </entry>"]


def render(data: EmitInput, title: str) -> str:
    """The feed's text; ``title`` is the README's."""
    works = added(data)
    days = [r.first_seen for r, _ in data.current if r.first_seen]
    updated = max(days, default=data.dated_since or data.run_date.isoformat())
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM}">',
        f"  <id>{_urn('feed ' + title)}</id>",
        f'  <title type="text">{xml_text(title)}: works added</title>',
        f'  <subtitle type="text">{xml_text(_subtitle(len(works)))}</subtitle>',
        f"  <updated>{_stamp(updated)}</updated>",
        f"  <author><name>{xml_text(title)}</name></author>",
        f'  <generator uri="{GENERATOR}">rs-vlm-bibliography</generator>',
        '  <link rel="self" href="feed.xml"/>',
        '  <link rel="alternate" type="text/markdown" href="README.md"/>',
    ]
    for record, rw in works:
        out += _entry(record, rw, data.cited(record))
    return "\n".join([*out, "</feed>", ""])


def _subtitle(count: int) -> str:
    return (
        f"The {count} newest works the lists added, each dated by the day it was first seen "
        f"(at most {LIMIT}; works listed before dates were recorded are not entries)."
    )
