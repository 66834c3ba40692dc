"""The hub's calls to its systems, as its core makes them, sent through the real HTTP port.

Payloads have the shape reference/hub/orders.py gives them, with values of the demo estate;
``send`` puts one CallSystem through ``HttpSystems`` (the hub's port over HTTP) and returns the
message the core would read.
"""

from __future__ import annotations

import asyncio
from typing import Any

from pact import match

from reference.hub import CallSystem, Message, Operation, call_id
from reference.service.http_systems import HttpSystems

ORDER_ID = "SO-0123456789ABCDEF0123"
CORRELATION = "corr-5f0c2a9e"
JSON = "application/json"
MONEY = r"^\d+(\.\d+)?$"


def call(system: str, operation: str, payload: dict[str, Any], about: str = "") -> CallSystem:
    known = Operation(operation)
    made = call_id(ORDER_ID, known, system, about)
    return CallSystem(made, system, known, payload, ORDER_ID, CORRELATION)


def send(base_url: str, outgoing: CallSystem) -> Message:
    async def once() -> Message:
        async with HttpSystems(base_url) as port:
            return await port.call(outgoing, 0.0)

    return asyncio.run(once())


def fetch_all(base_url: str, path: str, params: dict[str, Any]) -> list[Any]:
    async def walk() -> list[Any]:
        async with HttpSystems(base_url) as port:
            return await port.fetch_all(path, params, correlation_id=CORRELATION)

    return asyncio.run(walk())


def expect_call(pact: Any, description: str, path: str, outgoing: CallSystem) -> Any:
    """The request HttpSystems makes for ``outgoing``: its payload, call id and correlation id."""
    return (
        pact.upon_receiving(description)
        .with_request("POST", path)
        .with_header("Idempotency-Key", match.like(outgoing.call_id))
        .with_header("X-Correlation-ID", match.like(outgoing.correlation_id))
        .with_body(dict(outgoing.payload), content_type=JSON)
    )


def page(item: dict[str, Any], next_cursor: Any) -> dict[str, Any]:
    return {"data": match.each_like(item, min=1), "next_cursor": next_cursor}
