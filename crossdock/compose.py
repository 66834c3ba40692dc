"""Composition at the front door: the reference service wired to the seeded demo estate.

The service (reference/service) serves HTTP over whatever SystemsPort, HubConfig and opening
stock it is given; it knows nothing of simulators. This module gives it the demo world:
``build_estate(seed)`` for stock and examples, and the estate's systems simulated in this process
(REAL_TIME behaviours, or INSTANT for benchmarks) or reached over HTTP (`crossdock systems
serve`). ``crossdock serve``, the contract verification and the schema snapshot all build the
hub app here, so each of them serves the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reference.hub import BackorderPolicy, HubConfig
from reference.service.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from reference.service.ports import SystemsPort
    from reference.service.relay import EventBus
    from simulators.systems.estate import Estate


def demo_estate(seed: int) -> Estate:
    from simulators.systems.estate import build_estate

    return build_estate(seed)


def demo_systems(settings: Settings, estate: Estate) -> SystemsPort:
    """The estate's systems in this process, or the base URL of `crossdock systems serve`."""
    if settings.systems != "inproc":
        from reference.service.http_systems import HttpSystems

        return HttpSystems(settings.systems, timeout=settings.systems_timeout)
    from simulators.behavior.defaults import REAL_TIME, behavior_for, instant
    from simulators.inprocess import InProcessSystems
    from simulators.systems.endpoint import simulated_systems
    from simulators.systems.wms import AcknowledgingWms

    models: dict[str, object] = estate.systems(short_pick_rate=settings.short_pick_rate)
    if settings.wms_confirm == "api":
        models.update({f"wms:{node}": AcknowledgingWms(node) for node in estate.nodes})
    behaviors = (
        instant(models)
        if settings.system_latency == "zero"
        else {name: behavior_for(name, REAL_TIME) for name in models}
    )
    return InProcessSystems(
        simulated_systems(models, behaviors, settings.seed),  # type: ignore[arg-type]
        at_once=settings.system_latency == "zero",
    )


def demo_app(
    settings: Settings | None = None,
    bus: EventBus | None = None,
    backorders: BackorderPolicy | None = None,
    own_process: bool = False,
) -> FastAPI:
    """The reference hub over the demo estate of ``settings.seed``; ``backorders`` is the
    hub's backorder policy (default: wait up to 14 days)."""
    from reference.service.api.openapi import EXAMPLE_ORDER_NUMBER
    from reference.service.app import create_app
    from simulators.systems.estate import example_order

    settings = settings or Settings()
    estate = demo_estate(settings.seed)
    return create_app(
        settings,
        systems=demo_systems(settings, estate),
        config=HubConfig(
            nodes=estate.nodes, seed=settings.seed, backorders=backorders or BackorderPolicy()
        ),
        stock=estate.opening_stock() if settings.seed_demo_data else None,
        stock_label=str(settings.seed),
        order_example=example_order(estate, EXAMPLE_ORDER_NUMBER),
        bus=bus,
        own_process=own_process,
    )
