"""Credit memos lower what is owed by exactly their amount, once, and finance reverses the
invoice's journal in part."""

from __future__ import annotations

from decimal import Decimal

import pytest
from small_distributor import order

from reference.hub import (
    ApplyPayment,
    CreditMemoRefused,
    CreditReason,
    IssueCreditMemo,
    PlaceOrder,
)

ATL, PIPE = "DC-ATL", "PIPE-COPPER-15MM"
RETURN, SHORT = CreditReason.RETURN, CreditReason.SHORT_SHIPMENT


def _invoiced(driver_for):
    driver = driver_for({(ATL, PIPE): 50})
    driver.send(PlaceOrder(order((PIPE, 10)), "SO-1", "c"))
    (invoice,) = driver.systems["erp"].invoices.values()
    return driver, invoice["invoice_id"], Decimal(invoice["total"])


def _memo(invoice_id, amount, memo_id="CM-1", reason=RETURN, currency="USD"):
    return IssueCreditMemo("SO-1", memo_id, invoice_id, reason, Decimal(amount), currency)


def test_a_credit_memo_lowers_the_balance_and_exposure_by_its_amount_once(driver_for):
    driver, invoice_id, total = _invoiced(driver_for)
    assert total == Decimal("133.92")  # 124.00 net and 9.92 tax
    memo = _memo(invoice_id, "26.78")  # two of ten pipes came back: 24.80 and 1.98 tax
    driver.send(memo)
    driver.send(memo)  # a repeated delivery is applied once
    assert driver.hub.state.exposure["ACME-PLUMBING"] == total - Decimal("26.78")
    (issued,) = [dict(e.data) for e in driver.events if e.type == "CreditMemoIssued"]
    assert issued == {
        "credit_memo_id": "CM-1",
        "invoice_id": invoice_id,
        "reason": "return",
        "amount": "26.78",
        "currency": "USD",
        "open_balance": "107.14",
    }
    journal = driver.systems["finance"].journals["JE-CM-1"]
    assert [(ln.account, ln.debit, ln.credit) for ln in journal.lines] == [
        ("4000-REVENUE", Decimal("24.80"), 0),
        ("2200-TAX", Decimal("1.98"), 0),
        ("1200-AR", 0, Decimal("26.78")),
    ]


def test_paying_the_rest_after_a_credit_pays_the_order(driver_for):
    driver, invoice_id, total = _invoiced(driver_for)
    driver.send(_memo(invoice_id, "13.39", reason=SHORT))
    rest = total - Decimal("13.39")
    driver.send(ApplyPayment("SO-1", "PAY-1", invoice_id, rest, "USD"))
    assert driver.hub.state.exposure["ACME-PLUMBING"] == 0
    assert driver.types("SO-1")[-2:] == ["PaymentApplied", "OrderPaid"]


def test_credit_after_payment_leaves_the_distributor_owing_the_customer(driver_for):
    driver, invoice_id, total = _invoiced(driver_for)
    driver.send(ApplyPayment("SO-1", "PAY-1", invoice_id, total, "USD"))
    driver.send(_memo(invoice_id, "10.00"))
    assert driver.hub.state.exposure["ACME-PLUMBING"] == Decimal("-10.00")
    issued = next(e for e in driver.events if e.type == "CreditMemoIssued")
    assert issued.data["open_balance"] == "-10.00"


@pytest.mark.parametrize(
    ("invoice", "amount", "currency", "field"),
    [
        ("INV-NOPE", "1.00", "USD", "invoice_id"),
        (None, "1.00", "EUR", "currency"),
        (None, "133.93", "USD", "amount"),
        (None, "0", "USD", "amount"),
    ],
)
def test_a_credit_memo_the_hub_cannot_apply_changes_nothing(
    driver_for, invoice, amount, currency, field
):
    driver, invoice_id, total = _invoiced(driver_for)
    memo = _memo(invoice or invoice_id, amount, currency=currency)
    with pytest.raises(CreditMemoRefused) as refused:
        driver.hub.decide(memo, 1.0)
    assert refused.value.field == field
    assert driver.hub.state.exposure["ACME-PLUMBING"] == total
    assert driver.hub.saga("SO-1").credit_memos == {}


def test_credits_never_add_up_to_more_than_the_invoice(driver_for):
    driver, invoice_id, _ = _invoiced(driver_for)
    driver.send(_memo(invoice_id, "100.00"))
    with pytest.raises(CreditMemoRefused, match=r"not yet credited, 33\.92"):
        driver.hub.decide(_memo(invoice_id, "33.93", memo_id="CM-2"), 2.0)
    driver.send(_memo(invoice_id, "33.92", memo_id="CM-2"))
    assert driver.hub.state.exposure["ACME-PLUMBING"] == 0
