"""Point-to-point order capture: each channel's orders reach the ERP on an interface of its own.

Theory of operation. A ``topology.style: point_to_point`` estate has no hub, so what a hub does
at the edge goes with it, and what the ERP does as the system of record stays:

- Each channel's order flow into the ERP is its own interface, with that flow's pattern and
  failures, and with no durable outbox and no dead-letter queue behind it:

  ``event``   the channel's webhook (``channels.storefront`` / ``channels.marketplace``: attempts,
              backoff, failure and duplicate rates) posts to the ERP's order API. An attempt
              fails on the flow's own failure draw, or because the ERP is down (an outage of its
              behaviour); after the last attempt the order is lost.
  ``file``    the channel drops a file; the ERP's import job picks it up every N. A pick-up
  ``batch``   while the ERP is down finds it down, and the file waits for the next one: orders
              wait, none is lost.
  ``sync_api`` the channel calls the ERP while the customer waits: one attempt, refused during
              an outage, and that order is lost (the customer was told it failed).

  Sales reps, and a channel the estate draws no order flow for, key orders into the ERP itself;
  while it is down they wait and key them in when it is back.
- No dedupe: no idempotency key and no order-number check. A webhook delivered twice makes two
  sales orders, and a re-sent order number (``demand.resend_rate``) another one.
- No canonical translation: each channel's format is mapped on its own interface. That is what
  the interface count says (``scenarios.topology``); no mapping-error rate is invented for it.
- Behind the interfaces the ERP processes orders by the same business rules the hub core holds
  (customer, contract price and credit checks against the ERP's records, allocation against the
  stock the WMS reports, the sales order, release to the WMS, an invoice per shipment), so the
  run drives that core as the ERP's order management, with the hub's own functions off
  (``hub_config``): no duplicate check, every delivery a new order, and no dead-letter queue. A
  call that exhausts ``hub.retry`` (each peer retrying as the hub would, so that only the missing
  queue differs) is dropped, and its order stays open.
- Every other flow (releases, shipment confirmations, inventory, EDI documents, CRM, BI and
  finance feeds) is read by ``scenarios.wiring`` from the flows the estate draws, as for a hub.

Every draw comes from the run seed: a webhook uses the stream its channel has in a hub estate
(``webhook:<channel>``), so the two styles see the same deliveries until the ERP's outage
refuses one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reference.hub import PlaceOrder
from scenarios.problems import Problem, dotted
from simulators.behavior.faults import Window
from simulators.behavior.schedule import Every
from simulators.behavior.streams import spawn_stream

if TYPE_CHECKING:
    import simpy

    from reference.hub import Message
    from scenarios.measures import Measures
    from scenarios.spec import ScenarioSpec
    from scenarios.wiring import Wiring
    from simulators.systems.demand import ChannelOrder

STYLE = "point_to_point"
#: The systems whose orders reach the ERP on a flow of their own, by the channel they serve.
CHANNEL_KINDS = {"web": "storefront", "marketplace": "marketplace", "edi": "edi_partner"}


def point_to_point(spec: ScenarioSpec) -> bool:
    return spec.topology.style == STYLE


def duplicate_check(spec: ScenarioSpec) -> bool:
    """Whether anything rejects a re-sent order number: the hub, when idempotency is on."""
    return spec.hub.idempotency and not point_to_point(spec)


def dead_letter_queue(spec: ScenarioSpec) -> bool:
    """Whether calls that exhaust their retries are parked and replayed: only a hub's are."""
    return spec.hub.dead_letters and not point_to_point(spec)


def next_up(outages: list[Window], t: float) -> float:
    """The first moment at or after ``t`` when no outage window holds."""
    moved = True
    while moved:
        moved = False
        for window in outages:
            if window.contains(t):
                t, moved = window.end, True
    return t


class Intake:
    """The channels' order interfaces into the ERP, in one run (see the module docstring)."""

    def __init__(
        self,
        env: simpy.Environment,
        spec: ScenarioSpec,
        wiring: Wiring,
        seed: int,
        measures: Measures,
        submit: Callable[[Message], object],
        at: Callable[[float, Message], None],
    ) -> None:
        self.env, self.measures, self.submit, self.at = env, measures, submit, at
        self.outages = list(wiring.behavior("erp").outages)
        self.senders = {c: w.build() for c, w in wiring.webhooks.items()}
        self.rngs = {c: spawn_stream(seed, f"webhook:{c}") for c in wiring.webhooks}
        self.pickups: dict[str, Every] = dict(wiring.mailboxes)
        self.files: dict[str, list[tuple[str, ChannelOrder]]] = {}
        kinds = {s.name: s.kind for s in spec.topology.systems}
        self.calls = frozenset(
            channel
            for channel, kind in CHANNEL_KINDS.items()
            for f in spec.topology.flows
            if f.data == "orders" and kinds.get(f.source) == kind and channel not in self.pickups
            if channel not in self.senders
        )

    def down(self, t: float) -> bool:
        return any(w.contains(t) for w in self.outages)

    def route(self, placed: ChannelOrder, base_id: str) -> None:
        """One customer order onto its channel's interface into the ERP."""
        channel, now = placed.channel.value, placed.placed_at
        sender = self.senders.get(channel)
        if sender is not None:
            times = sender.deliveries(now, self.rngs[channel], self.down if self.outages else None)
        elif channel in self.calls and self.down(now):
            times = []  # a synchronous call the ERP refused: the customer saw it fail
        else:
            times = [now]
        if not times:
            self.measures.lost(now, placed.resend)
            return
        for k, when in enumerate(times):  # the ERP has no idempotency key: each is an order
            order_id = base_id if k == 0 else f"{base_id}-{k}"
            self.measures.placed(order_id, now, channel, duplicate=k > 0 or placed.resend)
            pickup = self.pickups.get(channel)
            if pickup is not None:
                self._drop(channel, pickup, order_id, placed, when)
            elif sender is not None or channel in self.calls:
                self._enter(order_id, placed, when)
            else:  # keyed into the ERP by a person, who waits out an outage
                self._enter(order_id, placed, next_up(self.outages, when))

    def _enter(self, order_id: str, placed: ChannelOrder, when: float) -> None:
        message = PlaceOrder(placed.order, order_id, f"corr-{order_id}")
        if when <= self.env.now:
            self.submit(message)
        else:
            self.at(when, message)

    def _drop(
        self, channel: str, pickup: Every, order_id: str, placed: ChannelOrder, when: float
    ) -> None:
        """A file for the ERP's import job, which reads the folder at its next pick-up."""
        folder = self.files.get(channel)
        if folder is None:
            folder = self.files[channel] = []
            self._schedule(channel, pickup, pickup.next_after(when))
        folder.append((order_id, placed))

    def _schedule(self, channel: str, pickup: Every, tick: float) -> None:
        timeout = self.env.timeout(tick - self.env.now)
        timeout.callbacks.append(lambda _e: self._pick_up(channel, pickup))

    def _pick_up(self, channel: str, pickup: Every) -> None:
        now = self.env.now
        if self.down(now):  # the job cannot run: the files stay for its next pick-up
            self._schedule(channel, pickup, pickup.next_after(now))
            return
        for order_id, placed in self.files.pop(channel, []):
            self.submit(PlaceOrder(placed.order, order_id, f"corr-{order_id}"))


def problems(spec: ScenarioSpec) -> list[Problem]:
    """A point-to-point estate's channels send their orders to the ERP, its system of record:
    an order flow from a channel to anything else would not be what the run simulates."""
    if not point_to_point(spec):
        return []
    systems = spec.topology.systems
    kinds = {s.name: s.kind for s in systems}
    found = []
    for index, flow in enumerate(spec.topology.flows):
        if flow.data != "orders" or kinds.get(flow.source) not in CHANNEL_KINDS.values():
            continue
        if kinds.get(flow.target) != "erp":
            loc = ("topology", "flows", index, "target")
            erps = [s.name for s in systems if s.kind == "erp"]
            found.append(
                Problem(
                    loc,
                    dotted(loc),
                    "in a point_to_point estate a channel's orders go to the ERP, the system of "
                    "record for orders"
                    + (f"; target {erps[0]!r}" if erps else "; the estate has no ERP")
                    + ", or set topology.style: hub",
                    flow.target,
                )
            )
    return found
