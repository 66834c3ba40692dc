"""The words the hub and its shells share about calls: operations, failure kinds, call ids.

Theory of operation. A call's operation and a failed call's kind are enums, and a call id is built
by ``call_id`` alone, so no shell, system model or test spells them as free text. Both enums are
StrEnums whose values are the strings rows, JSON bodies, URLs and pacts already carry: a member
equals, hashes and formats as its value, so stored rows written before these enums existed load
and compare unchanged.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Operation(StrEnum):
    """What the hub asks a system to do. The system is ``erp``, ``tms``, ``finance`` or
    ``wms:<node>``; the operation is also the last segment of the system's URL."""

    CHECK_ORDER = "check_order"  # erp: customer, contract prices, credit, ship-to restrictions
    CREATE_SALES_ORDER = "create_sales_order"  # erp: the system of record takes the order
    CANCEL_SALES_ORDER = "cancel_sales_order"  # erp: the system of record cancels it first
    RATE = "rate"  # tms: a carrier for one node's part of the order
    RELEASE = "release"  # wms:<node>: pick and ship that part
    POST_INVOICE = "post_invoice"  # erp: invoice one shipment
    RECORD_INVOICE = "record_invoice"  # finance: file a posted invoice
    RECORD_CREDIT_MEMO = "record_credit_memo"  # finance: file a credit memo the ERP raised


class FailureKind(StrEnum):
    """How a call failed, as its caller saw it. Every kind but REFUSED may succeed if retried."""

    SERVER_ERROR = "5xx"  # the system broke (HTTP 500, 502; a 2xx that is not a JSON object)
    TIMEOUT = "timeout"  # no answer in time (the system may still have done the work)
    THROTTLED = "429"  # rate limited; the answer may say when to come back (Retry-After)
    UNAVAILABLE = "unavailable"  # refused or reset: an outage, fast
    REFUSED = "4xx"  # the system says the request itself is wrong: repeating it cannot help


RETRYABLE: Final = frozenset(kind for kind in FailureKind if kind is not FailureKind.REFUSED)


def call_id(order_id: str, operation: Operation, system: str, about: str = "") -> str:
    """The id of one call of an order's saga, stable across its retries (a system may dedupe on
    it). ``about`` tells apart calls of one kind for one order: a node, a shipment, an invoice."""
    return f"{order_id}:{operation}:{system}" + (f":{about}" if about else "")


def shipment_wait_id(order_id: str, node: str) -> str:
    """What a saga waits on while a WMS that acknowledged a release has yet to confirm it."""
    return f"{order_id}:shipment:{node}"
