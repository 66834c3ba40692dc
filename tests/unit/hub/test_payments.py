"""Payments release exactly their amount of exposure, once, for a known invoice only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from small_distributor import order

from reference.hub import ApplyPayment, PaymentRefused, PlaceOrder

ATL, PIPE = "DC-ATL", "PIPE-COPPER-15MM"


def _invoiced(driver_for):
    driver = driver_for({(ATL, PIPE): 50})
    driver.send(PlaceOrder(order((PIPE, 10)), "SO-1", "c"))
    (invoice,) = driver.systems["erp"].invoices.values()
    return driver, invoice["invoice_id"], Decimal(invoice["total"])


def test_a_payment_releases_exactly_its_amount_once(driver_for):
    driver, invoice_id, total = _invoiced(driver_for)
    exposure = driver.hub.state.exposure
    assert exposure["ACME-PLUMBING"] == total  # 124.00 net, 9.92 tax: the invoice is owed
    part = ApplyPayment("SO-1", "PAY-1", invoice_id, Decimal("100.00"), "USD")
    driver.send(part)
    driver.send(part)  # a repeated delivery is applied once
    assert exposure["ACME-PLUMBING"] == total - Decimal("100.00")
    driver.send(ApplyPayment("SO-1", "PAY-2", invoice_id, total - Decimal("100.00"), "USD"))
    assert exposure["ACME-PLUMBING"] == 0
    applied = [dict(e.data) for e in driver.events if e.type == "PaymentApplied"]
    assert [a["open_balance"] for a in applied] == [str(total - 100), "0.00"]
    assert driver.types("SO-1")[-1] == "OrderPaid"


@pytest.mark.parametrize(
    ("invoice", "amount", "currency", "field"),
    [
        ("INV-NOPE", "1.00", "USD", "invoice_id"),
        (None, "1.00", "EUR", "currency"),
        (None, "1000.00", "USD", "amount"),
        (None, "0.00", "USD", "amount"),
    ],
)
def test_a_payment_the_hub_cannot_apply_changes_nothing(
    driver_for, invoice, amount, currency, field
):
    driver, invoice_id, total = _invoiced(driver_for)
    payment = ApplyPayment("SO-1", "PAY-1", invoice or invoice_id, Decimal(amount), currency)
    with pytest.raises(PaymentRefused) as refused:
        driver.hub.decide(payment, 1.0)
    assert refused.value.field == field
    assert driver.hub.state.exposure["ACME-PLUMBING"] == total
    assert driver.hub.saga("SO-1").payments == {}
