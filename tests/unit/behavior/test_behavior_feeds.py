import math
from itertools import pairwise

import numpy as np
import pytest
from pydantic import ValidationError

from simulators.behavior import BehaviorSpec, ExponentialSpec, FixedSpec, spawn_stream
from simulators.behavior.feeds import EventFeed
from simulators.behavior.latency import ExponentialLatency, FixedLatency

N = 40_000


def _within(observed: int, n: int, p: float) -> bool:
    """``observed`` successes in ``n`` trials are within 4 standard deviations of ``n * p``."""
    return abs(observed - n * p) <= 4.0 * math.sqrt(n * p * (1.0 - p))


def test_a_perfect_feed_delivers_each_movement_once_after_its_latency() -> None:
    feed = EventFeed(FixedLatency(2.0))
    assert feed.deliveries(100.0, np.random.default_rng(1)) == (102.0,)


def test_a_fixed_feed_without_loss_or_duplicates_draws_no_random_numbers() -> None:
    rng = spawn_stream(21, "inventory_feed:DC-ATL")
    for _ in range(100):
        EventFeed(FixedLatency(2.0)).deliveries(0.0, rng)
    assert rng.random() == spawn_stream(21, "inventory_feed:DC-ATL").random()


def test_movements_are_lost_at_the_loss_rate() -> None:
    feed = EventFeed(FixedLatency(2.0), loss_rate=0.02)
    rng = spawn_stream(7, "inventory_feed:DC-ATL")
    lost = sum(not feed.deliveries(0.0, rng) for _ in range(N))
    assert _within(lost, N, 0.02)


def test_delivered_movements_are_duplicated_at_the_duplicate_rate() -> None:
    feed = EventFeed(FixedLatency(2.0), loss_rate=0.05, duplicate_rate=0.1)
    rng = spawn_stream(7, "inventory_feed:DC-DAL")
    runs = [feed.deliveries(0.0, rng) for _ in range(N)]
    delivered = [r for r in runs if r]
    assert _within(N - len(delivered), N, 0.05)
    assert _within(sum(len(r) == 2 for r in delivered), len(delivered), 0.1)
    assert {r for r in delivered if len(r) == 2} == {(2.0, 2.0)}


def test_each_copy_draws_its_own_delay_so_the_mean_delay_is_the_latency_mean() -> None:
    feed = EventFeed(ExponentialLatency(30.0), duplicate_rate=0.5)
    rng = spawn_stream(3, "inventory_feed:DC-ATL")
    delays = [t for _ in range(N) for t in feed.deliveries(1000.0, rng)]
    assert all(a >= 1000.0 for a in delays)
    mean = sum(delays) / len(delays) - 1000.0
    assert mean == pytest.approx(30.0, rel=0.03)  # standard error about 0.4 %


def test_movements_close_together_are_reordered_as_independent_delays_predict() -> None:
    # Two movements sent `gap` apart with i.i.d. exponential delays of mean m arrive in the
    # other order when the second delay is shorter by more than the gap:
    # P(D2 + gap < D1) = exp(-gap / m) / 2.
    mean, gap = 20.0, 10.0
    feed = EventFeed(ExponentialLatency(mean))
    rng = spawn_stream(11, "inventory_feed:DC-ATL")
    arrivals = [feed.deliveries(i * gap, rng)[0] for i in range(N)]
    overtaken = sum(later < earlier for earlier, later in pairwise(arrivals))
    # 4 standard errors, widened for consecutive pairs sharing a delay
    expected = math.exp(-gap / mean) / 2.0
    assert abs(overtaken / (N - 1) - expected) < 0.01


def test_the_same_seed_gives_the_same_deliveries() -> None:
    feed = EventFeed(ExponentialLatency(5.0), loss_rate=0.1, duplicate_rate=0.1)

    def run(seed: int) -> list[tuple[float, ...]]:
        rng = spawn_stream(seed, "inventory_feed:DC-ATL")
        return [feed.deliveries(float(i), rng) for i in range(500)]

    assert run(5) == run(5)
    assert run(5) != run(6)


def test_a_behaviour_builds_its_feed_from_its_own_fields() -> None:
    spec = BehaviorSpec(
        latency=ExponentialSpec(mean=4.0),
        loss_rate=0.01,
        duplicate_rate=0.02,
        snapshot_latency=FixedSpec(seconds=600.0),
    )
    feed = spec.feed()
    assert (feed.loss_rate, feed.duplicate_rate, feed.latency.mean()) == (0.01, 0.02, 4.0)
    assert spec.snapshot_latency.build().mean() == 600.0


def test_bad_feed_rates_name_the_field() -> None:
    with pytest.raises(ValidationError, match="loss_rate"):
        BehaviorSpec(loss_rate=1.5)
    with pytest.raises(ValidationError, match="duplicate_rate"):
        BehaviorSpec(duplicate_rate=-0.1)
    with pytest.raises(ValueError, match=r"loss_rate\(=2\) must be in \[0, 1\]"):
        EventFeed(FixedLatency(1.0), loss_rate=2)
