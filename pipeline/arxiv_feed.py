"""arXiv's export API as both stages ask it (resolve for records, check for links): the
``id_list`` query, its pace and its Atom feed read into :class:`Entry` values.

* One request every ``arxiv_delay_seconds`` (3: "make no more than one request every three
  seconds", https://info.arxiv.org/help/api/tou.html); up to :data:`BATCH` ids a request.
* The feed (https://info.arxiv.org/help/api/user-manual.html) must be about the ids asked:
  :func:`feed_check` says what is wrong with one that is not (an entry for an id not in the
  query's ``id_list``, or no arXiv record at all).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlencode, urlsplit

from pipeline.config import Settings
from pipeline.ids import arxiv as ids

BATCH = 100
"""Ids per ``id_list`` query: the API's page size for one request."""

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


def per_second(settings: Settings) -> float:
    """Requests a second the API may be sent (0: not paced)."""
    delay = settings.arxiv_delay_seconds
    return 1.0 / delay if delay > 0 else 0.0


def query_url(endpoint: str, id_list: Sequence[str], start: int = 0, size: int = BATCH) -> str:
    """The query URL (parameters in the order arXiv's documentation gives them)."""
    args = {
        "search_query": "",
        "id_list": ",".join(id_list),
        "sortBy": "relevance",
        "sortOrder": "descending",
        "start": str(start),
        "max_results": str(size),
    }
    return f"{endpoint}?{urlencode(args)}"


def feed_check(
    url: str, known: AbstractSet[str] = frozenset()
) -> Callable[[bytes], str | None] | None:
    """The check of an ``id_list`` query's feed: every entry must be one of the ids asked, and
    a feed without entries is no answer when an asked id is ``known`` (canonical ids arXiv
    verified before)."""
    raw = parse_qs(urlsplit(url).query).get("id_list", [""])[0]
    wanted = {ids.canonical(i) for i in raw.split(",") if i.strip()}
    if not wanted:
        return None
    existing = sorted(wanted & known)

    def check(body: bytes) -> str | None:
        entries = list(ET.fromstring(body).iter(f"{ATOM}entry"))
        if not entries and existing:
            return f"no entry at all, yet arXiv had {', '.join(existing[:3])} before"
        for node in entries:
            entry_id = (node.findtext(f"{ATOM}id") or "").strip()
            short_id = ids.from_entry_id(entry_id)
            if short_id is None:
                return f"an entry that is no arXiv record ({entry_id!r})"
            got = ids.canonical(short_id)
            if got not in wanted:
                return f"an entry for {got}, which was not asked for"
        return None

    return check


@dataclass(frozen=True)
class Entry:
    """One arXiv record as a feed gives it."""

    entry_id: str
    title: str
    authors: tuple[str, ...]
    published: datetime
    doi: str | None = None
    journal_ref: str | None = None

    @property
    def short_id(self) -> str:
        """``2107.05580v1`` / ``quant-ph/0201082v1``: the id with its version."""
        short_id = ids.from_entry_id(self.entry_id)
        return self.entry_id if short_id is None else short_id


@dataclass(frozen=True)
class Page:
    """One feed page: its entries and the total the query has."""

    entries: list[Entry]
    total: int


def _text(node: ET.Element | None, path: str) -> str | None:
    found = node.find(path) if node is not None else None
    return found.text if found is not None else None


def _when(text: str | None) -> datetime | None:
    if text is None:
        return None
    when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def _entry(node: ET.Element) -> Entry | None:
    """An ``<entry>``, or None without an id or dates (a feed's error entry)."""
    entry_id = _text(node, f"{ATOM}id")
    published = _when(_text(node, f"{ATOM}published"))
    if not entry_id or published is None or _when(_text(node, f"{ATOM}updated")) is None:
        return None
    return Entry(
        entry_id=entry_id,
        title=re.sub(r"\s+", " ", _text(node, f"{ATOM}title") or ""),
        authors=tuple(
            _text(author, f"{ATOM}name") or "" for author in node.iterfind(f"{ATOM}author")
        ),
        published=published,
        doi=_text(node, f"{ARXIV}doi"),
        journal_ref=_text(node, f"{ARXIV}journal_ref"),
    )


def parse_page(body: bytes) -> Page:
    """A feed page (the caller has checked it is an Atom feed)."""
    root = ET.fromstring(body)
    total = (_text(root, f"{OPENSEARCH}totalResults") or "0").strip()
    entries = [e for e in map(_entry, root.iterfind(f"{ATOM}entry")) if e is not None]
    return Page(entries, int(total) if total.isdigit() else 0)
