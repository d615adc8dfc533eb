"""The transport's one retry rule and one pacing rule, on their own: an injected clock, sleep and
random draw, so no test waits for the seconds it reasons about."""

from __future__ import annotations

import asyncio
import threading

import pytest

from pipeline.errors import Refused, Transient
from pipeline.transport.pace import Pace, Pacer
from pipeline.transport.retry import (
    JITTER,
    Failure,
    Policy,
    Tried,
    failure_of,
    parse_retry_after,
    retry_async,
    retry_sync,
    status_failure,
)

POLICY = Policy(attempts=5, backoff=1.0, backoff_max=6.0, retry_after_cap=10.0, budget=100.0)


class Clock:
    """A clock that moves only when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


def test_backoff_doubles_up_to_its_maximum() -> None:
    assert [POLICY.backoff_for(n, 0.0) for n in range(1, 6)] == [1.0, 2.0, 4.0, 6.0, 6.0]


@pytest.mark.parametrize("draw", [0.0, 0.3, 0.999999])
def test_jitter_takes_at_most_a_quarter_and_never_adds(draw: float) -> None:
    for tries in range(1, 6):
        base = POLICY.backoff_for(tries, 0.0)
        wait = POLICY.backoff_for(tries, draw)
        assert base * (1 - JITTER) < wait <= base
        assert wait == pytest.approx(base * (1 - JITTER * draw))


def test_retry_after_within_the_cap_is_waited_when_longer_than_the_backoff() -> None:
    step = POLICY.step(1, Failure("HTTP 429", 7.5), 0.0, left=None)
    assert (step.wait, step.stop) == (7.5, None)
    # A shorter Retry-After than the backoff: the backoff, the longer of the two.
    step = POLICY.step(3, Failure("HTTP 503", 0.5), 0.0, left=None)
    assert (step.wait, step.stop) == (4.0, None)
    # Exactly the cap is still within it.
    assert POLICY.step(1, Failure("HTTP 429", 10.0), 0.0, left=None).wait == 10.0


def test_retry_after_beyond_the_cap_stops_at_once_and_says_so() -> None:
    step = POLICY.step(1, Failure("HTTP 429", 10.5), 0.0, left=None)
    assert step.beyond_cap and step.wait == 0.0
    assert step.stop == "Retry-After 10.5s is beyond the cap of 10s"


def test_tries_and_budget_end_the_retries() -> None:
    assert POLICY.step(5, Failure("HTTP 500"), 0.0, left=None).stop == "after 5 tries"
    step = POLICY.step(3, Failure("HTTP 500"), 0.0, left=3.9)  # 4 s of backoff, 3.9 s left
    assert step.stop == "time budget spent after 3 tries" and not step.beyond_cap
    assert POLICY.step(3, Failure("HTTP 500"), 0.0, left=4.0).stop is None


def test_the_sync_loop_waits_by_the_rule_and_returns_the_last_outcome() -> None:
    clock = Clock()
    answers = iter([Transient("HTTP 503"), Transient("HTTP 429", 5.0), "the answer"])
    tried = retry_sync(
        POLICY, lambda: next(answers), failure_of, clock=clock, sleep=clock.sleep, draw=lambda: 0
    )
    assert tried == Tried("the answer", 3, None)
    assert clock.slept == [1.0, 5.0]


def test_the_sync_loop_stops_after_its_tries_with_the_failure() -> None:
    clock = Clock()
    tried = retry_sync(
        POLICY, lambda: Transient("timeout"), failure_of, clock=clock, sleep=clock.sleep
    )
    assert isinstance(tried.value, Transient) and tried.tries == 5
    assert tried.ended is not None and tried.ended.stop == "after 5 tries"
    assert len(clock.slept) == 4 and all(0.75 <= w <= 6.0 for w in clock.slept)


def test_the_budget_counts_from_the_first_try() -> None:
    clock = Clock()
    policy = Policy(attempts=50, backoff=1.0, backoff_max=1.0, retry_after_cap=10, budget=3.5)
    tried = retry_sync(
        policy, lambda: Transient("x"), failure_of, clock=clock, sleep=clock.sleep, draw=lambda: 0
    )
    assert tried.tries == 4 and clock.slept == [1.0, 1.0, 1.0]


def test_a_refusal_is_the_outcome_at_once() -> None:
    clock = Clock()
    tried = retry_sync(POLICY, lambda: Refused("HTTP 403"), failure_of, sleep=clock.sleep)
    assert tried.tries == 1 and tried.ended is None and clock.slept == []


def test_the_async_loop_keeps_the_same_rule_and_its_callers_deadline() -> None:
    clock = Clock()
    results = iter([Failure("HTTP 503"), Failure("HTTP 429", 2.0), None])

    async def attempt() -> Failure | None:
        return next(results)

    tried = asyncio.run(
        retry_async(POLICY, attempt, lambda f: f, clock=clock, sleep=clock.asleep, draw=lambda: 0)
    )
    assert tried.tries == 3 and tried.value is None and clock.slept == [1.0, 2.0]

    clock = Clock()
    ends = clock.now + 2.5  # the caller's own deadline, not the policy's budget
    tried = asyncio.run(
        retry_async(
            POLICY,
            lambda: asyncio.sleep(0, Failure("HTTP 500")),
            lambda f: f,
            deadline=lambda: ends,
            clock=clock,
            sleep=clock.asleep,
            draw=lambda: 0,
        )
    )
    assert tried.tries == 2 and clock.slept == [1.0]  # 1 s, then 2 s would pass the deadline
    stopped = asyncio.run(
        retry_async(
            POLICY, lambda: asyncio.sleep(0, Failure("x")), lambda f: f, give_up=lambda: True
        )
    )
    assert stopped.tries == 1 and stopped.ended is not None and stopped.ended.stop == "given up"


def test_what_is_worth_another_try() -> None:
    assert status_failure(429, {"Retry-After": "3"}) == Failure("HTTP 429", 3.0)
    assert status_failure(503, {"retry-after": "0.5"}) == Failure("HTTP 503", 0.5)
    assert status_failure(500, {}) == Failure("HTTP 500", None)
    assert all(status_failure(code, {}) is None for code in (200, 304, 400, 403, 404, 410))
    assert failure_of(Transient("garbage", 2.0)) == Failure("garbage", 2.0)
    assert failure_of(Refused("HTTP 401")) is None and failure_of("an answer") is None


def test_retry_after_is_read_in_both_forms() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(" 0.25 ") == 0.25
    now = 1445412480.0  # Wed, 21 Oct 2015 07:28:00 GMT
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now=lambda: now) == 30.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now=lambda: now) == 0.0
    for unreadable in (None, "", "soon", "-5", "nan"):
        assert parse_retry_after(unreadable) is None, unreadable


def test_a_pace_spaces_requests_and_learns_the_services_rate() -> None:
    clock = Clock()
    pace = Pace(4.0, clock=clock)
    asyncio.run(_three_turns(pace, clock))
    assert clock.slept == [0.25, 0.25]
    pace.learn({"x-rate-limit-limit": "50", "x-rate-limit-interval": "1s"})
    assert pace.gap == pytest.approx(0.02)
    pace.learn({"x-rate-limit-limit": "garbage", "x-rate-limit-interval": "1s"})
    assert pace.gap == pytest.approx(0.02)  # an unreadable header changes nothing
    assert Pace(None).gap == 0.0 and Pace(0.0).gap == 0.0


async def _three_turns(pace: Pace, clock: Clock) -> None:
    for _ in range(3):
        assert await pace.wait_async(sleep=clock.asleep)


def test_a_turn_after_the_deadline_is_refused_without_waiting() -> None:
    clock = Clock()
    pace = Pace(0.5, clock=clock)  # one every 2 s
    assert pace.wait(deadline=clock.now + 60)
    assert not pace.wait(deadline=clock.now + 1)  # its turn is 2 s away
    assert not asyncio.run(pace.wait_async(deadline=clock.now + 1, sleep=clock.asleep))
    assert clock.slept == []
    assert not Pace(clock=clock).wait(deadline=clock.now - 1)  # past the budget: no turn at all


def test_a_learned_rate_shortens_the_wait_of_a_thread_already_waiting() -> None:
    pace = Pace(0.01)  # one every 100 s, until the service says otherwise
    assert pace.wait()
    done = threading.Event()

    def wait() -> None:
        pace.wait()
        done.set()

    waiter = threading.Thread(target=wait)
    waiter.start()
    pace.learn({"x-rate-limit-limit": "1000", "x-rate-limit-interval": "1s"})
    assert done.wait(timeout=10)
    waiter.join()


def test_a_pacer_limits_requests_in_flight_and_paces_each_kind() -> None:
    pacer = Pacer(2, {"list": 3.0, "single": 10.0})
    assert pacer.pace("list").gap == pytest.approx(1 / 3)
    assert pacer.pace("single").gap == pytest.approx(0.1)
    assert pacer.pace("list") is pacer.pace("list")
    assert pacer.pace("other").gap == 0.0
    held = [pacer.slot(), pacer.slot()]
    for slot in held:
        slot.__enter__()
    third = threading.Thread(target=lambda: pacer.slot().__enter__())
    third.start()
    third.join(timeout=0.2)
    assert third.is_alive()  # waits for one of the two slots
    held[0].__exit__(None, None, None)
    third.join(timeout=10)
    assert not third.is_alive()


def test_a_pace_that_learns_waits_for_an_answer_that_may_lift_its_gap() -> None:
    # One request every 2 s by default, 1 s of budget left: a pace that learns its rate from
    # the answers waits (the first answer may lift the default), one that cannot is refused.
    for learns, expected in ((True, True), (False, False)):
        clock = Clock()
        pace = Pace(0.5, learns=learns, clock=clock)
        assert pace.wait()
        asked: list[float] = []

        async def answer_arrives(
            seconds: float, pace: Pace = pace, clock: Clock = clock, asked: list[float] = asked
        ) -> None:
            asked.append(seconds)
            pace.learn({"x-rate-limit-limit": "100", "x-rate-limit-interval": "1s"})
            clock.now += 0.05  # woken early: the gap is now 10 ms

        turn = pace.wait_async(deadline=clock.now + 1.0, sleep=answer_arrives)
        assert asyncio.run(turn) is expected
        assert asked == ([1.0] if learns else [])
