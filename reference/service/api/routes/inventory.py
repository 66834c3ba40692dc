"""Stock: available-to-sell per node, movements from the system of execution, snapshots."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from reference.api_v1 import (
    Availability,
    MovementRecorded,
    SnapshotReconciled,
)
from reference.domain.availability import StockPosition, available_for_channel
from reference.domain.events import EventType
from reference.domain.model import Channel, InventoryMovement, InventorySnapshot, Sku
from reference.hub import ReconcileSnapshot, RecordMovement
from reference.service.api import idempotent
from reference.service.api.deps import (
    IDEMPOTENCY_KEY_DOC,
    CorrelationDep,
    DbDep,
    IdempotencyKey,
    PrincipalDep,
    RuntimeDep,
)
from reference.service.api.problems import ProblemError, responses
from reference.service.persistence import queries

router = APIRouter(tags=["inventory"])

# What share of a node's available-to-sell each channel may promise: marketplaces see less, so
# they cannot sell the last units key accounts rely on.
CHANNEL_SHARES = {
    Channel.WEB: 1.0,
    Channel.EDI: 1.0,
    Channel.SALES_REP: 1.0,
    Channel.MARKETPLACE: 0.8,
}


def _position(row: Any) -> StockPosition:
    return StockPosition(
        on_hand=row.on_hand,
        allocated=row.allocated,
        quarantined=row.quarantined,
        safety_stock=row.safety_stock,
        in_transit=row.in_transit,
    )


@router.get(
    "/v1/availability",
    operation_id="getAvailability",
    response_model=Availability,
    responses=responses(404, 422),
)
async def get_availability(
    principal: PrincipalDep,
    db: DbDep,
    sku: Annotated[Sku, Query()],
    channel: Annotated[Channel, Query()] = Channel.WEB,
) -> Any:
    """Sellable units per node: on hand minus allocated, quarantined and safety stock, capped by
    the channel's share. Never raw on hand."""
    rows = await db.run(queries.positions, db, sku)
    if not rows:
        raise ProblemError(
            404,
            f"no stock position for sku {sku!r} at any node",
            kind="unknown-sku",
            errors=[("sku", "unknown")],
        )
    share = CHANNEL_SHARES[channel]
    nodes = [
        {"node": r.node, "available": available_for_channel(_position(r), share)} for r in rows
    ]
    return {
        "sku": sku,
        "channel": channel.value,
        "nodes": nodes,
        "total": sum(n["available"] for n in nodes),
    }


@router.post(
    "/v1/inventory/movements",
    status_code=201,
    operation_id="postInventoryMovement",
    response_model=MovementRecorded,
    responses={
        **responses(400, 409, 413, 422),
        201: {
            "links": {
                "GetAvailability": {
                    "operationId": "getAvailability",
                    "parameters": {"sku": "$response.body#/sku"},
                    "description": "What the moved SKU now has to sell",
                }
            }
        },
    },
    openapi_extra=IDEMPOTENCY_KEY_DOC,
)
async def post_movement(
    movement: Annotated[InventoryMovement, Body()],
    principal: PrincipalDep,
    runtime: RuntimeDep,
    correlation_id: CorrelationDep,
    key: IdempotencyKey,
) -> Any:
    """A receipt, pick, shipment, return, adjustment, transfer or quarantine at one node."""

    async def work(_: str) -> idempotent.Outcome:
        await runtime.apply(RecordMovement(movement, correlation_id))
        row = await runtime.db.run(queries.position, runtime.db, movement.node_id, movement.sku)
        position = _position(row)
        return idempotent.Outcome(
            201,
            {
                "movement_id": movement.movement_id,
                "node_id": movement.node_id,
                "sku": movement.sku,
                "position": {
                    "node": row.node,
                    "on_hand": row.on_hand,
                    "allocated": row.allocated,
                    "quarantined": row.quarantined,
                    "safety_stock": row.safety_stock,
                    "available": position.available_to_sell(),
                },
            },
        )

    return await idempotent.run(
        runtime,
        principal,
        key,
        "postInventoryMovement",
        movement.model_dump(mode="python"),
        uuid.uuid4().hex,
        work,
    )


@router.post(
    "/v1/inventory/snapshots",
    status_code=201,
    operation_id="postInventorySnapshot",
    response_model=SnapshotReconciled,
    responses=responses(400, 409, 413, 422),
    openapi_extra=IDEMPOTENCY_KEY_DOC,
)
async def post_snapshot(
    snapshot: Annotated[InventorySnapshot, Body()],
    principal: PrincipalDep,
    runtime: RuntimeDep,
    correlation_id: CorrelationDep,
    key: IdempotencyKey,
) -> Any:
    """A WMS count of one node. The WMS is the system of record for on hand: every difference
    comes back as a reconciliation exception and the hub's projection takes the count."""

    async def work(_: str) -> idempotent.Outcome:
        applied = await runtime.apply(ReconcileSnapshot(snapshot, correlation_id))
        exceptions = [
            {
                "sku": e.subject.split("/", 1)[1],
                "hub_on_hand": e.data["hub_on_hand"],
                "wms_on_hand": e.data["wms_on_hand"],
                "difference": e.data["difference"],
            }
            for e in applied.decision.events
            if e.type is EventType.RECONCILIATION_EXCEPTION
        ]
        return idempotent.Outcome(
            201,
            {
                "snapshot_id": snapshot.snapshot_id,
                "node_id": snapshot.node_id,
                "lines": len(snapshot.lines),
                "exceptions": exceptions,
            },
        )

    return await idempotent.run(
        runtime,
        principal,
        key,
        "postInventorySnapshot",
        snapshot.model_dump(mode="python"),
        uuid.uuid4().hex,
        work,
    )
