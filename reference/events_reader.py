"""How the hub's event consumers read its CloudEvents: one tolerant, typed reader per consumer.

Theory of operation. A consumer names the event types it reads and, for each, a *view*: the data
fields it needs, typed. Reading a message checks the envelope every consumer relies on (CloudEvents
1.0 structured JSON with id, source, type, subject, time, correlation id and a schema version this
reader knows) and validates only the data fields the view names. Fields a view does not name are
ignored, so the hub may add fields without breaking anyone; removing, renaming or retyping a field
a consumer reads is refused with ``UnreadableEvent``, which names the consumer, the event and what
was wrong. Nothing else escapes: a reader either returns a ``ReadEvent`` or raises that error.

These readers are the handlers the consumers' message pacts are verified with, so a pact says what
the code below needs, not what a test author remembered. Pure: pydantic and the domain only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from reference.domain.events import SCHEMA_VERSION
from reference.domain.events import EventType as E

SUPPORTED_SCHEMA_VERSIONS = frozenset({SCHEMA_VERSION})
JSON_CONTENT_TYPES = frozenset({"application/json", "application/cloudevents+json"})


class UnreadableEvent(ValueError):
    """A message a consumer cannot read; the text says which consumer, which event, and why."""


def _money(value: object) -> Decimal:
    # Money travels as a decimal string: a JSON number would already have lost cents as a float.
    if not isinstance(value, str):
        raise ValueError(f"money must be a decimal string such as '12.40', got {value!r}")
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError(f"money must be a decimal string such as '12.40', got {value!r}") from None


Money = Annotated[Decimal, BeforeValidator(_money)]
Text = Annotated[str, Field(min_length=1)]


class View(BaseModel):
    """The data fields one consumer reads from one event type; every other field is ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore", strict=True)


# --- views: what some consumer needs from an event's data ----------------------------------------
class OrderIntake(View):
    order_number: Text
    customer_id: Text
    channel: Text
    lines: int


class OrderValue(View):
    value: Money
    currency: Text


class Rejection(View):
    reasons: list[str]


class Cancellation(View):
    reason: Text


class Closure(View):
    invoices: int


class Allocation(View):
    line_no: int
    sku: Text
    node: Text
    quantity: int


class Backorder(View):
    line_no: int
    sku: Text
    quantity: int
    cause: Literal["no_stock", "short_pick"]


class Split(View):
    nodes: list[str]


class Release(View):
    node: Text
    carrier: Text
    lines: int


class Shipment(View):
    node: Text
    shipment_id: Text
    units: int
    carrier: Text


class ShortPick(View):
    line_no: int
    sku: Text
    node: Text
    short: int


class InvoiceRequest(View):
    shipment_id: Text


class Invoice(View):
    invoice_id: Text
    shipment_id: Text
    net: Money
    tax: Money
    total: Money
    currency: Text


class CreditMemo(View):
    credit_memo_id: Text
    invoice_id: Text
    reason: Text
    amount: Money
    currency: Text


class BackorderCancellation(View):
    line_no: int
    sku: Text
    quantity: int


class Movement(View):
    movement_id: Text
    kind: Text
    quantity: int
    on_hand: int


class Availability(View):
    available: int
    was: int


class Discrepancy(View):
    snapshot_id: Text
    hub_on_hand: int
    wms_on_hand: int
    difference: int


class DeadLetterNotice(View):
    call_id: Text
    system: Text
    operation: Text
    reason: Text


class _Envelope(BaseModel):
    """The CloudEvents attributes every consumer relies on; others (extensions) are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    specversion: Literal["1.0"]
    id: Text
    source: Text
    type: Text
    subject: Text
    time: AwareDatetime
    datacontenttype: Literal["application/json"]
    correlationid: Text
    schemaversion: Text
    data: dict[str, Any]


class ReadEvent(NamedTuple):
    """One event as a consumer sees it."""

    id: str
    type: E
    subject: str
    time: datetime
    correlation_id: str
    schema_version: str
    data: View


def _problems(error: ValidationError, prefix: str = "") -> str:
    return "; ".join(
        f"{prefix}{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}"
        for e in error.errors()
    )


@dataclass(frozen=True, slots=True)
class EventReader:
    """A consumer's reader: ``reads`` maps each event type it consumes to its view."""

    consumer: str
    reads: Mapping[E, type[View]]

    def read(self, body: str | bytes | Mapping[str, Any]) -> ReadEvent:
        """The consumer's view of one structured-mode CloudEvent, or UnreadableEvent."""
        raw = body if isinstance(body, Mapping) else self._json(body)
        try:
            envelope = _Envelope.model_validate(raw)
        except ValidationError as error:
            raise UnreadableEvent(
                f"{self.consumer} cannot read a message that is not a CloudEvent it knows: "
                + _problems(error)
            ) from None
        kind = next((k for k in self.reads if k.value == envelope.type), None)
        if kind is None:
            raise UnreadableEvent(
                f"{self.consumer} does not read {envelope.type!r} events "
                f"(event {envelope.id}); it reads {', '.join(sorted(self.reads))}"
            )
        if envelope.schemaversion not in SUPPORTED_SCHEMA_VERSIONS:
            raise UnreadableEvent(
                f"{self.consumer} reads schema version(s) {sorted(SUPPORTED_SCHEMA_VERSIONS)} "
                f"of {kind}, got {envelope.schemaversion!r} (event {envelope.id})"
            )
        try:
            data = self.reads[kind].model_validate(envelope.data)
        except ValidationError as error:
            raise UnreadableEvent(
                f"{self.consumer} cannot read {kind} event {envelope.id}: "
                + _problems(error, "data.")
            ) from None
        return ReadEvent(
            envelope.id,
            kind,
            envelope.subject,
            envelope.time,
            envelope.correlationid,
            envelope.schemaversion,
            data,
        )

    def __call__(
        self, body: str | bytes | None, metadata: Mapping[str, object] | None = None
    ) -> ReadEvent:
        """A message off the wire: its body and the transport's metadata (content type)."""
        content_type = (metadata or {}).get("contentType")
        if content_type is not None and str(content_type).split(";")[0] not in JSON_CONTENT_TYPES:
            raise UnreadableEvent(
                f"{self.consumer} reads JSON CloudEvents, not content type {content_type!r}"
            )
        if body is None:
            raise UnreadableEvent(f"{self.consumer} cannot read a message without a body")
        return self.read(body)

    def _json(self, body: str | bytes) -> Any:
        try:
            return json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise UnreadableEvent(
                f"{self.consumer} cannot read a body that is not JSON: {error}"
            ) from None


# --- the consumers ----------------------------------------------------------------------------
WMS_READER = EventReader(
    "wms",
    {
        E.ORDER_RELEASED: Release,
        E.ORDER_CANCELLED: Cancellation,
        E.INVENTORY_MOVED: Movement,
        E.AVAILABILITY_CHANGED: Availability,
        E.RECONCILIATION_EXCEPTION: Discrepancy,
    },
)
"""Warehouse management: what it is asked to ship, what is called off, and the stock books."""

FINANCE_READER = EventReader(
    "finance",
    {
        E.ORDER_ACCEPTED: OrderValue,
        E.INVOICE_REQUESTED: InvoiceRequest,
        E.INVOICE_POSTED: Invoice,
        E.CREDIT_MEMO_ISSUED: CreditMemo,
    },
)
"""Finance: credit exposure when an order is accepted, the invoices that follow shipments, and
the credit memos the ERP raises against them."""

CRM_READER = EventReader(
    "crm",
    {
        E.ORDER_RECEIVED: OrderIntake,
        E.ORDER_ACCEPTED: OrderValue,
        E.ORDER_REJECTED: Rejection,
        E.LINE_BACKORDERED: Backorder,
        E.SHIPMENT_CONFIRMED: Shipment,
        E.ORDER_CLOSED: Closure,
        E.ORDER_CANCELLED: Cancellation,
    },
)
"""Customer relationship management: the order lifecycle a customer asks about."""

BI_READER = EventReader(
    "bi",
    {
        E.ORDER_RECEIVED: OrderIntake,
        E.ORDER_ACCEPTED: OrderValue,
        E.ORDER_REJECTED: Rejection,
        E.LINE_ALLOCATED: Allocation,
        E.LINE_BACKORDERED: Backorder,
        E.ORDER_SPLIT: Split,
        E.ORDER_RELEASED: Release,
        E.SHIPMENT_CONFIRMED: Shipment,
        E.LINE_SHORT_PICKED: ShortPick,
        E.INVOICE_REQUESTED: InvoiceRequest,
        E.INVOICE_POSTED: Invoice,
        E.BACKORDER_CANCELLED: BackorderCancellation,
        E.ORDER_CLOSED: Closure,
        E.ORDER_CANCELLED: Cancellation,
        E.INVENTORY_MOVED: Movement,
        E.AVAILABILITY_CHANGED: Availability,
        E.RECONCILIATION_EXCEPTION: Discrepancy,
        E.MESSAGE_DEAD_LETTERED: DeadLetterNotice,
    },
)
"""Business intelligence: every fact the hub publishes, dead letters included."""
