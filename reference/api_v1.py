"""API v1 on the wire: the bodies the hub answers, in one place.

The service renders these (reference/service/api), and the typed client (reference/client/)
reads them, so a consumer and the provider cannot each keep a private copy of what an order
looks like. Requests use the canonical model (reference/domain/model.py) directly. Pure
pydantic: no I/O, no web framework.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldError(BaseModel):
    field: str = Field(description="Path of the offending field, e.g. `lines.3.quantity`")
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details, plus the fields that were wrong."""

    model_config = {"extra": "allow"}

    type: str = Field(examples=["https://crossdock.dev/problems/validation"])
    title: str
    status: int
    detail: str = ""
    instance: str = ""
    errors: list[FieldError] = []


# -- orders -----------------------------------------------------------------------------------


class LinePublic(BaseModel):
    line_no: int
    sku: str
    quantity: int
    unit_price: str
    state: str
    allocations: dict[str, int] = Field(description="node -> units allocated, not yet shipped")
    shipped: int
    backordered: int
    cancelled: int


class ReleasePublic(BaseModel):
    node: str
    carrier: str | None
    shipped: bool
    lines: dict[str, int] = Field(description="line_no -> units released to this node")


class OrderPublic(BaseModel):
    order_id: str
    order_number: str
    customer_id: str
    channel: str
    currency: str
    state: str
    correlation_id: str
    received_at: str
    reasons: list[str]
    split: bool
    partially_shipped: bool
    backordered: bool
    lines: list[LinePublic]
    releases: list[ReleasePublic]
    shipments: int
    invoices: list[str]
    erp_order_number: str | None = Field(
        default=None,
        description="The ERP's number for the sales order, once the ERP has committed it",
    )
    cancel_requested: bool = Field(
        default=False, description="A cancel went to the ERP, which has yet to confirm it"
    )


class OrderSummary(BaseModel):
    order_id: str
    order_number: str
    customer_id: str
    channel: str
    state: str
    correlation_id: str
    created_at: str
    updated_at: str


class OrdersPage(BaseModel):
    data: list[OrderSummary]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )


class CancelRequest(BaseModel):
    model_config = {"extra": "forbid"}

    reason: str = Field(default="customer request", min_length=1, max_length=200)


# -- payments ---------------------------------------------------------------------------------


AMOUNT_PATTERN = r"^([1-9][0-9]{0,11}(\.[0-9]{1,2})?|0\.(0[1-9]|[1-9][0-9]?))$"


def _amount_text(value: Any) -> Any:
    if not isinstance(value, str) or re.fullmatch(AMOUNT_PATTERN, value) is None:
        raise ValueError(
            f"an amount is a positive decimal string with at most two places, like '125.40', "
            f"not {value!r}"
        )
    return value


PaymentAmount = Annotated[
    Decimal,
    BeforeValidator(_amount_text),
    Field(gt=0, max_digits=14, decimal_places=2, description="In `currency`"),
    # As narrow as the validation: a positive decimal string with at most two places, so a
    # schema-valid amount is never refused for its form.
    WithJsonSchema(
        {
            "type": "string",
            "pattern": AMOUNT_PATTERN,
            "examples": ["125.40"],
            "description": "In `currency`",
        }
    ),
]


class PaymentCreate(BaseModel):
    model_config = {"extra": "forbid"}

    invoice_id: str = Field(min_length=1, max_length=128)
    amount: PaymentAmount
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="The invoice's ISO currency")


class PaymentPublic(BaseModel):
    payment_id: str
    invoice_id: str
    order_id: str
    customer_id: str
    amount: str
    currency: str
    open_balance: str = Field(description="What of the invoice is still unpaid")


# -- credit memos -----------------------------------------------------------------------------


class CreditMemoCreate(BaseModel):
    """A credit memo the ERP raised against a posted invoice."""

    model_config = {"extra": "forbid"}

    invoice_id: str = Field(min_length=1, max_length=128)
    reason: Literal["return", "short_shipment"] = Field(
        description="Goods came back (`return`), or fewer units arrived than were invoiced "
        "(`short_shipment`)"
    )
    amount: PaymentAmount = Field(description="Credited, tax included, in `currency`")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="The invoice's ISO currency")


class CreditMemoPublic(BaseModel):
    credit_memo_id: str
    invoice_id: str
    order_id: str
    customer_id: str
    reason: str
    amount: str
    currency: str
    open_balance: str = Field(
        description="What of the invoice is still owed; negative when it was already paid"
    )


# -- stock ------------------------------------------------------------------------------------


class PositionPublic(BaseModel):
    node: str
    on_hand: int
    allocated: int
    quarantined: int
    safety_stock: int
    available: int


class NodeAvailability(BaseModel):
    node: str
    available: int


class Availability(BaseModel):
    sku: str
    channel: str
    nodes: list[NodeAvailability]
    total: int


class MovementRecorded(BaseModel):
    movement_id: str
    node_id: str
    sku: str
    position: PositionPublic


class ReconciliationException(BaseModel):
    sku: str
    hub_on_hand: int
    wms_on_hand: int
    difference: int


class SnapshotReconciled(BaseModel):
    snapshot_id: str
    node_id: str
    lines: int
    exceptions: list[ReconciliationException]


# -- shipments, invoices, events, health -------------------------------------------------------


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
