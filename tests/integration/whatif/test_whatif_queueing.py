"""An ERP with one worker under Poisson order arrivals is an M/M/1 queue; the runner must agree.

Every order names an unknown customer, so the ERP sees only the check_order call, once per order,
at the Poisson arrival instants; service is exponential. Capture latency (placed until the hub
answers) is then the M/M/1 sojourn time: exponential with mean 1 / (mu - lambda).
"""

from __future__ import annotations

import math

from scenarios.runner import run_study
from scenarios.spec import parse_spec

LAMBDA, MU = 0.5, 1.0  # orders per second, ERP services per second: utilisation 0.5


def mm1_spec(seed: int) -> dict:
    return {
        "name": "erp-as-mm1",
        "topology": {"systems": [{"name": "hub", "kind": "hub", "owns": ["orders"]}], "flows": []},
        "demand": {
            "orders_per_day": LAMBDA * 86400,
            "channel_mix": {"sales_rep": 1.0},
            "unknown_customer_rate": 1.0,
            "resend_rate": 0.0,
        },
        "inventory": {
            "other_channel_share": 0,
            "returns_share": 0,
            "cycle_counts_per_day": 0,
            "replenishment": None,
        },
        "systems": {"erp": {"workers": 1, "latency": {"kind": "exponential", "mean": 1 / MU}}},
        "warm_up": "30m",
        "horizon": "4h",
        "drain": "10m",
        "seed": seed,
    }


def test_erp_queueing_delay_matches_mm1_theory() -> None:
    spec = parse_spec(mm1_spec(seed=5))
    study = run_study(spec, replications=2, executor="serial")
    sojourn = 1 / (MU - LAMBDA)  # 2.0 s
    mean = study.variants[0].kpis["capture_mean"].mean
    median = study.variants[0].kpis["capture_p50"].mean
    assert study.variants[0].kpis["order_acceptance_rate"].mean == 0  # only check_order ran
    assert math.isclose(mean, sojourn, rel_tol=0.1), mean
    assert math.isclose(median, sojourn * math.log(2), rel_tol=0.12), median
    # and the wait is really queueing: without a worker limit it is just the service time
    unlimited = parse_spec(
        {
            **mm1_spec(seed=5),
            "systems": {"erp": {"latency": {"kind": "exponential", "mean": 1 / MU}}},
        }
    )
    free = run_study(unlimited, replications=1, executor="serial").variants[0].kpis
    assert math.isclose(free["capture_mean"].mean, 1 / MU, rel_tol=0.1)
