"""arXiv links settled by the export API (100 ids a request) instead of fetching arxiv.org,
whose robots.txt asks 15 s between requests; what the API cannot settle is fetched."""

from __future__ import annotations

import dataclasses
import itertools
import math
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from pipeline.check import run_check
from pipeline.check.checker import host_rate
from pipeline.check.quirks import quirk_for
from pipeline.config import CheckSettings
from pipeline.ids import arxiv as ids
from tests.fakeweb import FakeWeb
from tests.fakeweb.sites import site
from tests.fakeweb.world import Record
from tests.helpers.check import fake_settings, links_by_url, promote, work, write_works

pytestmark = pytest.mark.network


def papers(web: FakeWeb, count: int, first: int = 1) -> list[str]:
    """``count`` arXiv records (ids 2401.7xxxx, renamed once: v2 is the latest) the fake knows."""
    keys = [f"2401.7{n:04d}" for n in range(first, first + count)]
    for key in keys:
        web.data["arxiv"][key] = Record(
            title=f"Paper {key}", authors=[("Ada", "Lovelace")], year=2024, versions={1: "Old"}
        )
    return keys


def listed(project: Path, urls: list[str]) -> None:
    write_works(project, [work(f"w{i}", [(u, "paper")], line=i + 1) for i, u in enumerate(urls)])


def asked(web: FakeWeb) -> list[list[str]]:
    """The ``id_list`` of every API request."""
    return [parse_qs(r.query)["id_list"][0].split(",") for r in web.requests_to("/arxiv/api/query")]


def test_known_papers_cost_no_page_and_one_request_per_hundred(
    fakeweb: FakeWeb, project: Path
) -> None:
    keys = papers(fakeweb, 130)
    urls = [
        f"https://arxiv.org/abs/{k}" if i % 3 else f"https://arxiv.org/pdf/{k}v{1 + i % 2}"
        for i, k in enumerate(keys)
    ] + [f"https://arxiv.org/pdf/{keys[0]}.pdf"]  # one paper twice: asked once
    listed(project, urls)
    report = run_check(fake_settings(fakeweb, project))
    assert not fakeweb.requests_to("/web/arxiv.org/")
    batches = asked(fakeweb)
    assert len(batches) == math.ceil(len(keys) / 100)
    assert all(len(b) <= 100 for b in batches)
    assert sorted(itertools.chain.from_iterable(batches)) == keys
    links = links_by_url(project)
    assert {links[u]["status"] for u in urls} == {"ok"}
    assert all("checked through the arXiv API" in links[u]["note"] for u in urls)
    assert f"{len(urls)} arXiv papers answered by the arXiv API" in report.lines[0]
    assert report.requests == len(batches)


def test_what_the_api_does_not_know_is_fetched(fakeweb: FakeWeb, project: Path) -> None:
    (known,) = papers(fakeweb, 1)
    gone, newer = "2401.69999", f"https://arxiv.org/abs/{known}v3"  # the fake has v1 and v2
    site(fakeweb, "arxiv.org", f"/abs/{gone}", status=404)
    listed(project, [f"https://arxiv.org/abs/{known}", f"https://arxiv.org/abs/{gone}", newer])
    run_check(fake_settings(fakeweb, project))
    fetched = sorted(r.path for r in fakeweb.requests_to("/web/arxiv.org/"))
    assert fetched == [f"/web/arxiv.org/abs/{gone}", f"/web/arxiv.org/abs/{known}v3"]
    links = links_by_url(project)
    assert links[f"https://arxiv.org/abs/{gone}"]["status"] == "failing"
    assert links[f"https://arxiv.org/abs/{gone}"]["http_status"] == 404
    assert links[newer]["status"] == "ok"  # the page decided, not the API
    assert "arXiv API" not in (links[newer]["note"] or "")


EMPTY_FEED = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
    b"<title>arXiv Query</title></feed>"
)


def test_api_down_leaves_the_links_as_they_were_and_arxiv_org_unasked(
    fakeweb: FakeWeb, project: Path
) -> None:
    keys = papers(fakeweb, 3)
    urls = [f"https://arxiv.org/abs/{k}" for k in keys]
    listed(project, urls)
    run_check(fake_settings(fakeweb, project))
    promote(project)  # last run: all ok through the API
    fakeweb.clear()
    fakeweb.add_fault("status", "^/arxiv/api/query", status=503)
    report = run_check(fake_settings(fakeweb, project))
    assert len(fakeweb.requests_to("/arxiv/api/query")) == 3  # retry_attempts, then given up
    assert not fakeweb.requests_to("/web/arxiv.org/")  # no page at its crawl delay instead
    links = links_by_url(project)
    assert {links[u]["status"] for u in urls} == {"ok"}  # the last result, kept
    assert any("arxiv: HTTP 503" in line and "last result" in line for line in report.lines)
    assert "links" not in report.degraded


def test_a_link_never_checked_stays_unchecked_when_the_api_is_down(
    fakeweb: FakeWeb, project: Path
) -> None:
    (key,) = papers(fakeweb, 1)
    listed(project, [f"https://arxiv.org/abs/{key}"])
    fakeweb.add_fault("status", "^/arxiv/api/query", status=503)
    run_check(fake_settings(fakeweb, project))
    link = links_by_url(project)[f"https://arxiv.org/abs/{key}"]
    assert link["status"] == "unchecked"
    assert "no usable answer" in link["note"]


def test_an_empty_feed_is_no_answer_for_papers_arxiv_had(fakeweb: FakeWeb, project: Path) -> None:
    # arXiv's API now and then answers an id_list query with an empty feed by mistake.
    keys = papers(fakeweb, 2)
    urls = [f"https://arxiv.org/abs/{k}" for k in keys]
    listed(project, urls)
    run_check(fake_settings(fakeweb, project))
    promote(project)
    fakeweb.clear()
    fakeweb.add_fault("malformed", "^/arxiv/api/query", body=EMPTY_FEED)
    run_check(fake_settings(fakeweb, project))
    assert len(fakeweb.requests_to("/arxiv/api/query")) == 3  # retried: no answer
    assert not fakeweb.requests_to("/web/arxiv.org/")
    assert {links_by_url(project)[u]["status"] for u in urls} == {"ok"}


def test_a_crawl_delay_does_not_use_up_a_links_time_budget(fakeweb: FakeWeb, project: Path) -> None:
    # Pages fetched one crawl delay apart, each failing once: the retry waits its turn behind
    # the others, which must not count as the URL's own time (15 s : 60 s, scaled down).
    urls = [f"https://arxiv.org/abs/2401.6{n:04d}" for n in range(6)]  # unknown: fetched
    for url in urls:
        site(fakeweb, "arxiv.org", url.split("arxiv.org")[1], fail_times=1)
    listed(project, urls)
    settings = fake_settings(
        fakeweb,
        project,
        crawl_delay_max_seconds=0.2,
        retry_budget_seconds=0.8,
        backoff_seconds=0.01,
        per_host=1,
    )
    run_check(settings)
    links = links_by_url(project)
    assert {links[u]["status"] for u in urls} == {"ok"}, {u: links[u]["note"] for u in urls}
    assert len(fakeweb.requests_to("/web/arxiv.org/")) == 2 * len(urls)


def test_http_and_www_links_are_moved_to_the_canonical_address(
    fakeweb: FakeWeb, project: Path
) -> None:
    a, b = papers(fakeweb, 2)
    # The fake web's remap makes the first two one fetch: each is still said of itself.
    urls = [
        f"http://arxiv.org/abs/{a}",
        ids.abs_url(a),
        f"https://www.arxiv.org/pdf/{b}v1?x=1",
    ]
    listed(project, urls)
    run_check(fake_settings(fakeweb, project))
    assert not fakeweb.requests_to("/web/")
    links = links_by_url(project)
    assert (links[urls[0]]["status"], links[urls[0]]["final_url"]) == ("moved", ids.abs_url(a))
    assert (links[urls[1]]["status"], links[urls[1]]["final_url"]) == ("ok", None)
    assert links[urls[2]]["status"] == "moved"
    assert links[urls[2]]["final_url"] == f"https://arxiv.org/pdf/{b}v1?x=1"


def test_offline_asks_the_api_nothing(fakeweb: FakeWeb, project: Path) -> None:
    listed(project, [f"https://arxiv.org/abs/{k}" for k in papers(fakeweb, 2)])
    run_check(dataclasses.replace(fake_settings(fakeweb, project), offline=True))
    assert fakeweb.requests == []


def test_the_crawl_delay_paces_the_pages_fetched(fakeweb: FakeWeb, project: Path) -> None:
    gap = 0.2  # arxiv.org's row asks 15 s; the setting holds it to this
    urls = [f"https://arxiv.org/abs/2401.6{n:04d}" for n in range(4)]  # unknown: fetched
    listed(project, [*urls, "https://other.example/a", "https://other.example/b"])
    settings = fake_settings(fakeweb, project, crawl_delay_max_seconds=gap)
    run_check(settings)
    pages = fakeweb.requests_to("/web/arxiv.org/")
    assert len(pages) == len(urls)
    # Request starts at least the gap apart (arrival jitter allowed for).
    assert all(b.time - a.time >= gap * 0.9 for a, b in itertools.pairwise(pages))
    assert len(fakeweb.requests_to("/web/other.example/")) == 2


def test_only_a_row_asking_a_crawl_delay_slows_its_host() -> None:
    limits = CheckSettings()  # 40 a second a host, crawl delays up to 60 s
    assert host_rate(limits, quirk_for("arxiv.org")) == pytest.approx(1 / 15)
    assert host_rate(limits, quirk_for("www.arxiv.org")) == pytest.approx(1 / 15)
    assert host_rate(limits, quirk_for("other.example")) == limits.per_host_per_second
    held = dataclasses.replace(limits, crawl_delay_max_seconds=5.0, per_host_per_second=0.0)
    assert host_rate(held, quirk_for("arxiv.org")) == pytest.approx(1 / 5)
    assert host_rate(held, quirk_for("other.example")) == 0.0  # not paced
    off = dataclasses.replace(limits, crawl_delay_max_seconds=0.0)
    assert host_rate(off, quirk_for("arxiv.org")) == limits.per_host_per_second
