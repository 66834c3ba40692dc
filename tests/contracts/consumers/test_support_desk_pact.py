"""The support desk's contract with the hub: an order's story by correlation id, an invoice."""

from __future__ import annotations

import pytest
from hub_shapes import EXAMPLE_ORDER_ID, JSON, ORDER_ID, from_state
from pact import match

from contracts import states
from contracts.participants import HUB, SUPPORT
from reference.client import HubClient

CONSUMER, PROVIDER = SUPPORT, HUB
pytestmark = pytest.mark.xdist_group("pact-support-desk-hub")

CORRELATION = "corr-5f0c2a9e"
INVOICE = "INV-SH-ATL-88412"


def test_an_orders_events_are_found_by_its_correlation_id(recorder):
    pact = recorder.pact()
    event = {
        "specversion": "1.0",
        "id": match.str(f"{EXAMPLE_ORDER_ID}/1"),
        "source": match.str("/crossdock/hub"),
        "type": match.str("OrderReceived"),
        "subject": match.regex(EXAMPLE_ORDER_ID, regex=ORDER_ID),
        "time": match.str("2026-03-02T09:15:00.000000Z"),
        "correlationid": from_state(CORRELATION, "${correlation_id}"),
        "data": match.like({}),
    }
    (
        pact.upon_receiving("the events of one correlation id")
        .given(states.ORDER_PLACED)
        .with_request("GET", "/v1/events")
        .with_query_parameter("correlation_id", from_state(CORRELATION, "${correlation_id}"))
        .will_respond_with(200)
        .with_body(
            {"data": match.each_like(event, min=1), "next_cursor": match.str("Mw")},
            content_type=JSON,
        )
    )
    with recorder.serve(pact) as url, HubClient(url) as hub:
        page = hub.events(correlation_id=CORRELATION)

    assert page.data[0]["correlationid"] == CORRELATION
    assert page.data[0]["subject"] == EXAMPLE_ORDER_ID


def test_an_invoice_is_read_by_its_id(recorder):
    pact = recorder.pact()
    money = r"^\d+\.\d\d$"
    (
        pact.upon_receiving("a request for an invoice")
        .given(states.ORDER_INVOICED)
        .with_request("GET", from_state(f"/v1/invoices/{INVOICE}", "/v1/invoices/${invoice_id}"))
        .will_respond_with(200)
        .with_body(
            {
                "invoice_id": match.str(INVOICE),
                "order_id": match.regex(EXAMPLE_ORDER_ID, regex=ORDER_ID),
                "shipment_id": match.str("SH-ATL-88412"),
                "customer_id": match.str("CUST-1001"),
                "currency": match.str("USD"),
                "lines": match.each_like(
                    {
                        "line_no": match.int(1),
                        "sku": match.str("CHM-1034"),
                        "quantity": match.int(1),
                        "unit_price": match.regex("44.61", regex=money),
                    },
                    min=1,
                ),
                "net": match.regex("44.61", regex=money),
                "tax": match.regex("3.57", regex=money),
                "total": match.regex("48.18", regex=money),
            },
            content_type=JSON,
        )
    )
    with recorder.serve(pact) as url, HubClient(url) as hub:
        invoice = hub.get_invoice(INVOICE)

    assert invoice.invoice_id == INVOICE
    assert invoice.total == "48.18"
