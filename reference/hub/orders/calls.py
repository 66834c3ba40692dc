"""The calls a saga makes and waits for."""

from __future__ import annotations

from typing import Any

from reference.hub.effects import CallSystem
from reference.hub.protocol import Operation, call_id
from reference.hub.state import OrderSaga


def call(
    saga: OrderSaga, system: str, operation: Operation, payload: dict[str, Any], about: str = ""
) -> CallSystem:
    """A call the saga now waits for; ``about`` tells apart calls of one kind (node, shipment)."""
    made = CallSystem(
        call_id(saga.order_id, operation, system, about),
        system,
        operation,
        payload,
        saga.order_id,
        saga.correlation_id,
    )
    saga.pending_calls.add(made.call_id)
    return made
