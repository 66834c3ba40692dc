"""Payments over the service's HTTP API: applied once, replayed by Idempotency-Key, refused
for an unknown invoice, and releasing credit so a customer over their limit buys again."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from service_harness import Service, all_events, order_body

from simulators.systems.estate import build_estate

pytestmark = pytest.mark.xdist_group("service")

CUSTOMER = "CUST-1012"  # a credit limit of 1500 in the seed-7 demo estate


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[httpx.Client]:  # type: ignore[no-untyped-def]
    where = tmp_path_factory.mktemp("payments")
    with (
        # No short picks: a keyed draw on the random order id could cancel part of the first
        # order ("backorders": "cancel") and give back the exposure the limit test relies on.
        Service(
            f"sqlite:///{where / 'crossdock.db'}",
            where,
            *("--system-latency", "zero", "--short-pick-rate", "0"),
        ) as up,
        httpx.Client(base_url=up.url, timeout=60) as client,
    ):
        yield client


def _order(number: str) -> dict[str, Any]:
    """About 1000 of one SKU the customer buys at contract price: two are over the limit."""
    estate = build_estate(7)
    customer = next(c for c in estate.customers if c.customer_id == CUSTOMER)
    assert customer.credit_limit == Decimal(1500)
    sku, price = next(
        (sku, price)
        for (cid, sku), price in sorted(estate.contract_prices.items())
        if cid == CUSTOMER
        and customer.region not in estate.restricted.get(sku, ())
        and price < 100
        and min(estate.stock[n][sku] for n in estate.nodes) > 200
    )
    quantity = int(Decimal(1000) / price)
    return {
        "order_number": number,
        "customer_id": CUSTOMER,
        "currency": "USD",
        "backorders": "cancel",
        "ship_to": {
            "name": "Receiving",
            "line1": "1 Dock Way",
            "city": "Anytown",
            "region": customer.region,
            "postal_code": "00000",
            "country": "US",
        },
        "lines": [{"line_no": 1, "sku": sku, "quantity": quantity, "unit_price": str(price)}],
    }


def _post(client: httpx.Client, path: str, body: dict[str, Any], key: str) -> httpx.Response:
    return client.post(path, json=body, headers={"Idempotency-Key": key})


def _closed(client: httpx.Client, order_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while (order := client.get(f"/v1/orders/{order_id}").json())["state"] != "closed":
        assert time.monotonic() < deadline, order
        time.sleep(0.1)
    return dict(order)


def test_a_payment_releases_credit_once_and_a_customer_over_the_limit_buys_again(client):
    first = _post(client, "/v1/orders", _order("PO-PAY-1"), str(uuid.uuid4()))
    assert first.status_code == 201, first.text
    over = _post(client, "/v1/orders", _order("PO-PAY-2"), str(uuid.uuid4()))
    assert over.status_code == 422 and [e["field"] for e in over.json()["errors"]] == ["credit"]

    order = _closed(client, first.json()["order_id"])
    (invoice_id,) = order["invoices"]
    invoice = client.get(f"/v1/invoices/{invoice_id}").json()
    total = Decimal(invoice["total"])

    key = str(uuid.uuid4())
    body = {"invoice_id": invoice_id, "amount": str(total), "currency": "USD"}
    paid = _post(client, "/v1/payments", body, key)
    assert paid.status_code == 201, paid.text
    assert paid.json()["open_balance"] == "0.00" or Decimal(paid.json()["open_balance"]) == 0
    again = _post(client, "/v1/payments", body, key)
    assert (again.status_code, again.json()) == (201, paid.json())
    assert again.headers["Idempotent-Replayed"] == "true"
    applied = [
        e for e in all_events(client, subject=order["order_id"]) if e["type"] == "PaymentApplied"
    ]
    assert len(applied) == 1 and Decimal(applied[0]["data"]["amount"]) == total

    twice = _post(client, "/v1/payments", body, str(uuid.uuid4()))  # a new key, nothing left
    assert twice.status_code == 422 and [e["field"] for e in twice.json()["errors"]] == ["amount"]

    retry = _post(client, "/v1/orders", _order("PO-PAY-3"), str(uuid.uuid4()))
    assert retry.status_code == 201, retry.text  # exposure went down by exactly the payment


@pytest.mark.parametrize(
    ("change", "field"),
    [({"invoice_id": "INV-NOPE"}, "invoice_id"), ({"currency": "EUR"}, "currency")],
)
def test_a_payment_the_hub_cannot_apply_is_refused_naming_the_field(client, change, field):
    body = {"invoice_id": "INV-NOPE", "amount": "10.00", "currency": "USD"}
    if field == "currency":  # a real invoice, in USD
        order = {**order_body("PO-PAY-EUR"), "backorders": "cancel"}
        placed = _post(client, "/v1/orders", order, str(uuid.uuid4()))
        assert placed.status_code == 201, placed.text
        body["invoice_id"] = _closed(client, placed.json()["order_id"])["invoices"][0]
    refused = _post(client, "/v1/payments", {**body, **change}, str(uuid.uuid4()))
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == [field]
