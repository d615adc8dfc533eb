"""The link checker's shipped limits, watched from the server through real sockets: each host
gets its ``per_host`` requests at once, and the run never more than ``concurrency``."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import CheckSettings, load_settings
from pipeline.models import LinkStatus
from tests.fakeweb import FakeWeb
from tests.fakeweb.sites import InFlight, site
from tests.helpers.check import check_urls

pytestmark = pytest.mark.network

SHIPPED = CheckSettings()
ANSWER_SECONDS = 0.2
"""How long every page takes to answer: a real host's usual time, not a slow one."""


def _in_flight(web: FakeWeb, root: Path, hosts: list[str]) -> InFlight:
    """Check two rounds of ``per_host`` URLs on each host with the defaults a user gets."""
    settings = load_settings(root=root, environ=web.env())
    assert settings.check == SHIPPED  # no pipeline.toml
    for host in hosts:
        site(web, host, delay=ANSWER_SECONDS)
    urls = [f"https://{h}/{j}" for h in hosts for j in range(2 * SHIPPED.per_host)]
    results, _ = check_urls(settings, urls)
    assert {r.status for r in results.values()} == {LinkStatus.OK}
    flight: InFlight = web.data["site_in_flight"]
    assert set(flight.key_most) == set(hosts)
    assert max(flight.key_most.values()) <= SHIPPED.per_host
    assert flight.most <= SHIPPED.concurrency
    return flight


def test_every_host_gets_its_per_host_slots_at_once(fakeweb: FakeWeb, tmp_path: Path) -> None:
    # As many hosts as the global limit serves at their per-host limit: neither the global
    # limit nor the request rate may leave a host's slots idle.
    hosts = [f"h{i}.example" for i in range(SHIPPED.concurrency // SHIPPED.per_host)]
    flight = _in_flight(fakeweb, tmp_path, hosts)
    assert set(flight.key_most.values()) == {SHIPPED.per_host}, dict(flight.key_most)


def test_more_hosts_than_slots_fill_the_global_limit(fakeweb: FakeWeb, tmp_path: Path) -> None:
    # More hosts than that: the global limit binds, and is used in full, never exceeded.
    hosts = [f"h{i}.example" for i in range(SHIPPED.concurrency // SHIPPED.per_host + 8)]
    flight = _in_flight(fakeweb, tmp_path, hosts)
    assert flight.most == SHIPPED.concurrency
    assert max(flight.key_most.values()) == SHIPPED.per_host
