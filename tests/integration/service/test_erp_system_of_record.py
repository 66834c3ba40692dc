"""The ERP as system of record for commercial orders, seen over the service's HTTP API.

A warehouse hears of an order only after the ERP has committed its sales order: in the event
feed every released order shows SalesOrderCommitted (with the ERP's number) before its first
OrderReleased, and a cancel goes to the ERP before the hub gives the stock back.
"""

from __future__ import annotations

import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from service_harness import Service, all_events, all_orders, order_body

pytestmark = pytest.mark.xdist_group("service")

ORDERS = 500
FINISHED = {"closed", "cancelled", "rejected", "erp_rejected"}


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[Service]:  # type: ignore[no-untyped-def]
    where = tmp_path_factory.mktemp("erp-sor")
    with Service(f"sqlite:///{where / 'crossdock.db'}", where, "--system-latency", "zero") as up:
        yield up


def _place(url: str, n: int) -> int:
    body = order_body(f"PO-SOR-{n}", customer_index=n, lines=1 + n % 3)
    body["backorders"] = "cancel"  # a short pick ends the order: no receipts come in this run
    with httpx.Client(base_url=url, timeout=60) as client:
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        return client.post("/v1/orders", json=body, headers=headers).status_code


def test_every_order_of_a_500_order_run_is_committed_by_the_erp_before_release(service):
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda n: _place(service.url, n), range(ORDERS)))
    assert statuses.count(201) >= ORDERS * 0.9, sorted(set(statuses))
    with httpx.Client(base_url=service.url, timeout=60) as client:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            orders = all_orders(client)
            if all(o["state"] in FINISHED for o in orders):
                break
            time.sleep(0.5)
        assert len(orders) == ORDERS
        assert all(o["state"] in FINISHED for o in orders), "orders still open after 120 s"
        events = all_events(client)

    by_order: dict[str, list[dict]] = defaultdict(list)
    for event in events:
        by_order[event["subject"]].append(event)
    released = 0
    for order in orders:
        types = [e["type"] for e in by_order[order["order_id"]]]
        if "OrderReleased" not in types:
            continue
        released += 1
        assert "SalesOrderCommitted" in types, (order["order_id"], types)
        assert types.index("SalesOrderCommitted") < types.index("OrderReleased"), types
        committed = next(
            e for e in by_order[order["order_id"]] if e["type"] == "SalesOrderCommitted"
        )
        assert committed["data"]["erp_order_number"] == f"ERP-{order['order_id']}"
        assert committed["schemaversion"] == "1"
    assert released == statuses.count(201)  # every accepted order went on to a warehouse


def test_an_order_in_another_currency_than_the_contract_is_refused_naming_currency(service):
    body = order_body("PO-SOR-EUR", customer_index=1)
    body["currency"] = "EUR"  # the customer's contract prices are in USD
    with httpx.Client(base_url=service.url, timeout=60) as client:
        reply = client.post("/v1/orders", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert reply.status_code == 422, reply.text
    problem = reply.json()
    assert [e["field"] for e in problem["errors"]] == ["currency"]
    assert "'EUR'" in problem["errors"][0]["message"] and "'USD'" in problem["errors"][0]["message"]
