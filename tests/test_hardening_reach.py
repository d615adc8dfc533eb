"""What the link checker may reach, beyond tests/test_check_links.py.

That file has: non-http(s) schemes refused without a request, a redirect to ``file:`` refused,
redirect hops capped, body reads capped, IP literals and names resolving to loopback refused
by default. Missing there and tested here: a public page that *redirects* to a private,
loopback or link-local address (the cloud metadata endpoint) with the guard on, and the
guard's default being on when nothing is configured.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pipeline.config import load_settings
from pipeline.models import LinkStatus
from tests.fakeweb import FakeWeb
from tests.fakeweb.sites import site
from tests.helpers.check import check_urls, fake_settings

pytestmark = pytest.mark.network

TARGETS = [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://127.0.0.1:22/",
    "http://localhost/admin",
    "http://10.0.0.1/",
    "http://[::ffff:169.254.169.254]/",
    "http://0.0.0.0:8080/",
]


@pytest.mark.parametrize("target", TARGETS)
def test_a_redirect_to_an_internal_address_is_refused(
    fakeweb: FakeWeb, tmp_path: Path, target: str
) -> None:
    # The list's URL is public; the remap sends it to the fake web (its own loopback address
    # is fine: the guard judges the URL as the list names it and every hop's target).
    site(fakeweb, "public.example", "/paper", status=302, location=target)
    settings = fake_settings(fakeweb, tmp_path, env={"PIPELINE_ALLOW_PRIVATE_HOSTS": "0"})
    assert not settings.allow_private_hosts
    url = "https://public.example/paper"
    results, stats = check_urls(settings, [url])
    assert results[url].status == LinkStatus.ERROR
    assert "redirect refused" in (results[url].note or ""), results[url].note
    # One request (the public page); the internal target was never asked.
    assert stats.requests == 1
    assert [r.path for r in fakeweb.requests] == ["/web/public.example/paper"]


def test_the_guard_is_on_unless_configured_off(tmp_path: Path) -> None:
    assert not load_settings(root=tmp_path, environ={}).allow_private_hosts
    on = load_settings(root=tmp_path, environ={"PIPELINE_ALLOW_PRIVATE_HOSTS": "1"})
    assert on.allow_private_hosts
    settings = dataclasses.replace(on, allow_private_hosts=False)
    assert not settings.allow_private_hosts


def test_control_with_the_guard_off_the_redirect_is_followed(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    """The same redirect with the guard off reaches the target (through the remap): the
    refusal above is the guard's doing, not the fake web's."""
    site(fakeweb, "public.example", "/paper", status=302, location=TARGETS[0])
    settings = fake_settings(fakeweb, tmp_path, env={"PIPELINE_ALLOW_PRIVATE_HOSTS": "1"})
    check_urls(settings, ["https://public.example/paper"])
    assert any(r.path.startswith("/web/169.254.169.254/") for r in fakeweb.requests)
