"""Credit memos over the service's HTTP API: carried once, replayed by Idempotency-Key, refused
for an unknown invoice or a key reused for another memo, and lowering exposure by their amount
so a customer over their limit buys again."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from service_harness import Service, all_events

from reference.domain.event_schemas import EVENT_SCHEMAS
from simulators.systems.estate import build_estate

pytestmark = pytest.mark.xdist_group("service")

CUSTOMER = "CUST-1012"  # a credit limit of 1500 in the seed-7 demo estate


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[httpx.Client]:  # type: ignore[no-untyped-def]
    where = tmp_path_factory.mktemp("credit-memos")
    with (
        Service(f"sqlite:///{where / 'crossdock.db'}", where, "--system-latency", "zero") as up,
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
        "lines": [
            {
                "line_no": 1,
                "sku": sku,
                "quantity": int(Decimal(1000) / price),
                "unit_price": str(price),
            }
        ],
    }


def _post(client: httpx.Client, path: str, body: dict[str, Any], key: str) -> httpx.Response:
    return client.post(path, json=body, headers={"Idempotency-Key": key})


def _closed(client: httpx.Client, order_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while (order := client.get(f"/v1/orders/{order_id}").json())["state"] != "closed":
        assert time.monotonic() < deadline, order
        time.sleep(0.1)
    return dict(order)


def _memo(invoice_id: str, amount: Decimal, reason: str = "return") -> dict[str, Any]:
    return {"invoice_id": invoice_id, "reason": reason, "amount": str(amount), "currency": "USD"}


@pytest.fixture(scope="module")
def invoiced(client: httpx.Client) -> tuple[str, str, Decimal]:
    """(order id, invoice id, invoice total) of a closed order of about 1000: the customer
    cannot place a second one."""
    first = _post(client, "/v1/orders", _order("PO-CM-1"), str(uuid.uuid4()))
    assert first.status_code == 201, first.text
    over = _post(client, "/v1/orders", _order("PO-CM-2"), str(uuid.uuid4()))
    assert over.status_code == 422 and [e["field"] for e in over.json()["errors"]] == ["credit"]
    order = _closed(client, first.json()["order_id"])
    (invoice_id,) = order["invoices"]
    total = Decimal(client.get(f"/v1/invoices/{invoice_id}").json()["total"])
    return order["order_id"], invoice_id, total


def test_a_credit_memo_is_carried_once_and_lets_a_customer_over_the_limit_buy_again(
    client, invoiced
):
    order_id, invoice_id, total = invoiced
    key = str(uuid.uuid4())
    body = _memo(invoice_id, total)  # everything came back
    issued = _post(client, "/v1/credit-memos", body, key)
    assert issued.status_code == 201, issued.text
    memo = issued.json()
    assert memo["credit_memo_id"].startswith("CM-")
    assert (memo["order_id"], memo["reason"], Decimal(memo["open_balance"])) == (
        order_id,
        "return",
        0,
    )
    again = _post(client, "/v1/credit-memos", body, key)
    assert (again.status_code, again.json()) == (201, memo)
    assert again.headers["Idempotent-Replayed"] == "true"
    other = _post(client, "/v1/credit-memos", _memo(invoice_id, Decimal("1.00")), key)
    assert other.status_code == 422, other.text  # the same key for another memo

    feed = [e for e in all_events(client, subject=order_id) if e["type"] == "CreditMemoIssued"]
    assert len(feed) == 1 and feed[0]["schemaversion"] == "1"
    EVENT_SCHEMAS.read(feed[0])  # the CloudEvent its schema describes, or ValidationError
    assert (feed[0]["data"]["credit_memo_id"], Decimal(feed[0]["data"]["amount"])) == (
        memo["credit_memo_id"],
        total,
    )

    more = _post(client, "/v1/credit-memos", _memo(invoice_id, Decimal("0.01")), str(uuid.uuid4()))
    assert more.status_code == 422 and [e["field"] for e in more.json()["errors"]] == ["amount"]

    retry = _post(client, "/v1/orders", _order("PO-CM-3"), str(uuid.uuid4()))
    assert retry.status_code == 201, retry.text  # exposure went down by exactly the credit


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"invoice_id": "INV-NOPE"}, "invoice_id"),
        ({"currency": "EUR"}, "currency"),
    ],
)
def test_a_credit_memo_the_hub_cannot_apply_is_refused_naming_the_field(
    client, invoiced, change, field
):
    _, invoice_id, _ = invoiced
    body = {**_memo(invoice_id, Decimal("5.00"), "short_shipment"), **change}
    refused = _post(client, "/v1/credit-memos", body, str(uuid.uuid4()))
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == [field]


def test_a_credit_memo_needs_an_idempotency_key_and_a_stated_reason(client, invoiced):
    _, invoice_id, _ = invoiced
    unkeyed = client.post("/v1/credit-memos", json=_memo(invoice_id, Decimal("5.00")))
    assert unkeyed.status_code == 400, unkeyed.text
    vague = _post(client, "/v1/credit-memos", _memo(invoice_id, Decimal("5"), "goodwill"), "k-1")
    assert vague.status_code == 422 and "reason" in vague.text
