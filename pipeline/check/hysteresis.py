"""Hysteresis against the previous run: a certain failure is ``failing`` first and ``dead``
only after ``dead_after`` consecutive failing runs; success resets the count.
"""

from __future__ import annotations

from dataclasses import replace

from pipeline.check.classify import Fetched
from pipeline.check.targets import Target
from pipeline.models import LinkResult, LinkStatus

GOOD = frozenset({LinkStatus.OK, LinkStatus.REDIRECTED, LinkStatus.MOVED})


def settle(
    target: Target,
    fetched: Fetched,
    previous: LinkResult | None,
    *,
    dead_after: int,
    checked_at: str,
) -> LinkResult:
    """The LinkResult for this run: certain failures count up to ``dead``; success resets."""
    failures = previous.failures if previous is not None else 0
    status = fetched.status
    if fetched.certain:
        failures += 1
        status = LinkStatus.DEAD if failures >= dead_after else LinkStatus.FAILING
    elif status in GOOD:
        failures = 0
    note = fetched.note
    if fetched.hops:
        # The chain as followed, so the report can show where a link leads now.
        chain = "; ".join(fetched.hops)
        note = f"{note}; redirects: {chain}" if note else f"redirects: {chain}"
    return LinkResult(
        url=target.url,
        status=status,
        final_url=fetched.final_url,
        http_status=fetched.http_status,
        checked_at=checked_at,
        found_in=sorted(target.found_in),
        failures=failures,
        note=note,
    )


def kept(target: Target, previous: LinkResult | None, why: str) -> LinkResult:
    """The previous result (or ``unchecked``) for a run that could not check the link."""
    if previous is None:
        return LinkResult(url=target.url, found_in=sorted(target.found_in), note=why)
    return replace(previous, found_in=sorted(target.found_in))
