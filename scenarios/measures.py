"""Streaming measurement of one run: counters, bounded reservoirs and sampled series.

An order counts towards the KPIs when its customer placed it at or after ``warm_up``; system-level
counts (retries, dead letters, reconciliation exceptions, message ages) count from ``warm_up``.
Per-order facts live only while the order is in flight and leave with it when it is archived.
Queueing at the systems' stations is measured by ``scenarios.queueing``; a KPI a run cannot
measure (no large order, no workers, nothing waits for the ERP) is NaN, shown as n/a.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from decimal import Decimal

import numpy as np

from reference.domain.events import Event
from reference.domain.events import EventType as E
from reference.domain.lifecycle import State
from reference.hub import Hub, RejectionCode
from scenarios.kpis import CHANNELS, Reservoir, ratio
from scenarios.queueing import queue_meters, unmeasured
from scenarios.results import RunResult
from scenarios.spec import ScenarioSpec
from scenarios.wiring import SINKS, Wiring
from simulators.behavior.streams import spawn_stream
from simulators.systems.endpoint import SimulatedSystem
from simulators.systems.erp import Erp
from simulators.systems.tms import Tms
from simulators.systems.warehouse import TrackedWms

RESERVOIR = 4096
SERIES = ("backlog", "message_age", "dead_letter_depth", "ats_hub", "ats_truth", "awaiting_erp")
_OPEN = frozenset(
    {
        State.RECEIVED,
        State.ACCEPTED,
        State.ALLOCATED,
        State.BACKORDERED,
        State.PARTIALLY_SHIPPED,
        State.SHIPPED,
        State.INVOICED,
    }
)


class Measures:
    def __init__(
        self,
        spec: ScenarioSpec,
        seed: int,
        wiring: Wiring,
        hub: Hub,
        wms: Mapping[str, TrackedWms],
        systems: Mapping[str, SimulatedSystem] | None = None,
    ) -> None:
        self.warm = spec.warm_up
        self.arrivals_end = spec.warm_up + spec.horizon
        self.erp_owns = spec.hub.order_ownership == "erp"
        self.capture_sla = spec.hub.capture_sla
        self.seed = seed
        self.hub = hub
        self.orders = hub.state.orders
        self.routes = wiring.sinks()
        self.edi = wiring.edi_partner()
        self.feeds = wiring.availability_feeds
        self.batched_channels = frozenset(wiring.mailboxes)
        self.count: dict[str, float] = dict.fromkeys(
            (
                "orders_placed",
                "accepted",
                "rejected",
                "accepted_lines",
                "backordered_lines",
                "oversells",
                "duplicate_orders",
                "suppressed",
                "erp_duplicates",
                "lost",
                "closed",
                "partial",
                "dead_letters",
                "recon",
                "sla",
                "dropped",
                "finished_split",
                "shipped_closed",
                "shipped_orders",
                "extra_shipments",
                "freight",
            ),
            0,
        )
        self.capture = Reservoir(RESERVOIR, spawn_stream(seed, "meter:capture"))
        self.to_invoice = Reservoir(RESERVOIR, spawn_stream(seed, "meter:to_invoice"))
        self.ages = Reservoir(RESERVOIR, spawn_stream(seed, "meter:message_age"))
        self.by_channel = {
            c: Reservoir(RESERVOIR, spawn_stream(seed, f"meter:capture:{c}")) for c in CHANNELS
        }
        self.fills = Reservoir(RESERVOIR, spawn_stream(seed, "meter:backorder_fill"))
        self.commits = Reservoir(RESERVOIR, spawn_stream(seed, "meter:erp_commit"))
        self.large: dict[str, float] = {}  # large order id -> placed, until it finishes
        self.large_capture: list[float] = []
        self.large_done: list[float] = []
        self.awaiting: dict[str, float] = {}  # accepted, not yet committed by the ERP -> since
        self.awaiting_samples: list[float] = []
        self.freight: dict[str, dict[str, Decimal]] = {}  # order -> release key -> TMS quote
        self.short: set[str] = set()  # orders a shipment reached short, counted once
        self.short_pick: tuple[str, float] | None = None  # the last LineShortPicked: order, when
        tms = systems.get("tms") if systems else None
        if tms is not None and isinstance(tms.model, Tms):
            tms.model.quoted = self._quoted
        self.placed_at: dict[str, float] = {}
        self.duplicates: set[str] = set()
        self.ship_times: dict[str, float] = {}
        self.open_orders = 0
        self.interval_age = [0.0, 0]
        self.series: dict[str, list[tuple[float, float]]] = {name: [] for name in SERIES}
        self.queues = queue_meters(systems or {}, seed, self.warm, self.arrivals_end)
        for kind in self.queues:
            self.series[f"queue_{kind}"] = []
        keys = [(n, s) for n in hub.config.nodes for s in wms[n].opening]
        inventory = hub.state.inventory
        self.positions = [inventory.position(n, s) for n, s in keys]
        self.shelves = [(wms[n].on_hand, s) for n, s in keys]
        self.views: dict[str, list[int]] = {c: self._hub_ats() for c in self.feeds}
        self.accuracy: dict[str, list[float]] = {c: [0.0, 0] for c in CHANNELS}
        self.handlers: dict[E, Callable[[Event, float], None]] = {
            E.ORDER_RECEIVED: self._received,
            E.ORDER_ACCEPTED: self._accepted,
            E.ORDER_REJECTED: self._rejected,
            E.LINE_BACKORDERED: self._backordered,
            E.SHIPMENT_CONFIRMED: self._shipped,
            E.LINE_SHORT_PICKED: self._short_picked,
            E.INVOICE_POSTED: self._invoiced,
            E.ORDER_CLOSED: self._closed,
            E.ORDER_CANCELLED: self._closed,
            E.MESSAGE_DEAD_LETTERED: self._dead_lettered,
            E.RECONCILIATION_EXCEPTION: self._exception,
            E.SALES_ORDER_COMMITTED: self._committed,
            E.SALES_ORDER_REJECTED: self._not_committed,
            E.BACKORDER_ALLOCATED: self._filled,
        }

    # --- what the world tells -----------------------------------------------------------------
    def placed(
        self, order_id: str, at: float, channel: str, duplicate: bool, large: bool = False
    ) -> None:
        """A customer placed an order; ``large`` marks one of ``demand.large_orders``."""
        self.placed_at[order_id] = at
        if large and at >= self.warm:
            self.large[order_id] = at
        if duplicate:
            self.duplicates.add(order_id)
        elif at >= self.warm:
            self.count["orders_placed"] += 1

    def repeated_delivery(self, at: float) -> None:
        if at >= self.warm:
            self.count["suppressed"] += 1

    def lost(self, at: float, resend: bool = False) -> None:
        """Every delivery of an order failed: it was placed all the same, and never arrived."""
        if at >= self.warm:
            self.count["lost"] += 1
            if not resend:
                self.count["orders_placed"] += 1

    def dropped(self, at: float) -> None:
        if at >= self.warm:
            self.count["dropped"] += 1

    def oversold(self, order_id: str) -> None:
        if self.placed_at.get(order_id, -1.0) >= self.warm:
            self.count["oversells"] += 1

    def archive(self, order_id: str, erp: Erp) -> None:
        placed = self.placed_at.pop(order_id, -1.0)
        self.duplicates.discard(order_id)
        self.freight.pop(order_id, None)
        self.awaiting.pop(order_id, None)
        self.short.discard(order_id)
        copies = erp.sales_orders.pop(order_id, None)
        if copies and placed >= self.warm:
            self.count["erp_duplicates"] += len(copies) - 1

    def on_event(self, event: Event, now: float) -> None:
        kind = event.type
        handler = self.handlers.get(kind)
        if handler is not None:
            handler(event, now)
        sinks = self.routes.get(kind)
        if sinks and now >= self.warm:
            add, interval = self.ages.add, self.interval_age
            for sink in sinks:  # each sink keeps its own count and total age
                age = sink.publish(now)
                add(age)
                interval[0] += age
                interval[1] += 1

    # --- event handlers -----------------------------------------------------------------------
    def _measured(self, order_id: str) -> float | None:
        placed = self.placed_at.get(order_id)
        return placed if placed is not None and placed >= self.warm else None

    def _received(self, event: Event, now: float) -> None:
        self.open_orders += 1

    def _accepted(self, event: Event, now: float) -> None:
        if self.erp_owns:
            self.awaiting[event.subject] = now
        placed = self._measured(event.subject)
        if placed is None:
            return
        saga = self.orders[event.subject]
        count = self.count
        count["accepted"] += 1
        count["accepted_lines"] += len(saga.lines)
        if event.subject in self.duplicates:
            count["duplicate_orders"] += 1
        self._decided(event.subject, saga.channel, saga.received_at, placed, now)

    def _rejected(self, event: Event, now: float) -> None:
        self.open_orders -= 1
        placed = self._measured(event.subject)
        if placed is None:
            return
        saga = self.orders[event.subject]
        if saga.reasons and saga.reasons[0].code is RejectionCode.DUPLICATE_ORDER:
            self.count["suppressed"] += 1
            return
        self.count["rejected"] += 1
        self._decided(event.subject, saga.channel, saga.received_at, placed, now)
        self.large.pop(event.subject, None)  # captured, and never to complete

    def _decided(
        self, order_id: str, channel: str, received: float, placed: float, now: float
    ) -> None:
        """Capture ends when the hub answers, accept or reject."""
        took = now - placed
        self.capture.add(took)
        by_channel = self.by_channel.get(channel)
        if by_channel is not None:
            by_channel.add(took)
        if order_id in self.large:
            self.large_capture.append(took)
        if took > self.capture_sla and channel not in self.batched_channels:
            self.count["sla"] += 1  # a batch channel's wait for its pick-up is its own design
        if channel == "edi":
            self.edi.acknowledged(received, now)

    def _backordered(self, event: Event, now: float) -> None:
        if self._measured(event.subject) is not None:
            self.count["backordered_lines"] += 1

    def _shipped(self, event: Event, now: float) -> None:
        order_id = event.subject
        if self._measured(order_id) is None:
            return
        saga = self.orders[order_id]
        if saga.shipments == 1:
            self.count["shipped_orders"] += 1
        if self.short_pick == (order_id, now):  # its short picks come just before it
            self._shipped_short(order_id)
        if saga.channel == "edi":
            self.edi.shipped(now)
            self.ship_times[str(event.data["shipment_id"])] = now

    def _short_picked(self, event: Event, now: float) -> None:
        self.short_pick = (event.subject, now)

    def _shipped_short(self, order_id: str) -> None:
        if order_id not in self.short:
            self.short.add(order_id)
            self.count["partial"] += 1

    def _invoiced(self, event: Event, now: float) -> None:
        placed = self._measured(event.subject)
        if placed is None:
            return
        saga = self.orders[event.subject]
        if len(saga.invoices) == 1:
            self.to_invoice.add(now - placed)
        if saga.channel == "edi":
            shipped = self.ship_times.pop(str(event.data["shipment_id"]), now)
            self.edi.invoiced(shipped, now)

    def _closed(self, event: Event, now: float) -> None:
        """An order finished: closed, having shipped something, or cancelled."""
        self.open_orders -= 1
        order_id = event.subject
        self.awaiting.pop(order_id, None)
        quotes = self.freight.pop(order_id, None)
        placed = self.large.pop(order_id, None)
        if self._measured(order_id) is None:
            return
        count = self.count
        count["closed"] += 1
        if event.type is not E.ORDER_CLOSED:
            return  # cancelled: nothing shipped, nothing carried
        saga = self.orders[order_id]
        if any(ln.shipped < ln.ordered for ln in saga.lines.values()):
            self._shipped_short(order_id)  # a line's rest cancelled by a rule
        self.short.discard(order_id)  # counted once, and no longer in flight
        count["shipped_closed"] += 1
        if saga.shipments > 1:
            count["finished_split"] += 1
            count["extra_shipments"] += saga.shipments - 1
        if quotes:
            count["freight"] += float(sum(quotes.values()))
        if placed is not None:
            self.large_done.append(now - placed)

    def _committed(self, event: Event, now: float) -> None:
        since = self.awaiting.pop(event.subject, None)
        if since is not None and self._measured(event.subject) is not None:
            self.commits.add(now - since)

    def _not_committed(self, event: Event, now: float) -> None:
        self.awaiting.pop(event.subject, None)
        self.large.pop(event.subject, None)

    def _filled(self, event: Event, now: float) -> None:
        if self._measured(event.subject) is not None:
            self.fills.add(float(event.data["waited"]))

    def _quoted(self, order_id: str, release: str, cost: Decimal) -> None:
        """The TMS rated one of an order's releases (a release rated again keeps its last)."""
        if self._measured(order_id) is not None:
            self.freight.setdefault(order_id, {})[release] = cost

    def _dead_lettered(self, event: Event, now: float) -> None:
        if now >= self.warm:
            self.count["dead_letters"] += 1

    def _exception(self, event: Event, now: float) -> None:
        if now >= self.warm:
            self.count["recon"] += 1

    # --- sampling -----------------------------------------------------------------------------
    def _hub_ats(self) -> list[int]:
        return [p.available_to_sell() for p in self.positions]

    def _truth_ats(self) -> list[int]:
        truth = []
        for (shelf, sku), p in zip(self.shelves, self.positions, strict=True):
            left = shelf.get(sku, 0) - p.allocated - p.quarantined - p.safety_stock
            truth.append(left if left > 0 else 0)
        return truth

    def refresh_view(self, channel: str) -> None:
        self.views[channel] = self._hub_ats()

    def sample(self, now: float, dead_letter_depth: int) -> None:
        hub_ats, truth = self._hub_ats(), self._truth_ats()
        total, n = self.interval_age
        self.interval_age = [0.0, 0]
        series = self.series
        series["backlog"].append((now, float(self.open_orders)))
        series["message_age"].append((now, total / n if n else 0.0))
        series["dead_letter_depth"].append((now, float(dead_letter_depth)))
        series["ats_hub"].append((now, float(sum(hub_ats))))
        series["ats_truth"].append((now, float(sum(truth))))
        awaiting = float(len(self.awaiting))
        series["awaiting_erp"].append((now, awaiting))
        for kind, meter in self.queues.items():
            series[f"queue_{kind}"].append((now, meter.sample(now)))
        if self.warm <= now <= self.arrivals_end:
            self.awaiting_samples.append(awaiting)
        if now < self.warm or not truth:
            return
        live = sum(a == b for a, b in zip(hub_ats, truth, strict=True)) / len(truth)
        for channel, acc in self.accuracy.items():
            view = self.views.get(channel)
            share = (
                live
                if view is None
                else (sum(a == b for a, b in zip(view, truth, strict=True)) / len(truth))
            )
            acc[0] += share
            acc[1] += 1

    def _sink_ages(self) -> dict[str, float]:
        """Mean message age at CRM, BI and finance; 0 for one the topology lacks."""
        ages = dict.fromkeys(SINKS, 0.0)
        for sinks in self.routes.values():
            for sink in sinks:
                ages[sink.name] = ratio(sink.total_age, sink.received)
        return ages

    def _channel_captures(self) -> dict[str, float]:
        found = {}
        for channel, sample in self.by_channel.items():
            found[f"capture_mean_{channel}"] = _mean_of(sample)
            found[f"capture_p95_{channel}"] = _p95_of(sample)
        return found

    # --- the result ---------------------------------------------------------------------------
    def result(
        self, variant: str, replication: int, retries: int, erp: Erp, dead_letter_depth: int
    ) -> RunResult:
        count = self.count
        for order_id, copies in erp.sales_orders.items():
            if len(copies) > 1 and self.placed_at.get(order_id, -1.0) >= self.warm:
                count["erp_duplicates"] += len(copies) - 1
        stuck = sum(
            1
            for order_id, saga in self.orders.items()
            if saga.state in _OPEN and self._measured(order_id) is not None
        )
        lines = count["accepted_lines"]
        kpis = {
            "orders_placed": count["orders_placed"],
            "order_acceptance_rate": ratio(
                count["accepted"], count["accepted"] + count["rejected"]
            ),
            "duplicate_orders": count["duplicate_orders"],
            "duplicates_suppressed": count["suppressed"],
            "erp_duplicate_sales_orders": count["erp_duplicates"],
            "orders_lost": count["lost"],
            "oversells": count["oversells"],
            "oversell_rate": ratio(count["oversells"], lines),
            "backorder_rate": ratio(count["backordered_lines"], lines),
            "partial_shipment_rate": ratio(count["partial"], count["shipped_orders"]),
            "split_order_rate": ratio(count["finished_split"], count["shipped_closed"]),
            "splits_per_order": ratio(count["extra_shipments"], count["shipped_closed"]),
            "freight_cost_per_order": ratio(count["freight"], count["shipped_closed"]),
            "capture_mean": self.capture.mean(),
            "capture_p50": self.capture.quantile(0.5),
            "capture_p95": self.capture.quantile(0.95),
            "capture_p99": self.capture.quantile(0.99),
            **self._channel_captures(),
            "large_order_capture": _mean(self.large_capture),
            "large_order_completion": _mean(self.large_done),
            "order_to_invoice_mean": self.to_invoice.mean(),
            "order_to_invoice_p95": self.to_invoice.quantile(0.95),
            "message_age_mean": self.ages.mean(),
            "message_age_p95": self.ages.quantile(0.95),
            **{f"message_age_{name}": age for name, age in self._sink_ages().items()},
            "retries": float(retries),
            "dead_letters": count["dead_letters"],
            "calls_dropped": count["dropped"],
            "reconciliation_exceptions": count["recon"],
            **{
                f"inventory_accuracy_{c}": ratio(total, n)
                for c, (total, n) in self.accuracy.items()
            },
            "edi_chargebacks": self.edi.chargebacks,
            "sla_breaches": float(self.edi.late + count["sla"]),
            "orders_stuck": float(stuck),
            "backorder_fill_mean": _mean_of(self.fills),
            "backorder_fill_p95": _p95_of(self.fills),
            "erp_commit_mean": _mean_of(self.commits) if self.erp_owns else math.nan,
            "awaiting_erp_mean": _mean(self.awaiting_samples) if self.erp_owns else math.nan,
            "awaiting_erp_p95": _p95(self.awaiting_samples) if self.erp_owns else math.nan,
            **unmeasured(),
            **{k: v for meter in self.queues.values() for k, v in meter.kpis().items()},
        }
        return RunResult(
            variant=variant,
            replication=replication,
            seed=self.seed,
            kpis={k: float(v) for k, v in kpis.items()},
            series=self.series,
            latencies={
                "order_capture": list(self.capture.values),
                "order_to_invoice": list(self.to_invoice.values),
                "message_age": list(self.ages.values),
            },
        )


def _mean(values: list[float]) -> float:
    """The mean, or NaN (n/a) for nothing measured."""
    return math.fsum(values) / len(values) if values else math.nan


def _p95(values: list[float]) -> float:
    return float(np.quantile(np.asarray(values), 0.95)) if values else math.nan


def _mean_of(sample: Reservoir) -> float:
    return sample.mean() if sample.count else math.nan


def _p95_of(sample: Reservoir) -> float:
    return sample.quantile(0.95) if sample.count else math.nan
