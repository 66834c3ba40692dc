"""The hub's state and messages as JSON values, for rows.

Decimals travel as strings, sets as sorted lists, enums as their values; ``load(dump(x)) == x``.
Rows written by earlier versions still load: rejection reasons stored as ``"field: message"``
text and releases stored without a lifecycle state (see ``load_reasons`` and ``_release_state``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from reference.domain.lifecycle import ReleaseState, State
from reference.hub import (
    CallSystem,
    ExpireBackorders,
    Message,
    Operation,
    Rejection,
    RejectionCode,
    RetryCall,
)
from reference.hub.protocol import shipment_wait_id
from reference.hub.state import LineRecord, OrderSaga, Release

_OLD_LINE_PATH = re.compile(r"^lines\[(\d+)\]\.")


def load_reasons(saga: dict[str, Any]) -> list[Rejection]:
    """The rejection reasons of a stored saga. A saga stored before reasons had codes holds
    them as ``"field: message"`` text, with line paths as ``lines[0].sku``: those load with
    the code UNCLASSIFIED and the path in today's dotted form."""
    reasons = []
    for item in saga["reasons"]:
        if isinstance(item, dict):
            reasons.append(Rejection.from_json(item))
            continue
        field, sep, message = str(item).partition(": ")
        if not sep:
            field, message = "", str(item)
        field = _OLD_LINE_PATH.sub(r"lines.\1.", field)
        reasons.append(Rejection(field, RejectionCode.UNCLASSIFIED, message))
    return reasons


def _release_state(data: dict[str, Any], order_id: str, pending: set[str]) -> ReleaseState:
    """A release's state; one stored before releases had states is judged by what it held."""
    if "state" in data:
        return ReleaseState(data["state"])
    if data["shipped"]:
        return ReleaseState.SHIPPED
    if data["carrier"] is None:
        return ReleaseState.PLANNED
    if shipment_wait_id(order_id, data["node"]) in pending:
        return ReleaseState.ACKNOWLEDGED
    return ReleaseState.RELEASED


def dump_saga(saga: OrderSaga) -> dict[str, Any]:
    return {
        "order_id": saga.order_id,
        "order_number": saga.order_number,
        "customer_id": saga.customer_id,
        "channel": saga.channel,
        "currency": saga.currency,
        "region": saga.region,
        "correlation_id": saga.correlation_id,
        "received_at": saga.received_at,
        "state": saga.state.value,
        "lines": [
            {
                "line_no": ln.line_no,
                "sku": ln.sku,
                "ordered": ln.ordered,
                "unit_price": str(ln.unit_price),
                "state": ln.state.value,
                "allocated": dict(ln.allocated),
                "shipped": ln.shipped,
                "backordered": ln.backordered,
                "cancelled": ln.cancelled,
                "backordered_since": ln.backordered_since,
            }
            for ln in saga.lines.values()
        ],
        "releases": [
            {
                "node": r.node,
                "lines": [[no, qty] for no, qty in r.lines.items()],
                "carrier": r.carrier,
                "shipped": r.shipped,  # what the API shows; ``state`` says which way it ended
                "state": r.state.value,
                "shipment_id": r.shipment_id,
                "key": r.ref,
            }
            for r in saga.releases.values()
        ],
        "pending_calls": sorted(saga.pending_calls),
        "invoices": list(saga.invoices),
        "shipments": saga.shipments,
        "event_count": saga.event_count,
        "reasons": [reason.as_json() for reason in saga.reasons],
        "erp_order_number": saga.erp_order_number,
        "cancel_reason": saga.cancel_reason,
        "backorders": saga.backorders,
        "invoice_totals": {k: str(v) for k, v in saga.invoice_totals.items()},
        "payments": {k: [inv, str(amount)] for k, (inv, amount) in saga.payments.items()},
        "credit_memos": {k: [inv, str(a)] for k, (inv, a) in saga.credit_memos.items()},
        "tax_rate": None if saga.tax_rate is None else str(saga.tax_rate),
        "was_split": saga.was_split,
        "was_partially_shipped": saga.was_partially_shipped,
        "was_backordered": saga.was_backordered,
    }


def load_saga(data: dict[str, Any]) -> OrderSaga:
    lines = {}
    for ln in data["lines"]:
        lines[int(ln["line_no"])] = LineRecord(
            line_no=int(ln["line_no"]),
            sku=ln["sku"],
            ordered=int(ln["ordered"]),
            unit_price=Decimal(ln["unit_price"]),
            state=State(ln["state"]),
            allocated={str(k): int(v) for k, v in ln["allocated"].items()},
            shipped=int(ln["shipped"]),
            backordered=int(ln["backordered"]),
            cancelled=int(ln["cancelled"]),
            backordered_since=ln.get("backordered_since"),
        )
    pending = set(data["pending_calls"])
    releases = {
        r.get("key", r["node"]): Release(
            r["node"],
            {int(no): int(qty) for no, qty in r["lines"]},
            r["carrier"],
            _release_state(r, data["order_id"], pending),
            r.get("shipment_id"),
            None if r.get("key", r["node"]) == r["node"] else r["key"],
        )
        for r in data["releases"]
    }
    return OrderSaga(
        order_id=data["order_id"],
        order_number=data["order_number"],
        customer_id=data["customer_id"],
        channel=data["channel"],
        currency=data["currency"],
        region=data["region"],
        correlation_id=data["correlation_id"],
        received_at=float(data["received_at"]),
        lines=lines,
        state=State(data["state"]),
        releases=releases,
        pending_calls=pending,
        invoices=list(data["invoices"]),
        shipments=int(data["shipments"]),
        event_count=int(data["event_count"]),
        reasons=load_reasons(data),
        erp_order_number=data.get("erp_order_number"),
        cancel_reason=data.get("cancel_reason"),
        backorders=data.get("backorders", "wait"),
        invoice_totals={k: Decimal(v) for k, v in data.get("invoice_totals", {}).items()},
        payments={k: (inv, Decimal(a)) for k, (inv, a) in data.get("payments", {}).items()},
        credit_memos={k: (inv, Decimal(a)) for k, (inv, a) in data.get("credit_memos", {}).items()},
        tax_rate=None if data.get("tax_rate") is None else Decimal(data["tax_rate"]),
        was_split=bool(data["was_split"]),
        was_partially_shipped=bool(data["was_partially_shipped"]),
        was_backordered=bool(data["was_backordered"]),
    )


def dump_call(call: CallSystem) -> dict[str, Any]:
    return {
        "call_id": call.call_id,
        "system": call.system,
        "operation": call.operation,
        "payload": dict(call.payload),
        "order_id": call.order_id,
        "correlation_id": call.correlation_id,
        "attempt": call.attempt,
    }


def load_call(data: dict[str, Any]) -> CallSystem:
    return CallSystem(
        call_id=data["call_id"],
        system=data["system"],
        operation=Operation(data["operation"]),
        payload=data["payload"],
        order_id=data["order_id"],
        correlation_id=data["correlation_id"],
        attempt=int(data["attempt"]),
    )


def dump_timer_message(message: Message) -> dict[str, Any]:
    """Timers carry a retry of a call, or the max-age check of an order's backorders."""
    if isinstance(message, RetryCall):
        return {"type": "RetryCall", "call": dump_call(message.call)}
    if isinstance(message, ExpireBackorders):
        return {"type": "ExpireBackorders", "order_id": message.order_id}
    raise TypeError(f"no durable form for a timer carrying {type(message).__name__}")


def load_timer_message(data: dict[str, Any]) -> Message:
    if data.get("type") == "RetryCall":
        return RetryCall(load_call(data["call"]))
    if data.get("type") == "ExpireBackorders":
        return ExpireBackorders(str(data["order_id"]))
    raise ValueError(f"unknown timer message {data.get('type')!r}")
