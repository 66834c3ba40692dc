"""The twin run: one seeded order stream through both shells, compared.

Both shells see the same arrivals in the same order. Contention for the same stock is resolved the
same way because the asyncio shell runs on a virtual clock (reference/service/clock.py): the same
latencies put every reply at the same instant in both, so the core sees the same messages in the
same order. Timestamps are left out of the comparison; everything else must match.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

import simpy

from reference.domain.availability import Inventory, StockPosition
from reference.domain.events import Event
from reference.hub import Hub, HubConfig, HubState
from reference.service.clock import VirtualTimeLoop
from reference.service.shell import AsyncShell
from simulators.behavior.faults import ErrorRates
from simulators.behavior.latency import LognormalSpec
from simulators.behavior.profile import BehaviorSpec
from simulators.inprocess import InProcessSystems
from simulators.sim.shell import SimShell
from simulators.systems.commerce import Arrival, Demand, order_stream
from simulators.systems.endpoint import SimulatedSystem, simulated_systems
from simulators.systems.estate import Estate, build_estate

COUNT_KEYS = (
    "accepted",
    "rejected",
    "split",
    "partially_shipped",
    "backordered",
    "invoiced",
    "closed",
)

# Realistic answer times; no faults, so both shells must agree exactly.
TWIN_BEHAVIORS = {
    "erp": BehaviorSpec(latency=LognormalSpec(median=0.25, p99=1.5)),
    "tms": BehaviorSpec(latency=LognormalSpec(median=0.08, p99=0.4)),
    "finance": BehaviorSpec(latency=LognormalSpec(median=0.1, p99=0.5)),
}
# A release is answered by its shipment confirmation, hours later: the caller does not time out.
WMS_BEHAVIOR = BehaviorSpec(
    latency=LognormalSpec(median=1800.0, p99=14_400.0), errors=ErrorRates(timeout_after=86_400.0)
)


@dataclass(slots=True)
class EventLog:
    """Per-order business histories, in the order the shell recorded them."""

    by_order: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    count: int = 0

    def add(self, event: Event) -> None:
        self.by_order[event.subject].append(event.business_key())
        self.count += 1


def hub_for(estate: Estate, seed: int) -> Hub:
    inventory = Inventory(
        {
            (node, sku): StockPosition(on_hand=qty)
            for node, stock in estate.stock.items()
            for sku, qty in stock.items()
        }
    )
    return Hub(HubConfig(nodes=estate.nodes, seed=seed), HubState(inventory=inventory))


def systems_for(estate: Estate, seed: int) -> dict[str, SimulatedSystem]:
    behaviors = dict(TWIN_BEHAVIORS)
    behaviors.update({f"wms:{node}": WMS_BEHAVIOR for node in estate.nodes})
    return simulated_systems(estate.systems(short_pick_rate=0.06), behaviors, seed)  # type: ignore[arg-type]


def summarize(hub: Hub, log: EventLog, arrivals: list[Arrival]) -> dict[str, object]:
    sagas = hub.state.orders.values()
    counts: dict[str, object] = {
        "accepted": sum(s.state.value not in ("received", "rejected") for s in sagas),
        "rejected": sum(s.state.value == "rejected" for s in sagas),
        "split": sum(s.was_split for s in sagas),
        "partially_shipped": sum(s.was_partially_shipped for s in sagas),
        "backordered": sum(s.was_backordered for s in sagas),
        "invoiced": sum(bool(s.invoices) for s in sagas),
        "closed": sum(s.state.value == "closed" for s in sagas),
        "shipments": sum(s.shipments for s in sagas),
        "invoices": sum(len(s.invoices) for s in sagas),
        "events": log.count,
    }
    digest = hashlib.sha256()
    for arrival in sorted(arrivals, key=lambda a: (a.order.order_number, a.order_id)):
        digest.update(arrival.order_id.encode())
        for key in log.by_order.get(arrival.order_id, ()):
            digest.update(key.encode())
    counts["event_hash"] = digest.hexdigest()
    return counts


def run_sim(estate: Estate, arrivals: list[Arrival], seed: int) -> dict[str, object]:
    env = simpy.Environment()
    hub, log = hub_for(estate, seed), EventLog()
    shell = SimShell(env, hub, systems_for(estate, seed), sink=log.add)
    shell.feed(arrivals)
    env.run()
    return summarize(hub, log, arrivals)


def run_asyncio(estate: Estate, arrivals: list[Arrival], seed: int) -> dict[str, object]:
    hub, log = hub_for(estate, seed), EventLog()
    shell = AsyncShell(hub, InProcessSystems(systems_for(estate, seed)), on_event=log.add)

    async def main() -> None:
        await shell.feed(arrivals)
        await shell.drain()

    loop = VirtualTimeLoop()
    try:
        loop.run_until_complete(main())
    finally:
        loop.close()
    return summarize(hub, log, arrivals)


def run_twin(orders: int, seed: int) -> dict[str, object]:
    demand = Demand(orders=orders)
    estate = build_estate(seed, expected_units=int(orders * demand.mean_lines * 3.9))
    arrivals = order_stream(estate, demand, seed)
    sim = run_sim(estate, arrivals, seed)
    real = run_asyncio(estate, arrivals, seed)
    return {"sim": sim, "asyncio": real, "equal": sim == real}


__all__ = ["COUNT_KEYS", "run_twin"]
