"""The persistent HTTP cache: keys, replacement, bounded size; failures never stored."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline.cache import CachedResponse, HttpCache, request_key
from pipeline.resolve.fetch import Fetcher, Unavailable
from tests.fakeweb import FakeWeb
from tests.helpers.resolve import fast_settings


def test_key_covers_method_url_and_accept_only() -> None:
    url = "https://api.crossref.org/works/10.1/x"
    base = request_key("GET", url)
    assert request_key("get", url) == base
    assert request_key("GET", url, {"User-Agent": "other"}) == base
    assert request_key("GET", url, {"Accept": "application/json"}) != base
    assert request_key("GET", url + "?rows=5") != base
    assert request_key("HEAD", url) != base


def test_put_get_replace_and_prune(tmp_path: Path) -> None:
    cache = HttpCache(tmp_path)
    key = request_key("GET", "http://x/1")
    cache.put(key, CachedResponse("http://x/1", 200, b"one", {"etag": '"a"'}, etag='"a"'))
    cache.put(key, CachedResponse("http://x/1", 200, b"two", etag='"b"'))
    got = cache.get(key)
    assert got is not None and (got.body, got.etag) == (b"two", '"b"')
    assert len(cache) == 1
    assert got.age() < 60
    assert cache.prune(unused_for=3600) == 0
    time.sleep(0.01)
    assert cache.prune(unused_for=0.001) == 1 and len(cache) == 0
    # A read refreshes the last-use time (coarsely), so what is used is never pruned.
    cache.put(key, CachedResponse("http://x/1", 200, b"one"))
    cache._db.execute("UPDATE responses SET used_at=0")
    assert cache.get(key) is not None
    assert cache.prune(unused_for=3600) == 0
    cache.close()
    # Persistent: a new process (here: a new object) sees what was stored.
    cache = HttpCache(tmp_path)
    cache.put(key, CachedResponse("http://x/1", 200, b"three"))
    cache.close()
    again = HttpCache(tmp_path).get(key)
    assert again is not None and again.body == b"three"


@pytest.mark.network
def test_failures_are_never_cached_and_successes_are(fakeweb: FakeWeb, tmp_path: Path) -> None:
    settings = fast_settings(fakeweb, tmp_path)
    cache = HttpCache(settings.cache_path)
    fetcher = Fetcher(settings, cache)
    url = f"{settings.endpoints.crossref}/works/10.3390/rs11060612"
    fakeweb.add_fault("status", r"/crossref/works/10\.3390", status=503)
    with pytest.raises(Unavailable):
        fetcher.get(url)
    assert len(cache) == 0
    fakeweb.clear()
    assert fetcher.get(url).status_code == 200
    missing = fetcher.get(f"{settings.endpoints.crossref}/works/10.9999/none")
    assert missing.status_code == 404  # the service's answer: stored like a success
    assert len(cache) == 2
    fakeweb.clear()
    assert fetcher.get(url).status_code == 200
    assert fakeweb.requests == []


@pytest.mark.network
def test_stale_entries_are_asked_again_and_kept_when_the_service_fails(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    settings = fast_settings(fakeweb, tmp_path, cache_max_age_seconds=0.0)
    cache = HttpCache(settings.cache_path)
    url = f"{settings.endpoints.crossref}/works/10.3390/rs11060612"
    Fetcher(settings, cache).get(url)
    fakeweb.clear()
    fakeweb.add_fault("status", "/crossref/", status=500)
    fetcher = Fetcher(settings, cache)
    response = fetcher.get(url)  # stale, refetch fails: the stored answer is returned
    assert response.status_code == 200 and b"rs11060612" in response.content
    assert fetcher.failed == {"crossref"}
    assert len(fakeweb.requests) == settings.resolve.retry_attempts


@pytest.mark.network
def test_stale_entry_is_revalidated_with_its_etag(fakeweb: FakeWeb, tmp_path: Path) -> None:
    settings = fast_settings(fakeweb, tmp_path, cache_max_age_seconds=0.0)
    cache = HttpCache(settings.cache_path)
    url = f"{settings.endpoints.crossref}/works/10.3390/rs11060612"
    stored = CachedResponse(url, 200, b'{"message": {"stored": true}}', etag='"v1"', fetched_at=1.0)
    cache.put(request_key("GET", url), stored)
    fakeweb.add_fault("status", r"/crossref/works/10\.3390", status=304, times=1)
    fetcher = Fetcher(settings, cache)
    response = fetcher.get(url)
    (request,) = fakeweb.requests
    assert request.headers["If-None-Match"] == '"v1"'
    assert response.status_code == 200 and response.content == stored.body  # 304: kept
    refreshed = cache.get(request_key("GET", url))
    assert refreshed is not None and refreshed.fetched_at > 1.0
    # Next time the service answers in full: the new body replaces the old one by key.
    fetcher.get(url)
    again = cache.get(request_key("GET", url))
    assert again is not None and b"rs11060612" in again.body and len(cache) == 1
