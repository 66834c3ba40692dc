"""What the hub's consumers rely on in its answers, as Pact matchers: shapes, not values.

Example values are what a consumer's mock hub answers; the matchers say what any real answer
must look like. Ids the hub makes up match patterns; values a consumer branches on (a state
after a cancel, a problem's type) are pinned.
"""

from __future__ import annotations

from typing import Any

from pact import generate, match

from reference.api_v1 import PROBLEM_MEDIA_TYPE

ORDER_ID = r"^SO-[0-9A-F]{20}$"
EXAMPLE_ORDER_ID = "SO-0123456789ABCDEF0123"
JSON = "application/json"


def from_state(example: str, expression: str) -> Any:
    """A value the provider state makes up, e.g. ``from_state("SO-...", "${order_id}")``."""
    return match.like(example, generator=generate.provider_state(expression))


def order_path(suffix: str = "") -> Any:
    return from_state(f"/v1/orders/{EXAMPLE_ORDER_ID}{suffix}", "/v1/orders/${order_id}" + suffix)


def line(order_line: dict[str, Any], state: Any = None) -> dict[str, Any]:
    """LinePublic for a line of the createOrder body; a ``state`` given is pinned."""
    return {
        "line_no": match.int(order_line["line_no"]),
        "sku": match.str(order_line["sku"]),
        "quantity": match.int(order_line["quantity"]),
        "unit_price": match.regex(order_line["unit_price"], regex=r"^\d+(\.\d+)?$"),
        "state": state if state is not None else match.str("allocated"),
        "allocations": match.like({}),  # node -> units: which nodes is the hub's choice
        "shipped": match.int(0),
        "backordered": match.int(0),
        "cancelled": match.int(0),
    }


def order_public(
    order: dict[str, Any], *, state: Any = None, order_id: Any = None
) -> dict[str, Any]:
    """OrderPublic as the hub answers it for ``order`` (the createOrder body)."""
    return {
        "order_id": order_id or match.regex(EXAMPLE_ORDER_ID, regex=ORDER_ID),
        "order_number": match.str(order["order_number"]),
        "customer_id": match.str(order["customer_id"]),
        "channel": match.str(order["channel"]),
        "currency": match.str(order["currency"]),
        "state": state if state is not None else match.str("allocated"),
        "correlation_id": match.str("corr-5f0c2a9e"),
        "received_at": match.regex(
            "2026-03-02T09:15:00.000000Z", regex=r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$"
        ),
        "reasons": match.like([]),
        "split": match.bool(False),
        "partially_shipped": match.bool(False),
        "backordered": match.bool(False),
        "lines": match.each_like(line(order["lines"][0]), min=1),
        # Releases and their carriers come and go as warehouses are chosen and rated: a
        # consumer may only rely on there being a list.
        "releases": match.like([]),
        "shipments": match.int(0),
        "invoices": match.like([]),
    }


def problem(kind: str, status: int, *, field: str, **extra: Any) -> dict[str, Any]:
    """An RFC 9457 problem whose ``type`` ends in ``kind``, naming ``field``."""
    return {
        "type": match.regex(f"https://crossdock.dev/problems/{kind}", regex=rf"^.*/{kind}$"),
        "title": match.str("Conflict"),
        "status": status,
        "detail": match.str("what was wrong, and what would be right"),
        "errors": match.each_like({"field": match.str(field), "message": match.str("why")}, min=1),
        **extra,
    }


PROBLEM = PROBLEM_MEDIA_TYPE
