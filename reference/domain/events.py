"""Business events: separate facts in the past tense, carried in a CloudEvents envelope.

Events are named tuples in the core: a peak day makes millions of them, and a tuple is built in C,
several times faster than a frozen dataclass (immutable all the same). The envelope is rendered to
CloudEvents JSON only at the edge. An event's id is derived from its subject and its position in
that subject's history, so the same history always has the same ids and a consumer can
dedupe on id alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

SCHEMA_VERSION = "1"
SOURCE = "/crossdock/hub"


class EventType(StrEnum):
    ORDER_RECEIVED = "OrderReceived"
    ORDER_ACCEPTED = "OrderAccepted"
    SALES_ORDER_COMMITTED = "SalesOrderCommitted"
    SALES_ORDER_REJECTED = "SalesOrderRejected"
    ORDER_CANCEL_REQUESTED = "OrderCancelRequested"
    ORDER_REJECTED = "OrderRejected"
    ORDER_ALLOCATED = "OrderAllocated"
    ORDER_PARTIALLY_ALLOCATED = "OrderPartiallyAllocated"
    ORDER_BACKORDERED = "OrderBackordered"
    ORDER_PARTIALLY_SHIPPED = "OrderPartiallyShipped"
    ORDER_SHIPPED = "OrderShipped"
    ORDER_INVOICED = "OrderInvoiced"
    LINE_ALLOCATED = "LineAllocated"
    LINE_BACKORDERED = "LineBackordered"
    ORDER_SPLIT = "OrderSplit"
    ORDER_RELEASED = "OrderReleased"
    SHIPMENT_CONFIRMED = "ShipmentConfirmed"
    LINE_SHORT_PICKED = "LineShortPicked"
    INVOICE_REQUESTED = "InvoiceRequested"
    INVOICE_POSTED = "InvoicePosted"
    INVOICE_TAX_DIFFERED = "InvoiceTaxDiffered"
    BACKORDER_ALLOCATED = "BackorderAllocated"
    BACKORDER_CANCELLED = "BackorderCancelled"
    ORDER_CLOSED = "OrderClosed"
    ORDER_CANCELLED = "OrderCancelled"
    PAYMENT_APPLIED = "PaymentApplied"
    ORDER_PAID = "OrderPaid"
    CREDIT_MEMO_ISSUED = "CreditMemoIssued"
    INVENTORY_MOVED = "InventoryMoved"
    AVAILABILITY_CHANGED = "AvailabilityChanged"
    RECONCILIATION_EXCEPTION = "ReconciliationException"
    MESSAGE_DEAD_LETTERED = "MessageDeadLettered"


class Event(NamedTuple):
    """One fact. ``time`` is seconds on the shell's clock; ``data`` holds only JSON values."""

    id: str
    type: EventType
    subject: str
    time: float
    correlation_id: str
    data: Mapping[str, Any] = MappingProxyType({})
    source: str = SOURCE
    schema_version: str = SCHEMA_VERSION

    def business_key(self) -> str:
        """The event without its timestamp: what two clocks must agree on."""
        return f"{self.type}|{self.subject}|{json.dumps(self.data, sort_keys=True)}"

    def to_cloudevent(self, epoch: datetime = datetime(2026, 1, 1, tzinfo=UTC)) -> dict[str, Any]:
        """The CloudEvents 1.0 JSON form; ``epoch`` is the wall time of shell time zero."""
        when = epoch + timedelta(seconds=self.time)
        return {
            "specversion": "1.0",
            "id": self.id,
            "source": self.source,
            "type": self.type.value,
            "subject": self.subject,
            "time": when.isoformat().replace("+00:00", "Z"),
            "datacontenttype": "application/json",
            "correlationid": self.correlation_id,
            "schemaversion": self.schema_version,
            "data": dict(self.data),
        }
