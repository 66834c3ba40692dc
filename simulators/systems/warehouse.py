"""A WMS node as the physical truth of a what-if run: oversells, and stock the hub does not move.

``TrackedWms`` picks like ``Wms`` but tells an oversell (the shelf held fewer units than were
released: the hub sold stock that was not there) from a short pick (phantom units found missing).
``StockChanges`` draws the other movements a real warehouse makes between the hub's releases:
sales through channels the hub does not see, returns, cycle-count adjustments. Replenishment
receipts are ordered by ``Replenisher`` when stock runs low.

Pure: no clock, no engine. Times are passed in; draws come from the generator handed in.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from reference.domain.model import MovementKind
from simulators.behavior.streams import uniforms
from simulators.systems.wms import Wms

OversellHook = Callable[[str, int, int], None]  # (order_id, line_no, units short)


@dataclass(slots=True)
class TrackedWms(Wms):
    """``on_oversell`` is told each released line the shelf could not cover."""

    on_oversell: OversellHook | None = None
    reserved: dict[str, int] = field(default_factory=dict)
    oversold_lines: int = 0
    picks: int = 0
    opening: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        Wms.__post_init__(self)
        self.opening = dict(self.on_hand)

    def receive(self, payload: Mapping[str, Any]) -> None:
        """A release reached the warehouse: its units are reserved until picked, so other
        channels can no longer sell them (the pick itself comes when the release is answered)."""
        if self.shipment_id(payload) in self.shipments:
            return
        reserved = self.reserved
        for line in payload["lines"]:
            reserved[line["sku"]] = reserved.get(line["sku"], 0) + line["quantity"]

    def _pick(self, order_id: str, line_no: int, sku: str, wanted: int) -> int:
        reserved = self.reserved
        held = reserved.get(sku, 0)
        if held:
            reserved[sku] = held - wanted if held > wanted else 0
        self.picks += 1
        shelf = self.on_hand.get(sku, 0)
        if shelf < wanted:
            self.oversold_lines += 1
            if self.on_oversell is not None:
                self.on_oversell(order_id, line_no, wanted - shelf)
        return Wms._pick(self, order_id, line_no, sku, wanted)

    def forget(self, order_id: str) -> None:
        """Drop the shipment record of an archived order, so memory follows orders in flight."""
        shipments, n = self.shipments, 1
        while shipments.pop(f"SH-{order_id}-{self.node}" + (f".{n}" if n > 1 else ""), None):
            n += 1

    def move(self, sku: str, delta: int, sale: bool = False) -> int:
        """Apply a movement to the shelf; on hand never goes below zero, and a ``sale`` through
        another channel cannot take reserved units. Returns what applied."""
        shelf = self.on_hand.get(sku, 0)
        floor = min(self.reserved.get(sku, 0), shelf) if sale else 0
        applied = delta if shelf + delta >= floor else floor - shelf
        self.on_hand[sku] = shelf + applied
        return applied


@dataclass(frozen=True, slots=True)
class StockChange:
    kind: MovementKind
    sku: str
    quantity: int  # signed for adjustments, positive otherwise


class StockChanges:
    """Movements at one node as a merged Poisson stream of other-channel sales, returns and
    cycle-count adjustments (shrinkage more often than found stock)."""

    __slots__ = ("_cdf", "_kinds", "_rate", "_skus", "_u")

    def __init__(
        self,
        skus: list[str],
        popularity: np.ndarray,
        rng: np.random.Generator,
        sales_per_day: float,
        returns_per_day: float,
        counts_per_day: float,
    ) -> None:
        self._skus = skus
        cdf = np.cumsum(popularity)
        cdf[-1] = 1.0
        self._cdf = cdf.tolist()  # bisect on a list beats numpy's searchsorted for one value
        self._u = uniforms(rng)
        total = sales_per_day + returns_per_day + counts_per_day
        self._rate = total / 86400.0
        self._kinds = (
            sales_per_day / total if total else 0.0,
            (sales_per_day + returns_per_day) / total if total else 0.0,
        )

    @property
    def rate(self) -> float:
        return self._rate

    def gap(self) -> float:
        """Seconds to the next change: exponential, by inversion of one uniform draw."""
        return -math.log(1.0 - self._u()) / self._rate

    def draw(self) -> StockChange:
        u = self._u
        kind = u()
        if kind < self._kinds[0]:
            sku = self._skus[bisect_right(self._cdf, u())]
            return StockChange(MovementKind.SHIPMENT, sku, 1 + int(u() * 3))
        if kind < self._kinds[1]:
            return StockChange(MovementKind.RETURN, self._skus[bisect_right(self._cdf, u())], 1)
        sku = self._skus[int(u() * len(self._skus))]
        delta = -(1 + int(u() * 3)) if u() < 0.7 else 1 + int(u() * 2)
        return StockChange(MovementKind.ADJUSTMENT, sku, delta)


@dataclass(slots=True)
class Replenisher:
    """Order up to ``order_up_to`` x opening stock when on hand falls below ``reorder_point`` x
    opening stock; one open purchase order per SKU at a time."""

    reorder_point: float
    order_up_to: float
    open_orders: set[str] = field(default_factory=set)

    def review(self, wms: TrackedWms) -> list[tuple[str, int]]:
        orders = []
        for sku, opening in wms.opening.items():
            if sku in self.open_orders or opening <= 0:
                continue
            on_hand = wms.on_hand.get(sku, 0)
            if on_hand < self.reorder_point * opening:
                quantity = int(self.order_up_to * opening) - on_hand
                if quantity > 0:
                    self.open_orders.add(sku)
                    orders.append((sku, quantity))
        return orders

    def received(self, sku: str) -> None:
        self.open_orders.discard(sku)
