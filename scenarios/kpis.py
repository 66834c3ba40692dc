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

#: Systems the hub calls whose ``workers`` make a queue; every WMS node counts as one ``wms``.
QUEUEING_SYSTEMS = ("erp", "wms", "tms", "finance")
WORKERS = "systems.{kind}.workers is set: without workers nothing queues there"
_SYSTEM_NAMES = {"erp": "the ERP", "wms": "a WMS node", "tms": "the TMS", "finance": "finance"}
LARGE = "the scenario places a large order (demand.large_orders)"
ERP_OWNS = "the ERP owns orders (hub.order_ownership: erp)"
PAYS = "the scenario simulates customer payments (a payments: section)"

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
        "Orders a shipment reached short, over orders that shipped: a line shipped with less "
        "than was released for it (a short pick; the rest waits as a backorder), or the order "
        "closed with a line's rest cancelled. An order split into shipments that each carried "
        "what was released is not partial: split_order_rate counts it.",
    ),
    Kpi(
        "split_order_rate",
        "share",
        "lower",
        "Closed orders that reached the customer in more than one shipment (several nodes, or "
        "a backorder filled later), over closed orders.",
    ),
    Kpi(
        "splits_per_order",
        "shipments",
        "lower",
        "Shipments beyond the first, per closed order: 0 when every order ships in one go.",
    ),
    Kpi(
        "freight_cost_per_order",
        "USD",
        "lower",
        "What the TMS quoted to carry a closed order's shipments, one rate per release, mean "
        "per closed order.",
        needs="tms",
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
    *[
        Kpi(
            f"capture_{stat}_{c}",
            "s",
            "lower",
            f"Capture latency of {c.replace('_', ' ')} orders, {label}: placed (in the channel) "
            "until the hub answers, so a batch channel's wait for its pick-up counts.",
            needs=CHANNEL_SYSTEM.get(c),
        )
        for c in CHANNELS
        for stat, label in (("mean", "mean"), ("p95", "95th percentile"))
    ],
    Kpi(
        "large_order_capture",
        "s",
        "lower",
        "The scenario's large order (demand.large_orders): placed until the hub accepts or "
        "rejects it, mean over the large orders placed after warm-up.",
        when=LARGE,
    ),
    Kpi(
        "large_order_completion",
        "s",
        "lower",
        "The large order placed until it closed, every shipment invoiced; a run where it was "
        "still open at the end has no value (orders_stuck counts it).",
        when=LARGE + " and it closes before the run ends",
    ),
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
        "calls_dropped",
        "calls",
        "lower",
        "Calls that exhausted their retries with no dead-letter queue to park them in "
        "(hub.dead_letters off, or a point-to-point estate): never replayed, their orders stay "
        "open.",
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
    Kpi(
        "backorder_fill_mean",
        "s",
        "lower",
        "How long backordered units waited for stock before they were allocated "
        "(BackorderAllocated), mean over fills; units still waiting at the end are not in it.",
    ),
    Kpi("backorder_fill_p95", "s", "lower", "Backorder fill time, 95th percentile."),
    Kpi(
        "erp_commit_mean",
        "s",
        "lower",
        "Accepted until the ERP committed the sales order (SalesOrderCommitted): the time an "
        "order waits before any warehouse may hear of it, mean.",
        needs="erp",
        when=ERP_OWNS,
    ),
    Kpi(
        "awaiting_erp_mean",
        "orders",
        "lower",
        "Accepted orders waiting for the ERP to commit them, time-averaged over the samples "
        "from warm-up to the end of arrivals.",
        needs="erp",
        when=ERP_OWNS,
    ),
    Kpi(
        "awaiting_erp_p95",
        "orders",
        "lower",
        "Accepted orders waiting for ERP commitment, 95th percentile over the samples.",
        needs="erp",
        when=ERP_OWNS,
    ),
    Kpi(
        "days_sales_outstanding",
        "days",
        "lower",
        "Days sales outstanding: days from an invoice posted to the payments on it applied, "
        "mean weighted by amount over the run's credit sales net of credit memos (what is "
        "still open when collections end counts as collected then). In a steady state it is "
        "the standard receivables / credit sales x days (scenarios/receivables.py).",
        when=PAYS,
    ),
    Kpi(
        "unapplied_cash",
        "USD",
        "lower",
        "Cash received without a usable remittance reference and not yet applied: the balance "
        "a day like the run's carries on average, sum(amount x time unapplied) / arrival "
        "window (Little's law).",
        when=PAYS,
    ),
    Kpi(
        "unapplied_days_mean",
        "days",
        "lower",
        "Days a payment that arrived without a usable remittance reference waited to be "
        "matched and applied, mean.",
        when=PAYS + " and payments arrive unmatched (payments.unmatched_share > 0)",
    ),
    Kpi(
        "credit_memos",
        "documents",
        "lower",
        "Credit memos the ERP raised against the run's invoices (CreditMemoIssued): short "
        "shipments the customers claimed.",
        when=PAYS,
    ),
    *[
        kpi
        for kind, name in _SYSTEM_NAMES.items()
        for kpi in (
            Kpi(
                f"wait_mean_{kind}",
                "s",
                "lower",
                f"Time a call to {name} waited for a free worker, mean over the calls "
                "made between warm-up and the end of arrivals.",
                needs=kind,
                when=WORKERS.format(kind=kind),
            ),
            Kpi(
                f"wait_p95_{kind}",
                "s",
                "lower",
                f"Wait for a worker of {name}, 95th percentile.",
                needs=kind,
                when=WORKERS.format(kind=kind),
            ),
            Kpi(
                f"utilisation_{kind}",
                "share",
                "neither",
                f"Share of the worker time of {name} (all nodes, for the WMS) spent serving "
                "calls, from warm-up to the end of arrivals (a paged call holds its worker for "
                "every page).",
                needs=kind,
                when=WORKERS.format(kind=kind),
            ),
            Kpi(
                f"queue_mean_{kind}",
                "calls",
                "lower",
                f"Calls queued at {name} (all nodes, for the WMS) for a worker, not those in "
                "service, time-averaged over the samples from warm-up to the end of arrivals.",
                needs=kind,
                when=WORKERS.format(kind=kind),
            ),
            Kpi(
                f"queue_p95_{kind}",
                "calls",
                "lower",
                f"Calls queued at {name}, 95th percentile over the samples.",
                needs=kind,
                when=WORKERS.format(kind=kind),
            ),
        )
    ],
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
