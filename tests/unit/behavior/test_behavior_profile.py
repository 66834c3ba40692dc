import numpy as np
import pytest
from pydantic import ValidationError

from simulators.behavior import (
    OK,
    SERVER_ERROR,
    THROTTLED,
    TIMEOUT,
    UNAVAILABLE,
    BehaviorSpec,
    CallOutcome,
)


def rng() -> np.random.Generator:
    return np.random.default_rng(99)


def test_the_default_behavior_answers_ok_in_fifty_milliseconds() -> None:
    assert BehaviorSpec().build().call(0.0, rng()) == CallOutcome(OK, 0.05)


def test_a_call_during_an_outage_is_refused_fast() -> None:
    behavior = BehaviorSpec.model_validate({"outages": [{"start": 60, "end": 120}]}).build()
    outcome = behavior.call(90.0, rng())
    assert outcome.kind == UNAVAILABLE
    assert outcome.duration == pytest.approx(0.01)
    assert behavior.call(120.0, rng()).kind == OK


def test_the_rate_limit_throttles_with_the_buckets_retry_after() -> None:
    behavior = BehaviorSpec.model_validate({"rate_limit": {"rate_per_s": 4, "burst": 2}}).build()
    r = rng()
    kinds = [behavior.call(0.0, r).kind for _ in range(2)]
    throttled = behavior.call(0.0, r)
    assert kinds == [OK, OK]
    assert throttled == CallOutcome(THROTTLED, 0.005, 0.25)


def test_drawn_errors_have_their_own_durations() -> None:
    spec = {"errors": {"timeout": 0.5, "throttle": 0.5, "timeout_after": 10, "retry_after": 3}}
    behavior = BehaviorSpec.model_validate(spec).build()
    r = rng()
    outcomes = {behavior.call(float(t), r) for t in range(200)}
    assert outcomes == {CallOutcome(TIMEOUT, 10.0), CallOutcome(THROTTLED, 0.005, 3.0)}


def test_server_errors_take_a_normal_service_time() -> None:
    behavior = BehaviorSpec.model_validate({"errors": {"server_error": 1.0}}).build()
    assert behavior.call(0.0, rng()) == CallOutcome(SERVER_ERROR, 0.05)


def test_degradation_slows_ok_calls_by_its_factor() -> None:
    spec = {"degradations": [{"start": 0, "end": 10, "factor": 4}]}
    behavior = BehaviorSpec.model_validate(spec).build()
    assert behavior.call(5.0, rng()).duration == pytest.approx(0.2)
    assert behavior.call(15.0, rng()).duration == pytest.approx(0.05)


def test_calls_queue_behind_busy_workers() -> None:
    spec = {"latency": {"kind": "fixed", "seconds": 1.0}, "workers": 1}
    behavior = BehaviorSpec.model_validate(spec).build()
    r = rng()
    assert [behavior.call(0.0, r).duration for _ in range(3)] == [1.0, 2.0, 3.0]


def test_a_call_queued_past_the_timeout_times_out() -> None:
    spec = {
        "latency": {"kind": "fixed", "seconds": 1.0},
        "workers": 1,
        "errors": {"timeout_after": 2.5},
    }
    behavior = BehaviorSpec.model_validate(spec).build()
    r = rng()
    assert [behavior.call(0.0, r).kind for _ in range(3)] == [OK, OK, TIMEOUT]


def test_each_build_starts_with_an_empty_queue() -> None:
    spec = BehaviorSpec.model_validate({"workers": 1})
    spec.build().call(0.0, rng())
    assert spec.build().call(0.0, rng()).duration == pytest.approx(0.05)


def test_the_same_seed_gives_the_same_outcomes() -> None:
    spec = BehaviorSpec.model_validate(
        {
            "latency": {"kind": "lognormal", "median": 0.1, "p99": 1.0},
            "workers": 2,
            "errors": {"server_error": 0.1},
        }
    )
    first = [spec.build().call(t * 0.05, rng()) for t in range(100)]
    second = [spec.build().call(t * 0.05, rng()) for t in range(100)]
    assert first == second


@pytest.mark.parametrize(
    ("page_size", "total", "calls"),
    [(None, 1000, 1), (100, 0, 1), (100, 1, 1), (100, 100, 1), (100, 101, 2), (50, 1000, 20)],
)
def test_pages_counts_the_calls_needed(page_size: int | None, total: int, calls: int) -> None:
    assert BehaviorSpec(page_size=page_size).build().pages(total) == calls


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"workers": 0}, "workers"),
        ({"latency": {"kind": "exponential", "mean": -1}}, "latency.exponential.mean"),
        ({"errors": {"server_error": 2}}, "errors.server_error"),
        ({"outages": [{"start": 5, "end": 1}]}, "outages.0"),
        ({"rate_limit": {"rate_per_s": 0}}, "rate_limit.rate_per_s"),
        ({"page_size": 0}, "page_size"),
        ({"latencey": {"kind": "fixed", "seconds": 1}}, "latencey"),
    ],
)
def test_bad_profiles_name_the_path_of_the_bad_value(data: dict[str, object], named: str) -> None:
    with pytest.raises(ValidationError) as caught:
        BehaviorSpec.model_validate(data)
    assert named in str(caught.value)
