"""arXiv's query API: ids in ``id_list`` batches of up to 100, one request per batch.

Requests go through the resolvers' :class:`~pipeline.resolve.fetch.Fetcher` (cache, breaker,
budget) and the transport's retries and pace: ``arxiv_delay_seconds`` (3 by the API's terms,
https://info.arxiv.org/help/api/tou.html) between requests that reach the network, a row of
:mod:`.rates` like any service's; an answer from the cache waits for nothing. The query and
its Atom feed are :mod:`pipeline.arxiv_feed`'s (the link checker asks the same API), read
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

from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from pipeline.arxiv_feed import BATCH, Entry, Page, feed_check, parse_page, query_url
from pipeline.errors import FeedError
from pipeline.ids import arxiv as ids
from pipeline.ids.names import csl_name
from pipeline.models import Work
from pipeline.resolve.base import Context
from pipeline.resolve.fetch import Fetcher

__all__ = ["BATCH", "Client", "Entry", "Page", "arxiv_id", "feed_check", "fetch", "to_csl"]


def arxiv_id(work: Work) -> str | None:
    """The work's arXiv id (without version): from its ids, else from an arxiv.org link."""
    if work.ids.arxiv and ids.is_bare(work.ids.arxiv):
        return work.ids.arxiv
    for link in work.links:
        found = ids.find_in_url(link.url)
        if found:
            return found
    return None


class Client:
    """Asks arXiv for ids, a page at a time."""

    def __init__(self, fetcher: Fetcher, endpoint: str, known: AbstractSet[str]):
        self.fetcher = fetcher
        self.endpoint = endpoint
        self.known = known

    def page_url(self, id_list: Sequence[str], start: int) -> str:
        """The query URL of one page."""
        return query_url(self.endpoint, id_list, start)

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
