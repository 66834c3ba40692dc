"""The README's sweep of the reconciliation interval, shrunk: event-fed inventory drifts (the
feed loses and repeats movements) and snapshots correct it, so the hub's stock is more often
right the more often it reconciles."""

from __future__ import annotations

from scenarios.runner import run_sweep
from scenarios.spec import apply_overrides, load_spec

from .support import kpi

INTERVALS = ["15m", "1h", "4h"]


def test_reconciling_more_often_keeps_the_hubs_stock_right_more_often() -> None:
    spec = apply_overrides(
        load_spec("inventory-sync-patterns"),
        {
            "warm_up": "1h",
            "horizon": "12h",
            "drain": "1h",
            "demand.spikes": [{"factor": 8, "start": "4h", "end": "8h"}],
        },
    )
    result = run_sweep(
        spec, "hub.reconciliation_every", INTERVALS, replications=3, workers=2, scale=0.1
    )
    accuracy = [
        kpi(result, f"reconciliation_every={every}", "inventory_accuracy_web")
        for every in INTERVALS
    ]
    assert [a.n for a in accuracy] == [3, 3, 3]
    often, hourly, rarely = accuracy
    assert often.mean > hourly.mean > rarely.mean, accuracy
    assert often.low > rarely.high, (often, rarely)  # the 95 % intervals do not overlap
    # the drift the snapshots find: more snapshots, more exceptions raised and corrected
    exceptions = [
        kpi(result, f"reconciliation_every={every}", "reconciliation_exceptions").mean
        for every in INTERVALS
    ]
    assert exceptions[0] > exceptions[2], exceptions
