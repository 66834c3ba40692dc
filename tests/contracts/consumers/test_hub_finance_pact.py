"""The hub's contract with finance: an invoice ERP posted, recorded as a journal entry."""

from __future__ import annotations

import pytest
from pact import match
from systems_calls import JSON, ORDER_ID, call, expect_call, send

from contracts.participants import FINANCE, HUB
from reference.hub import SystemReplied

CONSUMER, PROVIDER = HUB, FINANCE
pytestmark = pytest.mark.xdist_group("pact-hub-finance")

SHIPMENT = f"SH-{ORDER_ID}-DC-ATL"


def test_finance_records_a_posted_invoice(recorder):
    pact = recorder.pact()
    invoice = {
        "invoice_id": f"INV-{SHIPMENT}",
        "order_id": ORDER_ID,
        "shipment_id": SHIPMENT,
        "customer_id": "CUST-1001",
        "currency": "USD",
        "lines": [{"line_no": 1, "sku": "CHM-1034", "quantity": 1, "unit_price": "44.61"}],
        "net": "44.61",
        "tax": "3.57",
        "total": "48.18",
    }
    outgoing = call("finance", "record_invoice", invoice, about=invoice["invoice_id"])
    (
        expect_call(pact, "a posted invoice to record", "/finance/record_invoice", outgoing)
        .will_respond_with(200)
        .with_body({"journal_id": match.str(f"JE-INV-{SHIPMENT}")}, content_type=JSON)
    )
    with recorder.serve(pact) as url:
        reply = send(url, outgoing)

    assert isinstance(reply, SystemReplied)
