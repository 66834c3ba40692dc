"""Shipments, invoices, the event feed and health."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from reference.service.api.schemas.orders import OrderPublic


class ShipmentRecorded(BaseModel):
    shipment_id: str
    order_id: str
    node_id: str
    applied: bool = Field(description="false when this shipment was already confirmed")
    order: OrderPublic


class InvoicePublic(BaseModel):
    invoice_id: str
    order_id: str
    shipment_id: str
    customer_id: str
    currency: str
    lines: list[dict[str, Any]]
    net: str
    tax: str
    total: str


class EventsPage(BaseModel):
    data: list[dict[str, Any]] = Field(description="CloudEvents 1.0, in commit order")
    next_cursor: str = Field(description="Pass as `after` to read on; stays put at the end")


class Health(BaseModel):
    status: str
    detail: dict[str, Any] = {}
