"""Bad input never gives a 5xx: each is a 4xx problem+json naming the offending field."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from service_harness import Service, order_body

pytestmark = pytest.mark.xdist_group("service")
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[httpx.Client]:  # type: ignore[no-untyped-def]
    where = tmp_path_factory.mktemp("bad-input")
    with (
        Service(f"sqlite:///{where / 'crossdock.db'}", where) as service,
        httpx.Client(base_url=service.url, timeout=60) as http,
    ):
        yield http


def _post(client: httpx.Client, body: Any, key: str, **kwargs: Any) -> httpx.Response:
    return client.post("/v1/orders", json=body, headers={"Idempotency-Key": key}, **kwargs)


def _fields(response: httpx.Response) -> set[str]:
    assert 400 <= response.status_code < 500, response.text[:500]
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(problem)
    assert problem["status"] == response.status_code
    return {e["field"] for e in problem["errors"]}


def test_an_unknown_field_is_named(client: httpx.Client) -> None:
    body = order_body("PO-BAD-1")
    body["lines"][1]["colour"] = "red"
    response = _post(client, body, "bad-1")
    assert response.status_code == 422
    assert "lines.1.colour" in _fields(response)


def test_a_wrong_type_is_named(client: httpx.Client) -> None:
    body = order_body("PO-BAD-2")
    body["lines"][0]["quantity"] = "a dozen"
    response = _post(client, body, "bad-2")
    assert response.status_code == 422
    assert "lines.0.quantity" in _fields(response)


def test_a_negative_quantity_is_named(client: httpx.Client) -> None:
    body = order_body("PO-BAD-3", lines=4)
    body["lines"][3]["quantity"] = -5
    response = _post(client, body, "bad-3")
    assert response.status_code == 422
    assert _fields(response) == {"lines.3.quantity"}


def test_a_five_megabyte_payload_is_refused_before_parsing(client: httpx.Client) -> None:
    body = order_body("PO-BAD-4")
    body["ship_to"]["name"] = "x" * (5 * 1024 * 1024)
    response = _post(client, body, "bad-4")
    assert response.status_code == 413
    assert _fields(response) == {"body"}


def test_ten_thousand_and_one_lines_are_refused_naming_lines(client: httpx.Client) -> None:
    body = order_body("PO-BAD-5", lines=1)
    line = body["lines"][0]
    body["lines"] = [dict(line, line_no=n) for n in range(1, 10_002)]
    response = _post(client, body, "bad-5")
    assert response.status_code == 422
    assert "lines" in _fields(response)


def test_an_unknown_sku_rejects_the_order_naming_the_line(client: httpx.Client) -> None:
    body = order_body("PO-BAD-6", lines=3)
    body["lines"][2]["sku"] = "NOPE-0000"
    response = _post(client, body, "bad-6")
    assert response.status_code == 422
    assert _fields(response) == {"lines.2.sku"}
    assert response.json()["type"].endswith("order-rejected")


def test_a_wrong_contract_price_is_named(client: httpx.Client) -> None:
    body = order_body("PO-BAD-7")
    body["lines"][0]["unit_price"] = "0.01"
    response = _post(client, body, "bad-7")
    assert response.status_code == 422
    assert _fields(response) == {"lines.0.unit_price"}


def test_a_duplicate_order_number_is_rejected_naming_it(client: httpx.Client) -> None:
    body = order_body("PO-BAD-8")
    assert _post(client, body, "bad-8a").status_code == 201
    response = _post(client, copy.deepcopy(body), "bad-8b")
    assert response.status_code == 422
    assert _fields(response) == {"order_number"}


def test_malformed_json_and_non_objects_are_named(client: httpx.Client) -> None:
    response = client.post(
        "/v1/orders",
        content=b'{"order_number": ',
        headers={"Idempotency-Key": "bad-9", "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert "body" in _fields(response)
    assert 400 <= _post(client, [1, 2, 3], "bad-10").status_code < 500


def test_query_parameters_out_of_bounds_are_named(client: httpx.Client) -> None:
    assert _fields(client.get("/v1/orders", params={"limit": 201})) == {"limit"}
    assert _fields(client.get("/v1/orders", params={"cursor": "not-ours"})) == {"cursor"}
    assert _fields(client.get("/v1/events", params={"after": "%%%"})) == {"after"}
    assert _fields(client.get("/v1/availability", params={"sku": "NOPE-0000"})) == {"sku"}
    assert _fields(client.get("/v1/orders/SO-NOT-THERE")) == {"order_id"}


def test_a_shipment_for_a_node_never_released_to_is_named(client: httpx.Client) -> None:
    created = _post(client, order_body("PO-BAD-11"), "bad-11").json()
    node = next(
        n
        for n in ("DC-ATL", "DC-DFW", "DC-RNO")
        if n not in {r["node"] for r in created["releases"]}
    )
    shipment = {
        "shipment_id": "SH-X",
        "order_id": created["order_id"],
        "node_id": node,
        "lines": [{"line_no": 1, "sku": created["lines"][0]["sku"], "quantity": 1}],
    }
    response = client.post("/v1/shipments", json=shipment, headers={"Idempotency-Key": "s-11"})
    assert response.status_code == 422
    assert _fields(response) == {"node_id"}


def test_cancelling_a_closed_order_is_a_conflict_naming_the_state(client: httpx.Client) -> None:
    # A short pick would leave the rest waiting for stock for days: this customer takes what
    # ships and cancels the rest, so the order closes.
    body = {**order_body("PO-BAD-12"), "backorders": "cancel"}
    created = _post(client, body, "bad-12").json()
    for _ in range(300):
        if client.get(f"/v1/orders/{created['order_id']}").json()["state"] == "closed":
            break
        import time

        time.sleep(0.1)
    response = client.post(f"/v1/orders/{created['order_id']}/cancel")
    assert response.status_code == 409
    assert _fields(response) == {"state"}
    assert response.json()["state"] == "closed"
