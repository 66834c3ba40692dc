"""The bare baseline of ``crossdock bench service``: FastAPI echoing the same order.

It parses the body with the same canonical model the hub validates (reference.domain.model.Order)
and answers 201 with it; availability answers a fixed body of the hub's shape. Whatever the hub
does beyond this (idempotency, ERP validation, allocation, the outbox, the saga behind it) is
what the ratio between the two measures.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, FastAPI, Header, Query

from reference.domain.model import Channel, Order, Sku


def create_echo_app() -> FastAPI:
    app = FastAPI(title="crossdock bench echo")

    @app.post("/v1/orders", status_code=201)
    async def create_order(
        order: Annotated[Order, Body()],
        key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
    ) -> Any:
        return order.model_dump(mode="json")

    @app.get("/v1/availability")
    async def availability(
        sku: Annotated[Sku, Query()], channel: Annotated[Channel, Query()] = Channel.WEB
    ) -> Any:
        nodes = [{"node": "DC-ATL", "available": 10}, {"node": "DC-DFW", "available": 5}]
        return {"sku": sku, "channel": channel.value, "nodes": nodes, "total": 15}

    return app
