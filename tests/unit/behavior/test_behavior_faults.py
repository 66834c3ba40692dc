import numpy as np
import pytest
from pydantic import ValidationError

from simulators.behavior import (
    OK,
    SERVER_ERROR,
    THROTTLED,
    TIMEOUT,
    Degradation,
    ErrorRates,
    FaultModel,
    Window,
)


def test_a_window_contains_its_start_but_not_its_end() -> None:
    window = Window(100.0, 200.0)
    times = (99.9, 100.0, 150.0, 199.9, 200.0)
    assert [window.contains(t) for t in times] == [False, True, True, True, False]


def test_an_outage_window_is_down_inside_and_up_outside() -> None:
    faults = FaultModel(outages=[Window(100, 200), Window(500, 600)])
    times = (0, 100, 199, 200, 550, 700)
    assert [faults.is_down(t) for t in times] == [False, True, True, False, True, False]


def test_slowdown_multiplies_the_active_degradations() -> None:
    faults = FaultModel(degradations=[Degradation(0, 100, 2.0), Degradation(50, 150, 3.0)])
    assert [faults.slowdown(t) for t in (25, 75, 125, 200)] == [2.0, 6.0, 3.0, 1.0]


def test_observed_error_frequencies_match_the_configured_rates() -> None:
    faults = FaultModel(ErrorRates(server_error=0.05, timeout=0.02, throttle=0.1))
    rng = np.random.default_rng(5)
    kinds = [faults.draw(rng) for _ in range(50_000)]
    share = {k: kinds.count(k) / len(kinds) for k in (SERVER_ERROR, TIMEOUT, THROTTLED, OK)}
    assert share[SERVER_ERROR] == pytest.approx(0.05, abs=0.005)
    assert share[TIMEOUT] == pytest.approx(0.02, abs=0.004)
    assert share[THROTTLED] == pytest.approx(0.10, abs=0.006)
    assert share[OK] == pytest.approx(0.83, abs=0.008)


def test_no_error_rates_means_every_call_is_ok_and_draws_nothing() -> None:
    rng = np.random.default_rng(5)
    assert {FaultModel().draw(rng) for _ in range(100)} == {OK}
    assert rng.random() == np.random.default_rng(5).random()


def test_error_rates_summing_above_one_are_rejected_naming_the_values() -> None:
    with pytest.raises(ValidationError, match=r"server_error\(=0.6\) \+ timeout\(=0.5\)"):
        ErrorRates(server_error=0.6, timeout=0.5)


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"server_error": 1.5}, "server_error"),
        ({"throttle": -0.1}, "throttle"),
        ({"timeout_after": 0}, "timeout_after"),
        ({"retry_after": -1}, "retry_after"),
    ],
)
def test_out_of_range_error_rates_are_rejected_naming_the_field(
    data: dict[str, float], named: str
) -> None:
    with pytest.raises(ValidationError, match=named):
        ErrorRates.model_validate(data)


def test_windows_must_end_after_they_start() -> None:
    with pytest.raises(ValidationError, match=r"end\(=10.0\) must be > start\(=10.0\)"):
        Window(10, 10)
    with pytest.raises(ValidationError, match="factor"):
        Degradation.model_validate({"start": 0, "end": 1, "factor": 0.5})
