"""API v1's operations as Calls: the request to send and the model that reads the answer.

Written once here; HubClient (sync.py) and AsyncHubClient (aio.py) only send them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx
from pydantic import BaseModel

from reference.api_v1 import (
    Availability,
    EventsPage,
    Health,
    InvoicePublic,
    MovementRecorded,
    OrderPublic,
    OrdersPage,
    Problem,
    ShipmentRecorded,
    SnapshotReconciled,
)
from reference.domain.model import InventoryMovement, InventorySnapshot, Order, Shipment

T = TypeVar("T", bound=BaseModel)

IDEMPOTENCY_KEY = "Idempotency-Key"
CORRELATION_ID = "X-Correlation-ID"
REPLAYED = "Idempotent-Replayed"
DEFAULT_TIMEOUT = 10.0


class HubProblem(Exception):
    """The hub answered with an error; ``problem`` is its application/problem+json body."""

    def __init__(self, method: str, path: str, status: int, problem: Problem, headers: Any):
        fields = ", ".join(e.field for e in problem.errors if e.field)
        super().__init__(
            f"{method} {path} -> {status}: {problem.detail or problem.title}"
            + (f" (fields: {fields})" if fields else "")
        )
        self.status = status
        self.problem = problem
        self.retry_after = headers.get("Retry-After")
        self.correlation_id = headers.get(CORRELATION_ID)


@dataclass(frozen=True)
class OrderRejected:
    """createOrder's 422 with ``type`` order-rejected: ERP or the hub refused the order."""

    order_id: str
    problem: Problem


@dataclass(frozen=True)
class Created(Generic[T]):
    """A creating POST's answer: the body, whether it was a replay, and its correlation id."""

    status: int
    body: T
    replayed: bool
    correlation_id: str | None


@dataclass(frozen=True)
class Call:
    """One request of API v1, and how to read its answer; ``operation`` is its OpenAPI id."""

    operation: str
    method: str
    path: str
    reads: type[BaseModel]
    params: Mapping[str, Any] = field(default_factory=dict)
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    creates: bool = False
    rejection_is_answer: bool = False

    def request(self, client: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        params = {k: v for k, v in self.params.items() if v is not None}
        return client.build_request(
            self.method, self.path, params=params, json=self.body, headers=dict(self.headers)
        )

    def read(self, response: httpx.Response) -> Any:
        if response.status_code >= 400:
            problem = _problem(response)
            if (
                self.rejection_is_answer
                and response.status_code == 422
                and problem.type.endswith("/order-rejected")
            ):
                return OrderRejected(str(getattr(problem, "order_id", "")), problem)
            status = response.status_code
            raise HubProblem(self.method, self.path, status, problem, response.headers)
        body = self.reads.model_validate_json(response.content)
        if self.creates:
            return Created(
                response.status_code,
                body,
                response.headers.get(REPLAYED) == "true",
                response.headers.get(CORRELATION_ID),
            )
        return body


def _problem(response: httpx.Response) -> Problem:
    try:
        return Problem.model_validate_json(response.content)
    except ValueError:
        text = response.text[:200]
        return Problem(type="about:blank", title=response.reason_phrase, status=0, detail=text)


def _headers(idempotency_key: str | None, correlation_id: str | None) -> dict[str, str]:
    headers = {}
    if idempotency_key is not None:
        headers[IDEMPOTENCY_KEY] = idempotency_key
    if correlation_id is not None:
        headers[CORRELATION_ID] = correlation_id
    return headers


def _json(model: BaseModel | Mapping[str, Any]) -> Any:
    return model.model_dump(mode="json") if isinstance(model, BaseModel) else dict(model)


class Calls:
    """Every operation of API v1 as a Call; the clients below only send them."""

    @staticmethod
    def create_order(
        order: Order | Mapping[str, Any], idempotency_key: str | None, correlation_id: str | None
    ) -> Call:
        return Call(
            "createOrder",
            "POST",
            "/v1/orders",
            OrderPublic,
            body=_json(order),
            headers=_headers(idempotency_key, correlation_id),
            creates=True,
            rejection_is_answer=True,
        )

    @staticmethod
    def get_order(order_id: str) -> Call:
        return Call("getOrder", "GET", f"/v1/orders/{order_id}", OrderPublic)

    @staticmethod
    def list_orders(
        cursor: str | None = None,
        limit: int | None = None,
        customer_id: str | None = None,
        state: str | None = None,
        channel: str | None = None,
        created_after: str | None = None,
    ) -> Call:
        params = {
            "cursor": cursor,
            "limit": limit,
            "customer_id": customer_id,
            "state": state,
            "channel": channel,
            "created_after": created_after,
        }
        return Call("listOrders", "GET", "/v1/orders", OrdersPage, params=params)

    @staticmethod
    def cancel_order(order_id: str, reason: str | None) -> Call:
        body = {"reason": reason} if reason is not None else None
        return Call("cancelOrder", "POST", f"/v1/orders/{order_id}/cancel", OrderPublic, body=body)

    @staticmethod
    def availability(sku: str, channel: str | None = None) -> Call:
        return Call(
            "getAvailability",
            "GET",
            "/v1/availability",
            Availability,
            params={"sku": sku, "channel": channel},
        )

    @staticmethod
    def post_movement(
        movement: InventoryMovement | Mapping[str, Any],
        idempotency_key: str | None,
        correlation_id: str | None,
    ) -> Call:
        return Call(
            "postInventoryMovement",
            "POST",
            "/v1/inventory/movements",
            MovementRecorded,
            body=_json(movement),
            headers=_headers(idempotency_key, correlation_id),
            creates=True,
        )

    @staticmethod
    def post_snapshot(
        snapshot: InventorySnapshot | Mapping[str, Any],
        idempotency_key: str | None,
        correlation_id: str | None,
    ) -> Call:
        return Call(
            "postInventorySnapshot",
            "POST",
            "/v1/inventory/snapshots",
            SnapshotReconciled,
            body=_json(snapshot),
            headers=_headers(idempotency_key, correlation_id),
            creates=True,
        )

    @staticmethod
    def confirm_shipment(
        shipment: Shipment | Mapping[str, Any],
        idempotency_key: str | None,
        correlation_id: str | None,
    ) -> Call:
        return Call(
            "confirmShipment",
            "POST",
            "/v1/shipments",
            ShipmentRecorded,
            body=_json(shipment),
            headers=_headers(idempotency_key, correlation_id),
            creates=True,
        )

    @staticmethod
    def get_invoice(invoice_id: str) -> Call:
        return Call("getInvoice", "GET", f"/v1/invoices/{invoice_id}", InvoicePublic)

    @staticmethod
    def events(
        after: str | None = None,
        limit: int | None = None,
        subject: str | None = None,
        type: str | None = None,
        correlation_id: str | None = None,
    ) -> Call:
        params = {
            "after": after,
            "limit": limit,
            "subject": subject,
            "type": type,
            "correlation_id": correlation_id,
        }
        return Call("listEvents", "GET", "/v1/events", EventsPage, params=params)

    @staticmethod
    def healthz() -> Call:
        return Call("healthz", "GET", "/healthz", Health)

    @staticmethod
    def readyz() -> Call:
        return Call("readyz", "GET", "/readyz", Health)
