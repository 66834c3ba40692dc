"""Retries: exponential backoff with full jitter, Retry-After honoured, then a dead letter."""

from __future__ import annotations

import pytest
from small_distributor import order

from reference.hub import (
    CallSystem,
    DeadLetter,
    FailureKind,
    Operation,
    PlaceOrder,
    ReplayDeadLetter,
    RetryCall,
    RetryPolicy,
    ScheduleTimer,
    SystemCallFailed,
    call_id,
)
from reference.hub.retry import jitter


def test_full_jitter_stays_under_the_exponential_ceiling_and_the_cap():
    policy = RetryPolicy(base=0.5, cap=4.0, max_attempts=10)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (7, 4.0)]:
        assert policy.delay(attempt, FailureKind.SERVER_ERROR, None, 0.999999) == pytest.approx(
            ceiling, rel=1e-5
        )
        assert policy.delay(attempt, FailureKind.SERVER_ERROR, None, 0.0) == 0.0


def test_retry_after_is_a_floor_that_jitter_never_shortens():
    assert RetryPolicy().delay(1, FailureKind.THROTTLED, 30.0, 0.5) == 30.0


def test_client_errors_and_the_last_attempt_are_not_retried():
    policy = RetryPolicy(max_attempts=3)
    assert policy.delay(1, FailureKind.REFUSED, None, 0.5) is None
    assert policy.delay(3, FailureKind.SERVER_ERROR, None, 0.5) is None


def test_every_failure_but_a_refusal_is_retried():
    policy = RetryPolicy(max_attempts=3)
    retried = {kind for kind in FailureKind if policy.delay(1, kind, None, 0.5) is not None}
    assert retried == {"5xx", "timeout", "429", "unavailable"}


def test_a_bad_policy_names_the_value():
    with pytest.raises(ValueError, match=r"max_attempts\(=0\)"):
        RetryPolicy(max_attempts=0)


def test_jitter_is_fixed_by_seed_call_and_attempt():
    assert jitter(7, "SO-1:rate:tms", 2) == jitter(7, "SO-1:rate:tms", 2)
    assert jitter(7, "SO-1:rate:tms", 2) != jitter(8, "SO-1:rate:tms", 2)


def test_failed_calls_are_retried_then_dead_lettered_and_can_be_replayed(driver_for):
    driver = driver_for({}, retry=RetryPolicy(base=1.0, cap=8.0, max_attempts=3))
    hub = driver.hub
    hub.decide(PlaceOrder(order(("BREAKER-20A", 1)), "SO-1", "corr-9"), 0.0)
    check = Operation.CHECK_ORDER
    call = CallSystem(call_id("SO-1", check, "erp"), "erp", check, {}, "SO-1", "corr-9")
    first = hub.decide(SystemCallFailed(call, FailureKind.SERVER_ERROR), 10.0)
    (timer,) = first.effects
    assert isinstance(timer, ScheduleTimer) and 10.0 <= timer.at <= 11.0
    assert timer.message == RetryCall(call.retried())
    (again,) = hub.decide(timer.message, timer.at).effects
    assert again == call.retried()
    throttled = hub.decide(SystemCallFailed(again, FailureKind.THROTTLED, retry_after=20.0), 12.0)
    assert throttled.effects[0].at == 32.0
    third = call.retried().retried()
    dead = hub.decide(SystemCallFailed(third, FailureKind.TIMEOUT), 40.0)
    assert isinstance(dead.effects[0], DeadLetter)
    assert "erp.check_order failed after 3 attempt(s): timeout" in dead.effects[0].reason
    assert dead.events[0].type == "MessageDeadLettered"
    assert dead.events[0].correlation_id == "corr-9"
    (replayed,) = hub.decide(ReplayDeadLetter(third), 50.0).effects
    assert replayed.attempt == 1 and replayed.call_id == call.call_id
