"""output/feed.xml: valid Atom (RFC 4287), read by a real feed parser (feedparser), one entry
per work added, newest first, dated by the day it was first seen."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import feedparser

from pipeline.emit.feed import LIMIT
from tests.helpers.emit import make_project
from tests.helpers.numbers import emit_on, new_work, text, with_works

ATOM = "{http://www.w3.org/2005/Atom}"
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")


def parse(root: Path) -> Any:
    parsed = feedparser.parse(text(root, "feed.xml"))
    assert parsed.version == "atom10" and not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def rfc4287(root: Path) -> list[ET.Element]:
    """What RFC 4287 requires of a feed and its entries (section 4.1), checked on the XML
    itself; the entries."""
    feed = ET.fromstring((root / "output" / "feed.xml").read_bytes())
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert DATE_TIME.match(feed.findtext(f"{ATOM}updated") or "")
    entries = feed.findall(f"{ATOM}entry")
    has_author = feed.find(f"{ATOM}author/{ATOM}name") is not None
    ids = []
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert DATE_TIME.match(entry.findtext(f"{ATOM}updated") or "")
        assert has_author or entry.find(f"{ATOM}author/{ATOM}name") is not None
        alternate = [
            link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "alternate"
        ]
        assert entry.find(f"{ATOM}content") is not None or alternate
        ids.append(entry.findtext(f"{ATOM}id") or "")
    assert all(i.startswith("urn:uuid:") for i in ids) and len(set(ids)) == len(ids)
    return entries


def test_the_feed_holds_the_works_each_run_added(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    emit_on(root, "2026-01-05")  # every work was there before dates were recorded
    assert parse(root).entries == [] and rfc4287(root) == []
    with_works(root, new_work(1), new_work(2))
    emit_on(root, "2026-01-12")
    first = parse(root)
    assert sorted(e.title for e in first.entries) == [
        "Added work 1 on remote sensing image captioning",
        "Added work 2 on remote sensing image captioning",
    ]
    assert {e.updated for e in first.entries} == {"2026-01-12T00:00:00Z"}
    assert all(
        e.link == f"https://arxiv.org/abs/2402.0000{n}"
        for n, e in enumerate(sorted(first.entries, key=lambda e: e.title), start=1)
    )
    with_works(root, new_work(1), new_work(2), new_work(3))
    emit_on(root, "2026-01-19")
    second = parse(root)
    titles = [e.title for e in second.entries]
    assert titles[0] == "Added work 3 on remote sensing image captioning"  # newest first
    assert len(titles) == 3 and second.feed.updated == "2026-01-19T00:00:00Z"
    # an entry keeps its id from run to run
    ids = {e.title: e.id for e in first.entries}
    assert all(ids[e.title] == e.id for e in second.entries if e.title in ids)
    entry = second.entries[0]
    assert entry.published == entry.updated == "2026-01-19T00:00:00Z"
    assert "Citation key: zhang2024added" in entry.content[0].value
    assert [t.term for t in entry.tags] == ["rs-vlm"] and entry.authors[0].name == "Wei Zhang"
    rfc4287(root)
    # the feed is linked from the README
    assert "[feed.xml](feed.xml)" in text(root, "README.md")


def test_the_feed_keeps_the_newest_works_and_any_title(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    emit_on(root, "2026-01-05")
    hostile = new_work(LIMIT + 7)
    hostile["work"]["title"] = hostile["csl"]["title"] = (
        "Aardvark <script>alert(1)</script> & ]]> \x0b Ünïcødé 🚀 \"quotes\" 'apostrophes'"
    )
    works = [new_work(n) for n in range(1, LIMIT + 6)] + [hostile]
    with_works(root, *works)
    emit_on(root, "2026-01-12")
    parsed = parse(root)
    assert len(parsed.entries) == LIMIT == len(rfc4287(root))
    titles = {e.title for e in parsed.entries}
    assert "Aardvark <script>alert(1)</script> & ]]> Ünïcødé 🚀 \"quotes\" 'apostrophes'" in {
        " ".join(t.split()) for t in titles
    }
