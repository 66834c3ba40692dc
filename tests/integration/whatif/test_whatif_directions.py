"""Direction checks: each pattern moves the KPI it should, by more than the noise."""

from __future__ import annotations

from scenarios.spec import Variant

from .support import kpi, shrunk, study

PEAK = {
    "demand.orders_per_day": 2000,
    "warm_up": "1h",
    "horizon": "12h",
    "drain": "6h",
    "demand.spikes": [{"factor": 8, "start": "4h", "end": "8h"}],
}


def test_event_driven_inventory_oversells_less_than_an_hourly_batch_at_peak() -> None:
    spec = shrunk(
        "inventory-sync-patterns",
        PEAK,
        variants=[
            Variant(name="events", overrides={"topology.flows.inventory_sync.pattern": "event"}),
            Variant(
                name="batch-60m",
                overrides={
                    "topology.flows.inventory_sync.pattern": "batch",
                    "topology.flows.inventory_sync.every": 3600,
                },
            ),
        ],
    )
    result = study(spec, replications=5)
    events, batch = kpi(result, "events", "oversells"), kpi(result, "batch-60m", "oversells")
    assert events.n == batch.n == 5
    assert events.high < batch.low, (events, batch)
    # the batch's stale picture is what the snapshots find and correct
    assert (
        kpi(result, "batch-60m", "reconciliation_exceptions").mean
        > kpi(result, "events", "reconciliation_exceptions").mean
    )


def test_duplicate_webhooks_make_duplicate_orders_only_without_idempotency() -> None:
    spec = shrunk(
        "integration-patterns",
        {
            "demand.orders_per_day": 3000,
            "demand.spikes": [],
            "demand.hourly_profile": None,
            "warm_up": 0,
            "horizon": "3h",
            "drain": "1h",
            "channels.storefront.duplicate_rate": 0.2,
            "channels.marketplace.duplicate_rate": 0.2,
        },
        variants=[
            Variant(name="idempotent"),
            Variant(name="not-idempotent", overrides={"hub.idempotency": False}),
        ],
    )
    result = study(spec, replications=1, workers=1)
    assert kpi(result, "idempotent", "duplicate_orders").mean == 0
    assert kpi(result, "idempotent", "duplicates_suppressed").mean > 20
    assert kpi(result, "not-idempotent", "duplicate_orders").mean > 20
    assert kpi(result, "not-idempotent", "duplicates_suppressed").mean == 0


def test_an_erp_outage_raises_dead_letters_and_order_to_invoice_time() -> None:
    spec = shrunk(
        "erp-outage-at-peak",
        {
            "demand.orders_per_day": 2000,
            "warm_up": "1h",
            "horizon": "8h",
            "drain": "6h",
            "demand.spikes": [{"factor": 4, "start": "3h", "end": "5h"}],
            "faults": [{"system": "erp", "kind": "outage", "start": "4h", "end": "4h45m"}],
        },
        variants=[Variant(name="no-outage", overrides={"faults": []}), Variant(name="outage")],
    )
    result = study(spec, replications=2)
    assert kpi(result, "no-outage", "dead_letters").mean == 0
    assert all(r.kpis["dead_letters"] > 20 for r in result.runs if r.variant == "outage")
    calm = kpi(result, "no-outage", "order_to_invoice_mean")
    stormy = kpi(result, "outage", "order_to_invoice_mean")
    assert stormy.mean > calm.mean * 1.05, (calm, stormy)
    assert kpi(result, "outage", "retries").mean > kpi(result, "no-outage", "retries").mean


def test_fewest_nodes_sourcing_splits_fewer_orders_and_loads_the_best_stocked_node() -> None:
    flat = {"demand.orders_per_day": 12000, "demand.hourly_profile": None, "warm_up": 0}
    spec = shrunk(
        "baseline-day",
        {**flat, "horizon": "2h", "drain": "6h"},
        variants=[
            Variant(name="first-fit"),
            Variant(name="fewest-nodes", overrides={"hub.sourcing": "fewest_nodes"}),
        ],
    )
    result = study(spec, replications=3)
    for name in ("split_order_rate", "splits_per_order"):
        first = kpi(result, "first-fit", name)
        fewest = kpi(result, "fewest-nodes", name)
        assert fewest.high < first.low, (name, fewest, first)
    # the price: the node that can fill most orders whole queues them, and invoices come later
    first = kpi(result, "first-fit", "order_to_invoice_mean")
    fewest = kpi(result, "fewest-nodes", "order_to_invoice_mean")
    assert first.high < fewest.low, (first, fewest)
