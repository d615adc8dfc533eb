"""The fast settings the fault tests start from, defined once.

Milliseconds of backoff and sub-second timeouts: a fault costs little time, yet every retry
path really runs. A test that needs other values says which (``fast_toml(check={…})``).
"""

from __future__ import annotations

from collections.abc import Mapping

from pipeline.config import ResolveSettings

FAST_RESOLVE_FIELDS: dict[str, float | int] = {
    "timeout_seconds": 0.5,
    "backoff_seconds": 0.001,
    "retry_attempts": 3,
    "retry_budget_seconds": 3.0,
    "retry_after_cap_seconds": 2.0,
    "breaker_after": 3,
    # The fake services answer at once; Crossref's limits come in the fake's answers.
    "openalex_per_second": 1000.0,
    "s2_per_second": 1000.0,
}
"""``[resolve]`` settings of the resolve fault tests."""

FAST_RESOLVE = ResolveSettings(**FAST_RESOLVE_FIELDS)  # type: ignore[arg-type]

FAST_CHECK: dict[str, float | int] = {
    "timeout_seconds": 1.0,
    "retry_budget_seconds": 5.0,
    "retry_attempts": 3,
    "backoff_seconds": 0.01,
    "backoff_max_seconds": 0.05,
    "retry_after_cap_seconds": 2.0,
    "per_host_per_second": 0.0,
    # The request-count tests count the requests of what they test; the parking look (one
    # GET more per small host) has its own tests, which turn it on.
    "parking_look": False,
    # A quirk row's crawl delay (arxiv.org: 15 s) has its own test, which sets a short one.
    "crawl_delay_max_seconds": 0.0,
}
"""``[check]`` settings of the link-check tests."""


def _toml(value: float | int) -> str:
    return str(value).lower() if isinstance(value, bool) else repr(value)


def settings_toml(
    resolve: Mapping[str, float | int] | None = None, check: Mapping[str, float | int] | None = None
) -> str:
    """A ``pipeline.toml`` with these ``[resolve]`` and ``[check]`` values."""
    text = ""
    for section, values in (("resolve", resolve), ("check", check)):
        if values:
            text += f"[{section}]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in values.items())
    return text


def fast_toml(
    resolve: Mapping[str, float | int] | None = None, check: Mapping[str, float | int] | None = None
) -> str:
    """The fast settings as a ``pipeline.toml`` (what a user would write), with changes."""
    return settings_toml(
        {**FAST_RESOLVE_FIELDS, **(resolve or {})}, {**FAST_CHECK, **(check or {})}
    )
