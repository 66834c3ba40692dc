"""The twin: one seeded order stream down both paths users run, compared order by order.

- The what-if path is the SimPy adapter (simulators/sim) over the scenario's system models and
  behaviours (latencies, faults, workers, pages), built as ``crossdock simulate`` builds them
  (``scenarios.world.build_hub`` and ``build_systems``).
- The service path is the service's runtime (reference/service/runtime.py: the asyncio adapter
  over the durable ports) on a virtual-time loop, with the real HubStore and migrations on a
  temporary SQLite file, its systems the same models and behaviours in process.

Both place the same orders at the same moments. Because the service path runs on a virtual clock
with its transactions inline, every answer lands at the same instant in both, in the same order,
so the core must decide the same things. Timestamps are left out of the comparison; every
order's business events, in order, must match.

The compared demand is orders only: customer payments and credit memos (a scenario's
``payments:`` section, scenarios/collections.py) are the what-if engine's and are not placed here.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import simpy

from reference.domain.events import Event
from reference.hub import Hub, PlaceOrder
from reference.hub.interpreter import Ports
from scenarios.building import UNITS_PER_LINE, build_hub, build_systems
from scenarios.spec import ScenarioSpec
from scenarios.wiring import Wiring
from simulators.behavior.streams import spawn_stream
from simulators.sim import sim_driver
from simulators.sim.ports import SimPorts
from simulators.systems.demand import Arrival, ArrivalProfile, OrderFactory, arrivals
from simulators.systems.endpoint import SimulatedSystem
from simulators.systems.estate import Estate, build_estate
from simulators.systems.finance import Finance
from simulators.systems.warehouse import TrackedWms

COUNT_KEYS = ("accepted", "rejected", "split", "partially_shipped", "backordered", "invoiced")
COUNT_KEYS += ("closed", "shipments", "invoices", "events")


@dataclass
class Side:
    """What one path did: each order's final saga and its business events, in order."""

    sagas: dict[str, Any] = field(default_factory=dict)  # order id -> OrderSaga
    events: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    count: int = 0

    def add(self, event: Event) -> None:
        self.events[event.subject].append(event.business_key())
        self.count += 1

    def summary(self, order_ids: list[str]) -> dict[str, Any]:
        sagas = [self.sagas[o] for o in order_ids if o in self.sagas]
        states = [s.state.value for s in sagas]
        digest = hashlib.sha256()
        for order_id in order_ids:
            digest.update(order_id.encode())
            for key in self.events.get(order_id, ()):
                digest.update(key.encode())
        return {
            "accepted": sum(state not in ("received", "rejected") for state in states),
            "rejected": states.count("rejected"),
            "split": sum(s.was_split for s in sagas),
            "partially_shipped": sum(s.was_partially_shipped for s in sagas),
            "backordered": sum(s.was_backordered for s in sagas),
            "invoiced": sum(bool(s.invoices) for s in sagas),
            "closed": states.count("closed"),
            "shipments": sum(s.shipments for s in sagas),
            "invoices": sum(len(s.invoices) for s in sagas),
            "events": self.count,
            "event_hash": digest.hexdigest(),
        }


@dataclass(frozen=True)
class Stream:
    """The estate, the run seed and the orders both paths receive."""

    spec: ScenarioSpec
    seed: int
    estate: Estate
    arrivals: list[Arrival]

    def hub(self) -> Hub:
        return build_hub(self.spec, self.estate, self.seed)

    def systems(self) -> dict[str, SimulatedSystem]:
        """Fresh models behind fresh behaviours: each path gets its own, drawn the same way."""
        stock = self.spec.inventory
        wms = {
            n: TrackedWms(n, dict(self.estate.stock[n]), stock.short_pick_rate, self.seed)
            for n in self.estate.nodes
        }
        wiring = Wiring(self.spec, self.seed)
        erp = self.estate.erp(idempotent=not wiring.legacy_erp)
        return build_systems(wiring, self.seed, erp, Finance(), wms)  # type: ignore[arg-type]


def stream(spec: ScenarioSpec, orders: int, seed: int) -> Stream:
    """The first ``orders`` customer orders of the scenario's demand, from ``seed``."""
    demand, stock = spec.demand, spec.inventory
    wiring = Wiring(spec, seed)
    estate = build_estate(
        seed,
        skus=stock.skus,
        customers=stock.customers,
        nodes=wiring.nodes,
        expected_units=int(orders * demand.lines_per_order * UNITS_PER_LINE),
        coverage=stock.coverage,
        skew=demand.sku_skew,
    )
    profile = ArrivalProfile(
        demand.orders_per_day,
        tuple(demand.hourly_profile) if demand.hourly_profile else None,
        tuple((s.start, s.end, s.factor) for s in demand.spikes),
    )
    factory = OrderFactory(
        estate,
        spawn_stream(seed, "demand"),
        dict(demand.channel_mix),
        demand.lines_per_order,
        demand.stale_price_rate,
        demand.unknown_customer_rate,
        demand.resend_rate,
    )
    return Stream(spec, seed, estate, arrivals(profile, factory, orders))


def run_whatif(run: Stream, deviate: Callable[[Ports], Ports] | None = None) -> Side:
    env, side, hub = simpy.Environment(), Side(), run.hub()
    base = SimPorts(env, run.systems(), side.add)
    driver = sim_driver(hub, deviate(base) if deviate else base, base)

    def arrive() -> simpy.events.ProcessGenerator:
        for arrival in run.arrivals:
            if arrival.time > env.now:
                yield env.timeout(arrival.time - env.now)
            driver.submit(PlaceOrder(arrival.order, arrival.order_id, arrival.correlation_id))

    env.process(arrive())
    env.run()
    side.sagas = dict(hub.state.orders)
    return side


def run_service(run: Stream, database: Path) -> Side:
    from reference.service.clock import VirtualTimeLoop
    from reference.service.persistence.database import Database
    from reference.service.runtime import HubRuntime, inline
    from reference.service.seeding import seed_stock
    from reference.service.settings import Settings
    from simulators.inprocess import InProcessSystems

    settings = Settings(database_url=f"sqlite:///{database}", run_worker=False, seed=run.seed)
    db = Database.connect(settings.database_url)
    db.upgrade()
    hub = run.hub()
    seed_stock(db, hub.state.inventory, f"twin {run.seed}")
    loop = VirtualTimeLoop()
    runtime = HubRuntime(
        settings,
        db,
        InProcessSystems(run.systems()),
        hub.config,
        clock=loop.time,
        offload=inline,
        bound_calls=False,
    )

    async def place_all() -> None:
        for arrival in run.arrivals:
            if arrival.time > loop.time():
                await asyncio.sleep(arrival.time - loop.time())
            await runtime.apply(PlaceOrder(arrival.order, arrival.order_id, arrival.correlation_id))
        await runtime.drain()

    quiet = logging.getLogger("crossdock.service")
    level, quiet.level = quiet.level, logging.ERROR  # dead letters are counted, not logged
    try:
        loop.run_until_complete(place_all())
    finally:
        quiet.setLevel(level)
        loop.close()
    side = _read_back(db)
    db.dispose()
    return side


def _read_back(db: Any) -> Side:
    """Every saga and every event the service committed, in commit order."""
    from sqlalchemy import select

    from reference.service.persistence import tables as t
    from reference.service.persistence.codec import load_saga

    side = Side()
    with db.read() as conn:
        for row in conn.execute(select(t.orders.c.order_id, t.orders.c.saga)):
            side.sagas[row.order_id] = load_saga(row.saga)
        for row in conn.execute(select(t.outbox.c.payload).order_by(t.outbox.c.seq)):
            event = row.payload
            data = event["data"]
            side.events[event["subject"]].append(
                f"{event['type']}|{event['subject']}|{_json(data)}"
            )
            side.count += 1
    return side


def _json(data: Any) -> str:
    import json

    return json.dumps(data, sort_keys=True)


def first_difference(run: Stream, whatif: Side, service: Side) -> dict[str, Any] | None:
    for arrival in run.arrivals:
        a = whatif.events.get(arrival.order_id, [])
        b = service.events.get(arrival.order_id, [])
        if a != b:
            return {"order_id": arrival.order_id, "whatif": a, "service": b}
    return None


def run_twin(
    spec: ScenarioSpec,
    orders: int,
    seed: int,
    deviate: Callable[[Ports], Ports] | None = None,
) -> dict[str, Any]:
    """Both paths over the same stream; ``deviate`` wraps the what-if path's ports (tests)."""
    run = stream(spec, orders, seed)
    whatif = run_whatif(run, deviate)
    with tempfile.TemporaryDirectory(prefix="crossdock-twin-") as where:
        service = run_service(run, Path(where) / "twin.db")
    ids = [a.order_id for a in run.arrivals]
    result: dict[str, Any] = {"whatif": whatif.summary(ids), "service": service.summary(ids)}
    difference = first_difference(run, whatif, service)
    result["equal"] = difference is None and result["whatif"] == result["service"]
    result["first_difference"] = difference
    return result
