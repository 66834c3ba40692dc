"""Why the hub rejected an order, as a value: the field at fault, a code, and human text.

Theory of operation. The core builds every reason here (one constructor per rule), so the API's
problem body, the scenario measures and the stored saga read the field and the code instead of
parsing a sentence. ``field`` is a path in the API's dotted form (``lines.0.unit_price``), the
same form request validation uses, so a client reads both kinds of error alike. ``text()`` is the
one place the reason becomes the sentence events and ``OrderPublic.reasons`` carry.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class RejectionCode(StrEnum):
    DUPLICATE_ORDER = "duplicate_order"
    UNKNOWN_CUSTOMER = "unknown_customer"
    CREDIT_HOLD = "credit_hold"
    NOT_SOLD = "not_sold_to_customer"
    PRICE_MISMATCH = "price_mismatch"
    SHIP_TO_RESTRICTED = "ship_to_restricted"
    CREDIT_LIMIT = "credit_limit_exceeded"
    CURRENCY_MISMATCH = "currency_mismatch"
    NO_TAX_CONTEXT = "no_tax_context"
    UNCLASSIFIED = "unclassified"  # only a reason stored as text, before reasons had codes


@dataclass(frozen=True, slots=True)
class Rejection:
    field: str
    code: RejectionCode
    message: str

    def text(self) -> str:
        """The reason as one sentence, ``field: message``."""
        return f"{self.field}: {self.message}" if self.field else self.message

    def as_json(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code.value, "message": self.message}

    @classmethod
    def from_json(cls, data: dict[str, str]) -> Rejection:
        return cls(data["field"], RejectionCode(data["code"]), data["message"])


def line_field(index: int, name: str) -> str:
    """The path of field ``name`` of the order's ``index``-th line (0-based, as the request)."""
    return f"lines.{index}.{name}"


def duplicate(order_number: str, first_order_id: str) -> Rejection:
    return Rejection(
        "order_number",
        RejectionCode.DUPLICATE_ORDER,
        f"{order_number!r} duplicates order {first_order_id}",
    )


def unknown_customer(customer_id: str) -> Rejection:
    return Rejection(
        "customer_id", RejectionCode.UNKNOWN_CUSTOMER, f"{customer_id!r} is not a customer in ERP"
    )


def credit_hold(customer_id: str) -> Rejection:
    return Rejection(
        "customer_id", RejectionCode.CREDIT_HOLD, f"{customer_id!r} is on credit hold in ERP"
    )


def not_sold(index: int, sku: str) -> Rejection:
    return Rejection(
        line_field(index, "sku"), RejectionCode.NOT_SOLD, f"{sku!r} is not sold to this customer"
    )


def price_mismatch(index: int, price: Decimal, contract: str) -> Rejection:
    return Rejection(
        line_field(index, "unit_price"),
        RejectionCode.PRICE_MISMATCH,
        f"{price} differs from the contract price {contract}",
    )


def ship_to_restricted(index: int, sku: str, region: str) -> Rejection:
    return Rejection(
        line_field(index, "sku"),
        RejectionCode.SHIP_TO_RESTRICTED,
        f"{sku!r} may not ship to region {region!r}",
    )


def credit_limit(value: Decimal, available: Decimal) -> Rejection:
    return Rejection(
        "credit",
        RejectionCode.CREDIT_LIMIT,
        f"order value {value} exceeds the available credit {available}",
    )


def currency_mismatch(currency: str, contract: str) -> Rejection:
    return Rejection(
        "currency",
        RejectionCode.CURRENCY_MISMATCH,
        f"{currency!r} differs from the currency of the customer's contract prices {contract!r}",
    )


def no_tax_context(region: str) -> Rejection:
    return Rejection(
        "ship_to.region",
        RejectionCode.NO_TAX_CONTEXT,
        f"the ERP quoted no tax rate for region {region!r}: the order's tax cannot be computed",
    )
