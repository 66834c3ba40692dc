"""Constraints of path and query parameters, stated once for the routes and so for the OpenAPI.

A parameter's schema is as narrow as what the service accepts: a value outside it is a 422
naming the parameter, a value inside it is looked up (and may be a 404).
"""

from __future__ import annotations

from typing import Any

# A page cursor is the position after which the next page starts, as the service hands it out
# in ``next_cursor``; at most 18 digits, so it always fits a 64-bit column.
CURSOR_PATTERN = r"^[0-9]{1,18}$"

# Identifiers are the canonical model's (1 to 64 characters); none longer can exist.
ORDER_ID: dict[str, Any] = {
    "min_length": 1,
    "max_length": 64,
    "description": "`order_id` of a created order, e.g. SO-3F2A...",
}
INVOICE_ID: dict[str, Any] = {
    "min_length": 1,
    "max_length": 64,
    "description": "`invoice_id` from an order's `invoices`",
}
