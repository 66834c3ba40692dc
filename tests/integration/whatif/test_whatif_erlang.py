"""Queueing written as scenarios: the runner's per-system KPIs against queueing theory.

Each scenario (tests/integration/whatif/scenarios/) runs through ``run_study``, the runner of
``crossdock simulate``, for 10 replications; the formula's value must lie inside the 95 %
interval the study reports, and the interval must be narrow enough to tell the formula from a
plausible mistake.

- erp-mmc.yaml: the ERP is M/M/3 at utilisation 0.8. Erlang C gives the mean wait for a worker,
  Little's law the mean queue, and ``P(wait > t) = C * exp(-(c mu - lambda) t)`` its p95.
- erp-paged.yaml: each call is three pages of Exp(0.25 s) held by the ERP's one worker, so the
  queue is M/G/1 with Erlang-3 service and Pollaczek-Khinchine gives its wait. A worker freed
  after the first page would give M/M/1 with service 0.25 s instead: its figures must lie
  outside the intervals.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from scenarios.results import Estimate
from scenarios.runner import run_study
from scenarios.spec import load_spec

SCENARIOS = Path(__file__).parent / "scenarios"


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival waits in an M/M/c queue (a = lambda / mu)."""
    a, c = offered_load, servers
    tail = a**c / math.factorial(c) * c / (c - a)
    return tail / (sum(a**k / math.factorial(k) for k in range(c)) + tail)


def study_kpis(name: str) -> dict[str, Estimate]:
    spec = load_spec(SCENARIOS / name)
    study = run_study(spec, workers=2)
    assert study.replications == 10
    return study.variants[0].kpis


def inside(value: float, e: Estimate, widest: float) -> None:
    """``value`` lies in the interval, which is no wider than ``widest`` of the mean each side."""
    assert e.low <= value <= e.high, (value, e)
    assert e.high - e.low < 2 * widest * e.mean, e


# each study runs its replications on two processes already: the two never run side by side
@pytest.mark.xdist_group("erlang")
def test_an_mmc_erp_waits_and_works_as_erlang_c_says() -> None:
    c, lam, mu = 3, 2.4, 1.0
    wait = erlang_c(c, lam / mu) / (c * mu - lam)
    assert wait == pytest.approx(1.0787, abs=1e-4)  # the textbook figure for M/M/3 at 0.8
    p95 = math.log(erlang_c(c, lam / mu) / 0.05) / (c * mu - lam)
    kpis = study_kpis("erp-mmc.yaml")
    assert kpis["order_acceptance_rate"].mean == 0  # so check_order was the ERP's only call
    inside(wait, kpis["wait_mean_erp"], widest=0.1)
    inside(lam / (c * mu), kpis["utilisation_erp"], widest=0.02)
    inside(lam * wait, kpis["queue_mean_erp"], widest=0.12)  # Little's law
    # the p95 comes from a bounded sample of each run's waits: near the formula, not exact
    assert kpis["wait_p95_erp"].mean == pytest.approx(p95, rel=0.15)


@pytest.mark.xdist_group("erlang")
def test_a_paged_erp_holds_its_worker_for_every_page_as_pollaczek_khinchine_says() -> None:
    lam, pages, page = 1.0, 3, 0.25
    service = pages * page
    second_moment = pages * (pages + 1) * page**2  # Erlang-3: k (k + 1) / mu^2
    rho = lam * service
    wait = lam * second_moment / (2 * (1 - rho))
    assert wait == pytest.approx(1.5)
    kpis = study_kpis("erp-paged.yaml")
    assert kpis["order_acceptance_rate"].mean == 0
    inside(wait, kpis["wait_mean_erp"], widest=0.1)
    inside(rho, kpis["utilisation_erp"], widest=0.02)
    inside(lam * wait, kpis["queue_mean_erp"], widest=0.12)
    # a worker freed after the first page: M/M/1 with one page of service
    freed_rho = lam * page
    assert kpis["utilisation_erp"].low > freed_rho * 2
    assert kpis["wait_mean_erp"].low > 5 * freed_rho / (1 / page - lam)
