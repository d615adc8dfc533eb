"""arXiv's query API: ids in ``id_list`` batches of up to 100, one request per batch.

Requests go through the resolvers' :class:`~pipeline.resolve.fetch.Fetcher` (cache, breaker,
budget) and the transport's retries and pace: ``arxiv_delay_seconds`` (3 by the API's terms,
https://info.arxiv.org/help/api/tou.html) between requests that reach the network, a row of
:mod:`.rates` like any service's; an answer from the cache waits for nothing. The Atom feed
is read here (https://info.arxiv.org/help/api/user-manual.html),
into :class:`Entry` values: what the resolvers use of an arXiv record, nothing more.

A feed must be about the ids asked: an entry for an id not in the query's ``id_list`` makes the
whole answer a failed one (retried, never cached, arXiv reported degraded); an id the feed
omits is not found. Results are matched to works by id, never by position.

A feed with no entry at all is what arXiv answers when none of the ids exists
(``../shared/api-samples/arxiv/id_list_0000.0000_empty.atom.xml``), but never for an id it has:
so it is a failed answer when the batch holds an id arXiv verified in an earlier run
(``Context.arxiv_known``), and "not found" otherwise.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from pipeline.errors import FeedError
from pipeline.ids import arxiv as ids
from pipeline.ids.names import csl_name
from pipeline.models import Work
from pipeline.resolve.base import Context
from pipeline.resolve.fetch import Check, Fetcher

BATCH = 100
"""Ids per ``id_list`` query: the API's page size for one request."""

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


def arxiv_id(work: Work) -> str | None:
    """The work's arXiv id (without version): from its ids, else from an arxiv.org link."""
    if work.ids.arxiv and ids.is_bare(work.ids.arxiv):
        return work.ids.arxiv
    for link in work.links:
        found = ids.find_in_url(link.url)
        if found:
            return found
    return None


def feed_check(url: str, known: AbstractSet[str] = frozenset()) -> Check | None:
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
    """A feed page (the fetcher has checked it is an Atom feed)."""
    root = ET.fromstring(body)
    total = (_text(root, f"{OPENSEARCH}totalResults") or "0").strip()
    entries = [e for e in map(_entry, root.iterfind(f"{ATOM}entry")) if e is not None]
    return Page(entries, int(total) if total.isdigit() else 0)


class Client:
    """Asks arXiv for ids, a page at a time."""

    def __init__(self, fetcher: Fetcher, endpoint: str, known: AbstractSet[str]):
        self.fetcher = fetcher
        self.endpoint = endpoint
        self.known = known

    def page_url(self, id_list: Sequence[str], start: int) -> str:
        """The query URL (parameters in the order arXiv's documentation gives them)."""
        args = {
            "search_query": "",
            "id_list": ",".join(id_list),
            "sortBy": "relevance",
            "sortOrder": "descending",
            "start": str(start),
            "max_results": str(BATCH),
        }
        return f"{self.endpoint}?{urlencode(args)}"

    def page(self, url: str, *, first: bool) -> Page:
        """One page; raises :class:`FeedError` for an error status or an unexpected empty page."""
        response = self.fetcher.get(url, check=feed_check(url, self.known))
        if response.status_code != 200:
            raise FeedError(url, f"HTTP {response.status_code}")
        page = parse_page(response.content)
        if not page.entries and not first:
            raise FeedError(url, "an empty page where more results were announced")
        return page

    def entries(self, id_list: Sequence[str]) -> Iterator[Entry]:
        """The entries for ``id_list``, at most one per id asked."""
        given, start, first = 0, 0, True
        while given < len(id_list):
            page = self.page(self.page_url(id_list, start), first=first)
            for entry in page.entries[: len(id_list) - given]:
                yield entry
                given += 1
            start += len(page.entries)
            if not page.entries or start >= page.total:
                return
            first = False


def fetch(ctx: Context, wanted: Sequence[str]) -> Iterator[tuple[list[str], dict[str, Entry]]]:
    """For each batch of ≤ 100 ids: the batch and the entries by asked id (unknown ids absent).

    Raises :class:`~pipeline.errors.Unavailable` (from the fetcher) or :class:`FeedError`.
    """
    settings = ctx.settings
    client = Client(ctx.fetcher, settings.endpoints.arxiv, ctx.arxiv_known)
    ordered = sorted(set(wanted))
    for start in range(0, len(ordered), BATCH):
        batch = ordered[start : start + BATCH]
        by_entry = {ids.canonical(e.short_id): e for e in client.entries(batch)}
        yield (
            batch,
            {key: by_entry[ids.canonical(key)] for key in batch if ids.canonical(key) in by_entry},
        )


def to_csl(entry: Entry, work_id: str) -> dict[str, Any]:
    """An arXiv entry as a CSL preprint item (type ``article``)."""
    short = ids.strip_version(entry.short_id)
    when = entry.published
    csl: dict[str, Any] = {
        "id": work_id,
        "type": "article",
        "title": entry.title.strip(),
        "author": [n for n in (csl_name(a) for a in entry.authors) if n],
        "issued": {"date-parts": [[when.year, when.month, when.day]]},
        "publisher": "arXiv",
        "number": short,
        "DOI": ids.doi_of(short),
        "URL": ids.abs_url(short),
        "custom": {"arxiv": short},
    }
    if entry.journal_ref:
        csl["note"] = f"Journal reference: {entry.journal_ref}"
    return csl
