"""arXiv through the ``arxiv`` package: ids in ``id_list`` batches of up to 100, one request
per batch, ``delay_seconds`` (3 s by the API's terms) between requests.

``arxiv:doi`` and ``journal_ref`` are read when present. A preprint that has since been
published is emitted as the published work (keeping its arXiv id) when the wrong-match guard
accepts the published record: the DOI arXiv states is checked by title and first author; a
record found by title search must also be within a year of the preprint.

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
from typing import Any
from urllib.parse import parse_qs, urlsplit

import arxiv

from pipeline.models import Work
from pipeline.resolve import crossref
from pipeline.resolve.base import Context, Found, choose, each_work
from pipeline.resolve.csl import crossref_to_csl, split_name
from pipeline.resolve.fetch import ArxivSessionAdapter, Check, Unavailable

BATCH = 100
"""Ids per ``id_list`` query: the API's page size for one request."""

ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})$")
# The host and path are case-insensitive, the id is not: archives are lower-case, and one id
# arXiv refuses (``FOO/0112017``) would fail the whole batch of 100 it is sent in.
ARXIV_LINK = re.compile(
    r"(?i:arxiv\.org/(?:abs|pdf|html)/)(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
)
PUBLISHED_TYPES = {"article-journal", "paper-conference", "chapter"}


def arxiv_id(work: Work) -> str | None:
    """The work's arXiv id (without version): from its ids, else from an arxiv.org link."""
    if work.ids.arxiv and ARXIV_ID.match(work.ids.arxiv):
        return work.ids.arxiv
    for link in work.links:
        m = ARXIV_LINK.search(link.url)
        if m:
            return m.group(1)
    return None


def strip_version(short_id: str) -> str:
    return re.sub(r"v\d+$", "", short_id)


def canonical(short_id: str) -> str:
    """An id as arXiv's entries name it: no version, no subject class in old-style ids
    (``math.GT/0309136v2`` → ``math/0309136``)."""
    return re.sub(r"^([a-z-]+)\.[A-Za-z]{2}/", r"\1/", strip_version(short_id.strip()))


ATOM = "{http://www.w3.org/2005/Atom}"


def feed_check(url: str, known: AbstractSet[str] = frozenset()) -> Check | None:
    """The check of an ``id_list`` query's feed: every entry must be one of the ids asked, and
    a feed without entries is no answer when an asked id is ``known`` (canonical ids arXiv
    verified before)."""
    raw = parse_qs(urlsplit(url).query).get("id_list", [""])[0]
    wanted = {canonical(i) for i in raw.split(",") if i.strip()}
    if not wanted:
        return None
    existing = sorted(wanted & known)

    def check(body: bytes) -> str | None:
        entries = list(ET.fromstring(body).iter(f"{ATOM}entry"))
        if not entries and existing:
            return f"no entry at all, yet arXiv had {', '.join(existing[:3])} before"
        for node in entries:
            entry_id = (node.findtext(f"{ATOM}id") or "").strip()
            if "arxiv.org/abs/" not in entry_id:
                return f"an entry that is no arXiv record ({entry_id!r})"
            got = canonical(entry_id.split("arxiv.org/abs/")[-1])
            if got not in wanted:
                return f"an entry for {got}, which was not asked for"
        return None

    return check


class Client(arxiv.Client):  # type: ignore[misc]
    """The package's client pointed at our endpoint, its requests through the Fetcher.

    The package's own retries are off (``num_retries=0``): the fetcher retries with backoff.
    """

    def __init__(self, ctx: Context) -> None:
        super().__init__(page_size=BATCH, delay_seconds=ctx.settings.arxiv_delay, num_retries=0)
        self.query_url_format = ctx.settings.endpoints.arxiv + "?{}"
        self._session = ArxivSessionAdapter(ctx.fetcher, self._check_for)
        self._fetcher = ctx.fetcher
        self._known = ctx.arxiv_known

    def _check_for(self, url: str) -> Check | None:
        return feed_check(url, self._known)

    def _parse_feed(self, url: str, first_page: bool = True, _try_index: int = 0) -> Any:
        # The politeness delay is for the service: an answer from the cache needs no wait.
        if self._fetcher.answers_without_network(url, self._check_for(url)):
            self._last_request_dt = None
        return super()._parse_feed(url, first_page=first_page, _try_index=_try_index)


def fetch(ctx: Context, ids: Sequence[str]) -> Iterator[tuple[list[str], dict[str, arxiv.Result]]]:
    """For each batch of ≤ 100 ids: the batch and the results by asked id (unknown ids absent).

    Raises :class:`Unavailable` (from the fetcher) or ``arxiv.ArxivError`` for a batch.
    """
    client = Client(ctx)
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), BATCH):
        batch = ordered[start : start + BATCH]
        search = arxiv.Search(id_list=batch, max_results=len(batch))
        by_entry = {canonical(r.get_short_id()): r for r in client.results(search)}
        yield batch, {key: by_entry[canonical(key)] for key in batch if canonical(key) in by_entry}


def to_csl(result: arxiv.Result, work_id: str) -> dict[str, Any]:
    """An arXiv entry as a CSL preprint item (type ``article``)."""
    short = strip_version(result.get_short_id())
    csl: dict[str, Any] = {
        "id": work_id,
        "type": "article",
        "title": result.title.strip(),
        "author": [n for n in (split_name(a.name) for a in result.authors) if n],
        "issued": {
            "date-parts": [[result.published.year, result.published.month, result.published.day]]
        },
        "publisher": "arXiv",
        "number": short,
        "DOI": f"10.48550/arxiv.{short}".lower(),
        "URL": f"https://arxiv.org/abs/{short}",
        "custom": {"arxiv": short},
    }
    if result.journal_ref:
        csl["note"] = f"Journal reference: {result.journal_ref}"
    return csl


class ArxivResolver:
    """Works with an arXiv id, fetched in batches; published versions looked up after."""

    name = "arxiv"

    def wants(self, work: Work) -> bool:
        return arxiv_id(work) is not None

    def resolve(self, works: Sequence[Work], ctx: Context) -> dict[str, Found]:
        by_id: dict[str, list[Work]] = {}
        for work in works:
            key = arxiv_id(work)
            if key is not None:
                by_id.setdefault(key, []).append(work)
        found: dict[str, Found] = {}
        batches = fetch(ctx, list(by_id))
        while True:
            try:
                batch, results = next(batches)
            except StopIteration:
                break
            except (Unavailable, arxiv.ArxivError) as exc:
                error = exc if isinstance(exc, Unavailable) else Unavailable("arxiv", "", str(exc))
                # The generator is finished after an error: every id not yet answered is affected.
                for group in by_id.values():
                    if not any(w.id in found for w in group):
                        for work in group:
                            ctx.unavailable(work, error)
                if isinstance(exc, arxiv.ArxivError):
                    ctx.fetcher.failed.add("arxiv")
                break
            answered = [w for key in batch if key in results for w in by_id[key]]

            def one(work: Work, results: dict[str, arxiv.Result] = results) -> Found:
                result = results[arxiv_id(work) or ""]
                return self._published(ctx, work, result) or Found(
                    to_csl(result, work.id), "arxiv", "arxiv-id", 1.0
                )

            found.update(each_work(ctx, answered, one))
        return found

    def _published(self, ctx: Context, work: Work, result: arxiv.Result) -> Found | None:
        """The published version of a preprint, if the guard accepts one."""
        preprint = to_csl(result, work.id)
        first = preprint["author"][0] if preprint.get("author") else None
        short = preprint["custom"]["arxiv"]
        try:
            if result.doi:
                record = crossref.get_work(ctx, result.doi.lower())
                candidates = [crossref_to_csl(record, work.id)] if record else []
                method, check_year = "arxiv-doi", False
            elif ctx.settings.resolve.find_published:
                items = crossref.query(ctx, title=preprint["title"], author=_family(first))
                candidates = [crossref_to_csl(i, work.id) for i in items]
                candidates = [c for c in candidates if c["type"] in PUBLISHED_TYPES]
                method, check_year = "published-title", True
            else:
                return None
        except Unavailable as exc:
            ctx.unavailable(work, exc)
            return None
        chosen = choose(ctx, work, "crossref", preprint, candidates, check_year=check_year)
        if chosen is None:
            return None
        cand, verdict = chosen
        cand["custom"] = {"arxiv": short}
        return Found(cand, "crossref", method, round(verdict.similarity, 3), short)


def _family(name: dict[str, str] | None) -> str | None:
    return name.get("family") if name else None
