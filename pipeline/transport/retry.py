"""The one retry rule of the pipeline, for every service and the link checker alike.

What is worth another try (:func:`status_failure`, :func:`failure_of`): 429 and 5xx answers,
timeouts and dropped connections (each client says which of its errors those are), and a
stage's own :class:`~pipeline.errors.Transient` (a body that does not parse, an answer about
something else). Everything else is the outcome, at once.

How long to wait before try *n + 1* (:meth:`Policy.step`):

* backoff: ``backoff_seconds × 2^(n−1)``, at most ``backoff_max_seconds``, less a random
  jitter of up to a quarter (so the retries of many requests spread out, never beyond the
  maximum);
* ``Retry-After`` (delta-seconds, a decimal too, or an HTTP date): at most
  ``retry_after_cap_seconds`` → wait the longer of it and the backoff; beyond the cap → no
  more tries, and the outcome says the server asked for longer than the cap (a link checker
  reports the link ``blocked`` when rate limited; a resolver keeps the work's last known
  record);
* no try after ``retry_attempts`` tries in all, and none whose wait would end past the
  request's time budget (``retry_budget_seconds`` from its first try, or the caller's own
  deadline).

The loops (:func:`retry_sync` for threads, :func:`retry_async` for asyncio) take the clock,
the sleep and the random draw as arguments, so the rule is tested without waiting.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from pipeline.errors import Transient

T = TypeVar("T")

JITTER = 0.25
"""The share of a backoff that is random: a wait is between 75 % and 100 % of it."""
RETRYABLE_STATUS = 429
"""Too Many Requests: worth another try (as every 5xx is)."""


class RetrySettings(Protocol):
    """The retry fields ``[resolve]`` and ``[check]`` both have (pipeline.config)."""

    @property
    def retry_attempts(self) -> int: ...
    @property
    def backoff_seconds(self) -> float: ...
    @property
    def backoff_max_seconds(self) -> float: ...
    @property
    def retry_after_cap_seconds(self) -> float: ...
    @property
    def retry_budget_seconds(self) -> float: ...


@dataclass(frozen=True)
class Failure:
    """A try that failed in a way worth another: why, and the server's ``Retry-After``."""

    reason: str
    retry_after: float | None = None


@dataclass(frozen=True)
class Step:
    """What follows a failed try: wait ``wait`` seconds and try again, or stop (``stop``:
    why not; ``beyond_cap``: the server asked to wait longer than the cap)."""

    wait: float = 0.0
    stop: str | None = None
    beyond_cap: bool = False


@dataclass(frozen=True)
class Policy:
    """The retry settings of one section (:meth:`of`), read once: tries in all, the first
    backoff and the longest, the cap on ``Retry-After`` and the time budget, in seconds."""

    attempts: int
    backoff: float
    backoff_max: float
    retry_after_cap: float
    budget: float

    @classmethod
    def of(cls, section: RetrySettings) -> Policy:
        return cls(
            attempts=max(1, section.retry_attempts),
            backoff=section.backoff_seconds,
            backoff_max=section.backoff_max_seconds,
            retry_after_cap=section.retry_after_cap_seconds,
            budget=section.retry_budget_seconds,
        )

    def backoff_for(self, tries: int, draw: float) -> float:
        """The backoff after ``tries`` failed tries; ``draw`` in [0, 1) picks the jitter."""
        base = min(self.backoff_max, self.backoff * 2.0 ** max(0, tries - 1))
        return base * (1 - JITTER * draw)

    def step(self, tries: int, failure: Failure, draw: float, left: float | None) -> Step:
        """After ``tries`` tries, the last ``failure``, with ``left`` seconds of budget."""
        asked = failure.retry_after
        if asked is not None and asked > self.retry_after_cap:
            why = f"Retry-After {asked:g}s is beyond the cap of {self.retry_after_cap:g}s"
            return Step(stop=why, beyond_cap=True)
        if tries >= self.attempts:
            return Step(stop=f"after {tries} tries")
        wait = max(self.backoff_for(tries, draw), asked or 0.0)
        if left is not None and wait > left:
            return Step(stop=f"time budget spent after {tries} tries")
        return Step(wait=wait)


@dataclass(frozen=True)
class Tried(Generic[T]):
    """The outcome of a request with its retries: the last try's value, how many tries, and
    (when it failed) the step that ended them."""

    value: T
    tries: int
    ended: Step | None = None


class _Plan:
    """The bookkeeping both loops share: tries made and the time left."""

    def __init__(
        self,
        policy: Policy,
        clock: Callable[[], float],
        draw: Callable[[], float],
        deadline: Callable[[], float | None] | None,
    ) -> None:
        self.policy, self.clock, self.draw = policy, clock, draw
        self.deadline = deadline
        self.ends = clock() + policy.budget
        self.tries = 0

    def after(self, failure: Failure | None, give_up: Callable[[], bool] | None) -> Step | None:
        """None when the try is the outcome; else the step to take."""
        self.tries += 1
        if failure is None:
            return None
        if give_up is not None and give_up():
            return Step(stop="given up")
        ends = (self.deadline() if self.deadline else None) or self.ends
        return self.policy.step(self.tries, failure, self.draw(), ends - self.clock())


def retry_sync(
    policy: Policy,
    attempt: Callable[[], T],
    failure: Callable[[T], Failure | None],
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], object] = time.sleep,
    draw: Callable[[], float] = random.random,
) -> Tried[T]:
    """Try ``attempt`` until ``failure`` says its value is no failure or the rule says stop."""
    plan = _Plan(policy, clock, draw, None)
    while True:
        value = attempt()
        step = plan.after(failure(value), None)
        if step is None or step.stop is not None:
            return Tried(value, plan.tries, step)
        sleep(step.wait)


async def retry_async(
    policy: Policy,
    attempt: Callable[[], Awaitable[T]],
    failure: Callable[[T], Failure | None],
    *,
    deadline: Callable[[], float | None] | None = None,
    give_up: Callable[[], bool] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    draw: Callable[[], float] = random.random,
) -> Tried[T]:
    """:func:`retry_sync` for asyncio. ``deadline()``: the caller's own end of the budget
    (None: ``budget`` from the first try); ``give_up()``: stop retrying now (a breaker)."""
    plan = _Plan(policy, clock, draw, deadline)
    while True:
        value = await attempt()
        step = plan.after(failure(value), give_up)
        if step is None or step.stop is not None:
            return Tried(value, plan.tries, step)
        await sleep(step.wait)


def failure_of(value: object) -> Failure | None:
    """A stage's :class:`~pipeline.errors.Transient` as a :class:`Failure`; anything else
    (an answer, a :class:`~pipeline.errors.Refused`) is the outcome."""
    if isinstance(value, Transient):
        return Failure(value.reason, value.retry_after)
    return None


def status_failure(status: int, headers: Mapping[str, str]) -> Failure | None:
    """An HTTP answer worth another try (429, 5xx) as a :class:`Failure`, else None."""
    if status != RETRYABLE_STATUS and status < 500:
        return None
    header = headers.get("Retry-After") or headers.get("retry-after")
    return Failure(f"HTTP {status}", parse_retry_after(header))


def parse_retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """``Retry-After`` as seconds from now: delta-seconds (a decimal is read too) or an HTTP
    date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return seconds if seconds >= 0 and seconds == seconds else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now())
