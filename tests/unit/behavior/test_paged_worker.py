"""A paged request holds its worker for every page: the queue is M/G/1 with Erlang service.

A request of three pages at a one-worker station, each page Exp(mean 0.1 s), is one job of
Erlang(3) service: E[S] = 0.3 s, E[S^2] = 3 * 4 * 0.1^2 = 0.12 s^2. At 2 requests a second
(rho = 0.6) Pollaczek-Khinchine gives Wq = lambda E[S^2] / (2 (1 - rho)) = 0.3 s. A worker freed
after the first page would give an M/M/1 wait of 0.025 s instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from reference.hub import CallSystem
from simulators.behavior.latency import ExponentialSpec
from simulators.behavior.profile import BehaviorSpec
from simulators.systems.endpoint import SimulatedSystem

REQUESTS = 200_000
WARM_UP = 10_000


class Catalogue:
    def handle(self, operation: str, payload: Any) -> dict[str, Any]:
        return {"prices": len(payload["skus"])}


def paged_system(workers: int) -> SimulatedSystem:
    spec = BehaviorSpec(latency=ExponentialSpec(mean=0.1), workers=workers, page_size=10)
    return SimulatedSystem("erp", Catalogue(), spec.build(), np.random.default_rng(11))


def mean_wait(system: SimulatedSystem, rate: float, pages: int) -> float:
    """Mean time in queue: a request's duration less its own service, read from the station."""
    arrivals = np.cumsum(np.random.default_rng(12).exponential(1 / rate, REQUESTS))
    call = CallSystem("c", "erp", "check_prices", {"skus": ["S"] * (10 * pages)}, "o", "k")
    station = system.behavior.station
    assert station is not None
    waits = []
    for t in arrivals.tolist():
        waits.append(station.queue_wait(t))
        system.begin(call, t)
    return float(np.mean(waits[WARM_UP:]))


def test_a_paged_request_queues_once_and_holds_its_worker_for_every_page() -> None:
    wq = mean_wait(paged_system(1), rate=2.0, pages=3)
    expected = 2.0 * 0.12 / (2 * (1 - 0.6))
    assert expected == pytest.approx(0.3)
    assert wq == pytest.approx(expected, rel=0.08)


def test_the_request_takes_its_wait_and_all_its_pages() -> None:
    system = paged_system(1)
    call = CallSystem("c", "erp", "check_prices", {"skus": ["S"] * 30}, "o", "k")
    first = system.begin(call, 0.0)
    second = system.begin(call, 0.0)  # arrives with the first: waits for all of its pages
    assert first.kind == second.kind == "ok"
    assert second.duration > first.duration
    station = system.behavior.station
    assert station is not None
    assert station.queue_wait(0.0) == pytest.approx(second.duration)
