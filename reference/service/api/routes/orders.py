"""Orders: idempotent creation with synchronous validation, reading, listing, cancelling."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query
from fastapi.responses import JSONResponse

from reference.api_v1 import CancelRequest, OrderPublic, OrdersPage
from reference.domain.lifecycle import State
from reference.domain.model import Channel, Order, Timestamp
from reference.hub import PlaceOrder, UnknownOrder
from reference.service.api import idempotent
from reference.service.api.deps import (
    IDEMPOTENCY_KEY_DOC,
    CorrelationDep,
    DbDep,
    IdempotencyKey,
    PrincipalDep,
    RuntimeDep,
)
from reference.service.api.params import CURSOR_PATTERN, ORDER_ID
from reference.service.api.problems import ProblemError, problem_body, responses
from reference.service.api.schemas.orders import order_public, rejections, summary
from reference.service.ids import time_ordered
from reference.service.persistence import queries

router = APIRouter(prefix="/v1/orders", tags=["orders"])


def new_order_id() -> str:
    return f"SO-{time_ordered(20)}"


@router.post(
    "",
    status_code=201,
    operation_id="createOrder",
    response_model=OrderPublic,
    responses={
        **responses(400, 409, 413, 422, 503),
        201: {
            "description": "Accepted, with allocations and backorders; or a replay "
            "(header `Idempotent-Replayed: true`)",
            "headers": {
                "Idempotent-Replayed": {
                    "description": "`true` when this is the stored answer to an earlier "
                    "request with the same key",
                    "schema": {"type": "string", "enum": ["true"]},
                }
            },
            # For clients and for Schemathesis's stateful phase: what to do with a new order.
            "links": {
                "GetOrder": {
                    "operationId": "getOrder",
                    "parameters": {"order_id": "$response.body#/order_id"},
                    "description": "Read the order back",
                },
                "CancelOrder": {
                    "operationId": "cancelOrder",
                    "parameters": {"order_id": "$response.body#/order_id"},
                    "description": "Cancel it while no warehouse holds it",
                },
            },
        },
    },
    summary="Place an order (Idempotency-Key required)",
    openapi_extra=IDEMPOTENCY_KEY_DOC,
)
async def create_order(
    order: Annotated[Order, Body()],
    principal: PrincipalDep,
    runtime: RuntimeDep,
    correlation_id: CorrelationDep,
    key: IdempotencyKey,
) -> Any:
    """Validates the order with ERP (customer, contract price, credit, ship-to restrictions)
    and the hub's duplicate rule, then answers 201 with the order split over nodes, or 422 with
    the reasons it was rejected, each naming its field."""

    def answer(order_id: str, saga: dict[str, Any] | None) -> idempotent.Outcome | None:
        """The answer once ERP has validated the order; None while it has not."""
        if saga is None or saga["state"] == State.RECEIVED.value:
            return None
        if saga["state"] == State.REJECTED.value:
            reasons = rejections(saga)
            body = problem_body(
                422,
                "The order was rejected: " + "; ".join(reason.text() for reason in reasons),
                f"/v1/orders/{order_id}",
                kind="order-rejected",
                errors=[(reason.field, reason.message) for reason in reasons],
                order_id=order_id,
            )
            return idempotent.Outcome(422, body)
        return idempotent.Outcome(201, order_public(saga))

    async def settle(order_id: str, saga: dict[str, Any] | None) -> idempotent.Outcome:
        """ERP answers after the order's commit: wait for it, within the order deadline."""
        outcome = answer(order_id, await runtime.wait(order_id, saga, _received))
        if outcome is None:
            raise ProblemError(
                503,
                "ERP did not validate the order in time; retry with the same Idempotency-Key",
                kind="validation-pending",
                headers={"Retry-After": "2"},
            )
        return outcome

    return await idempotent.run(
        runtime,
        principal,
        key,
        "createOrder",
        order.model_dump(mode="python"),
        new_order_id(),
        idempotent.Decide(
            lambda order_id: PlaceOrder(order, order_id, correlation_id), answer, settle
        ),
    )


def _received(saga: dict[str, Any]) -> bool:
    return bool(saga["state"] == State.RECEIVED.value)


@router.get(
    "/{order_id}",
    operation_id="getOrder",
    response_model=OrderPublic,
    responses=responses(404, 422),
)
async def get_order(
    order_id: Annotated[str, Path(**ORDER_ID)], principal: PrincipalDep, db: DbDep
) -> Any:
    saga = await db.run(queries.order_saga, db, order_id)
    if saga is None:
        raise ProblemError(
            404,
            f"no order with id {order_id!r}",
            kind="unknown-order",
            errors=[("order_id", "unknown")],
        )
    return order_public(saga)


@router.get("", operation_id="listOrders", response_model=OrdersPage, responses=responses(422))
async def list_orders(
    principal: PrincipalDep,
    db: DbDep,
    customer_id: Annotated[str | None, Query(max_length=64)] = None,
    state: Annotated[State | None, Query()] = None,
    channel: Annotated[Channel | None, Query()] = None,
    created_after: Annotated[
        Timestamp | None, Query(description="RFC 3339 with a zone, e.g. 2026-03-01T00:00:00Z")
    ] = None,
    cursor: Annotated[
        str | None, Query(pattern=CURSOR_PATTERN, description="`next_cursor` of the last page")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Any:
    try:
        after = queries.decode_cursor(cursor) if cursor else 0
    except queries.BadCursor as error:
        raise ProblemError(
            422, str(error), kind="validation", errors=[("cursor", str(error))]
        ) from None
    rows, last = await db.run(
        queries.list_orders,
        db,
        after=after,
        limit=limit,
        customer_id=customer_id,
        state=state.value if state else None,
        channel=channel.value if channel else None,
        created_after=created_after.timestamp() if created_after else None,
    )
    return {
        "data": [summary(r) for r in rows],
        "next_cursor": queries.encode_cursor(last) if last is not None else None,
    }


@router.post(
    "/{order_id}/cancel",
    operation_id="cancelOrder",
    response_model=OrderPublic,
    responses=responses(400, 404, 409, 413, 422),
)
async def cancel_order(
    order_id: Annotated[str, Path(**ORDER_ID)],
    principal: PrincipalDep,
    runtime: RuntimeDep,
    request: Annotated[CancelRequest | None, Body()] = None,
) -> Any:
    """Cancel an order no warehouse holds yet; 409 naming the state when it is too late. The
    ERP, system of record, cancels its sales order first; an order whose cancel the ERP has
    not yet confirmed answers with ``cancel_requested`` set."""
    reason = request.reason if request is not None else "customer request"
    saga = await runtime.cancel(order_id, reason)
    if saga is None:
        raise UnknownOrder(order_id)
    return JSONResponse(order_public(saga))
