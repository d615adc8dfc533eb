"""The link checker against the fake web: one behaviour per test, request counts asserted."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import pytest

from pipeline.check.guard import GuardedResolver, is_internal, refusal
from pipeline.check.hosts import GlobalSlots, HostState
from pipeline.check.targets import fetch_key, interleave_hosts
from pipeline.errors import AddressRefused
from pipeline.ids.urls import normalize
from pipeline.models import LinkStatus
from pipeline.transport.pace import Pace
from pipeline.transport.retry import parse_retry_after
from tests.fakeweb import FakeWeb
from tests.fakeweb.sites import site
from tests.helpers.check import check_urls, fake_settings

pytestmark = pytest.mark.network


def hits(web: FakeWeb, host: str, path: str = "/") -> list[str]:
    """Methods of the requests that reached ``host``'s ``path``."""
    return [
        r.method for r in web.requests_to(f"/web/{host}{path}") if r.path == f"/web/{host}{path}"
    ]


def test_ok_costs_one_head(fakeweb: FakeWeb, tmp_path: Path) -> None:
    settings = fake_settings(fakeweb, tmp_path)
    results, stats = check_urls(settings, ["https://ok.example/page"])
    result = results["https://ok.example/page"]
    assert result.status == LinkStatus.OK
    assert result.http_status == 200
    assert hits(fakeweb, "ok.example", "/page") == ["HEAD"]
    assert stats.requests == 1


def test_redirect_chain_is_followed_and_recorded(fakeweb: FakeWeb, tmp_path: Path) -> None:
    site(fakeweb, "a.example", "/1", status=302, location="/2")
    site(fakeweb, "a.example", "/2", status=307, location="https://b.example/3")
    settings = fake_settings(fakeweb, tmp_path)
    result = check_urls(settings, ["https://a.example/1"])[0]["https://a.example/1"]
    assert result.status == LinkStatus.REDIRECTED
    assert result.final_url == "https://b.example/3"
    assert result.hops == ["302 https://a.example/2", "307 https://b.example/3"]
    assert hits(fakeweb, "b.example", "/3") == ["HEAD"]


@pytest.mark.parametrize("code", [301, 308])
def test_permanent_move_reports_new_url(fakeweb: FakeWeb, tmp_path: Path, code: int) -> None:
    site(fakeweb, "old.example", "/p", status=code, location="https://new.example/p")
    settings = fake_settings(fakeweb, tmp_path)
    result = check_urls(settings, ["https://old.example/p"])[0]["https://old.example/p"]
    assert result.status == LinkStatus.MOVED
    assert result.final_url == "https://new.example/p"


def test_permanent_then_temporary_suggests_the_permanent_target(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    site(fakeweb, "old.example", "/p", status=301, location="https://new.example/p")
    site(fakeweb, "new.example", "/p", status=302, location="https://cdn.example/p?sig=1")
    settings = fake_settings(fakeweb, tmp_path)
    result = check_urls(settings, ["https://old.example/p"])[0]["https://old.example/p"]
    assert result.status == LinkStatus.MOVED
    assert result.final_url == "https://new.example/p"


def test_move_to_a_gone_page_is_a_failure(fakeweb: FakeWeb, tmp_path: Path) -> None:
    site(fakeweb, "old.example", "/p", status=301, location="https://new.example/gone")
    site(fakeweb, "new.example", "/gone", status=404)
    settings = fake_settings(fakeweb, tmp_path)
    result = check_urls(settings, ["https://old.example/p"])[0]["https://old.example/p"]
    assert result.status == LinkStatus.FAILING
    assert result.certain
    assert result.final_url == "https://new.example/gone"


@pytest.mark.parametrize("code", [404, 410])
def test_gone_is_a_certain_failure_without_retries(
    fakeweb: FakeWeb, tmp_path: Path, code: int
) -> None:
    site(fakeweb, "gone.example", "/x", status=code)
    settings = fake_settings(fakeweb, tmp_path)
    result = check_urls(settings, ["https://gone.example/x"])[0]["https://gone.example/x"]
    assert result.status == LinkStatus.FAILING
    assert result.certain
    assert result.http_status == code
    assert hits(fakeweb, "gone.example", "/x") == ["HEAD"]


def test_dns_failure_of_a_name_that_does_not_exist(fakeweb: FakeWeb, tmp_path: Path) -> None:
    # No remap for .invalid (RFC 2606: guaranteed not to resolve); the rest goes to the fake web.
    remap = rf"^https?://((?![^/]*\.invalid)[^/]+)/?(.*)$ {fakeweb.url}/web/\1/\2"
    settings = fake_settings(fakeweb, tmp_path, env={"PIPELINE_REMAP": remap})
    url = "https://no-such-host.invalid/paper"
    results, _ = check_urls(settings, [url, "https://ok.example/"])
    assert results[url].status == LinkStatus.FAILING
    assert results[url].certain
    assert "does not exist" in (results[url].note or "")
    assert results["https://ok.example/"].status == LinkStatus.OK


@pytest.mark.parametrize(
    ("host", "behaviour"),
    [
        ("ieeexplore.ieee.org", {"status": 418}),
        ("www.sciencedirect.com", {"status": 403}),
        ("dl.acm.org", {"status": 202, "body": "<title>Just a moment...</title>"}),
        ("onlinelibrary.wiley.com", {"status": 403}),
        ("www.researchgate.net", {"status": 429, "retry_after": "1"}),
    ],
)
def test_bot_walls_are_blocked_not_dead(
    fakeweb: FakeWeb, tmp_path: Path, host: str, behaviour: dict[str, object]
) -> None:
    site(fakeweb, host, **behaviour)
    settings = fake_settings(fakeweb, tmp_path)
    url = f"https://{host}/document/123"
    result = check_urls(settings, [url])[0][url]
    assert result.status == LinkStatus.BLOCKED
    assert not result.certain
    assert "bot wall" in (result.note or "")
    # Walls are asked once, with GET (their HEAD answers mean nothing), and not retried.
    assert hits(fakeweb, host, "/document/123") == ["GET"]


def test_generic_403_is_blocked_after_trying_get(fakeweb: FakeWeb, tmp_path: Path) -> None:
    site(fakeweb, "private.example", status=403)
    settings = fake_settings(fakeweb, tmp_path)
    result = check_urls(settings, ["https://private.example/x"])[0]["https://private.example/x"]
    assert result.status == LinkStatus.BLOCKED
    assert hits(fakeweb, "private.example", "/x") == ["HEAD", "GET"]


def test_head_refused_falls_back_to_get_and_remembers_the_host(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    site(fakeweb, "nohead.example", head_status=405)
    settings = fake_settings(fakeweb, tmp_path, per_host=1)
    urls = ["https://nohead.example/1", "https://nohead.example/2", "https://nohead.example/3"]
    results, stats = check_urls(settings, urls)
    assert all(r.status == LinkStatus.OK for r in results.values())
    methods = [r.method for r in fakeweb.requests_to("/web/nohead.example/")]
    # The first URL learns that HEAD is refused; the others go straight to GET.
    assert methods == ["HEAD", "GET", "GET", "GET"]
    assert stats.requests == 4


def test_timeout_is_retried_then_reported(fakeweb: FakeWeb, tmp_path: Path) -> None:
    site(fakeweb, "hang.example", delay=30)
    settings = fake_settings(fakeweb, tmp_path, timeout_seconds=0.3, retry_attempts=2)
    result = check_urls(settings, ["https://hang.example/x"])[0]["https://hang.example/x"]
    assert result.status == LinkStatus.TIMEOUT
    assert not result.certain
    assert len(hits(fakeweb, "hang.example", "/x")) == 2


def test_429_waits_for_retry_after_then_succeeds(fakeweb: FakeWeb, tmp_path: Path) -> None:
    site(fakeweb, "busy.example", "/x", fail_times=1, fail_status=429, retry_after="1")
    settings = fake_settings(fakeweb, tmp_path)
    result = check_urls(settings, ["https://busy.example/x"])[0]["https://busy.example/x"]
    assert result.status == LinkStatus.OK
    times = [r.time for r in fakeweb.requests_to("/web/busy.example/x")]
    assert len(times) == 2
    assert times[1] - times[0] >= 0.9  # Retry-After: 1, although the backoff is 0.01 s


def test_429_beyond_the_cap_is_blocked_without_waiting(fakeweb: FakeWeb, tmp_path: Path) -> None:
    site(fakeweb, "busy.example", "/x", fail_times=5, fail_status=429, retry_after="3600")
    settings = fake_settings(fakeweb, tmp_path)
    result = check_urls(settings, ["https://busy.example/x"])[0]["https://busy.example/x"]
    assert result.status == LinkStatus.BLOCKED
    assert "beyond the cap" in (result.note or "")
    assert len(hits(fakeweb, "busy.example", "/x")) == 1


def test_5xx_is_retried_with_backoff(fakeweb: FakeWeb, tmp_path: Path) -> None:
    site(fakeweb, "flaky.example", "/x", fail_times=2, fail_status=503)
    site(fakeweb, "down.example", "/x", status=500)
    settings = fake_settings(fakeweb, tmp_path, retry_attempts=3)
    results, _ = check_urls(settings, ["https://flaky.example/x", "https://down.example/x"])
    assert results["https://flaky.example/x"].status == LinkStatus.OK
    # HEAD 503, then GET at once (HEAD may be the only thing broken), GET again after a backoff.
    assert hits(fakeweb, "flaky.example", "/x") == ["HEAD", "GET", "GET"]
    assert results["https://down.example/x"].status == LinkStatus.ERROR
    assert not results["https://down.example/x"].certain
    # First try (HEAD + GET) and the two retries (GET only), no more.
    assert hits(fakeweb, "down.example", "/x") == ["HEAD", "GET", "GET", "GET"]


def test_5xx_to_head_only_is_ok(fakeweb: FakeWeb, tmp_path: Path) -> None:
    site(fakeweb, "gethappy.example", head_status=500)
    settings = fake_settings(fakeweb, tmp_path)
    result = check_urls(settings, ["https://gethappy.example/x"])[0]["https://gethappy.example/x"]
    assert result.status == LinkStatus.OK
    assert hits(fakeweb, "gethappy.example", "/x") == ["HEAD", "GET"]


def test_slow_host_does_not_stall_fast_ones(fakeweb: FakeWeb, tmp_path: Path) -> None:
    site(fakeweb, "slow.example", delay=0.4)
    settings = fake_settings(fakeweb, tmp_path, per_host=1, concurrency=4, timeout_seconds=5)
    slow = [f"https://slow.example/{i}" for i in range(3)]
    fast = [f"https://fast{i}.example/p" for i in range(12)]
    results, _ = check_urls(settings, slow + fast)
    assert all(r.status == LinkStatus.OK for r in results.values())
    order = [r.path for r in fakeweb.requests]
    slow_positions = [i for i, p in enumerate(order) if p.startswith("/web/slow.example/")]
    fast_positions = [i for i, p in enumerate(order) if p.startswith("/web/fast")]
    # Every fast URL was asked before the slow host's second URL (per_host=1 holds it back),
    # although there are only 4 global slots.
    assert max(fast_positions) < slow_positions[1]


def test_huge_body_is_never_downloaded(fakeweb: FakeWeb, tmp_path: Path) -> None:
    size = 64 << 20
    site(fakeweb, "data.example", "/big.zip", head_status=405, size=size)
    site(fakeweb, "drive.google.com", "/file/d/big", size=size)
    settings = fake_settings(fakeweb, tmp_path, max_body_bytes=4096)
    results, stats = check_urls(
        settings, ["https://data.example/big.zip", "https://drive.google.com/file/d/big"]
    )
    assert results["https://data.example/big.zip"].status == LinkStatus.OK
    assert results["https://drive.google.com/file/d/big"].status == LinkStatus.OK
    # Only the fingerprinted host's body is read, and only its first max_body_bytes.
    assert 0 < stats.bytes_read <= 4096
    sent = fakeweb.data["site_sent"]
    # What the server managed to push into socket buffers before the client hung up.
    assert sent[("data.example", "/big.zip")] < size // 4
    assert sent[("drive.google.com", "/file/d/big")] < size // 4


@pytest.mark.parametrize(
    ("url", "body"),
    [
        (
            "https://drive.google.com/file/d/abc/view",
            "<html><title>Google Drive</title><p>Sorry, the file you have requested does not exist.</p>",
        ),
        (
            "https://pan.baidu.com/s/1xyz",
            "<title>百度网盘-链接不存在</title><div>啊哦，你来晚了，分享的文件已经被删除了</div>",
        ),
        (
            "https://arxiv.org/abs/2401.99999",
            "<h1>Article identifier '2401.99999' not recognized</h1>",
        ),
    ],
)
def test_soft_404_pages_answered_with_200(
    fakeweb: FakeWeb, tmp_path: Path, url: str, body: str
) -> None:
    host = url.split("/")[2]
    path = "/" + url.split("/", 3)[3]
    site(fakeweb, host, path, body=body)
    settings = fake_settings(fakeweb, tmp_path)
    result = check_urls(settings, [url])[0][url]
    assert result.status == LinkStatus.FAILING
    assert result.certain
    assert "soft 404" in (result.note or "")
    assert hits(fakeweb, host, path) == ["GET"]


def test_live_drive_file_is_ok(fakeweb: FakeWeb, tmp_path: Path) -> None:
    site(
        fakeweb,
        "drive.google.com",
        "/file/d/ok/view",
        body="<title>data.zip - Google Drive</title>",
    )
    settings = fake_settings(fakeweb, tmp_path)
    url = "https://drive.google.com/file/d/ok/view"
    assert check_urls(settings, [url])[0][url].status == LinkStatus.OK


@pytest.mark.parametrize(
    "url", ["ftp://ftp.example/file", "javascript:alert(1)", "file:///etc/passwd", "mailto:a@b.c"]
)
def test_non_http_schemes_are_reported_not_fetched(
    fakeweb: FakeWeb, tmp_path: Path, url: str
) -> None:
    settings = fake_settings(fakeweb, tmp_path)
    results, stats = check_urls(settings, [url])
    assert results[url].status == LinkStatus.ERROR
    assert "not http(s)" in (results[url].note or "")
    assert stats.requests == 0
    assert fakeweb.requests == []


def test_redirect_to_another_scheme_is_refused(fakeweb: FakeWeb, tmp_path: Path) -> None:
    site(fakeweb, "evil.example", "/x", status=302, location="file:///etc/passwd")
    settings = fake_settings(fakeweb, tmp_path)
    result = check_urls(settings, ["https://evil.example/x"])[0]["https://evil.example/x"]
    assert result.status == LinkStatus.ERROR
    assert "redirect refused" in (result.note or "")


def test_redirect_hops_are_capped(fakeweb: FakeWeb, tmp_path: Path) -> None:
    site(fakeweb, "loop.example", "/a", status=302, location="/b")
    site(fakeweb, "loop.example", "/b", status=302, location="/a")
    settings = fake_settings(fakeweb, tmp_path, max_redirects=5)
    result = check_urls(settings, ["https://loop.example/a"])[0]["https://loop.example/a"]
    assert result.status == LinkStatus.ERROR
    assert "more than 5 redirects" in (result.note or "")
    assert len(fakeweb.requests_to("/web/loop.example/")) == 6


def test_private_addresses_are_refused_by_default(fakeweb: FakeWeb, tmp_path: Path) -> None:
    settings = fake_settings(
        fakeweb, tmp_path, env={"PIPELINE_ALLOW_PRIVATE_HOSTS": "0", "PIPELINE_REMAP": ""}
    )
    settings = dataclasses.replace(settings, remap=())
    urls = [
        f"{fakeweb.url}/web/ok.example/",
        f"http://localhost:{fakeweb.port}/web/ok.example/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://10.0.0.1/",
    ]
    results, stats = check_urls(settings, urls)
    for url in urls:
        assert results[url].status == LinkStatus.ERROR, url
        assert "refused" in (results[url].note or ""), url
    assert stats.requests == 0
    assert fakeweb.requests == []


def test_resolver_refuses_names_that_resolve_to_loopback() -> None:
    async def resolve(allow: bool) -> list[str]:
        resolver = GuardedResolver(allow_private=allow)
        return [r["host"] for r in await resolver.resolve("localhost", 80)]

    with pytest.raises(AddressRefused):
        asyncio.run(resolve(False))
    assert "127.0.0.1" in asyncio.run(resolve(True))


def test_guard_rules() -> None:
    assert refusal("https://example.org/x", allow_private=False) is None
    assert refusal("http://127.0.0.1/", allow_private=True) is None
    assert refusal("http://192.168.1.1/", allow_private=False) is not None
    assert refusal("http://[::ffff:127.0.0.1]/", allow_private=False) is not None
    assert refusal("http://example.org:99999/", allow_private=False) is not None
    assert is_internal("fe80::1")
    assert is_internal("169.254.169.254")
    assert not is_internal("93.184.216.34")


def test_normalization_and_remap_decide_what_is_the_same_url(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    settings = fake_settings(fakeweb, tmp_path)
    assert normalize("HTTPS://Example.ORG:443#top") == "https://example.org/"
    assert normalize("http://example.org:8080/a?b=1#c") == "http://example.org:8080/a?b=1"
    assert fetch_key("https://ok.example/x#a", settings) == fetch_key(
        "HTTPS://OK.example/x", settings
    )
    assert fetch_key("https://ok.example/x", settings).startswith(fakeweb.url)


def test_retry_after_forms() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_connection_refused_hosts_are_not_dead(tmp_path: Path, fakeweb: FakeWeb) -> None:
    from tests.fakeweb.core import free_port

    closed = free_port()
    settings = fake_settings(
        fakeweb,
        tmp_path,
        env={"PIPELINE_REMAP": rf"^https?://([^/]+)/?(.*)$ http://127.0.0.1:{closed}/\1/\2"},
    )
    urls = [f"https://h{i}.example/p{j}" for i in range(8) for j in range(3)]
    results, stats = check_urls(settings, urls)
    assert all(r.status == LinkStatus.ERROR and not r.certain for r in results.values())
    assert stats.answers == 0
    # The breakers stop asking: far fewer requests than 24 URLs x 3 tries.
    assert stats.requests < len(urls) * 3


def test_per_host_per_second_spaces_requests(fakeweb: FakeWeb, tmp_path: Path) -> None:
    settings = fake_settings(fakeweb, tmp_path, per_host_per_second=20.0, per_host=4)
    urls = [f"https://paced.example/{i}" for i in range(5)] + ["https://other.example/"]
    results, _ = check_urls(settings, urls)
    assert all(r.status == LinkStatus.OK for r in results.values())
    times = sorted(r.time for r in fakeweb.requests_to("/web/paced.example/"))
    # 20 requests per second: five starts span at least 4 x 50 ms (less a little for the
    # time a request takes to reach the server, which varies).
    assert len(times) == 5
    assert times[-1] - times[0] >= 0.18


def test_retry_budget_bounds_all_retries(fakeweb: FakeWeb, tmp_path: Path) -> None:
    site(fakeweb, "hang.example", delay=30)
    settings = fake_settings(
        fakeweb, tmp_path, timeout_seconds=0.3, retry_attempts=11, retry_budget_seconds=0.8
    )
    result = check_urls(settings, ["https://hang.example/x"])[0]["https://hang.example/x"]
    assert result.status == LinkStatus.TIMEOUT
    # 0.8 s of budget for 0.3 s tries with short backoffs: a few tries, never eleven.
    assert 2 <= len(hits(fakeweb, "hang.example", "/x")) <= 3


# -- scheduling --------------------------------------------------------------------------------
def test_urls_go_one_host_at_a_time_longest_queue_first() -> None:
    urls = ["https://a.example/1", "https://a.example/2", "https://b.example/1"]
    urls += [f"https://big.example/{i}" for i in range(3)] + ["https://c.example/1"]
    assert interleave_hosts(urls) == [
        "https://big.example/0",
        "https://a.example/1",
        "https://b.example/1",
        "https://c.example/1",
        "https://big.example/1",
        "https://a.example/2",
        "https://big.example/2",
    ]
    assert interleave_hosts([]) == []


def test_a_freed_slot_goes_to_the_host_with_most_urls_left() -> None:
    async def run() -> list[str]:
        slots = GlobalSlots(1)
        order: list[str] = []
        small, big = _host_with(1), _host_with(9)
        holder = slots.slot(small, small.left)
        await holder.__aenter__()

        async def ask(name: str, host: HostState) -> None:
            async with slots.slot(host, host.left):
                order.append(name)

        waiting = [asyncio.create_task(ask(n, h)) for n, h in [("small", small), ("big", big)]]
        await asyncio.sleep(0)
        await holder.__aexit__(None, None, None)
        await asyncio.gather(*waiting)
        return order

    assert asyncio.run(run()) == ["big", "small"]


def test_a_cancelled_waiter_never_keeps_a_slot() -> None:
    async def run() -> int:
        slots = GlobalSlots(1)
        host = _host_with(1)
        holder = slots.slot(host, host.left)
        await holder.__aenter__()
        cancelled_early = asyncio.create_task(_hold(slots, host, 0))
        handed_then_cancelled = asyncio.create_task(_hold(slots, host, 0))
        await asyncio.sleep(0)
        cancelled_early.cancel()
        await asyncio.sleep(0)
        await holder.__aexit__(None, None, None)  # hands the slot to the second waiter...
        handed_then_cancelled.cancel()  # ...which is cancelled before it runs: passes it on
        for task in (cancelled_early, handed_then_cancelled):
            with pytest.raises(asyncio.CancelledError):
                await task
        # The one slot is free again: a new request gets it at once.
        await asyncio.wait_for(_hold(slots, host, 0), 1)
        return slots._free

    assert asyncio.run(run()) == 1


def test_a_slot_kept_for_a_request_that_is_cancelled_is_given_back() -> None:
    async def run() -> tuple[int, int]:
        slots = GlobalSlots(1)
        host = HostState(asyncio.Semaphore(1), Pace(), left=5)
        go = asyncio.Event()
        queued: list[asyncio.Task[None]] = []
        kept = 0

        async def first() -> None:
            nonlocal kept
            async with slots.host_slot(host), slots.slot(host, host.left):
                await go.wait()
            # Its global slot is now kept for the queued request, its host slot handed to
            # it; that request is cancelled before it runs.
            kept = host.reserved
            queued[0].cancel()

        async def second() -> None:
            async with slots.host_slot(host), slots.slot(host, host.left):
                pass

        a = asyncio.create_task(first())
        await asyncio.sleep(0)
        queued.append(asyncio.create_task(second()))
        await asyncio.sleep(0)
        go.set()
        await a
        with pytest.raises(asyncio.CancelledError):
            await queued[0]
        await asyncio.wait_for(_hold(slots, _host_with(1), 0), 1)  # the slot is free again
        return kept, host.reserved

    assert asyncio.run(run()) == (1, 0)


def _host_with(left: int) -> HostState:
    return HostState(asyncio.Semaphore(4), Pace(), left=left)


async def _hold(slots: GlobalSlots, host: HostState, seconds: float) -> None:
    async with slots.slot(host, host.left):
        await asyncio.sleep(seconds)


def test_the_longest_queue_keeps_its_host_slots_busy(fakeweb: FakeWeb, tmp_path: Path) -> None:
    # One host with 12 URLs (2 at a time) listed after 12 hosts with one URL each, 3 slots in
    # all, every answer as slow: first come, first served would drain the small hosts first
    # and leave the big one to the end, 2 at a time (10 rounds instead of 8).
    hosts = ["big.example"] + [f"small{i}.example" for i in range(12)]
    for host in hosts:
        site(fakeweb, host, delay=0.05)
    settings = fake_settings(fakeweb, tmp_path, per_host=2, concurrency=3)
    big = [f"https://big.example/{i}" for i in range(12)]
    small = [f"https://small{i}.example/p" for i in range(12)]
    results, _ = check_urls(settings, small + big)
    assert all(r.status == LinkStatus.OK for r in results.values())
    order = [r.path for r in fakeweb.requests]
    big_last = max(i for i, p in enumerate(order) if p.startswith("/web/big.example/"))
    # The big host got its two slots all along: small hosts were still waiting when it ended.
    assert big_last < len(order) - 3


def test_the_time_budget_runs_from_the_first_request_not_the_queue(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    # 8 URLs through one slot at 0.1 s each: the last waits 0.7 s, beyond its 0.4 s budget.
    site(fakeweb, "queue.example", delay=0.1)
    settings = fake_settings(
        fakeweb, tmp_path, per_host=1, retry_budget_seconds=0.4, timeout_seconds=1.0
    )
    urls = [f"https://queue.example/{i}" for i in range(8)]
    results, stats = check_urls(settings, urls)
    assert {u: r.status for u, r in results.items()} == dict.fromkeys(urls, LinkStatus.OK)
    assert stats.requests == 8


def test_a_redirect_hop_goes_before_new_urls(fakeweb: FakeWeb, tmp_path: Path) -> None:
    # 15 hosts of 4 URLs through 4 slots; a move whose target is on a host no list names
    # (no URLs left of its own) is followed at once, not after everything else.
    hosts = [f"h{i}.example" for i in range(15)]
    for host in hosts:
        site(fakeweb, host, delay=0.05)
    site(fakeweb, "r.example", "/p", status=301, location="https://t.example/p")
    settings = fake_settings(fakeweb, tmp_path, concurrency=4, per_host=1)
    urls = ["https://r.example/p"] + [f"https://{h}/{j}" for h in hosts for j in range(4)]
    urls += [f"https://r.example/{j}" for j in range(3)]  # asked early: as many URLs as any
    results, _ = check_urls(settings, urls)
    assert results["https://r.example/p"].status == LinkStatus.MOVED
    order = [r.path for r in fakeweb.requests]
    # Among the next requests once the move is answered (4 slots, 4 in flight before it).
    assert order.index("/web/t.example/p") - order.index("/web/r.example/p") <= 5, order
