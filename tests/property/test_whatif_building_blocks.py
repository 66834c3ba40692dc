"""Properties of the what-if engine's building blocks, over generated inputs."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios.durations import seconds as _duration
from scenarios.kpis import Reservoir
from simulators.systems.demand import ArrivalProfile

spikes = st.lists(
    st.tuples(st.floats(0, 20_000), st.floats(1, 20_000), st.floats(0.1, 10)).map(
        lambda s: (s[0], s[0] + s[1], s[2])
    ),
    max_size=3,
)
hourly = st.one_of(st.none(), st.lists(st.floats(0.05, 5), min_size=24, max_size=24))


@settings(max_examples=40, deadline=None)
@given(rate=st.floats(100, 50_000), hours=hourly, windows=spikes, seed=st.integers(0, 2**32))
def test_arrivals_are_increasing_and_stay_inside_the_horizon(
    rate: float, hours: list[float] | None, windows: list[tuple[float, float, float]], seed: int
) -> None:
    profile = ArrivalProfile(rate, tuple(hours) if hours else None, tuple(windows))
    rng = np.random.default_rng(seed)
    t, until, seen = 0.0, 7200.0, []
    while (t := profile.next_arrival(t, rng, until)) != float("inf"):
        seen.append(t)
    assert seen == sorted(seen)
    assert all(0.0 <= x < until for x in seen)
    expected = profile.expected(0.0, until)
    # Poisson: the count is within 6 standard deviations of its mean
    assert abs(len(seen) - expected) <= 6 * expected**0.5 + 3


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.floats(0, 1e6), max_size=3000), size=st.integers(1, 200))
def test_a_reservoir_is_bounded_and_keeps_the_exact_count_and_mean(
    values: list[float], size: int
) -> None:
    reservoir = Reservoir(size, np.random.default_rng(0))
    for v in values:
        reservoir.add(v)
    assert len(reservoir.values) == min(size, len(values))
    assert set(reservoir.values) <= set(values)
    assert reservoir.count == len(values)
    if values:
        assert abs(reservoir.mean() - sum(values) / len(values)) <= 1e-6 * max(values) + 1e-9


@given(h=st.integers(0, 48), m=st.integers(0, 59), s=st.integers(0, 59))
def test_durations_with_units_add_up(h: int, m: int, s: int) -> None:
    assert _duration(f"{h}h{m}m{s}s") == h * 3600 + m * 60 + s
    assert _duration(h * 3600.0) == h * 3600.0
