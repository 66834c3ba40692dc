"""The KPIs that answer the library's questions (issues 13 and 14), on small studies: the large
order on its own, capture per channel, splits and freight, queueing at systems with workers,
and the ERP's commitment; each n/a where the run cannot measure it."""

from __future__ import annotations

import math

import pytest

from scenarios.spec import Variant
from tests.integration.whatif.support import kpi, shrunk, study

CHEAPEST_RATE = 6.50 + 0.40  # the TMS's parcel tariff for one unit: no shipment costs less


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    spec = shrunk(
        "web-order-600-lines",
        {
            "demand.orders_per_day": 1500,
            "demand.hourly_profile": None,
            "inventory.coverage": 4,
            "inventory.short_pick_rate": 0,
            "demand.sku_skew": 0,  # no SKU so unpopular that it has no stock to wait for
            "demand.large_orders": [{"at": "2h", "lines": 600, "channel": "web"}],
            "warm_up": "30m",
            "horizon": "3h",
            "drain": "10h",
        },
        variants=[
            Variant(name="erp-owns"),
            Variant(
                name="hub-owns-erp-queues",
                overrides={"hub.order_ownership": "hub", "systems.erp.workers": 2},
            ),
        ],
    )
    return study(spec, replications=2)


def test_the_large_order_is_measured_on_its_own(result) -> None:  # type: ignore[no-untyped-def]
    for variant in ("erp-owns", "hub-owns-erp-queues"):
        capture = kpi(result, variant, "large_order_capture")
        # its 600 SKUs are checked 50 a page, twelve calls one after another: slower than
        # almost every other web order
        assert capture.mean > 2 * kpi(result, variant, "capture_p95_web").mean, capture
        done = kpi(result, variant, "large_order_completion")
        assert done.available and done.mean > capture.mean


def test_capture_is_measured_per_channel(result) -> None:  # type: ignore[no-untyped-def]
    web = kpi(result, "erp-owns", "capture_mean_web")
    edi = kpi(result, "erp-owns", "capture_mean_edi")
    assert 0 < web.mean < 5
    assert edi.mean > 60 * web.mean  # 850s wait in a mailbox collected every 30 minutes


def test_every_shipment_of_a_closed_order_is_rated_and_counted(result) -> None:  # type: ignore[no-untyped-def]
    for run in result.runs:
        extra = run.kpis["splits_per_order"]
        assert extra >= 0 and run.kpis["split_order_rate"] > 0
        assert run.kpis["freight_cost_per_order"] >= CHEAPEST_RATE * (1 + extra)


def test_queueing_is_measured_only_at_a_system_with_workers(result) -> None:  # type: ignore[no-untyped-def]
    assert not kpi(result, "erp-owns", "utilisation_erp").available
    assert "workers" in kpi(result, "erp-owns", "utilisation_erp").absent
    busy = kpi(result, "hub-owns-erp-queues", "utilisation_erp")
    assert 0 < busy.low <= busy.high < 1
    assert kpi(result, "hub-owns-erp-queues", "wait_mean_erp").mean > 0
    assert not kpi(result, "hub-owns-erp-queues", "utilisation_tms").available


def test_orders_wait_for_erp_commitment_only_when_the_erp_owns_them(result) -> None:  # type: ignore[no-untyped-def]
    assert kpi(result, "erp-owns", "erp_commit_mean").mean > 0
    assert kpi(result, "erp-owns", "awaiting_erp_mean").available
    for name in ("erp_commit_mean", "awaiting_erp_mean"):
        assert not kpi(result, "hub-owns-erp-queues", name).available
    runs = [r for r in result.runs if r.variant == "hub-owns-erp-queues"]
    assert all(math.isnan(r.kpis["erp_commit_mean"]) for r in runs)
