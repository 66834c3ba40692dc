"""The canonical model: what every channel is translated into and every system is fed from.

Inputs are frozen and forbid unknown fields, so a typo in a partner's payload is an error that
names the field, not a silently dropped value. Quantities are whole units; money is Decimal.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from reference.domain.money import Currency, Money

MAX_LINES_PER_ORDER = 10_000
Sku = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
# Counts are JSON integers on the wire: strict, so `true`, "3" or 2.5 is not taken for one.
Quantity = Annotated[int, Field(gt=0, le=1_000_000, strict=True)]
LineNo = Annotated[int, Field(ge=1, le=MAX_LINES_PER_ORDER, strict=True)]
Identifier = Annotated[str, Field(min_length=1, max_length=64)]
# A price on the wire is a decimal string, never a JSON number (a float would round it): up to ten
# digits before the point and four after, as max_digits=14, decimal_places=4 below allow.
PRICE_PATTERN = r"^(0|[1-9][0-9]{0,9})(\.[0-9]{1,4})?$"


def _price_text(value: object) -> object:
    """Decimals built in Python pass; from the wire only a string of PRICE_PATTERN does."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str) and re.fullmatch(PRICE_PATTERN, value) is not None:
        return value
    raise ValueError(
        f"price {value!r} is not a decimal string with at most 10 digits before the point "
        "and 4 after, e.g. '12.50'"
    )


# RFC 3339, as the JSON Schema's `date-time` says: not a Unix time, not a date alone.
TIMESTAMP_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
)


def _timestamp_text(value: object) -> object:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and re.fullmatch(TIMESTAMP_PATTERN, value) is not None:
        return value
    raise ValueError(
        f"{value!r} is not an RFC 3339 date-time with a zone, e.g. 2026-03-01T09:30:00Z"
    )


Timestamp = Annotated[
    datetime,
    BeforeValidator(_timestamp_text),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]

UnitPrice = Annotated[
    Decimal,
    BeforeValidator(_price_text),
    Field(ge=0, max_digits=14, decimal_places=4),
    WithJsonSchema({"type": "string", "pattern": PRICE_PATTERN, "examples": ["12.50"]}),
]


class Canonical(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Channel(StrEnum):
    WEB = "web"
    MARKETPLACE = "marketplace"
    EDI = "edi"
    SALES_REP = "sales_rep"


class Address(Canonical):
    name: Annotated[str, Field(min_length=1, max_length=120)]
    line1: Annotated[str, Field(min_length=1, max_length=120)]
    city: Annotated[str, Field(min_length=1, max_length=80)]
    region: Annotated[str, Field(min_length=2, max_length=8)]
    postal_code: Annotated[str, Field(min_length=1, max_length=16)]
    country: Annotated[str, Field(min_length=2, max_length=2)]


class Customer(Canonical):
    customer_id: Identifier
    name: str
    credit_limit: Money
    tax_rate: Decimal = Decimal("0")
    blocked: bool = False


class Item(Canonical):
    sku: Sku
    description: str
    list_price: Money
    restricted_regions: frozenset[str] = frozenset()


class Location(Canonical):
    """A fulfilment node: a warehouse run by a WMS."""

    node_id: Identifier
    name: str
    region: str


class OrderLine(Canonical):
    line_no: LineNo
    sku: Sku
    quantity: Quantity
    unit_price: UnitPrice


class Order(Canonical):
    """An order as a channel submits it, before the hub has decided anything."""

    order_number: Identifier
    customer_id: Identifier
    channel: Channel = Channel.WEB
    currency: Currency
    ship_to: Address
    lines: Annotated[list[OrderLine], Field(min_length=1, max_length=MAX_LINES_PER_ORDER)]
    backorders: Literal["wait", "cancel"] = Field(
        default="wait",
        description="The customer's preference for units not in stock: wait for them, or "
        "ship what is there and cancel the rest",
    )

    @model_validator(mode="after")
    def _line_numbers_unique(self) -> Order:
        seen: set[int] = set()
        for line in self.lines:
            if line.line_no in seen:
                raise ValueError(f"lines: line_no {line.line_no} appears more than once")
            seen.add(line.line_no)
        return self

    def value(self) -> Decimal:
        return sum((line.unit_price * line.quantity for line in self.lines), Decimal(0))


class Allocation(Canonical):
    order_id: Identifier
    line_no: int
    node_id: Identifier
    quantity: Quantity


class ShipmentLine(Canonical):
    line_no: LineNo
    sku: Sku
    quantity: Annotated[int, Field(ge=0, le=1_000_000, strict=True)]


class Shipment(Canonical):
    """A WMS shipment confirmation; quantities below those released mean a short pick."""

    shipment_id: Identifier
    order_id: Identifier
    node_id: Identifier
    carrier: Annotated[str, Field(min_length=1, max_length=64)] = "UNASSIGNED"
    shipped_at: Timestamp | None = None
    lines: Annotated[list[ShipmentLine], Field(min_length=1, max_length=MAX_LINES_PER_ORDER)]


class InvoiceLine(Canonical):
    line_no: int
    sku: Sku
    quantity: Quantity
    unit_price: Decimal


class Invoice(Canonical):
    invoice_id: Identifier
    order_id: Identifier
    shipment_id: Identifier
    customer_id: Identifier
    currency: Currency
    lines: list[InvoiceLine]
    net: Decimal
    tax: Decimal
    total: Decimal


class Payment(Canonical):
    payment_id: Identifier
    customer_id: Identifier
    invoice_id: Identifier
    amount: Money


class CreditMemo(Canonical):
    memo_id: Identifier
    invoice_id: Identifier
    amount: Money
    reason: str


class MovementKind(StrEnum):
    RECEIPT = "receipt"
    PICK = "pick"
    SHIPMENT = "shipment"
    RETURN = "return"
    ADJUSTMENT = "adjustment"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    QUARANTINE = "quarantine"
    RELEASE = "release"


class InventoryMovement(Canonical):
    """A change of stock reported by the system of execution; quantity is signed for adjustments."""

    movement_id: Identifier
    node_id: Identifier
    sku: Sku
    kind: MovementKind
    quantity: Annotated[int, Field(ge=-1_000_000, le=1_000_000, strict=True)]


class SnapshotLine(Canonical):
    sku: Sku
    on_hand: Annotated[int, Field(ge=0, le=1_000_000_000, strict=True)]


class InventorySnapshot(Canonical):
    snapshot_id: Identifier
    node_id: Identifier
    lines: Annotated[list[SnapshotLine], Field(max_length=100_000)]
