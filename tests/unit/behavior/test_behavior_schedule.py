import pytest
from pydantic import ValidationError

from simulators.behavior import Every


def test_next_after_is_the_next_tick_strictly_after() -> None:
    every = Every(900.0)
    times = (0.0, 1.0, 899.9, 900.0, 901.0)
    assert [every.next_after(t) for t in times] == [900.0, 900.0, 900.0, 1800.0, 1800.0]


def test_an_offset_shifts_every_tick_and_nothing_ticks_before_it() -> None:
    every = Every(3600.0, offset=120.0)
    assert every.next_after(-5.0) == 120.0
    assert every.next_after(0.0) == 120.0
    assert every.next_after(120.0) == 3720.0


def test_ticks_cover_the_half_open_range_in_order() -> None:
    assert list(Every(15.0, offset=5.0).ticks(0.0, 50.0)) == [5.0, 20.0, 35.0]
    assert list(Every(15.0, offset=5.0).ticks(20.0, 65.0)) == [20.0, 35.0, 50.0]
    assert list(Every(15.0).ticks(1.0, 2.0)) == []


def test_ticks_do_not_drift_over_a_long_horizon() -> None:
    ticks = list(Every(0.1).ticks(0.0, 86_400.0))
    assert len(ticks) == 864_000
    assert ticks[-1] == pytest.approx(86_399.9)
    assert all(Every(0.1).next_after(t) > t for t in ticks[::9973])


def test_an_interval_must_be_positive() -> None:
    with pytest.raises(ValidationError, match="interval"):
        Every(0.0)
    assert Every.model_validate({"interval": 60}).next_after(59) == 60.0
