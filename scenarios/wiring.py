"""How a run reads the topology: which flow pattern moves which data, and each system's behaviour.

The runner recognises flows by their data domain and the kinds of the systems at each end (flow
names are free):

==========================  ===================================================================
flow                        effect in the run
==========================  ===================================================================
orders  storefront -> *     ``event``: webhook (``channels.storefront`` retries and duplicates);
orders  marketplace -> *    ``sync_api``: one direct call; ``batch``/``file``: picked up every N
orders  edi_partner -> *    ``file``/``batch``: 850s collected in a mailbox, delivered every N
inventory  wms -> *         ``event``: each movement through the ``systems.inventory_feed``
                            behaviour (latency, ``loss_rate``, ``duplicate_rate``; see
                            scenarios/feeds.py) plus a snapshot every
                            ``hub.reconciliation_every``; ``batch``/``file``: only a snapshot
                            every N (a legacy ERP's scheduled extract is such a flow); either
                            way a snapshot lands ``inventory_feed.snapshot_latency`` after its
                            count
shipments  wms -> *         ``event``/``sync_api``: confirmed in the release reply;
                            ``batch``/``file``: file drop, polled every N (a legacy WMS)
orders|shipments|invoices   855 / 856 / 810 to the partner: by event, or in a batch every N
  * -> edi_partner
* -> crm | bi | finance     events of the flow's data domain, by event or in a batch every N
inventory  * -> storefront  what that channel shows as available: live (event) or a copy
  | marketplace | edi       refreshed every N (batch/file); a channel without one sees live
==========================  ===================================================================

A flow absent from the topology falls back to the hub default: direct orders, events.
An ERP system whose ``variant`` starts with ``legacy`` has a non-idempotent order API.
"""

from __future__ import annotations

from typing import Any

from reference.domain.events import EventType as E
from scenarios.spec import ScenarioSpec
from scenarios.topology import Flow
from simulators.behavior.defaults import VIRTUAL
from simulators.behavior.faults import Degradation, Window
from simulators.behavior.profile import BehaviorSpec
from simulators.behavior.schedule import Every
from simulators.behavior.streams import spawn_stream
from simulators.behavior.webhook import WebhookDelivery
from simulators.systems.estate import NODES
from simulators.systems.partners import Delivery, EdiPartner, EventSink

KIND_CHANNEL = {"storefront": "web", "marketplace": "marketplace", "edi_partner": "edi"}
SINKS = ("crm", "bi", "finance")

DOMAIN_EVENTS: dict[str, frozenset[E]] = {
    "orders": frozenset(
        {
            E.ORDER_RECEIVED,
            E.ORDER_ACCEPTED,
            E.ORDER_REJECTED,
            E.ORDER_SPLIT,
            E.ORDER_RELEASED,
            E.ORDER_CLOSED,
            E.ORDER_CANCELLED,
            E.LINE_BACKORDERED,
            E.BACKORDER_CANCELLED,
        }
    ),
    "shipments": frozenset({E.SHIPMENT_CONFIRMED, E.LINE_SHORT_PICKED}),
    "invoices": frozenset({E.INVOICE_REQUESTED, E.INVOICE_POSTED}),
    "journals": frozenset({E.INVOICE_POSTED}),
    "payments": frozenset({E.PAYMENT_APPLIED}),
    "inventory": frozenset({E.INVENTORY_MOVED, E.AVAILABILITY_CHANGED, E.RECONCILIATION_EXCEPTION}),
    "customers": frozenset(),
    "prices": frozenset(),
}

DEFAULT_BEHAVIORS = VIRTUAL


def _merge(base: BehaviorSpec, given: BehaviorSpec | None) -> BehaviorSpec:
    """``given`` over ``base``, field by field (``errors`` too): a scenario that sets only
    ``workers`` keeps the default latency."""
    if given is None:
        return base
    update: dict[str, Any] = {k: getattr(given, k) for k in given.model_fields_set}
    if "errors" in update:
        errors = given.errors
        update["errors"] = base.errors.model_copy(
            update={k: getattr(errors, k) for k in errors.model_fields_set}
        )
    return base.model_copy(update=update)


class Wiring:
    def __init__(self, spec: ScenarioSpec, seed: int) -> None:
        self.spec, self.seed = spec, seed
        topology = spec.topology
        self.kinds = {s.name: s.kind for s in topology.systems}
        self.node_of = {s.name: s.node for s in topology.systems if s.kind == "wms"}
        nodes = tuple(dict.fromkeys(n for n in self.node_of.values() if n))
        self.nodes: tuple[str, ...] = nodes or NODES
        self.legacy_erp = any(
            s.kind == "erp" and (s.variant or "").startswith("legacy") for s in topology.systems
        )
        self.webhooks: dict[str, WebhookDelivery] = {}
        self.mailboxes: dict[str, Every] = {}
        for channel, kind in (
            ("web", "storefront"),
            ("marketplace", "marketplace"),
            ("edi", "edi_partner"),
        ):
            flow = self._flow("orders", source_kind=kind)
            if flow is None or flow.pattern == "sync_api":
                continue
            if flow.pattern == "event":
                if channel in ("web", "marketplace"):
                    self.webhooks[channel] = getattr(
                        spec.channels, "storefront" if channel == "web" else channel
                    )
            else:
                self.mailboxes[channel] = Every(_every(flow))
        self.inventory_every: dict[str, float | None] = {}
        self.shipment_polls: dict[str, Every] = {}
        for node in self.nodes:
            flow = (
                self._flow("inventory", source_kind="wms", node=node)
                or self._flow("inventory", source_kind="wms")
                or self._flow("inventory", source_kind="erp", target_kind="hub")
            )
            self.inventory_every[node] = (
                None if flow is None or flow.pattern in ("event", "sync_api") else _every(flow)
            )
            ship = self._flow("shipments", source_kind="wms", node=node) or self._flow(
                "shipments", source_kind="wms"
            )
            if ship is not None and ship.pattern in ("batch", "file"):
                self.shipment_polls[node] = Every(_every(ship))
        self.availability_feeds: dict[str, float] = {}
        for kind, channel in KIND_CHANNEL.items():
            flow = self._flow("inventory", target_kind=kind)
            if flow is not None and flow.pattern in ("batch", "file"):
                self.availability_feeds[channel] = _every(flow)

    def _flow(
        self,
        data: str,
        source_kind: str | None = None,
        target_kind: str | None = None,
        node: str | None = None,
    ) -> Flow | None:
        for flow in self.spec.topology.flows:
            if flow.data != data:
                continue
            if source_kind and self.kinds.get(flow.source) != source_kind:
                continue
            if target_kind and self.kinds.get(flow.target) != target_kind:
                continue
            if node and self.node_of.get(flow.source) != node:
                continue
            return flow
        return None

    def behavior(self, name: str) -> BehaviorSpec:
        """A system's behaviour: the default, the scenario's ``systems`` entry for its kind and
        then for its exact name, and the faults aimed at either."""
        kind = name.split(":", 1)[0]
        spec = _merge(DEFAULT_BEHAVIORS.get(kind, BehaviorSpec()), self.spec.systems.get(kind))
        if name != kind:
            spec = _merge(spec, self.spec.systems.get(name))
        outages = list(spec.outages)
        degradations = list(spec.degradations)
        for fault in self.spec.faults:
            if fault.system not in (name, kind):
                continue
            if fault.kind == "outage":
                outages.append(Window(fault.start, fault.end))
            else:
                degradations.append(Degradation(fault.start, fault.end, fault.factor))
        return spec.model_copy(update={"outages": outages, "degradations": degradations})

    def snapshot_every(self, node: str) -> float | None:
        every = self.inventory_every[node]
        return every if every is not None else self.spec.hub.reconciliation_every

    def movements_by_event(self, node: str) -> bool:
        """Whether ``node``'s movements reach the hub as events (else only its snapshots)."""
        return self.inventory_every[node] is None

    def delivery(self, behavior_name: str, stream: str, flows: list[Flow]) -> Delivery:
        """Deliveries to one receiver: batched on the shortest schedule among ``flows``, if any
        is a batch or file flow; by events otherwise. Receivers do not queue (no workers)."""
        spec = self.behavior(behavior_name).model_copy(update={"workers": None})
        batched = [_every(f) for f in flows if f.pattern in ("batch", "file")]
        errors = spec.errors
        quiet = (
            not spec.outages
            and not spec.degradations
            and spec.rate_limit is None
            and errors.server_error == errors.timeout == errors.throttle == 0.0
        )
        return Delivery(
            spec.build(),
            spawn_stream(self.seed, stream),
            Every(min(batched)) if batched else None,
            quiet=quiet,
        )

    def sinks(self) -> dict[E, list[EventSink]]:
        """Event type -> the sinks that receive it, by the flows into CRM, BI and finance."""
        routes: dict[E, list[EventSink]] = {}
        for kind in SINKS:
            flows = [f for f in self.spec.topology.flows if self.kinds.get(f.target) == kind]
            if not flows:
                continue
            sink = EventSink(kind, self.delivery(kind, f"sink:{kind}", flows))
            types = sorted({t for f in flows for t in DOMAIN_EVENTS.get(f.data, ())})
            for event_type in types:
                routes.setdefault(event_type, []).append(sink)
        return routes

    def edi_partner(self) -> EdiPartner:
        policy = self.spec.channels.edi

        def docs(data: str, stream: str) -> Delivery:
            flow = self._flow(data, target_kind="edi_partner")
            return self.delivery("edi", stream, [flow] if flow else [])

        return EdiPartner(
            docs("orders", "edi:855"),
            docs("shipments", "edi:856"),
            docs("invoices", "edi:810"),
            policy.ack_sla,
            policy.asn_sla,
            policy.invoice_sla,
            policy.chargeback_per_late_asn,
        )


def _every(flow: Flow) -> float:
    if flow.every is None:  # the topology requires it for batch and file flows
        raise ValueError(f"flow {flow.name!r} ({flow.pattern}) has no `every`")
    return flow.every
