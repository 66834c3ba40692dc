"""The hub's contract with ERP: validate and enter an order, post and list invoices."""

from __future__ import annotations

import pytest
from pact import generate, match
from systems_calls import (
    CORRELATION,
    JSON,
    MONEY,
    ORDER_ID,
    call,
    expect_call,
    fetch_all,
    page,
    send,
)

from contracts import states
from contracts.demo import demo_order
from contracts.participants import ERP, HUB
from reference.hub import SystemReplied

CONSUMER, PROVIDER = HUB, ERP
pytestmark = pytest.mark.xdist_group("pact-hub-erp")

ORDER = demo_order("WEB-1001", lines=2)
SKUS = sorted(line["sku"] for line in ORDER["lines"])
PRICES = {line["sku"]: line["unit_price"] for line in ORDER["lines"]}
INVOICE_LINES = [
    {k: line[k] for k in ("line_no", "sku", "quantity", "unit_price")} for line in ORDER["lines"]
]
SHIPMENT = f"SH-{ORDER_ID}-DC-ATL"
INVOICE = {
    "invoice_id": match.str(f"INV-{SHIPMENT}"),
    "order_id": match.str(ORDER_ID),
    "shipment_id": match.str(SHIPMENT),
    "customer_id": match.str(ORDER["customer_id"]),
    "currency": match.str("USD"),
    "lines": match.each_like(
        {
            "line_no": match.int(1),
            "sku": match.str(SKUS[0]),
            "quantity": match.int(1),
            "unit_price": match.regex(PRICES[SKUS[0]], regex=MONEY),
        },
        min=1,
    ),
    "net": match.regex("119.54", regex=MONEY),
    "tax": match.regex("9.56", regex=MONEY),
    "total": match.regex("129.10", regex=MONEY),
}


def test_erp_validates_an_order_with_credit_and_contract_prices(recorder):
    pact = recorder.pact()
    outgoing = call(
        "erp",
        "check_order",
        {"customer_id": ORDER["customer_id"], "region": ORDER["ship_to"]["region"], "skus": SKUS},
    )
    (
        expect_call(pact, "an order to validate", "/erp/check_order", outgoing)
        .will_respond_with(200)
        .with_body(
            {
                "customer_known": True,
                "blocked": False,
                "credit_limit": match.regex("5000000", regex=MONEY),
                "tax_rate": match.regex("0.08", regex=MONEY),
                "prices": match.like(PRICES),
                "restricted": match.like([]),
            },
            content_type=JSON,
        )
    )
    with recorder.serve(pact) as url:
        reply = send(url, outgoing)

    assert isinstance(reply, SystemReplied)
    assert reply.body["prices"] == PRICES


def test_erp_creates_the_sales_order(recorder):
    pact = recorder.pact()
    outgoing = call(
        "erp",
        "create_sales_order",
        {
            "order_id": ORDER_ID,
            "order_number": ORDER["order_number"],
            "customer_id": ORDER["customer_id"],
            "value": "119.54",
        },
    )
    (
        expect_call(
            pact, "an accepted order to enter as a sales order", "/erp/create_sales_order", outgoing
        )
        .will_respond_with(200)
        .with_body(
            {"erp_order": match.str(f"ERP-{ORDER_ID}"), "copies": match.int(1)},
            content_type=JSON,
        )
    )
    with recorder.serve(pact) as url:
        reply = send(url, outgoing)

    assert isinstance(reply, SystemReplied)


def test_erp_posts_the_invoice_of_a_shipment(recorder):
    pact = recorder.pact()
    outgoing = call(
        "erp",
        "post_invoice",
        {
            "order_id": ORDER_ID,
            "shipment_id": SHIPMENT,
            "customer_id": ORDER["customer_id"],
            "currency": "USD",
            "lines": INVOICE_LINES,
        },
        about=SHIPMENT,
    )
    (
        expect_call(pact, "a shipment to invoice", "/erp/post_invoice", outgoing)
        .will_respond_with(200)
        .with_body(INVOICE, content_type=JSON)
    )
    with recorder.serve(pact) as url:
        reply = send(url, outgoing)

    assert isinstance(reply, SystemReplied)
    assert reply.body["invoice_id"] == f"INV-{SHIPMENT}"


def test_the_hub_walks_erps_invoices_page_by_page(recorder):
    pact = recorder.pact()
    cursor = "b2Zmc2V0OjI"
    (
        pact.upon_receiving("the first page of invoices")
        .given(states.ERP_HAS_INVOICES, limit=2)
        .with_request("GET", "/erp/invoices")
        .with_header("X-Correlation-ID", match.like(CORRELATION))
        .with_query_parameter("limit", "2")
        .will_respond_with(200)
        .with_body(page(INVOICE, match.str(cursor)), content_type=JSON)
    )
    (
        pact.upon_receiving("the last page of invoices")
        .given(states.ERP_HAS_INVOICES, limit=2)
        .with_request("GET", "/erp/invoices")
        .with_header("X-Correlation-ID", match.like(CORRELATION))
        .with_query_parameters(
            {
                "limit": "2",
                "cursor": match.like(cursor, generator=generate.provider_state("${cursor}")),
            }
        )
        .will_respond_with(200)
        .with_body(page(INVOICE, None), content_type=JSON)
    )
    with recorder.serve(pact) as url:
        invoices = fetch_all(url, "/erp/invoices", {"limit": 2})

    assert [i["shipment_id"] for i in invoices] == [SHIPMENT, SHIPMENT]
