"""Orders as the API shows them (reference/api_v1.py), rendered from the stored saga."""

from __future__ import annotations

from typing import Any

from reference.hub import Rejection
from reference.service.persistence.codec import load_reasons
from reference.service.timebase import iso, unix_time


def order_public(saga: dict[str, Any]) -> dict[str, Any]:
    """The JSON of OrderPublic; a pure function of the saga, so a replay is byte-identical."""
    return {
        "order_id": saga["order_id"],
        "order_number": saga["order_number"],
        "customer_id": saga["customer_id"],
        "channel": saga["channel"],
        "currency": saga["currency"],
        "state": saga["state"],
        "correlation_id": saga["correlation_id"],
        "received_at": iso(unix_time(float(saga["received_at"]))),
        "reasons": [reason.text() for reason in load_reasons(saga)],
        "split": bool(saga["was_split"]),
        "partially_shipped": bool(saga["was_partially_shipped"]),
        "backordered": bool(saga["was_backordered"]),
        "lines": [
            {
                "line_no": ln["line_no"],
                "sku": ln["sku"],
                "quantity": ln["ordered"],
                "unit_price": ln["unit_price"],
                "state": ln["state"],
                "allocations": dict(ln["allocated"]),
                "shipped": ln["shipped"],
                "backordered": ln["backordered"],
                "cancelled": ln["cancelled"],
            }
            for ln in saga["lines"]
        ],
        "releases": [
            {
                "node": r["node"],
                "carrier": r["carrier"],
                "shipped": r["shipped"],
                "lines": {str(no): qty for no, qty in r["lines"]},
            }
            for r in saga["releases"]
        ],
        "shipments": saga["shipments"],
        "invoices": list(saga["invoices"]),
        "erp_order_number": saga.get("erp_order_number"),
        "cancel_requested": saga.get("cancel_reason") is not None,
    }


def summary(row: Any) -> dict[str, Any]:
    return {
        "order_id": row.order_id,
        "order_number": row.order_number,
        "customer_id": row.customer_id,
        "channel": row.channel,
        "state": row.state,
        "correlation_id": row.correlation_id,
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
    }


def rejections(saga: dict[str, Any]) -> list[Rejection]:
    """Why a stored order was rejected, as the core stated it: field, code and message."""
    return load_reasons(saga)
