"""TMS: rates a release and names the carrier."""

from __future__ import annotations

from collections.abc import Mapping
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

    def handle(self, operation: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        if operation != Operation.RATE:
            raise unsupported(self.name, operation)
        units = int(payload["units"])
        for carrier, service, base, per_unit, max_units in _TARIFF:
            if max_units is None or units <= max_units:
                self.rated += 1
                return {
                    "carrier": carrier,
                    "service": service,
                    "cost": str(base + per_unit * units),
                    "currency": "USD",
                }
        raise AssertionError("the last tariff takes any size")  # pragma: no cover
