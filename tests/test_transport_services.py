"""The one retry rule and the one pacer hold for every service the pipeline talks to: arXiv,
Crossref, doi.org, OpenAlex, Semantic Scholar (through the resolvers' fetcher), GitHub (its
client), the link checker and ``sources update``. Each row asks its service the way the
pipeline does, through real sockets against the fake web; each test injects the same fault
into every row.

The settings are the fast ones of the other fault tests: 3 tries, millisecond backoffs, a
2 s cap on ``Retry-After`` in both ``[resolve]`` and ``[check]``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.cache import HttpCache
from pipeline.check.github.client import GitHubClient
from pipeline.config import Settings, load_settings
from pipeline.errors import GitHubDown, Unavailable
from pipeline.models import LinkStatus
from pipeline.resolve.doi import CSL_ACCEPT
from pipeline.resolve.fetch import Fetcher
from pipeline.scrape.sources import update_sources
from pipeline.transport.sessions import api_session
from tests.fakeweb import FakeWeb
from tests.helpers.check import check_urls
from tests.helpers.fast import FAST_CHECK, FAST_RESOLVE

pytestmark = pytest.mark.network

Ask = Callable[[Settings, int], list[bool]]
"""Make ``n`` distinct requests of one service as the pipeline does; whether each succeeded."""


def fetcher_get(url: Callable[[Settings, int], str], headers: dict[str, str] | None = None) -> Ask:
    def ask(settings: Settings, n: int) -> list[bool]:
        fetcher = Fetcher(settings, HttpCache(settings.cache_path))
        return [_answered(fetcher.get, url(settings, i), headers=headers) for i in range(n)]

    return ask


def s2_batch(settings: Settings, n: int) -> list[bool]:
    fetcher = Fetcher(settings, HttpCache(settings.cache_path))
    url = f"{settings.endpoints.s2}/paper/batch?fields=title"
    payloads = [json.dumps({"ids": [f"DOI:10.9999/s2.{i}"]}).encode() for i in range(n)]
    headers = {"Content-Type": "application/json"}
    return [_answered(fetcher.post, url, p, headers) for p in payloads]


def _answered(call: Callable[..., object], *args: object, **kwargs: object) -> bool:
    """Whether ``call`` gave an answer (the fetcher raises Unavailable when none came)."""
    try:
        call(*args, **kwargs)
    except Unavailable:
        return False
    return True


def github(settings: Settings, n: int) -> list[bool]:
    async def run() -> list[bool]:
        async with api_session() as session:
            client = GitHubClient(session, settings)
            out = []
            for i in range(n):
                try:
                    reply = await client.request("GET", f"{client.api}/repos/nobody/repo{i}")
                except GitHubDown:
                    out.append(False)
                else:
                    out.append(reply.status == 200)
            return out

    return asyncio.run(run())


def link_checker(settings: Settings, n: int) -> list[bool]:
    urls = [f"https://paced.example/p{i}" for i in range(n)]
    results, _stats = check_urls(settings, urls)
    return [results[u].status == LinkStatus.OK for u in urls]


def sources_update(settings: Settings, n: int) -> list[bool]:
    folder = settings.sources_toml.parent
    folder.mkdir(parents=True, exist_ok=True)
    catalog = ""
    for i in range(n):
        (folder / f"l{i}.md").write_text("# A list\n", encoding="utf-8")
        catalog += (
            f'[[list]]\nid = "l{i}"\nfile = "l{i}.md"\ntitle = "List {i}"\n'
            f'raw_url = "https://raw.githubusercontent.com/o/l{i}/HEAD/README.md"\n'
        )
    settings.sources_toml.write_text(catalog, encoding="utf-8")
    report = update_sources(settings)
    return [not report.degraded] * n  # every list arrives, or none is taken


@dataclass(frozen=True)
class Row:
    """One service: how it is asked, where its requests land, and how it is paced at 5 a
    second (None: the service states no rate; only its in-flight limit holds)."""

    ask: Ask
    path: str
    paced: Callable[[Settings, FakeWeb], Settings] | None
    head_first: bool = False
    """A try asks HEAD, then GET at once when HEAD gets a 5xx (HEAD alone may be broken)."""


def _resolve(**changes: float) -> Callable[[Settings, FakeWeb], Settings]:
    return lambda s, _web: dataclasses.replace(
        s,
        resolve=dataclasses.replace(s.resolve, **changes),  # type: ignore[arg-type]
    )


def _check(s: Settings, _web: FakeWeb) -> Settings:
    return dataclasses.replace(s, check=dataclasses.replace(s.check, per_host_per_second=5.0))


def _crossref_says(s: Settings, web: FakeWeb) -> Settings:
    web.data["crossref_rate_scale"] = 0.5  # its answers say 5 single records a second
    return s


ROWS = {
    "arxiv": Row(
        fetcher_get(lambda s, i: f"{s.endpoints.arxiv}?id_list=2306.1102{i}&max_results=100"),
        "/arxiv/",
        lambda s, _web: dataclasses.replace(s, arxiv_delay_seconds=0.2),
    ),
    "crossref": Row(
        fetcher_get(lambda s, i: f"{s.endpoints.crossref}/works/10.9999/cr.{i}"),
        "/crossref/",
        _crossref_says,
    ),
    "doi.org": Row(
        fetcher_get(lambda s, i: f"{s.endpoints.doi}/10.9999/doi.{i}", {"Accept": CSL_ACCEPT}),
        "/doi/",
        None,
    ),
    "openalex": Row(
        fetcher_get(lambda s, i: f"{s.endpoints.openalex}/works/doi:10.9999/oa.{i}"),
        "/openalex/",
        _resolve(openalex_per_second=5.0),
    ),
    "semanticscholar": Row(s2_batch, "/s2/", _resolve(s2_per_second=5.0)),
    "github": Row(github, "/github/", _check),
    "link checker": Row(link_checker, "/web/paced.example/", _check, head_first=True),
    "sources update": Row(sources_update, "/web/raw.githubusercontent.com/", _check),
}
PACED = sorted(name for name, row in ROWS.items() if row.paced is not None)


def settings_for(web: FakeWeb, root: Path) -> Settings:
    settings = load_settings(root=root, environ=web.env())
    return dataclasses.replace(
        settings,
        cache_dir=root / ".cache",
        resolve=FAST_RESOLVE,
        check=dataclasses.replace(settings.check, **FAST_CHECK),  # type: ignore[arg-type]
    )


def test_the_table_names_every_service() -> None:
    assert set(ROWS) == {
        "arxiv",
        "crossref",
        "doi.org",
        "openalex",
        "semanticscholar",
        "github",
        "link checker",
        "sources update",
    }
    assert FAST_RESOLVE.retry_attempts == FAST_CHECK["retry_attempts"] == 3


@pytest.mark.parametrize("service", sorted(ROWS))
def test_5xx_is_retried_until_it_answers(fakeweb: FakeWeb, tmp_path: Path, service: str) -> None:
    row = ROWS[service]
    fakeweb.add_fault("status", row.path, status=503, times=2)
    assert row.ask(settings_for(fakeweb, tmp_path), 1) == [True]
    assert len(fakeweb.requests_to(row.path)) == 3  # two 503s, then the answer


@pytest.mark.parametrize("service", sorted(ROWS))
def test_5xx_forever_ends_after_the_tries(fakeweb: FakeWeb, tmp_path: Path, service: str) -> None:
    row = ROWS[service]
    fakeweb.add_fault("status", row.path, status=500)
    assert row.ask(settings_for(fakeweb, tmp_path), 1) == [False]
    # retry_attempts in all (and the link checker's first try asks HEAD, then GET)
    assert len(fakeweb.requests_to(row.path)) == 3 + row.head_first


@pytest.mark.parametrize("service", sorted(ROWS))
def test_retry_after_within_the_cap_is_waited(
    fakeweb: FakeWeb, tmp_path: Path, service: str
) -> None:
    row = ROWS[service]
    fakeweb.add_fault("status", row.path, status=429, retry_after="0.3", times=2)
    assert row.ask(settings_for(fakeweb, tmp_path), 1) == [True]
    calls = fakeweb.requests_to(row.path)
    assert len(calls) == 3
    # The backoff is milliseconds: the 0.3 s between tries are the server's.
    assert all(b.time - a.time >= 0.3 * 0.9 for a, b in itertools.pairwise(calls))


@pytest.mark.parametrize("service", sorted(ROWS))
def test_retry_after_beyond_the_cap_gives_up_at_once(
    fakeweb: FakeWeb, tmp_path: Path, service: str
) -> None:
    row = ROWS[service]
    fakeweb.add_fault("status", row.path, status=429, retry_after="120")
    assert row.ask(settings_for(fakeweb, tmp_path), 1) == [False]
    assert len(fakeweb.requests_to(row.path)) == 1


@pytest.mark.parametrize("service", PACED)
def test_requests_keep_to_the_services_pace(fakeweb: FakeWeb, tmp_path: Path, service: str) -> None:
    row = ROWS[service]
    assert row.paced is not None
    settings = row.paced(settings_for(fakeweb, tmp_path), fakeweb)
    assert row.ask(settings, 3) == [True, True, True]
    starts = sorted(r.time for r in fakeweb.requests_to(row.path))
    assert len(starts) == 3
    # Five a second: starts 0.2 s apart as the client sends them. The server sees them later
    # by a time that varies with the machine's load, so each gap may look shorter, but not
    # by half, and the span of three holds two gaps (unpaced, they would be milliseconds).
    assert all(b - a >= 0.2 * 0.5 for a, b in itertools.pairwise(starts))
    assert starts[-1] - starts[0] >= 2 * 0.2 * 0.85
    assert fakeweb.data.get("crossref_refused", 0) == 0
