import math

import numpy as np
import pytest

from simulators.behavior import Station

CUSTOMERS = 1_000_000  # enough that 7% is about four standard errors at rho = 0.8
WARM_UP = 50_000


def mean_wait_in_queue(workers: int, arrivals: np.ndarray, services: np.ndarray) -> float:
    station = Station(workers)
    pairs = zip(arrivals.tolist(), services.tolist(), strict=True)
    waits = [station.admit(a, s)[0] - a for a, s in pairs]
    return float(np.mean(waits[WARM_UP:]))


def poisson_arrivals(rate: float, rng: np.random.Generator) -> np.ndarray:
    return np.cumsum(rng.exponential(1 / rate, CUSTOMERS))


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival waits in an M/M/c queue (a = lambda / mu)."""
    a, c = offered_load, servers
    tail = a**c / math.factorial(c) * c / (c - a)
    return tail / (sum(a**k / math.factorial(k) for k in range(c)) + tail)


def test_mm1_mean_wait_matches_queueing_theory() -> None:
    lam, mu = 0.8, 1.0
    rng = np.random.default_rng(2024)
    wq = mean_wait_in_queue(1, poisson_arrivals(lam, rng), rng.exponential(1 / mu, CUSTOMERS))
    rho = lam / mu
    assert wq == pytest.approx(rho / (mu - lam), rel=0.07)


def test_mmc_mean_wait_matches_erlang_c() -> None:
    c, lam, mu = 3, 2.4, 1.0
    rng = np.random.default_rng(2025)
    wq = mean_wait_in_queue(c, poisson_arrivals(lam, rng), rng.exponential(1 / mu, CUSTOMERS))
    expected = erlang_c(c, lam / mu) / (c * mu - lam)
    assert expected == pytest.approx(1.079, abs=0.001)
    assert wq == pytest.approx(expected, rel=0.07)


def test_md1_mean_wait_matches_pollaczek_khinchine() -> None:
    lam, mu = 0.8, 1.0
    rng = np.random.default_rng(2026)
    wq = mean_wait_in_queue(1, poisson_arrivals(lam, rng), np.full(CUSTOMERS, 1 / mu))
    rho = lam / mu
    assert wq == pytest.approx(rho / (2 * mu * (1 - rho)), rel=0.07)


def test_utilisation_approaches_the_offered_load_per_worker() -> None:
    rng = np.random.default_rng(7)
    station = Station(2)
    arrivals = poisson_arrivals(1.2, rng)
    services = rng.exponential(1.0, CUSTOMERS)
    for a, s in zip(arrivals.tolist(), services.tolist(), strict=True):
        station.admit(a, s)
    assert station.stats(arrivals[-1]).utilisation == pytest.approx(0.6, rel=0.03)


def test_jobs_start_on_the_earliest_free_worker_in_arrival_order() -> None:
    station = Station(2)
    trace = [station.admit(t, s) for t, s in [(0, 10), (1, 5), (2, 1), (3, 1), (20, 1)]]
    assert trace == [(0, 10), (1, 6), (6, 7), (7, 8), (20, 21)]
    stats = station.stats(21)
    assert stats.served == 5
    assert stats.max_wait == 4
    assert stats.mean_wait == pytest.approx((0 + 0 + 4 + 4 + 0) / 5)
    assert stats.utilisation == pytest.approx(18 / (2 * 21))


def test_utilisation_counts_only_work_done_by_now() -> None:
    station = Station(1)
    station.admit(0, 10)
    assert station.stats(5).utilisation == pytest.approx(1.0)


def test_an_idle_station_reports_zeros() -> None:
    stats = Station(3).stats(0)
    assert (stats.served, stats.mean_wait, stats.max_wait, stats.utilisation) == (0, 0, 0, 0)


def test_arrivals_out_of_time_order_are_rejected_naming_both_times() -> None:
    station = Station(1)
    station.admit(5.0, 1.0)
    with pytest.raises(ValueError, match=r"arrival\(=4.0\).*arrival\(=5.0\)"):
        station.admit(4.0, 1.0)


def test_a_station_needs_at_least_one_worker() -> None:
    with pytest.raises(ValueError, match=r"workers\(=0\) must be >= 1"):
        Station(0)


def test_the_queue_is_the_jobs_admitted_that_no_worker_has_started() -> None:
    station = Station(2)
    for t, s in [(0, 10), (1, 5), (2, 1), (3, 1)]:  # starts 0, 1, 6, 7
        station.admit(t, s)
    trace = [(t, station.queue_length(t)) for t in (3, 5.99, 6, 6.5, 7, 20)]
    assert trace == [(3, 2), (5.99, 2), (6, 1), (6.5, 1), (7, 0), (20, 0)]


def test_busy_counts_the_worker_seconds_served_by_now() -> None:
    station = Station(2)
    for t, s in [(0, 10), (1, 5), (2, 1), (3, 1)]:  # busy [0, 10], [1, 6], [6, 7], [7, 8]
        station.admit(t, s)
    assert [station.busy(t) for t in (3, 6.5, 8, 20)] == [3 + 2, 6.5 + 5 + 0.5, 8 + 5 + 1 + 1, 17]


def test_a_watcher_is_told_each_jobs_arrival_and_wait() -> None:
    station = Station(1)
    heard: list[tuple[float, float]] = []
    station.watch = lambda arrival, wait: heard.append((arrival, wait))
    for t, s in [(0, 4), (1, 4), (2, 1)]:
        station.admit(t, s)
    assert heard == [(0, 0), (1, 3), (2, 6)]
