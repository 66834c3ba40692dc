"""WMS: one fulfilment node's stock, picks (some short) and shipments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reference.hub.protocol import Operation
from simulators.behavior.streams import keyed_uniform
from simulators.systems.base import unsupported


@dataclass(slots=True)
class Wms:
    """Physical truth of one node. A short pick finds fewer units on the shelf than the books say.

    Whether line N of order O short-picks is a keyed draw on (seed, node, order, line), so the
    answer does not depend on the order in which releases arrive.
    """

    node: str
    on_hand: dict[str, int]
    short_pick_rate: float = 0.0
    seed: int = 0
    name: str = ""
    shipments: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0.0 <= self.short_pick_rate <= 1.0:
            raise ValueError(f"short_pick_rate(={self.short_pick_rate}) must be in [0, 1]")
        self.name = self.name or f"wms:{self.node}"

    def handle(self, operation: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        if operation == Operation.RELEASE:
            return self._pick_and_ship(payload)
        if operation == "snapshot":
            return {
                "node": self.node,
                "lines": [
                    {"sku": sku, "on_hand": qty} for sku, qty in sorted(self.on_hand.items())
                ],
            }
        raise unsupported(self.name, operation)

    def shipment_id(self, payload: Mapping[str, Any]) -> str:
        """One shipment per release: the node's first for the order, or its ``release`` key
        (``node.2``...) when the hub releases there again (a backorder filled later)."""
        return f"SH-{payload['order_id']}-{payload.get('release', self.node)}"

    def _pick_and_ship(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        order_id = str(payload["order_id"])
        shipment_id = self.shipment_id(payload)
        known = self.shipments.get(shipment_id)
        if known is not None:  # a repeated release ships nothing twice
            return known
        lines = []
        for line in payload["lines"]:
            sku, line_no = str(line["sku"]), int(line["line_no"])
            picked = self._pick(order_id, line_no, sku, int(line["quantity"]))
            lines.append({"line_no": line_no, "sku": sku, "quantity": picked})
        shipment = {
            "shipment_id": shipment_id,
            "order_id": order_id,
            "node": self.node,
            "carrier": payload.get("carrier"),
            "lines": lines,
        }
        self.shipments[shipment_id] = shipment
        return shipment

    def _pick(self, order_id: str, line_no: int, sku: str, wanted: int) -> int:
        """Units of one line that leave the shelf; a short pick ships fewer than it books out."""
        shelf = self.on_hand.get(sku, 0)
        picked = wanted if wanted <= shelf else shelf
        self.on_hand[sku] = shelf - picked  # the count writes phantom units off as well
        if (
            picked
            and self.short_pick_rate
            and keyed_uniform(self.seed, self.node, order_id, line_no) < self.short_pick_rate
        ):
            # Some units were never there: ship what is found.
            picked = int(picked * keyed_uniform(self.seed, "found", self.node, order_id, line_no))
        return picked


@dataclass(slots=True)
class AcknowledgingWms:
    """A WMS that takes a release and confirms the shipment later, through the hub's API
    (POST /v1/shipments), as a real WMS with its own pick-pack-ship cycle does."""

    node: str
    name: str = ""

    def __post_init__(self) -> None:
        self.name = self.name or f"wms:{self.node}"

    def handle(self, operation: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        if operation != Operation.RELEASE:
            raise unsupported(self.name, operation)
        return {"acknowledged": True, "order_id": str(payload["order_id"]), "node": self.node}
