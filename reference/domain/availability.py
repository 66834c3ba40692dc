"""Available-to-sell: derived per node, never stored, never negative.

    available = on_hand - allocated - quarantined - safety_stock     (floored at zero)

In-transit stock is not sellable until received. A channel rule caps what one channel may see,
so a marketplace cannot sell the last units a key account relies on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(slots=True)
class StockPosition:
    """What the hub knows of one SKU at one node."""

    on_hand: int = 0
    allocated: int = 0
    quarantined: int = 0
    safety_stock: int = 0
    in_transit: int = 0

    def available_to_sell(self) -> int:
        return max(0, self.on_hand - self.allocated - self.quarantined - self.safety_stock)


def available_for_channel(position: StockPosition, share: float = 1.0) -> int:
    """The part of available-to-sell one channel may promise: ``share`` of it, rounded down."""
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"channel share(={share}) must be between 0 and 1")
    return int(position.available_to_sell() * share)


class Inventory:
    """Stock positions keyed by (node, sku): the hub's projection of what the WMSs hold."""

    __slots__ = ("_positions",)

    def __init__(self, positions: Mapping[tuple[str, str], StockPosition] | None = None) -> None:
        self._positions: dict[tuple[str, str], StockPosition] = dict(positions or {})

    def position(self, node: str, sku: str) -> StockPosition:
        key = (node, sku)
        found = self._positions.get(key)
        if found is None:
            found = self._positions[key] = StockPosition()
        return found

    def available(self, node: str, sku: str) -> int:
        found = self._positions.get((node, sku))
        return found.available_to_sell() if found is not None else 0

    def allocate(self, node: str, sku: str, wanted: int) -> int:
        """Reserve up to ``wanted`` units; returns how many were reserved."""
        position = self.position(node, sku)
        granted = min(wanted, position.available_to_sell())
        position.allocated += granted
        return granted

    def release(self, node: str, sku: str, quantity: int) -> None:
        """Give back an allocation that will not be picked."""
        position = self.position(node, sku)
        position.allocated = max(0, position.allocated - quantity)

    def ship(self, node: str, sku: str, quantity: int) -> None:
        """Allocated units left the building."""
        position = self.position(node, sku)
        position.allocated = max(0, position.allocated - quantity)
        position.on_hand = max(0, position.on_hand - quantity)

    def adjust(self, node: str, sku: str, delta: int) -> int:
        """A cycle count or receipt; on hand never goes below zero. Returns the applied delta."""
        position = self.position(node, sku)
        applied = max(delta, -position.on_hand)
        position.on_hand += applied
        return applied

    def items(self) -> Iterable[tuple[tuple[str, str], StockPosition]]:
        return self._positions.items()

    def total_available(self, sku: str, nodes: Iterable[str]) -> int:
        return sum(self.available(node, sku) for node in nodes)
