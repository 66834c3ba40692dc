"""One run of one variant: the estate, the real hub core and every system, in SimPy virtual time.

Theory of operation:

- The estate (catalogue, customers, nodes' starting stock) is drawn from the study seed,
  ``spec.seed``: it is the business being modelled, the same in every replication and variant.
  ``scenarios.runner.plan`` writes the study seed into each job's spec, so a ``--seed`` given on
  the command line reaches the estate too; a World built by hand takes ``spec.seed`` as it is.
- Everything that happens in that estate comes from the run seed by name
  (``spawn_stream(seed, name)``), so two variants of one replication see the same customers
  placing the same orders at the same moments, the same stock movements and the same webhook
  retries (common random numbers), while replications differ.
- The topology decides how data moves (see ``scenarios.wiring``): order capture by webhook, sync
  call or polled batch; inventory by events (plus snapshot reconciliation) or by snapshots every N;
  shipment confirmations by event or file drop; EDI documents and CRM/BI/finance feeds by event or
  batch.
- In a ``point_to_point`` estate there is no hub: each channel's orders reach the ERP on an
  interface of their own, and the core runs as the ERP's order management with the hub's
  functions off (``scenarios.pointtopoint``).
- KPIs are streamed by ``Measures``; finished orders are archived from the hub's working state
  after ``hub.saga_retention``, so memory follows the orders in flight, not the day's total.
"""

from __future__ import annotations

import time
from collections import deque

from reference.domain.events import Event
from reference.domain.events import EventType as E
from reference.domain.model import MovementKind
from reference.hub import (
    CallSystem,
    DeadLetter,
    PlaceOrder,
    ReplayDeadLetter,
)
from reference.hub.orders.payments import open_balance
from scenarios import receivables
from scenarios.building import UNITS_PER_LINE, build_hub, build_systems, rare_collections
from scenarios.collections import Collections
from scenarios.feeds import FEED, InventoryFeed
from scenarios.measures import Measures
from scenarios.pointtopoint import Intake, dead_letter_queue, point_to_point
from scenarios.results import RunResult
from scenarios.spec import ScenarioSpec
from scenarios.wiring import Wiring
from simulators.behavior.schedule import Every
from simulators.behavior.streams import spawn_stream
from simulators.sim.ports import (
    CountingEnvironment,
    FileDropShipments,
    RetryCounter,
    SimPorts,
    sim_driver,
)
from simulators.systems.demand import ArrivalProfile, ChannelOrder, OrderFactory
from simulators.systems.erp import Erp
from simulators.systems.estate import build_estate
from simulators.systems.finance import Finance
from simulators.systems.warehouse import Replenisher, StockChanges, TrackedWms

_TERMINAL = (E.ORDER_CLOSED, E.ORDER_CANCELLED, E.ORDER_REJECTED)


class World:
    def __init__(self, spec: ScenarioSpec, variant: str, replication: int, seed: int) -> None:
        self.spec, self.variant, self.replication, self.seed = spec, variant, replication, seed
        self.env = env = CountingEnvironment()
        self.arrivals_end = spec.warm_up + spec.horizon
        self.end = self.arrivals_end + spec.drain
        demand, stock = spec.demand, spec.inventory
        self.wiring = wiring = Wiring(spec, seed)
        self.profile = ArrivalProfile(
            demand.orders_per_day,
            tuple(demand.hourly_profile) if demand.hourly_profile else None,
            tuple((s.start, s.end, s.factor) for s in demand.spikes),
        )
        hub_units = (
            self.profile.expected(0.0, self.arrivals_end) * demand.lines_per_order
            + sum(o.lines * o.quantity for o in demand.large_orders)
        ) * UNITS_PER_LINE
        self.hub_units_per_day = hub_units * 86400.0 / self.arrivals_end
        self.estate = estate = build_estate(  # the study's estate: one for every replication
            spec.seed,
            skus=stock.skus,
            customers=stock.customers,
            nodes=wiring.nodes,
            expected_units=int(hub_units * (1.0 + stock.other_channel_share)),
            coverage=stock.coverage,
            skew=demand.sku_skew,
        )
        self.nodes = estate.nodes
        self.hub = build_hub(spec, estate, seed)
        self.erp: Erp = estate.erp(idempotent=not wiring.legacy_erp)
        self.finance = Finance()
        self.wms = {
            n: TrackedWms(
                n, dict(estate.stock[n]), stock.short_pick_rate, seed, on_oversell=self._oversold
            )
            for n in self.nodes
        }
        systems = build_systems(wiring, seed, self.erp, self.finance, self.wms)
        self.measures = Measures(spec, seed, wiring, self.hub, self.wms, systems)
        self.ports = SimPorts(env, systems, self._on_event, self._dead_letter)
        polls = {f"wms:{n}": e for n, e in wiring.shipment_polls.items()}
        carried = FileDropShipments(self.ports, polls, self._unconfirmed) if polls else self.ports
        self.counter = RetryCounter(carried)
        self.driver = sim_driver(self.hub, self.counter, self.ports)
        self.parks = dead_letter_queue(spec)
        self.factory = OrderFactory(
            estate,
            spawn_stream(seed, "demand"),
            dict(demand.channel_mix),
            demand.lines_per_order,
            demand.stale_price_rate,
            demand.unknown_customer_rate,
            demand.resend_rate,
        )
        self.webhook_rngs = {c: spawn_stream(seed, f"webhook:{c}") for c in wiring.webhooks}
        self.intake = (
            Intake(env, spec, wiring, seed, self.measures, self.driver.submit, self.ports.at)
            if point_to_point(spec)
            else None
        )
        self.parked: list[DeadLetter] = []
        self.retiring: deque[tuple[float, str]] = deque()
        self.mailboxes: dict[str, list[tuple[str, ChannelOrder]]] = {}
        self.feed = InventoryFeed(env, wiring.behavior(FEED), self.nodes, seed, self.driver.submit)
        self.orders_sent = 0  # by customers, resends included: the demand the day drew
        self.lines_placed = 0
        self.receivables: receivables.Receivables | None = None
        self.collections: Collections | None = None
        if spec.payments is not None:
            placed_at, warm = self.measures.placed_at, spec.warm_up
            self.receivables = receivables.Receivables(
                lambda order_id: placed_at.get(order_id, -1.0) >= warm, spec.horizon
            )
            self.collections = Collections(
                spec.payments, seed, self.erp, self.ports, self.receivables
            )

    # --- running ---------------------------------------------------------------------------
    def run(self) -> RunResult:
        started = time.perf_counter()
        env, spec, wiring = self.env, self.spec, self.wiring
        env.process(self._demand())
        for large in spec.demand.large_orders:
            self.ports.at(
                large.at,
                PlaceOrder(*self._large(large.at, large.lines, large.channel, large.quantity)),
            )
        rates = self._movement_rates()
        if rates[0] + rates[1] + rates[2] > 0:
            for node in self.nodes:
                env.process(self._stock_changes(node, rates))
        if spec.inventory.replenishment is not None:
            env.process(self._replenish())
        for node in self.nodes:
            every = wiring.snapshot_every(node)
            if every is not None:
                self._every(every, lambda n=node: self._snapshot(n))
        if self.parks:
            self._every(spec.hub.replay_every, self._replay)
        for channel, every in wiring.availability_feeds.items():
            self._every(every, lambda c=channel: self.measures.refresh_view(c))
        self._every(spec.sample_every, self._sample, first=0.0)
        with rare_collections():
            env.run(until=self.end)
        result = self.measures.result(
            self.variant, self.replication, self.counter.retries, self.erp, len(self.parked)
        )
        result.kpis.update(self._collect_payments())
        result.wall_seconds = time.perf_counter() - started
        return result

    def _collect_payments(self) -> dict[str, float]:
        """After the order day, nothing but collections until the last payment is applied
        (scenarios.collections): the day's routines have stopped, what was in flight goes on."""
        if self.collections is None or self.receivables is None:
            return receivables.unmeasured()
        with rare_collections():
            self.collections.collect()
        return self.receivables.kpis(self.env.now)

    def _every(self, interval: float, action: object, first: float | None = None) -> None:
        def loop():  # type: ignore[no-untyped-def]
            yield self.env.timeout(interval if first is None else first)
            while self.env.now < self.end:  # the day's routines stop with it (collections)
                action()  # type: ignore[operator]
                yield self.env.timeout(interval)

        self.env.process(loop())

    # --- demand ----------------------------------------------------------------------------
    def _demand(self):  # type: ignore[no-untyped-def]
        env, rng, number = self.env, self.factory.rng, 0
        while True:
            t = self.profile.next_arrival(env.now, rng, self.arrivals_end)
            if t == float("inf"):
                return
            yield env.timeout(t - env.now)
            number += 1
            self._route(self.factory.make(number, env.now))

    def _large(self, at: float, lines: int, channel: str, quantity: int) -> tuple:  # type: ignore[type-arg]
        from reference.domain.model import Channel

        order = self.factory.order(0, Channel(channel), min(lines, len(self.estate.skus)), quantity)
        order_id = f"SO-L{int(at)}-{lines}"
        self.measures.placed(order_id, at, channel, duplicate=False, large=True)
        return order, order_id, f"corr-{order_id}"

    def _route(self, placed: ChannelOrder) -> None:
        """Deliver one customer order to the hub the way its channel's flow says."""
        channel = placed.channel.value
        self.orders_sent += 1
        self.lines_placed += len(placed.order.lines)
        base_id = f"SO-{placed.number:07d}"
        if self.intake is not None:
            self.intake.route(placed, base_id)
            return
        measures, now = self.measures, placed.placed_at
        webhook = self.wiring.webhooks.get(channel)
        times = webhook.deliveries(now, self.webhook_rngs[channel]) if webhook else [now]
        if not times:
            measures.lost(now, placed.resend)
            return
        idempotent = self.spec.hub.idempotency
        for k, when in enumerate(times):
            order_id = base_id if k == 0 or idempotent else f"{base_id}-{k}"
            if k == 0 or not idempotent:
                measures.placed(order_id, now, channel, duplicate=k > 0 or placed.resend)
            else:
                measures.repeated_delivery(now)
            mailbox = self.wiring.mailboxes.get(channel)
            if mailbox is not None:
                self._post(channel, mailbox, order_id, placed, when)
            elif when <= self.env.now:
                self.driver.submit(PlaceOrder(placed.order, order_id, f"corr-{order_id}"))
            else:
                self.ports.at(when, PlaceOrder(placed.order, order_id, f"corr-{order_id}"))

    def _post(
        self, channel: str, schedule: Every, order_id: str, placed: ChannelOrder, when: float
    ) -> None:
        """A batch channel (EDI 850s, a polled order feed): picked up at the next tick."""
        box = self.mailboxes.get(channel)
        if box is None:
            box = self.mailboxes[channel] = []
            tick = schedule.next_after(when)
            timeout = self.env.timeout(tick - self.env.now)
            timeout.callbacks.append(lambda _e: self._collect(channel))
        box.append((order_id, placed))

    def _collect(self, channel: str) -> None:
        for order_id, placed in self.mailboxes.pop(channel, []):
            self.driver.submit(PlaceOrder(placed.order, order_id, f"corr-{order_id}"))

    # --- stock the hub does not move -------------------------------------------------------
    def _movement_rates(self) -> tuple[float, float, float]:
        stock, per_node = self.spec.inventory, 1.0 / len(self.nodes)
        sales = self.hub_units_per_day * stock.other_channel_share / 2.0 * per_node
        returns = self.hub_units_per_day * stock.returns_share * per_node
        return sales, returns, stock.cycle_counts_per_day

    def _stock_changes(self, node: str, rates: tuple[float, float, float]):  # type: ignore[no-untyped-def]
        changes = StockChanges(
            self.estate.skus,
            self.estate.popularity,
            spawn_stream(self.seed, f"stock:{node}"),
            *rates,
        )
        env, wms = self.env, self.wms[node]
        while True:
            yield env.timeout(changes.gap())
            if env.now >= self.end:
                return  # the day's routines stop with it
            change = changes.draw()
            delta = -change.quantity if change.kind is MovementKind.SHIPMENT else change.quantity
            applied = wms.move(change.sku, delta, sale=change.kind is MovementKind.SHIPMENT)
            if applied:
                quantity = -applied if change.kind is MovementKind.SHIPMENT else applied
                self._report(node, change.kind, change.sku, quantity, applied)

    def _replenish(self):  # type: ignore[no-untyped-def]
        policy = self.spec.inventory.replenishment
        assert policy is not None
        buyers = {n: Replenisher(policy.reorder_point, policy.order_up_to) for n in self.nodes}
        while True:
            yield self.env.timeout(policy.review_every)
            if self.env.now >= self.end:
                return
            for node in self.nodes:
                for sku, quantity in buyers[node].review(self.wms[node]):
                    timeout = self.env.timeout(policy.lead_time)
                    timeout.callbacks.append(
                        lambda _e, n=node, s=sku, q=quantity: self._receive(buyers[n], n, s, q)
                    )

    def _receive(self, buyer: Replenisher, node: str, sku: str, quantity: int) -> None:
        buyer.received(sku)
        self.wms[node].move(sku, quantity)
        self._report(node, MovementKind.RECEIPT, sku, quantity, quantity)

    def _report(self, node: str, kind: MovementKind, sku: str, quantity: int, delta: int) -> None:
        """Tell the hub of a movement through the inventory feed (scenarios/feeds.py), if
        inventory flows by events from this node; else the next snapshot carries it."""
        if self.wiring.movements_by_event(node):
            self.feed.movement(node, kind, sku, quantity, delta)

    def _unconfirmed(self, call: CallSystem, sign: int) -> None:
        """A file-drop WMS picked a release the hub has not read yet: the hub will take the
        released units off its books when it does, so a snapshot meanwhile adds them back."""
        self.feed.unconfirmed(str(call.payload["node"]), call.payload["lines"], sign)

    def _snapshot(self, node: str) -> None:
        self.feed.snapshot(node, self.wms[node].on_hand)

    # --- hub outputs -----------------------------------------------------------------------
    def _on_event(self, event: Event) -> None:
        now = self.env.now
        self.measures.on_event(event, now)
        if self.collections is not None and self.receivables is not None:
            self.receivables.on_event(event, now)
            self.collections.on_event(event, now)
            if event.type in _TERMINAL and not self._paid(event.subject):
                return  # kept until it is paid: OrderPaid retires it
            if event.type is E.ORDER_PAID:
                self.retiring.append((now + self.spec.hub.saga_retention, event.subject))
                return
        if event.type in _TERMINAL:
            self.retiring.append((now + self.spec.hub.saga_retention, event.subject))

    def _paid(self, order_id: str) -> bool:
        saga = self.hub.state.orders.get(order_id)
        return saga is None or all(open_balance(saga, inv) <= 0 for inv in saga.invoice_totals)

    def _dead_letter(self, letter: DeadLetter) -> None:
        if self.parks:
            self.parked.append(letter)
        else:
            self.measures.dropped(self.env.now)

    def _replay(self) -> None:
        parked, self.parked = self.parked, []
        for letter in parked:
            self.driver.submit(ReplayDeadLetter(letter.call))

    def _oversold(self, order_id: str, line_no: int, short: int) -> None:
        self.measures.oversold(order_id)

    def _sample(self) -> None:
        now = self.env.now
        self.measures.sample(now, len(self.parked))
        retiring, state = self.retiring, self.hub.state
        while retiring and retiring[0][0] <= now:
            _, order_id = retiring.popleft()
            saga = state.orders.pop(order_id, None)
            if saga is None:
                continue
            key = (saga.customer_id, saga.order_number)
            if state.order_numbers.get(key) == order_id:
                del state.order_numbers[key]
            for node in {release.node for release in saga.releases.values()}:
                self.wms[node].forget(order_id)
            self.measures.archive(order_id, self.erp)
            for release in saga.releases:  # its key names its shipment: node, or node.2...
                invoice = f"INV-SH-{order_id}-{release}"
                self.erp.invoices.pop(invoice, None)
                self.finance.journals.pop(f"JE-{invoice}", None)


def run_world(spec: ScenarioSpec, variant: str, replication: int, seed: int) -> RunResult:
    """Run one (variant, replication) with its own run seed; ``spec`` is the variant's spec."""
    return World(spec, variant, replication, seed).run()
