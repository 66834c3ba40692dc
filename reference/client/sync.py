"""The hub's API v1, blocking."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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


class HubClient:
    """The hub's API v1, blocking. Pass ``transport`` to talk to an app in-process."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.http = httpx.Client(
            base_url=base_url, timeout=timeout, headers=dict(headers or {}), transport=transport
        )

    def send(self, call: Call) -> Any:
        return call.read(self.http.send(call.request(self.http)))

    def create_order(
        self,
        order: Order | Mapping[str, Any],
        *,
        idempotency_key: str | None,
        correlation_id: str | None = None,
    ) -> Created[OrderPublic] | OrderRejected:
        """Place an order; a 422 rejection is returned as OrderRejected, not raised."""
        return self.send(Calls.create_order(order, idempotency_key, correlation_id))  # type: ignore[no-any-return]

    def get_order(self, order_id: str) -> OrderPublic:
        return self.send(Calls.get_order(order_id))  # type: ignore[no-any-return]

    def list_orders(self, **filters: Any) -> OrdersPage:
        """One page; ``cursor`` from the last page's ``next_cursor`` reads on."""
        return self.send(Calls.list_orders(**filters))  # type: ignore[no-any-return]

    def iter_orders(self, **filters: Any) -> Iterator[Any]:
        """Every order summary matching the filters, page after page."""
        cursor = None
        while True:
            page = self.list_orders(cursor=cursor, **filters)
            yield from page.data
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def cancel_order(self, order_id: str, *, reason: str | None = None) -> OrderPublic:
        return self.send(Calls.cancel_order(order_id, reason))  # type: ignore[no-any-return]

    def availability(self, sku: str, *, channel: str | None = None) -> Availability:
        return self.send(Calls.availability(sku, channel))  # type: ignore[no-any-return]

    def post_movement(
        self,
        movement: InventoryMovement | Mapping[str, Any],
        *,
        idempotency_key: str | None,
        correlation_id: str | None = None,
    ) -> Created[MovementRecorded]:
        return self.send(Calls.post_movement(movement, idempotency_key, correlation_id))  # type: ignore[no-any-return]

    def post_snapshot(
        self,
        snapshot: InventorySnapshot | Mapping[str, Any],
        *,
        idempotency_key: str | None,
        correlation_id: str | None = None,
    ) -> Created[SnapshotReconciled]:
        return self.send(Calls.post_snapshot(snapshot, idempotency_key, correlation_id))  # type: ignore[no-any-return]

    def confirm_shipment(
        self,
        shipment: Shipment | Mapping[str, Any],
        *,
        idempotency_key: str | None,
        correlation_id: str | None = None,
    ) -> Created[ShipmentRecorded]:
        return self.send(Calls.confirm_shipment(shipment, idempotency_key, correlation_id))  # type: ignore[no-any-return]

    def get_invoice(self, invoice_id: str) -> InvoicePublic:
        return self.send(Calls.get_invoice(invoice_id))  # type: ignore[no-any-return]

    def events(self, **filters: Any) -> EventsPage:
        """One page of the CloudEvents feed; ``after`` from ``next_cursor`` reads on."""
        return self.send(Calls.events(**filters))  # type: ignore[no-any-return]

    def iter_events(self, **filters: Any) -> Iterator[dict[str, Any]]:
        """Every event matching the filters, to the end of the feed as it is now."""
        after = filters.pop("after", None)
        while True:
            page = self.events(after=after, **filters)
            if not page.data:
                return
            yield from page.data
            after = page.next_cursor

    def healthz(self) -> Health:
        return self.send(Calls.healthz())  # type: ignore[no-any-return]

    def readyz(self) -> Health:
        return self.send(Calls.readyz())  # type: ignore[no-any-return]

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
