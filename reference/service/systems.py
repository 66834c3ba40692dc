"""The systems port the service calls: the seeded simulated systems in this process, or over HTTP.

In process, the systems answer in real time with short latencies (ERP ~20 ms) and the WMS answers
a release with its shipment a fraction of a second later, so demo orders flow to invoiced and
closed on their own. With ``wms_confirm="api"`` a WMS only acknowledges a release; its shipment
confirmation then arrives on POST /v1/shipments, as from a real WMS.

The simulated systems' state is this process's memory and starts fresh on restart. That is safe:
their operations are idempotent by order, shipment and invoice id, and the hub's own state is all
in the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reference.service.settings import Settings
from reference.service.shell import SystemsPort
from simulators.behavior.latency import FixedSpec, LognormalSpec
from simulators.behavior.profile import BehaviorSpec
from simulators.inprocess import InProcessSystems
from simulators.systems.endpoint import simulated_systems
from simulators.systems.estate import Estate, build_estate

SERVICE_BEHAVIORS = {
    "erp": BehaviorSpec(latency=LognormalSpec(median=0.02, p99=0.08)),
    "tms": BehaviorSpec(latency=LognormalSpec(median=0.01, p99=0.05)),
    "finance": BehaviorSpec(latency=LognormalSpec(median=0.01, p99=0.05)),
}
WMS_AUTO = BehaviorSpec(latency=LognormalSpec(median=0.3, p99=1.0))
WMS_ACK = BehaviorSpec(latency=LognormalSpec(median=0.02, p99=0.08))
INSTANT = BehaviorSpec(latency=FixedSpec(seconds=0.0))


def demo_estate(seed: int) -> Estate:
    """The demo data: the same estate `crossdock systems serve --seed` serves over HTTP."""
    return build_estate(seed)


@dataclass(slots=True)
class AcknowledgingWms:
    """A WMS that takes a release and confirms the shipment later, through the hub's API."""

    node: str
    name: str = ""

    def __post_init__(self) -> None:
        self.name = self.name or f"wms:{self.node}"

    def handle(self, operation: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        if operation != "release":
            from simulators.systems.base import unsupported

            raise unsupported(self.name, operation)
        return {"acknowledged": True, "order_id": str(payload["order_id"]), "node": self.node}


def build_systems(settings: Settings) -> SystemsPort:
    if settings.systems != "inproc":
        from reference.service.http_systems import HttpSystems

        return HttpSystems(settings.systems)
    estate = demo_estate(settings.seed)
    models: dict[str, Any] = estate.systems(short_pick_rate=settings.short_pick_rate)
    behaviors = dict(SERVICE_BEHAVIORS)
    for node in estate.nodes:
        if settings.wms_confirm == "api":
            models[f"wms:{node}"] = AcknowledgingWms(node)
        behaviors[f"wms:{node}"] = WMS_ACK if settings.wms_confirm == "api" else WMS_AUTO
    if settings.system_latency == "zero":
        behaviors = {name: INSTANT for name in behaviors}
    return InProcessSystems(simulated_systems(models, behaviors, settings.seed))
