"""The hub's API v1 for asyncio."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx

from reference.api_v1 import (
    Availability,
    EventsPage,
    Health,
    InvoicePublic,
    MovementRecorded,
    OrderPublic,
    OrdersPage,
    ShipmentRecorded,
    SnapshotReconciled,
)
from reference.client.calls import DEFAULT_TIMEOUT, Call, Calls, Created, OrderRejected
from reference.domain.model import InventoryMovement, InventorySnapshot, Order, Shipment


class AsyncHubClient:
    """The hub's API v1 for asyncio; the same operations as HubClient."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.http = httpx.AsyncClient(
            base_url=base_url, timeout=timeout, headers=dict(headers or {}), transport=transport
        )

    async def send(self, call: Call) -> Any:
        return call.read(await self.http.send(call.request(self.http)))

    async def create_order(
        self,
        order: Order | Mapping[str, Any],
        *,
        idempotency_key: str | None,
        correlation_id: str | None = None,
    ) -> Created[OrderPublic] | OrderRejected:
        return await self.send(Calls.create_order(order, idempotency_key, correlation_id))  # type: ignore[no-any-return]

    async def get_order(self, order_id: str) -> OrderPublic:
        return await self.send(Calls.get_order(order_id))  # type: ignore[no-any-return]

    async def list_orders(self, **filters: Any) -> OrdersPage:
        return await self.send(Calls.list_orders(**filters))  # type: ignore[no-any-return]

    async def iter_orders(self, **filters: Any) -> AsyncIterator[Any]:
        cursor = None
        while True:
            page = await self.list_orders(cursor=cursor, **filters)
            for summary in page.data:
                yield summary
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    async def cancel_order(self, order_id: str, *, reason: str | None = None) -> OrderPublic:
        return await self.send(Calls.cancel_order(order_id, reason))  # type: ignore[no-any-return]

    async def availability(self, sku: str, *, channel: str | None = None) -> Availability:
        return await self.send(Calls.availability(sku, channel))  # type: ignore[no-any-return]

    async def post_movement(
        self,
        movement: InventoryMovement | Mapping[str, Any],
        *,
        idempotency_key: str | None,
        correlation_id: str | None = None,
    ) -> Created[MovementRecorded]:
        return await self.send(Calls.post_movement(movement, idempotency_key, correlation_id))  # type: ignore[no-any-return]

    async def post_snapshot(
        self,
        snapshot: InventorySnapshot | Mapping[str, Any],
        *,
        idempotency_key: str | None,
        correlation_id: str | None = None,
    ) -> Created[SnapshotReconciled]:
        return await self.send(Calls.post_snapshot(snapshot, idempotency_key, correlation_id))  # type: ignore[no-any-return]

    async def confirm_shipment(
        self,
        shipment: Shipment | Mapping[str, Any],
        *,
        idempotency_key: str | None,
        correlation_id: str | None = None,
    ) -> Created[ShipmentRecorded]:
        return await self.send(Calls.confirm_shipment(shipment, idempotency_key, correlation_id))  # type: ignore[no-any-return]

    async def get_invoice(self, invoice_id: str) -> InvoicePublic:
        return await self.send(Calls.get_invoice(invoice_id))  # type: ignore[no-any-return]

    async def events(self, **filters: Any) -> EventsPage:
        return await self.send(Calls.events(**filters))  # type: ignore[no-any-return]

    async def healthz(self) -> Health:
        return await self.send(Calls.healthz())  # type: ignore[no-any-return]

    async def readyz(self) -> Health:
        return await self.send(Calls.readyz())  # type: ignore[no-any-return]

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> AsyncHubClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
