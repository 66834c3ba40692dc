"""What each event's ``data`` holds, by event type and schema version, and the JSON Schema of its
CloudEvents envelope.

Theory of operation. An event type is published in versions. A version's data model is closed
(unknown fields are an error), so the schema states exactly what the hub emits and a test that
validates the hub's real output against it catches drift either way. A published version only
grows: consumers read tolerantly (they ignore fields they do not read), so a new field may join a
version, and contracts/compat.py calls that additive. A removed, renamed or retyped field, or a
changed meaning, is a new version registered beside the old one; a consumer picks the schema of
each event by its (type, schemaversion), so one that has not moved keeps reading the version it
knows while the producer publishes both.

"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from reference.domain.errors import DomainError
from reference.domain.events import SCHEMA_VERSION, EventType
from reference.domain.model import Channel, Identifier, MovementKind, Sku

E = EventType
LineNo = Annotated[int, Field(ge=1)]
Units = Annotated[int, Field(ge=1)]
DecimalText = Annotated[str, Field(pattern=r"^-?[0-9]+(\.[0-9]+)?$")]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class EventData(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


class OrderReceived(EventData):
    order_number: Identifier
    customer_id: Identifier
    channel: Channel
    lines: Units


class OrderAccepted(EventData):
    value: DecimalText
    currency: CurrencyCode
    tax: DecimalText | None = None
    """The tax on ``value`` at the rate the ERP quoted at capture; absent before v1 had it."""
    tax_rate: DecimalText | None = None
    """The rate the ERP quoted at capture, which invoices are checked against."""


class OrderRejected(EventData):
    reasons: Annotated[list[str], Field(min_length=1)]


Count = Annotated[int, Field(ge=0)]


class OrderStateEntered(EventData):
    """The order entered a state of ORDER_LIFECYCLE (the event's type names it), with its
    quantities at that moment, in units summed over its lines."""

    ordered: Units
    allocated: Count
    """Units allocated at a node and not yet shipped."""
    backordered: Count
    """Units waiting for stock."""
    shipped: Count
    cancelled: Count
    invoices: Count


class SalesOrderCommitted(EventData):
    erp_order_number: Identifier
    """The ERP's number for the sales order: the ERP, system of record, has committed it."""


class SalesOrderRejected(EventData):
    reason: str
    """Why the ERP refused the sales order after the hub had accepted the order."""


class OrderCancelRequested(EventData):
    reason: str
    """The cancel went to the ERP; OrderCancelled follows when the ERP confirms it."""


class LineAllocated(EventData):
    line_no: LineNo
    sku: Sku
    node: Identifier
    quantity: Units


class LineBackordered(EventData):
    line_no: LineNo
    sku: Sku
    quantity: Units
    cause: Literal["no_stock", "short_pick"]


class OrderSplit(EventData):
    nodes: Annotated[list[Identifier], Field(min_length=2)]


class OrderReleased(EventData):
    node: Identifier
    carrier: str
    lines: Units


class ShipmentConfirmed(EventData):
    node: Identifier
    shipment_id: Identifier
    units: Units
    carrier: str | None
    """None only when a WMS confirms a release the hub had not yet rated with a carrier."""


class LineShortPicked(EventData):
    line_no: LineNo
    sku: Sku
    node: Identifier
    short: Units


class InvoiceRequested(EventData):
    shipment_id: Identifier


class InvoicePosted(EventData):
    invoice_id: Identifier
    shipment_id: Identifier
    net: DecimalText
    tax: DecimalText
    total: DecimalText
    currency: CurrencyCode
    tax_at_capture: DecimalText | None = None
    """The invoice's net taxed at the rate quoted at capture: ``tax`` is the ERP's confirmation
    of it, and InvoiceTaxDiffered follows when the two differ. Absent before v1 had it."""


class InvoiceTaxDiffered(EventData):
    invoice_id: Identifier
    tax: DecimalText
    """What the ERP charged at invoicing."""
    tax_at_capture: DecimalText
    """The invoice's net taxed at the rate the ERP quoted when the order was captured."""
    difference: DecimalText
    """tax - tax_at_capture."""


class BackorderAllocated(EventData):
    line_no: LineNo
    sku: Sku
    node: Identifier
    quantity: Units
    waited: Annotated[float, Field(ge=0)]
    """Seconds the units waited for stock."""


class BackorderCancelled(EventData):
    line_no: LineNo
    sku: Sku
    quantity: Units
    reason: Literal["ship_and_cancel", "channel_rule", "customer_preference", "max_age"] | None = (
        None
    )
    """The stated rule that cancelled the backorder (BackorderPolicy); absent before v1 had it."""


class OrderClosed(EventData):
    invoices: Units


class OrderCancelled(EventData):
    reason: str


class PaymentApplied(EventData):
    payment_id: Identifier
    invoice_id: Identifier
    amount: DecimalText
    currency: CurrencyCode
    open_balance: DecimalText
    """What of the invoice is still unpaid after this payment."""


class OrderPaid(EventData):
    invoices: Units
    paid: DecimalText
    """Every invoice of the closed order is paid; ``paid`` is their sum."""


class CreditMemoIssued(EventData):
    credit_memo_id: Identifier
    invoice_id: Identifier
    reason: Literal["return", "short_shipment"]
    """Why the ERP raised it: goods came back, or fewer units arrived than were invoiced."""
    amount: DecimalText
    """Credited, tax included, in ``currency``."""
    currency: CurrencyCode
    open_balance: DecimalText
    """What of the invoice is still owed after the credit; negative when it was already paid."""


class InventoryMoved(EventData):
    movement_id: Identifier
    kind: MovementKind
    quantity: int
    """Signed as the WMS reported it: an adjustment may be negative."""
    on_hand: int


class AvailabilityChanged(EventData):
    available: Annotated[int, Field(ge=0)]
    was: Annotated[int, Field(ge=0)]


class ReconciliationException(EventData):
    snapshot_id: Identifier
    hub_on_hand: int
    wms_on_hand: int
    difference: int
    """wms_on_hand - hub_on_hand: the WMS count wins."""


class MessageDeadLettered(EventData):
    call_id: str
    system: str
    operation: str
    reason: str


DataT = TypeVar("DataT", bound=BaseModel)


class CloudEvent(BaseModel, Generic[DataT]):
    """The CloudEvents 1.0 envelope of ``Event.to_cloudevent`` (extension attributes allowed)."""

    specversion: Literal["1.0"]
    id: Annotated[str, Field(min_length=1)]
    source: Annotated[str, Field(min_length=1)]
    type: str
    subject: Annotated[str, Field(min_length=1)]
    time: datetime
    datacontenttype: Literal["application/json"]
    correlationid: str
    schemaversion: str
    data: DataT


class UnknownEventSchema(DomainError):
    """No schema is registered for this (event type, schema version)."""

    def __init__(self, kind: str, version: str, known: list[str]) -> None:
        have = ", ".join(known) or "none"
        super().__init__(f"no schema for {kind} version {version!r}; versions known: {have}")
        self.kind, self.version, self.known = kind, version, known


_TYPE_NAMES = frozenset(EventType)


class EventSchemas:
    """A registry of data models by (event type, schema version); immutable, so a consumer that
    moves to a new version builds a new registry with ``with_version``."""

    def __init__(self, models: Mapping[tuple[EventType, str], type[EventData]]) -> None:
        self._models = dict(models)

    def __iter__(self) -> Iterator[tuple[EventType, str]]:
        """(type, version) pairs by type name, then version; versions are whole numbers."""
        return iter(sorted(self._models, key=lambda key: (key[0].value, int(key[1]))))

    def versions(self, kind: EventType) -> list[str]:
        return [version for k, version in self if k is kind]

    def model(self, kind: str, version: str) -> type[EventData]:
        found = self._models.get((EventType(kind), version)) if kind in _TYPE_NAMES else None
        if found is None:
            known = [v for k, v in self if k == kind]
            raise UnknownEventSchema(str(kind), version, known)
        return found

    def with_version(self, kind: EventType, version: str, model: type[EventData]) -> EventSchemas:
        return EventSchemas({**self._models, (kind, version): model})

    def envelope_schema(self, kind: EventType, version: str) -> dict[str, Any]:
        """The JSON Schema (draft 2020-12) of a whole CloudEvent of this type and version."""
        model = self.model(kind, version)
        schema = CloudEvent[model].model_json_schema()  # type: ignore[valid-type]
        schema["title"] = f"{kind.value} v{version}"
        schema["properties"]["type"] = {"const": kind.value, "type": "string"}
        schema["properties"]["schemaversion"] = {"const": version, "type": "string"}
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}

    def read(self, cloudevent: Mapping[str, Any]) -> CloudEvent[EventData]:
        """A received CloudEvent, its data parsed by the model of its (type, schemaversion).

        A tolerant reader: data fields the version does not name are dropped, not refused."""
        model = self.model(str(cloudevent.get("type")), str(cloudevent.get("schemaversion")))
        data = cloudevent.get("data")
        if isinstance(data, Mapping):
            data = {name: value for name, value in data.items() if name in model.model_fields}
        envelope: CloudEvent[EventData] = CloudEvent[model].model_validate(  # type: ignore[valid-type]
            {**cloudevent, "data": data}
        )
        return envelope


_EMITTED: dict[EventType, type[EventData]] = {
    E.ORDER_RECEIVED: OrderReceived,
    E.ORDER_ACCEPTED: OrderAccepted,
    E.ORDER_REJECTED: OrderRejected,
    E.ORDER_ALLOCATED: OrderStateEntered,
    E.ORDER_PARTIALLY_ALLOCATED: OrderStateEntered,
    E.ORDER_BACKORDERED: OrderStateEntered,
    E.ORDER_PARTIALLY_SHIPPED: OrderStateEntered,
    E.ORDER_SHIPPED: OrderStateEntered,
    E.ORDER_INVOICED: OrderStateEntered,
    E.SALES_ORDER_COMMITTED: SalesOrderCommitted,
    E.SALES_ORDER_REJECTED: SalesOrderRejected,
    E.ORDER_CANCEL_REQUESTED: OrderCancelRequested,
    E.LINE_ALLOCATED: LineAllocated,
    E.LINE_BACKORDERED: LineBackordered,
    E.ORDER_SPLIT: OrderSplit,
    E.ORDER_RELEASED: OrderReleased,
    E.SHIPMENT_CONFIRMED: ShipmentConfirmed,
    E.LINE_SHORT_PICKED: LineShortPicked,
    E.INVOICE_REQUESTED: InvoiceRequested,
    E.INVOICE_POSTED: InvoicePosted,
    E.INVOICE_TAX_DIFFERED: InvoiceTaxDiffered,
    E.BACKORDER_ALLOCATED: BackorderAllocated,
    E.BACKORDER_CANCELLED: BackorderCancelled,
    E.ORDER_CLOSED: OrderClosed,
    E.ORDER_CANCELLED: OrderCancelled,
    E.PAYMENT_APPLIED: PaymentApplied,
    E.ORDER_PAID: OrderPaid,
    E.CREDIT_MEMO_ISSUED: CreditMemoIssued,
    E.INVENTORY_MOVED: InventoryMoved,
    E.AVAILABILITY_CHANGED: AvailabilityChanged,
    E.RECONCILIATION_EXCEPTION: ReconciliationException,
    E.MESSAGE_DEAD_LETTERED: MessageDeadLettered,
}
EVENT_SCHEMAS = EventSchemas({(kind, SCHEMA_VERSION): model for kind, model in _EMITTED.items()})
"""The versions the hub emits today."""
