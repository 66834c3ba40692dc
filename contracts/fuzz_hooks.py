"""Schemathesis hooks for ``crossdock fuzz``, loaded only inside the Schemathesis process.

One thing a static OpenAPI example cannot carry: a new order number per order. The hub rejects a
second order with the same customer and order number (its duplicate rule), so the demo example
on createOrder would be accepted once and then refused on every later draw, and the stateful
phase could never follow the links from a created order. When Schemathesis sends that example,
this hook does what a channel does for a new order: a new order number and a new
Idempotency-Key. Every other request, negative ones included, goes out as generated.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import schemathesis

from reference.domain.idempotency import KEY_PATTERN
from reference.service.api.openapi import EXAMPLE_ORDER_NUMBER

CREATE_ORDER = "POST /v1/orders"


@schemathesis.hook
def before_call(context: schemathesis.HookContext, case: Any, kwargs: Any) -> None:
    if case.operation.label != CREATE_ORDER:
        return
    body = case.body
    if not (isinstance(body, dict) and body.get("order_number") == EXAMPLE_ORDER_NUMBER):
        return
    case.body = {**body, "order_number": f"PO-FUZZ-{uuid.uuid4().hex[:12].upper()}"}
    # A usable key becomes a new one; a missing or unusable key is what this case tests: kept.
    key = case.headers.get("Idempotency-Key") if case.headers else None
    if isinstance(key, str) and re.fullmatch(KEY_PATTERN, key):
        case.headers["Idempotency-Key"] = str(uuid.uuid4())
