"""A backorder is a workflow, over the service's HTTP API: an order beyond stock waits, and a
receipt posted through POST /v1/inventory/movements fills it, so it ships in full, is invoiced
and closes without a unit cancelled. The test plays the warehouse (``--wms-confirm api``)."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest
from service_harness import Service, all_events, order_body

pytestmark = pytest.mark.xdist_group("service")


def _post(client: httpx.Client, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST under one Idempotency-Key, retrying a 409 as its Retry-After says (a release the
    WMS has not yet acknowledged)."""
    key, deadline = str(uuid.uuid4()), time.monotonic() + 30
    while (
        reply := client.post(path, json=body, headers={"Idempotency-Key": key})
    ).status_code == 409:
        assert time.monotonic() < deadline, reply.text
        time.sleep(float(reply.headers.get("Retry-After", "1")) / 4)
    assert reply.status_code == 201, reply.text[:1000]
    return dict(reply.json())


def _order_when(client: httpx.Client, order_id: str, ready: Any) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while not ready(order := client.get(f"/v1/orders/{order_id}").json()):
        assert time.monotonic() < deadline, order
        time.sleep(0.1)
    return dict(order)


def _ship_what_was_released(client: httpx.Client, order: dict[str, Any], sku: str) -> None:
    for n, release in enumerate(r for r in order["releases"] if not r["shipped"]):
        lines = [
            {"line_no": int(no), "sku": sku, "quantity": qty}
            for no, qty in release["lines"].items()
        ]
        _post(
            client,
            "/v1/shipments",
            {
                "shipment_id": f"SH-{order['order_id']}-{release['node']}-{order['shipments'] + n}",
                "order_id": order["order_id"],
                "node_id": release["node"],
                "lines": lines,
            },
        )


def _released(order: dict[str, Any]) -> bool:
    open_parts = [r for r in order["releases"] if not r["shipped"]]
    return bool(open_parts) and all(r["carrier"] for r in open_parts)


def test_an_order_beyond_stock_waits_and_ships_in_full_after_a_receipt(sqlite_url, tmp_path):
    with (
        Service(sqlite_url, tmp_path, "--wms-confirm", "api") as service,
        httpx.Client(base_url=service.url, timeout=60) as client,
    ):
        body = order_body("PO-BACKORDER-1", lines=1)
        sku = body["lines"][0]["sku"]
        stock = client.get("/v1/availability", params={"sku": sku}).json()
        body["lines"][0]["quantity"] = stock["total"] + 5
        placed = _post(client, "/v1/orders", body)
        assert placed["backordered"] and placed["lines"][0]["backordered"] == 5
        order_id = placed["order_id"]

        _ship_what_was_released(client, _order_when(client, order_id, _released), sku)
        waiting = _order_when(
            client, order_id, lambda o: o["state"] == "partially_shipped" and o["invoices"]
        )
        assert waiting["lines"][0]["backordered"] == 5 and waiting["lines"][0]["cancelled"] == 0

        node = stock["nodes"][-1]["node"]
        _post(
            client,
            "/v1/inventory/movements",
            {
                "movement_id": "RCPT-1",
                "node_id": node,
                "sku": sku,
                "kind": "receipt",
                "quantity": 20,
            },
        )
        filled = _order_when(client, order_id, _released)
        assert [r["node"] for r in filled["releases"] if not r["shipped"]] == [node]
        _ship_what_was_released(client, filled, sku)

        final = _order_when(client, order_id, lambda o: o["state"] == "closed")
        (line,) = final["lines"]
        assert (line["shipped"], line["backordered"], line["cancelled"]) == (
            body["lines"][0]["quantity"],
            0,
            0,
        )
        assert line["state"] == "closed"
        invoiced = sum(
            ln["quantity"]
            for invoice_id in final["invoices"]
            for ln in client.get(f"/v1/invoices/{invoice_id}").json()["lines"]
        )
        assert invoiced == line["shipped"]
        kinds = Counter(e["type"] for e in all_events(client, subject=order_id))
        assert kinds["BackorderAllocated"] == 1 and kinds["OrderClosed"] == 1
        assert kinds["BackorderCancelled"] == 0 and kinds["OrderCancelled"] == 0
        available = client.get("/v1/availability", params={"sku": sku}).json()["total"]
        assert available == 15  # the receipt's 20, less the 5 that filled the backorder


def test_serve_with_ship_and_cancel_closes_an_order_beyond_stock_at_once(sqlite_url, tmp_path):
    """``crossdock serve --backorder-policy ship-and-cancel``: what no warehouse holds is
    cancelled, naming the rule, although the order itself asked to wait."""
    with (
        Service(
            sqlite_url,
            tmp_path,
            "--system-latency",
            "zero",
            "--backorder-policy",
            "ship-and-cancel",
        ) as service,
        httpx.Client(base_url=service.url, timeout=60) as client,
    ):
        body = {**order_body("PO-BACKORDER-2", lines=1), "backorders": "wait"}
        sku = body["lines"][0]["sku"]
        stock = client.get("/v1/availability", params={"sku": sku}).json()
        body["lines"][0]["quantity"] = stock["total"] + 5
        order_id = _post(client, "/v1/orders", body)["order_id"]
        final = _order_when(client, order_id, lambda o: o["state"] in ("closed", "cancelled"))
        (line,) = final["lines"]
        assert line["cancelled"] >= 5 and line["backordered"] == 0
        reasons = {
            e["data"]["reason"]
            for e in all_events(client, subject=order_id)
            if e["type"] == "BackorderCancelled"
        }
        assert reasons == {"ship_and_cancel"}
