"""Helpers for the HTTP systems tests: the seed, quick profiles and a hub over any port."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Sequence

from reference.hub import Hub, HubConfig, HubState, PlaceOrder
from reference.hub.state import BackorderPolicy
from reference.service.ports import AsyncPorts, SystemsPort, async_driver
from simulators.behavior.latency import FixedSpec
from simulators.behavior.profile import BehaviorSpec
from simulators.systems.demand import Arrival
from simulators.systems.estate import Estate

SEED = 7

# Quick, fault-free systems: a whole order takes a few round trips of ~10 ms.
FAST: dict[str, BehaviorSpec] = {
    "erp": BehaviorSpec(latency=FixedSpec(seconds=0.01)),
    "tms": BehaviorSpec(latency=FixedSpec(seconds=0.01)),
    "finance": BehaviorSpec(latency=FixedSpec(seconds=0.01)),
    "wms": BehaviorSpec(latency=FixedSpec(seconds=0.02)),
}


def hub_for(estate: Estate) -> Hub:
    """Backorders are shipped and cancelled at once: nothing waits days for stock that never
    comes here, so each order runs to its end before the next."""
    config = HubConfig(nodes=estate.nodes, seed=SEED, backorders=BackorderPolicy(wait=False))
    return Hub(config, HubState(inventory=estate.opening_stock()))


Outcome = dict[str, tuple[str, list[str]]]  # order id -> (final state, sorted business events)


async def place_one_at_a_time(
    estate: Estate, port: SystemsPort, arrivals: Sequence[Arrival]
) -> tuple[Hub, Outcome]:
    """Each order runs to the end before the next is placed, so no two orders race for stock
    and the business outcome does not depend on which reply the network delivers first."""
    hub = hub_for(estate)
    ports = AsyncPorts(port)
    driver = async_driver(hub, ports)
    for arrival in arrivals:
        driver.submit(PlaceOrder(arrival.order, arrival.order_id, arrival.correlation_id))
        await asyncio.wait_for(ports.drain(), timeout=10)
    outcome = {
        order_id: (
            saga.state.value,
            sorted(e.business_key() for e in ports.events if e.subject == order_id),
        )
        for order_id, saga in hub.state.orders.items()
    }
    return hub, outcome


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
