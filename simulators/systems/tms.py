"""TMS: rates a release and names the carrier."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reference.hub.protocol import Operation
from simulators.systems.base import unsupported

# (carrier, service, base charge, per unit): parcel for small releases, LTL for pallets.
_TARIFF = (
    ("PARCELCO", "ground", Decimal("6.50"), Decimal("0.40"), 40),
    ("FREIGHTLINE", "ltl", Decimal("85.00"), Decimal("0.12"), None),
)


@dataclass(slots=True)
class Tms:
    name: str = "tms"
    rated: int = 0
    quoted: Callable[[str, str, Decimal], None] | None = None
    """Told (order id, release key, cost) of each rate given; a release rated again (a retry
    after a timeout) is told again under the same key."""

    def handle(self, operation: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        if operation != Operation.RATE:
            raise unsupported(self.name, operation)
        units = int(payload["units"])
        for carrier, service, base, per_unit, max_units in _TARIFF:
            if max_units is None or units <= max_units:
                self.rated += 1
                cost = base + per_unit * units
                if self.quoted is not None:
                    key = str(payload.get("release", payload["node"]))
                    self.quoted(str(payload["order_id"]), key, cost)
                return {
                    "carrier": carrier,
                    "service": service,
                    "cost": str(cost),
                    "currency": "USD",
                }
        raise AssertionError("the last tariff takes any size")  # pragma: no cover
