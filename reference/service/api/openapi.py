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
"""The order number of the example in the document (contracts/fuzz_hooks.py looks for it)."""


def _problem_schemas() -> dict[str, Any]:
    schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    defs = schema.pop("$defs", {})
    return {"Problem": schema, **defs}


def _example(document: dict[str, Any], path: str, method: str, value: dict[str, Any]) -> None:
    body = document["paths"][path][method]["requestBody"]["content"]["application/json"]
    body["examples"] = {"demo": {"summary": "Accepted by the demo estate", "value": value}}


def builder(app: FastAPI, order_example: dict[str, Any] | None) -> Callable[[], dict[str, Any]]:
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
            if order_example is not None:
                _example(document, "/v1/orders", "post", order_example)
            app.openapi_schema = document
        return app.openapi_schema

    return openapi
