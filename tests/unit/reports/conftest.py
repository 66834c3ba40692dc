"""A small synthetic study: inventory by events against 15- and 60-minute batches at peak."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scenarios.results import Kpi, RunResult, StudyResult, summarise_variants
from scenarios.topology import TopologySpec

CATALOG = [
    Kpi("order_acceptance_rate", "%", "higher", "accepted orders over orders placed"),
    Kpi("oversells", "lines", "lower", "accepted lines that could not be fulfilled"),
    Kpi("duplicate_orders", "orders", "lower", "orders created twice by a redelivery"),
    Kpi("order_capture_p95", "s", "lower", "95th percentile of order capture latency"),
    Kpi("order_to_invoice_p50", "s", "lower", "median time from order to posted invoice"),
    Kpi("dead_letters", "messages", "lower", "messages parked in the dead-letter queue"),
]
# variant -> (oversells per run, ATS lag in samples, dead letters)
VARIANTS = {"events": (4.0, 0, 2.0), "batch_15min": (38.0, 3, 3.0), "batch_60min": (140.0, 12, 3.0)}
SAMPLE_EVERY = 300.0
SAMPLES = 24 * 12


def run(variant: str, replication: int) -> RunResult:
    oversells, lag, dead = VARIANTS[variant]
    rng = np.random.default_rng([replication, list(VARIANTS).index(variant)])
    t = np.arange(SAMPLES) * SAMPLE_EVERY
    peak = np.exp(-(((t / 3600) - 14) ** 2) / 8)  # the afternoon spike
    truth = np.maximum(0, 5000 - np.cumsum(rng.poisson(8 + 45 * peak)))
    hub = np.concatenate([np.full(lag, 5000), truth[: SAMPLES - lag]]) if lag else truth
    series = {
        "backlog": list(zip(t, 5 + 300 * peak + rng.normal(0, 3, SAMPLES), strict=True)),
        "message_age": list(zip(t, 0.4 + lag * 60 * (0.2 + peak), strict=True)),
        "dead_letter_depth": list(zip(t, np.floor(dead * t / t[-1]), strict=True)),
        "ats_hub": list(zip(t, hub, strict=True)),
        "ats_truth": list(zip(t, truth, strict=True)),
    }
    series = {k: [(float(a), float(b)) for a, b in v] for k, v in series.items()}
    capture = rng.lognormal(math.log(0.35), 0.5, 400)
    to_invoice = rng.lognormal(math.log(6 * 3600 + 900 * lag), 0.4, 400)
    kpis = {
        "order_acceptance_rate": 97.0 + rng.normal(0, 0.4),
        "oversells": oversells * rng.uniform(0.85, 1.15),
        "duplicate_orders": 0.0,
        "order_capture_p95": float(np.quantile(capture, 0.95)),
        "order_to_invoice_p50": float(np.median(to_invoice)),
        "dead_letters": dead + replication % 2,
    }
    return RunResult(
        variant,
        replication,
        seed=1000 + replication,
        kpis=kpis,
        series=series,
        latencies={"order_capture": capture.tolist(), "order_to_invoice": to_invoice.tolist()},
    )


def build_study(sweep: bool = False) -> StudyResult:
    runs = [run(v, r) for v in VARIANTS for r in range(3)]
    every = {"events": None, "batch_15min": 900, "batch_60min": 3600}
    overrides = [
        (
            v,
            {"topology.flows.ats.pattern": "event"}
            if v == "events"
            else {"topology.flows.ats.every": every[v]},
        )
        for v in VARIANTS
    ]
    variants = summarise_variants(runs, overrides, CATALOG)
    study = StudyResult(
        scenario="inventory_sync_at_peak",
        description="Peak day (8x spike): inventory sync by events <against> batches.",
        seed=42,
        replications=3,
        variants=variants,
        runs=runs,
        kpi_catalog=CATALOG,
    )
    if sweep:
        study.swept_path = "inventory.sync_every_minutes"
        study.swept_values = [0, 15, 60]
        study.variant_values = {"events": 0, "batch_15min": 15, "batch_60min": 60}
    return study


ESTATE = {
    "style": "hub",
    "systems": [
        {"name": "webshop", "kind": "storefront", "availability": 0.9995},
        {"name": "hub", "kind": "hub", "availability": 0.9995},
        {"name": "erp", "kind": "erp", "owns": ["customers", "prices", "orders"]},
        {"name": "wms-east", "kind": "wms", "node": "DC-EAST", "owns": ["inventory"]},
    ],
    "flows": [
        {
            "name": "capture",
            "source": "webshop",
            "target": "hub",
            "data": "orders",
            "pattern": "sync_api",
            "critical": True,
        },
        {
            "name": "to-erp",
            "source": "hub",
            "target": "erp",
            "data": "orders",
            "pattern": "sync_api",
            "critical": True,
        },
        {
            "name": "stock",
            "source": "wms-east",
            "target": "hub",
            "data": "inventory",
            "pattern": "event",
        },
        {
            "name": "ats",
            "source": "hub",
            "target": "webshop",
            "data": "inventory",
            "pattern": "batch",
            "every": 900,
        },
    ],
}


@pytest.fixture(scope="session")
def study() -> StudyResult:
    return build_study()


@pytest.fixture(scope="session")
def sweep_study() -> StudyResult:
    return build_study(sweep=True)


@pytest.fixture(scope="session")
def estate() -> TopologySpec:
    return TopologySpec.model_validate(ESTATE)
