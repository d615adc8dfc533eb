"""arXiv papers as links: the export API answers what a fetch of arxiv.org would (is the paper
there?), 100 ids a request, so arxiv.org itself is spared.

arxiv.org's robots.txt asks ``Crawl-delay: 15`` and its "Robots Beware" page says rapid
automated requests are refused (403) and then treated as an attack; the programmatic way
in is the export API (https://info.arxiv.org/help/api/user-manual.html), one request every
``arxiv_delay_seconds``. The requests are paced and retried by the transport's rules
(:mod:`pipeline.transport`) with the ``[check]`` retry settings.

The API settles a link only when its answer holds the paper (and the version the link names):
an id it does not know, or a version it does not have, leaves the link to be fetched like any
page, so that the page's own answer decides. No usable answer at all (outage, refused, an
answer about other ids, or no entry where arXiv had the paper before: its feed is sometimes
empty by mistake) leaves the link unchecked this run, keeping its last result: fetching the
batch's pages instead would send arxiv.org a hundred requests at its crawl delay.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Set
from dataclasses import dataclass, field

import aiohttp

from pipeline import arxiv_feed, user_agent
from pipeline.check.classify import Fetched
from pipeline.config import Settings
from pipeline.ids import arxiv as ids
from pipeline.models import LinkStatus
from pipeline.transport.pace import Pace
from pipeline.transport.retry import Failure, Policy, retry_async, status_failure
from pipeline.transport.sessions import api_session

LOG = logging.getLogger(__name__)

NOTE = "checked through the arXiv API"


@dataclass
class ArxivRun:
    """What asking the API found."""

    versions: dict[str, int] = field(default_factory=dict)
    """The latest version arXiv has, by canonical id (an id absent: not known, or not asked)."""
    requests: int = 0
    unusable: str | None = None
    """Why some ids got no usable answer (their links are left unchecked this run)."""
    unanswered: set[str] = field(default_factory=set)
    """The canonical ids of the batches that got no usable answer."""


class ArxivClient:
    """Asks ``settings.endpoints.arxiv`` for ids; one instance per run."""

    def __init__(
        self, session: aiohttp.ClientSession, settings: Settings, known: Set[str] = frozenset()
    ) -> None:
        self.session = session
        self.settings = settings
        self.known = known
        self.run = ArxivRun()
        self.policy = Policy.of(settings.check)
        self.pace = Pace(arxiv_feed.per_second(settings))

    async def ask(self, batch: list[str]) -> None:
        """One ``id_list`` query for ``batch`` (at most :data:`~pipeline.arxiv_feed.BATCH`)."""
        url = arxiv_feed.query_url(self.settings.endpoints.arxiv, batch, size=len(batch))
        tried = await retry_async(self.policy, lambda: self._try(url), _failure)
        if isinstance(tried.value, arxiv_feed.Page):
            for entry in tried.value.entries:
                version = ids.version_of(entry.short_id)
                if version is not None:
                    self.run.versions[ids.canonical(entry.short_id)] = version
            return
        why = tried.value.reason if isinstance(tried.value, Failure) else tried.value
        self.run.unusable = why
        self.run.unanswered.update(batch)
        LOG.warning(
            "arxiv: no usable answer for %d ids (%s); their links keep their last result",
            len(batch),
            why,
        )

    async def _try(self, url: str) -> arxiv_feed.Page | Failure | str:
        """One try: the feed, a failure worth another try, or why not (no retry helps)."""
        await self.pace.wait_async()
        self.run.requests += 1
        try:
            async with self.session.get(
                url,
                headers={"User-Agent": user_agent(self.settings.mailto)},
                timeout=aiohttp.ClientTimeout(total=self.settings.check.timeout_seconds),
            ) as response:
                body = await response.read()
                status, headers = response.status, dict(response.headers)
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            return Failure(f"cannot reach the arXiv API: {type(exc).__name__}")
        failed = status_failure(status, headers)
        if failed is not None or status != 200:
            return failed or f"the arXiv API answered HTTP {status}"
        check = arxiv_feed.feed_check(url, self.known)
        try:
            wrong = check(body) if check is not None else None
            if wrong:
                return Failure(f"the arXiv API's answer holds {wrong}")
            return arxiv_feed.parse_page(body)
        except (ET.ParseError, ValueError):
            return Failure("the arXiv API's answer is not an Atom feed")


def _failure(value: arxiv_feed.Page | Failure | str) -> Failure | None:
    return value if isinstance(value, Failure) else None


async def fetch(
    settings: Settings, wanted: Iterable[str], known: Set[str] = frozenset()
) -> ArxivRun:
    """Ask the API about ``wanted`` (canonical ids); never raises for arXiv's sake. ``known``:
    ids the API confirmed before, so that a feed without them is no answer."""
    ordered = sorted(set(wanted))
    async with api_session() as session:
        client = ArxivClient(session, settings, known)
        for start in range(0, len(ordered), arxiv_feed.BATCH):
            await client.ask(ordered[start : start + arxiv_feed.BATCH])
    return client.run


def wanted(url: str) -> str | None:
    """The canonical id the API is asked about for ``url``, None when it is no paper link."""
    page = ids.paper_page(url)
    return ids.canonical(page.short_id) if page is not None else None


def paper_outcome(url: str, run: ArxivRun) -> Fetched | None:
    """What the API's answer says of ``url``, a link to an abstract page or PDF; None when the
    page itself must be fetched (an id the answer lacks, or a version it does not have).

    A link by ``http:`` or ``www.`` is ``moved`` to ``https://arxiv.org``, where arxiv.org
    redirects it.
    """
    page = ids.paper_page(url)
    if page is None:
        return None
    if ids.canonical(page.short_id) in run.unanswered:
        why = f"not checked: the arXiv API gave no usable answer ({run.unusable})"
        return Fetched(LinkStatus.UNCHECKED, note=why)
    latest = run.versions.get(ids.canonical(page.short_id))
    if latest is None or (page.version is not None and page.version > latest):
        return None
    if page.canonical_url == url:
        return Fetched(LinkStatus.OK, note=NOTE, answered=True)
    return Fetched(LinkStatus.MOVED, final_url=page.canonical_url, note=NOTE, answered=True)
