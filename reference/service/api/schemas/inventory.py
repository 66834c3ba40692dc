"""Stock as the API shows it: positions, available-to-sell per node, reconciliation results."""

from __future__ import annotations

from pydantic import BaseModel


class PositionPublic(BaseModel):
    node: str
    on_hand: int
    allocated: int
    quarantined: int
    safety_stock: int
    available: int


class NodeAvailability(BaseModel):
    node: str
    available: int


class Availability(BaseModel):
    sku: str
    channel: str
    nodes: list[NodeAvailability]
    total: int


class MovementRecorded(BaseModel):
    movement_id: str
    node_id: str
    sku: str
    position: PositionPublic


class ReconciliationException(BaseModel):
    sku: str
    hub_on_hand: int
    wms_on_hand: int
    difference: int


class SnapshotReconciled(BaseModel):
    snapshot_id: str
    node_id: str
    lines: int
    exceptions: list[ReconciliationException]
