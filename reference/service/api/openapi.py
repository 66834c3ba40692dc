"""The OpenAPI document as FastAPI builds it, plus what FastAPI cannot say by itself.

- The Problem schema (and FieldError) in the components: routes refer to it for every
  application/problem+json answer (problems.responses) without a ``model=``, which would also
  promise application/json.
- Request examples that work against the estate this service was seeded with, so a reader of
  /docs, and Schemathesis's examples and stateful phases, can place an order that is accepted
  and follow the links from it (createOrder -> getOrder, cancelOrder).

The links themselves are declared next to their routes (``responses={201: {"links": ...}}``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from reference.api_v1 import Problem

EXAMPLE_ORDER_NUMBER = "PO-EXAMPLE-0001"


def example_order(seed: int) -> dict[str, Any]:
    """A createOrder body the demo estate of ``seed`` accepts: a customer in good standing,
    contract prices, SKUs with stock at some node. (`crossdock example order` prints one with a
    fresh order number each time.)"""
    from reference.service.systems import demo_estate

    estate = demo_estate(seed)
    customer = next(c for c in estate.customers if c.credit_limit >= 100_000)
    stocked = sorted(estate.skus, key=lambda s: -max(estate.stock[n][s] for n in estate.nodes))
    sellable = [s for s in stocked if customer.region not in estate.restricted.get(s, ())]
    return {
        "order_number": EXAMPLE_ORDER_NUMBER,
        "customer_id": customer.customer_id,
        "channel": "web",
        "currency": "USD",
        "ship_to": {
            "name": "Receiving",
            "line1": "1 Dock Way",
            "city": "Anytown",
            "region": customer.region,
            "postal_code": "00000",
            "country": "US",
        },
        "lines": [
            {
                "line_no": n,
                "sku": sku,
                "quantity": 1,
                "unit_price": str(estate.contract_prices[(customer.customer_id, sku)]),
            }
            for n, sku in enumerate(sellable[:2], start=1)
        ],
    }


def _problem_schemas() -> dict[str, Any]:
    schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = schema.pop("$defs", {})
    return {"Problem": schema, **defs}


def _example(document: dict[str, Any], path: str, method: str, value: dict[str, Any]) -> None:
    body = document["paths"][path][method]["requestBody"]["content"]["application/json"]
    body["examples"] = {"demo": {"summary": "Accepted by the demo estate", "value": value}}


def builder(app: FastAPI, seed: int | None) -> Callable[[], dict[str, Any]]:
    """``app.openapi``: built once, on first request, like FastAPI's own."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
            )
            document.setdefault("components", {}).setdefault("schemas", {}).update(
                _problem_schemas()
            )
            if seed is not None:
                _example(document, "/v1/orders", "post", example_order(seed))
            app.openapi_schema = document
        return app.openapi_schema

    return openapi
