"""Shipment confirmations from a WMS, partial ones included, with Idempotency-Key."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body

from reference.api_v1 import ShipmentRecorded
from reference.domain.model import Shipment
from reference.hub import ConfirmShipment
from reference.hub.protocol import shipment_wait_id
from reference.service.api import idempotent
from reference.service.api.deps import (
    IDEMPOTENCY_KEY_DOC,
    IdempotencyKey,
    PrincipalDep,
    RuntimeDep,
)
from reference.service.api.problems import ProblemError, responses
from reference.service.api.schemas.orders import order_public
from reference.service.persistence import queries

router = APIRouter(prefix="/v1/shipments", tags=["shipments"])


def _check(shipment: Shipment, saga: dict[str, Any] | None) -> None:
    """Refuse what the hub cannot apply, naming the field; ProblemErrors are not stored."""
    if saga is None:
        raise ProblemError(
            404,
            f"no order with id {shipment.order_id!r}",
            kind="unknown-order",
            errors=[("order_id", "unknown")],
        )
    # the node's oldest release still in the WMS (the core confirms the same one), else its first
    at_node = [r for r in saga["releases"] if r["node"] == shipment.node_id]
    release = next((r for r in at_node if not r["shipped"]), at_node[0] if at_node else None)
    if release is None:
        nodes = sorted(r["node"] for r in saga["releases"])
        raise ProblemError(
            422,
            f"order {shipment.order_id} was not released to node "
            f"{shipment.node_id!r}; released to {nodes}",
            kind="unknown-release",
            errors=[("node_id", f"not one of {nodes}")],
        )
    released = {int(no): int(qty) for no, qty in release["lines"]}
    skus = {int(ln["line_no"]): ln["sku"] for ln in saga["lines"]}
    errors = []
    for index, line in enumerate(shipment.lines):
        if line.line_no not in released:
            errors.append(
                (
                    f"lines.{index}.line_no",
                    f"line {line.line_no} was not released to {shipment.node_id}",
                )
            )
        elif line.sku != skus[line.line_no]:
            errors.append((f"lines.{index}.sku", f"line {line.line_no} is {skus[line.line_no]}"))
        elif line.quantity > released[line.line_no]:
            errors.append(
                (
                    f"lines.{index}.quantity",
                    f"more than the {released[line.line_no]} units released",
                )
            )
    if errors:
        raise ProblemError(
            422, "The shipment does not match the release", kind="validation", errors=errors
        )
    waiting = shipment_wait_id(shipment.order_id, release.get("key", shipment.node_id))
    if not release["shipped"] and waiting not in saga["pending_calls"]:
        raise ProblemError(
            409,
            f"the release to {shipment.node_id} is not acknowledged yet; retry shortly",
            kind="release-pending",
            errors=[("node_id", "release not yet acknowledged")],
            headers={"Retry-After": "1"},
        )


@router.post(
    "",
    status_code=201,
    operation_id="confirmShipment",
    response_model=ShipmentRecorded,
    responses=responses(400, 404, 409, 413, 422),
    openapi_extra=IDEMPOTENCY_KEY_DOC,
)
async def confirm_shipment(
    shipment: Annotated[Shipment, Body()],
    principal: PrincipalDep,
    runtime: RuntimeDep,
    key: IdempotencyKey,
) -> Any:
    """What a WMS shipped for one release; fewer units than released is a short pick and the
    rest is backordered, never overwritten."""

    async def work(_: str) -> idempotent.Outcome:
        saga = await runtime.db.run(queries.order_saga, runtime.db, shipment.order_id)
        _check(shipment, saga)
        applied = await runtime.apply(
            ConfirmShipment(
                shipment.order_id,
                shipment.node_id,
                shipment.shipment_id,
                tuple({"line_no": ln.line_no, "quantity": ln.quantity} for ln in shipment.lines),
            )
        )
        return idempotent.Outcome(
            201,
            {
                "shipment_id": shipment.shipment_id,
                "order_id": shipment.order_id,
                "node_id": shipment.node_id,
                "applied": bool(applied.decision.events),
                "order": order_public(applied.sagas[shipment.order_id]),
            },
        )

    return await idempotent.run(
        runtime,
        principal,
        key,
        "confirmShipment",
        shipment.model_dump(mode="python"),
        uuid.uuid4().hex,
        work,
    )
