"""Tax is the ERP's: quoted at capture, part of validation, and confirmed at invoicing."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from small_distributor import order

from reference.domain.event_schemas import EVENT_SCHEMAS
from reference.domain.model import InventoryMovement, MovementKind
from reference.hub import PlaceOrder, RecordMovement, SystemReplied

ATL, PIPE = "DC-ATL", "PIPE-COPPER-15MM"


def test_the_order_is_accepted_with_the_tax_the_erp_quoted(driver_for):
    driver = driver_for({(ATL, PIPE): 50})
    driver.send(PlaceOrder(order((PIPE, 10)), "SO-1", "c"))
    accepted = next(e for e in driver.events if e.type == "OrderAccepted")
    assert (accepted.data["value"], accepted.data["tax"]) == ("124.00", "9.92")  # 8 % in ERP
    posted = next(e for e in driver.events if e.type == "InvoicePosted")
    assert (posted.data["tax"], posted.data["tax_at_capture"]) == ("9.92", "9.92")
    assert "InvoiceTaxDiffered" not in driver.types("SO-1")


def test_a_rate_that_changed_before_invoicing_is_a_difference_everyone_sees(driver_for):
    driver = driver_for({(ATL, PIPE): 0})
    driver.send(PlaceOrder(order((PIPE, 10)), "SO-1", "c"))  # it waits for stock
    erp = driver.systems["erp"]
    for cid, customer in list(erp.customers.items()):  # meanwhile the rate goes to 9 %
        erp.customers[cid] = dataclasses.replace(customer, tax_rate=Decimal("0.09"))
    driver.systems[f"wms:{ATL}"].on_hand[PIPE] = 10
    receipt = InventoryMovement(
        movement_id="RCPT-1", node_id=ATL, sku=PIPE, kind=MovementKind.RECEIPT, quantity=10
    )
    driver.send(RecordMovement(receipt))
    differed = next(e for e in driver.events if e.type == "InvoiceTaxDiffered")
    assert dict(differed.data) == {
        "invoice_id": "INV-SH-SO-1-DC-ATL",
        "tax": "11.16",
        "tax_at_capture": "9.92",
        "difference": "1.24",
    }
    EVENT_SCHEMAS.read(differed.to_cloudevent())  # as its published schema says
    # the invoice, not the quote, is what the customer owes
    assert driver.hub.state.exposure["ACME-PLUMBING"] == Decimal("135.16")


def test_an_order_the_erp_quotes_no_tax_for_is_rejected_naming_the_region(driver_for):
    driver = driver_for({(ATL, PIPE): 50})
    (check,) = driver.hub.decide(PlaceOrder(order((PIPE, 10)), "SO-1", "c"), 0.0).effects
    quote = driver.systems["erp"].handle("check_order", check.payload)
    untaxed = {k: v for k, v in quote.items() if k != "tax_rate"}
    decision = driver.hub.decide(SystemReplied(check, untaxed), 1.0)
    (rejected,) = [e for e in decision.events if e.type == "OrderRejected"]
    assert rejected.data["reasons"] == [
        "ship_to.region: the ERP quoted no tax rate for region 'GA': "
        "the order's tax cannot be computed"
    ]
