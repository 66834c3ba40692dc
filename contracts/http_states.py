"""Provider states of the HTTP pacts, set up through the providers' own APIs.

Theory of operation. The pact verifier asks for a state by POSTing ``{state, params, action}``
to ``StateServer``; the handler named by ``state`` (contracts/states.py) sets the data up and
answers a JSON object, whose values the pact's ``fromProviderState`` generators inject into the
request (an order id the hub made up, a cursor it issued). pact-python's own function handlers
drop return values, so the callback is this small HTTP server instead.

Handlers create data as a client would: orders through the typed hub client, receipts as
inventory movements, shipments as confirmations, invoices through ERP's own endpoint. Nothing
writes to a database. Two readings go past the HTTP API, both reads: ``HubRuntime.saga`` to
see that a warehouse acknowledged a release (the API shows no such thing, and a shipment sent
before it is answered 409 "retry shortly"), and ``CallGate``, the hub's systems port
wrapped so that a state can keep one call waiting: an order's ERP validation (the 409 "in
flight" case), or its carrier rating (an order no warehouse holds yet, so it can be cancelled).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from contracts import states
from contracts.demo import demo_order
from reference.api_v1 import OrderPublic
from reference.client import Created, HubClient
from reference.hub import CallSystem, Message

if TYPE_CHECKING:  # only the protocol's shape matters here
    from reference.service.ports import SystemsPort

Values = dict[str, Any]
Handler = Callable[..., Values | None]  # handler(state=..., params=...) -> injected values
PATH = "/_pact/state"


def until(check: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
    """Poll ``check`` until it answers something truthy; TimeoutError naming ``what`` if not."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout} s")
        time.sleep(0.02)


def _new_number(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10].upper()}"


class CallGate:
    """A SystemsPort that can hold the next call of one operation until released; else passes
    every call on to the real port. A held call is answered by the real system once released."""

    def __init__(self, inner: SystemsPort) -> None:
        self.inner = inner
        self._armed: str | None = None
        self._caught = threading.Event()
        self._open = threading.Event()

    def call(self, call: CallSystem, now: float) -> Awaitable[Message]:
        if call.operation == self._armed:
            self._armed = None
            return self._held(call, now)
        return self.inner.call(call, now)

    async def _held(self, call: CallSystem, now: float) -> Message:
        self._caught.set()
        while not self._open.is_set():
            await asyncio.sleep(0.01)
        return await self.inner.call(call, now)

    def hold_next(self, operation: str) -> None:
        self._open.clear()
        self._caught.clear()
        self._armed = operation

    def wait_until_held(self, timeout: float) -> None:
        if not self._caught.wait(timeout):
            raise TimeoutError(f"no {self._armed} call reached the gate within {timeout} s")

    def release(self) -> None:
        self._armed = None
        self._open.set()

    def __getattr__(self, name: str) -> Any:  # aclose and the like belong to the real port
        return getattr(self.inner, name)


class HubStates:
    """The hub's provider states; ``runtime`` is the served app's HubRuntime, ``gate`` its port."""

    def __init__(self, hub_url: str, runtime: Any, gate: CallGate) -> None:
        self.url = hub_url
        self.hub = HubClient(hub_url)
        self.runtime = runtime
        self.gate = gate
        self._in_flight: threading.Thread | None = None

    def handlers(self) -> tuple[dict[str, Handler], dict[str, Handler]]:
        setups: dict[str, Handler] = {
            states.ORDER_PLACED: self.order_placed,
            states.ORDER_NOT_RELEASED: self.order_not_released,
            states.ORDER_PLACED_WITH_KEY: self.order_placed_with_key,
            states.ORDER_IN_FLIGHT: self.order_in_flight,
            states.ORDERS_BEYOND_ONE_PAGE: self.orders_beyond_one_page,
            states.SKU_STOCKED: self.sku_stocked,
            states.ORDER_RELEASED: self.order_released,
            states.ORDER_INVOICED: self.order_invoiced,
        }
        return setups, {
            states.ORDER_IN_FLIGHT: self.in_flight_done,
            states.ORDER_NOT_RELEASED: self.gate_open,
        }

    def _place(self, order: Mapping[str, Any], key: str | None = None) -> OrderPublic:
        placed = self.hub.create_order(order, idempotency_key=key or str(uuid.uuid4()))
        if not isinstance(placed, Created):
            raise RuntimeError(f"the hub rejected a provider state's order: {placed.problem}")
        return placed.body

    def order_placed(self, **_: Any) -> Values:
        order = self._place(demo_order(_new_number("PS")))
        return {"order_id": order.order_id, "correlation_id": order.correlation_id}

    def order_not_released(self, **_: Any) -> Values:
        # TMS has yet to rate the order's carrier, so no release has gone to a warehouse.
        self.gate.hold_next("rate")
        order = self._place(demo_order(_new_number("PS")))
        self.gate.wait_until_held(10.0)
        return {"order_id": order.order_id}

    def order_placed_with_key(self, params: Mapping[str, Any], **_: Any) -> Values:
        self._place(params["order"], key=params["idempotency_key"])
        return {}

    def order_in_flight(self, params: Mapping[str, Any], **_: Any) -> Values:
        self.gate.hold_next("check_order")

        def place() -> None:
            with HubClient(self.url) as client:
                client.create_order(params["order"], idempotency_key=params["idempotency_key"])

        self._in_flight = threading.Thread(target=place, name="order-in-flight", daemon=True)
        self._in_flight.start()
        self.gate.wait_until_held(10.0)
        return {}

    def gate_open(self, **_: Any) -> Values:
        self.gate.release()
        return {}

    def in_flight_done(self, **_: Any) -> Values:
        self.gate.release()
        if self._in_flight is not None:
            self._in_flight.join(15.0)
            self._in_flight = None
        return {}

    def orders_beyond_one_page(self, params: Mapping[str, Any], **_: Any) -> Values:
        limit = int(params.get("limit", 2))
        for _n in range(limit + 1):
            self._place(demo_order(_new_number("PS")))
        page = self.hub.list_orders(limit=limit)
        return {"cursor": page.next_cursor}

    def sku_stocked(self, params: Mapping[str, Any], **_: Any) -> Values:
        self.hub.post_movement(
            {
                "movement_id": uuid.uuid4().hex,
                "node_id": params["node_id"],
                "sku": params["sku"],
                "kind": "receipt",
                "quantity": 24,
            },
            idempotency_key=str(uuid.uuid4()),
        )
        return {}

    def _acknowledged(self, order_id: str) -> OrderPublic:
        """The order, once every warehouse it was released to has acknowledged the release."""

        def ready() -> OrderPublic | None:
            saga = self.runtime.saga(order_id) or {}
            waiting = {c for c in saga.get("pending_calls", ()) if ":shipment:" in c}
            nodes = {r["node"] for r in saga.get("releases", ())}
            if nodes and {f"{order_id}:shipment:{n}" for n in nodes} <= waiting:
                return self.hub.get_order(order_id)
            return None

        return until(ready, f"order {order_id}'s releases being acknowledged")  # type: ignore[no-any-return]

    def order_released(self, params: Mapping[str, Any], **_: Any) -> Values:
        sku, quantity = str(params["sku"]), int(params["quantity"])
        order = self._place(demo_order(_new_number("PS"), skus=[sku], quantity=quantity))
        if len(order.releases) != 1:
            raise RuntimeError(f"order {order.order_id} went to {len(order.releases)} nodes, not 1")
        order = self._acknowledged(order.order_id)
        return {"order_id": order.order_id, "node_id": order.releases[0].node}

    def order_invoiced(self, **_: Any) -> Values:
        order = self._acknowledged(self._place(demo_order(_new_number("PS"))).order_id)
        skus = {line.line_no: line.sku for line in order.lines}
        for release in order.releases:
            self.hub.confirm_shipment(
                {
                    "shipment_id": _new_number("SH"),
                    "order_id": order.order_id,
                    "node_id": release.node,
                    "lines": [
                        {"line_no": int(no), "sku": skus[int(no)], "quantity": qty}
                        for no, qty in release.lines.items()
                    ],
                },
                idempotency_key=str(uuid.uuid4()),
            )
        invoiced = until(
            lambda: self.hub.get_order(order.order_id).invoices,
            f"an invoice for order {order.order_id}",
        )
        return {"invoice_id": invoiced[0], "order_id": order.order_id}

    def close(self) -> None:
        self.in_flight_done()
        self.hub.close()


class SystemsStates:
    """States of the simulated systems, set up through their own endpoints."""

    def __init__(self, systems_url: str) -> None:
        self.http = httpx.Client(base_url=systems_url, timeout=10.0)

    def handlers(self) -> tuple[dict[str, Handler], dict[str, Handler]]:
        return {
            states.ERP_HAS_INVOICES: self.erp_has_invoices,
            states.WMS_HAS_STOCK: self.wms_has_stock,
        }, {}

    def _last_cursor(self, path: str, limit: int) -> str:
        """The cursor of the last page of a list walked ``limit`` at a time."""
        cursor, last = None, None
        while True:
            params: dict[str, Any] = {"limit": limit} | ({"cursor": cursor} if cursor else {})
            page = self.http.get(path, params=params).raise_for_status().json()
            if page["next_cursor"] is None:
                if last is None:
                    raise RuntimeError(f"GET {path} fits on one page of {limit}")
                return last
            cursor = last = str(page["next_cursor"])

    def erp_has_invoices(self, params: Mapping[str, Any], **_: Any) -> Values:
        limit = int(params.get("limit", 2))
        order = demo_order(_new_number("PS"))
        for _n in range(limit + 1):
            self.http.post(
                "/erp/post_invoice",
                json={
                    "order_id": _new_number("SO"),
                    "shipment_id": _new_number("SH"),
                    "customer_id": order["customer_id"],
                    "currency": order["currency"],
                    "lines": order["lines"],
                },
                headers={"Idempotency-Key": uuid.uuid4().hex},
            ).raise_for_status()
        return {"cursor": self._last_cursor("/erp/invoices", limit)}

    def wms_has_stock(self, params: Mapping[str, Any], **_: Any) -> Values:
        path = f"/wms/{params['node']}/stock"
        return {"cursor": self._last_cursor(path, int(params.get("limit", 2)))}

    def close(self) -> None:
        self.http.close()


class StateServer:
    """The verifier's provider-state callback: ``POST {url}`` with ``{state, params, action}``."""

    def __init__(self, setups: Mapping[str, Handler], teardowns: Mapping[str, Handler]) -> None:
        self.setups = dict(setups)
        self.teardowns = dict(teardowns)
        self.errors: list[str] = []  # why handlers failed, for the verification report
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._request_handler())
        self.thread = threading.Thread(
            target=self.server.serve_forever, name="pact-states", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}{PATH}"

    def handle(self, state: str, action: str, params: Mapping[str, Any]) -> Values:
        if action == "teardown":
            handler = self.teardowns.get(state)
            return (handler(state=state, params=params) or {}) if handler else {}
        if state == "":  # pact's generic per-interaction setup: nothing to do
            return {}
        handler = self.setups.get(state)
        if handler is None:
            known = "; ".join(sorted(self.setups))
            raise LookupError(f"no provider state {state!r}; this provider knows: {known}")
        return handler(state=state, params=params) or {}

    def _request_handler(self) -> type[BaseHTTPRequestHandler]:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = json.loads(self.rfile.read(length) or b"{}")
                try:
                    values = owner.handle(
                        str(request.get("state", "")),
                        str(request.get("action", "setup")),
                        request.get("params") or {},
                    )
                    status, body = 200, json.dumps(values).encode()
                except Exception as failed:  # the verifier fails the interaction
                    why = f"state {request.get('state')!r}: {type(failed).__name__}: {failed}"
                    owner.errors.append(why.splitlines()[0])
                    # 4xx, not 5xx: pact's verifier retries a 5xx for minutes before giving up.
                    status, body = 400, json.dumps({"error": why}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return  # quiet: the verifier reports what matters

        return Handler

    def __enter__(self) -> StateServer:
        self.thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
