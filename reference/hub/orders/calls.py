"""The calls a saga makes and waits for."""

from __future__ import annotations

from typing import Any

from reference.domain.lifecycle import ReleaseState
from reference.hub.effects import CallSystem, Decision
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


def rate_releases(saga: OrderSaga, decision: Decision) -> None:
    """Ask the TMS to rate each node's planned part: the first step towards a warehouse."""
    for key, release in saga.releases.items():
        if release.state is not ReleaseState.PLANNED:
            continue
        if call_id(saga.order_id, Operation.RATE, "tms", key) in saga.pending_calls:
            continue  # asked already: the answer rates what the part holds by then
        payload: dict[str, Any] = {
            "order_id": saga.order_id,
            "node": release.node,
            "region": saga.region,
            "units": sum(release.lines.values()),
        }
        if release.key is not None:
            payload["release"] = release.key
        decision.effects.append(call(saga, "tms", Operation.RATE, payload, about=key))
