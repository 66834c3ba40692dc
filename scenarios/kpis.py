"""The KPI catalog and the streaming instruments a run measures them with.

Nothing here keeps one record per simulated event: counters are numbers, latencies go into a
bounded reservoir (Vitter's algorithm R, seeded from the run), time series are sampled on a fixed
interval by the run itself.
"""

from __future__ import annotations

import math

import numpy as np

from scenarios.results import Kpi
from simulators.behavior.streams import uniforms

CHANNELS = ("web", "marketplace", "edi", "sales_rep")
#: The system a channel's KPIs need (sales reps key orders into the hub, through no system).
CHANNEL_SYSTEM = {"web": "storefront", "marketplace": "marketplace", "edi": "edi_partner"}

CATALOG: list[Kpi] = [
    Kpi("orders_placed", "orders", "neither", "Distinct orders customers placed after warm-up."),
    Kpi(
        "order_acceptance_rate",
        "share",
        "higher",
        "Orders the hub accepted over orders it decided (accepted + rejected).",
    ),
    Kpi(
        "duplicate_orders",
        "orders",
        "lower",
        "Extra orders created from one customer order (duplicate webhook deliveries, re-sent "
        "order numbers).",
    ),
    Kpi(
        "duplicates_suppressed",
        "deliveries",
        "neither",
        "Repeated deliveries the hub recognised by idempotency key or order number.",
    ),
    Kpi(
        "erp_duplicate_sales_orders",
        "orders",
        "lower",
        "Extra sales orders a non-idempotent ERP made when a timed-out create was retried.",
        needs="erp",
    ),
    Kpi("orders_lost", "orders", "lower", "Webhooks whose every delivery attempt failed."),
    Kpi(
        "oversells",
        "lines",
        "lower",
        "Accepted lines the warehouse could not fill as allocated: the shelf held less than the "
        "hub believed.",
    ),
    Kpi("oversell_rate", "share", "lower", "Oversold lines over accepted lines."),
    Kpi("backorder_rate", "share", "lower", "Backordered lines over accepted lines."),
    Kpi(
        "partial_shipment_rate",
        "share",
        "lower",
        "Closed orders that shipped in more than one go or short, over closed orders.",
    ),
    Kpi(
        "capture_mean",
        "s",
        "lower",
        "Order capture latency (placed until the hub accepts or rejects), mean.",
    ),
    Kpi("capture_p50", "s", "lower", "Order capture latency, median."),
    Kpi("capture_p95", "s", "lower", "Order capture latency, 95th percentile."),
    Kpi("capture_p99", "s", "lower", "Order capture latency, 99th percentile."),
    Kpi("order_to_invoice_mean", "s", "lower", "Order placed to first invoice posted, mean."),
    Kpi("order_to_invoice_p95", "s", "lower", "Order placed to first invoice posted, p95."),
    Kpi(
        "message_age_mean",
        "s",
        "lower",
        "Age of hub events when CRM, BI and finance receive them, mean.",
    ),
    Kpi("message_age_p95", "s", "lower", "Age of delivered events, 95th percentile."),
    Kpi("message_age_crm", "s", "lower", "Mean age of events delivered to CRM.", needs="crm"),
    Kpi("message_age_bi", "s", "lower", "Mean age of events delivered to BI.", needs="bi"),
    Kpi(
        "message_age_finance",
        "s",
        "lower",
        "Mean age of events delivered to finance.",
        needs="finance",
    ),
    Kpi("retries", "calls", "lower", "System calls retried after a failure."),
    Kpi(
        "dead_letters",
        "messages",
        "lower",
        "Calls that exhausted their retries: parked for replay, or dropped when dead letters are "
        "off. A replay that fails again counts again.",
    ),
    Kpi(
        "reconciliation_exceptions",
        "positions",
        "lower",
        "Stock positions a WMS snapshot found different from the hub's projection.",
        needs="wms",
    ),
    *[
        Kpi(
            f"inventory_accuracy_{c}",
            "share",
            "higher",
            f"Stock positions where the available-to-sell the {c} channel sees equals the truth "
            "(WMS on hand less allocations), averaged over samples.",
            needs=CHANNEL_SYSTEM.get(c),
        )
        for c in CHANNELS
    ],
    Kpi(
        "edi_chargebacks",
        "USD",
        "lower",
        "Chargebacks for ship notices (856) sent late.",
        needs="edi_partner",
    ),
    Kpi(
        "sla_breaches",
        "documents",
        "lower",
        "Late EDI 855/856/810 documents plus orders captured slower than the capture SLA.",
    ),
    Kpi("orders_stuck", "orders", "lower", "Orders still open when the run ended."),
]

KPI_NAMES = [k.name for k in CATALOG]


class Reservoir:
    """A uniform sample of at most ``size`` values from a stream, plus its exact count and mean."""

    __slots__ = ("_uniform", "count", "size", "total", "values")

    def __init__(self, size: int, rng: np.random.Generator) -> None:
        self.size = size
        self.values: list[float] = []
        self.count = 0
        self.total = 0.0
        self._uniform = uniforms(rng)

    def add(self, value: float) -> None:
        self.count += 1
        self.total += value
        if len(self.values) < self.size:
            self.values.append(value)
        else:
            slot = int(self._uniform() * self.count)
            if slot < self.size:
                self.values[slot] = value

    def mean(self) -> float:
        return self.total / self.count if self.count else 0.0

    def quantile(self, q: float) -> float:
        if not self.values:
            return 0.0
        return float(np.quantile(np.asarray(self.values), q))


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def finite(value: float) -> float:
    return value if math.isfinite(value) else 0.0
