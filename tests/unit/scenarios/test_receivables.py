"""Days sales outstanding and unapplied cash, computed by hand and against the standard
formula, and the ERP's short-shipment credit memo."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from reference.domain.events import Event
from reference.domain.events import EventType as E
from scenarios.receivables import DAY, Receivables
from simulators.systems.erp import CustomerRecord, Erp

ELBOWS, VALVES = "INV-SH-SO-0000042-DC-ATL", "INV-SH-SO-0000043-DC-RNO"


def meter(arrivals: float = DAY) -> Receivables:
    return Receivables(lambda order_id: order_id != "SO-WARMUP", arrivals)


def test_dso_is_the_mean_days_to_collect_weighted_by_amount() -> None:
    r = meter()
    r.invoiced(ELBOWS, Decimal("100.00"), 0.0)
    r.invoiced(VALVES, Decimal("300.00"), 1 * DAY)
    r.applied(ELBOWS, "PAY-1", Decimal("100.00"), 30 * DAY)
    r.applied(VALVES, "PAY-2", Decimal("300.00"), 11 * DAY)
    # (100 x 30 + 300 x 10) / 400, not the unweighted (30 + 10) / 2
    assert r.kpis(40 * DAY)["days_sales_outstanding"] == pytest.approx(15.0)


def test_what_is_still_open_at_the_end_counts_as_collected_then() -> None:
    r = meter()
    r.invoiced(ELBOWS, Decimal("200.00"), 0.0)
    r.applied(ELBOWS, "PAY-1", Decimal("100.00"), 10 * DAY)
    assert r.kpis(40 * DAY)["days_sales_outstanding"] == pytest.approx((100 * 10 + 100 * 40) / 200)


def test_credit_memos_leave_credit_sales_and_are_counted() -> None:
    r = meter()
    r.invoiced(ELBOWS, Decimal("110.00"), 0.0)
    r.credited(ELBOWS, Decimal("10.00"))
    r.applied(ELBOWS, "PAY-1", Decimal("100.00"), 20 * DAY)
    kpis = r.kpis(60 * DAY)
    assert kpis["days_sales_outstanding"] == pytest.approx(20.0)
    assert kpis["credit_memos"] == 1


def test_cash_applied_on_arrival_was_never_unapplied() -> None:
    r = meter()
    r.invoiced(ELBOWS, Decimal("500.00"), 0.0)
    r.received("PAY-1", 30 * DAY)
    r.applied(ELBOWS, "PAY-1", Decimal("500.00"), 30 * DAY)
    kpis = r.kpis(31 * DAY)
    assert kpis["unapplied_cash"] == 0
    assert math.isnan(kpis["unapplied_days_mean"])


def test_unapplied_cash_is_the_balance_a_repeated_day_would_carry() -> None:
    r = meter(arrivals=DAY)
    r.invoiced(ELBOWS, Decimal("500.00"), 0.0)
    r.invoiced(VALVES, Decimal("250.00"), 0.0)
    r.received("PAY-1", 10 * DAY)
    r.received("PAY-2", 20 * DAY)
    r.applied(ELBOWS, "PAY-1", Decimal("500.00"), 13 * DAY)  # matched three days later
    r.applied(VALVES, "PAY-2", Decimal("250.00"), 20 * DAY)
    kpis = r.kpis(21 * DAY)
    # 500 unapplied for 3 days of every day's cash: 1,500 on the books on an average day
    assert kpis["unapplied_cash"] == pytest.approx(1500.0)
    assert kpis["unapplied_days_mean"] == pytest.approx(3.0)
    assert kpis["days_sales_outstanding"] == pytest.approx((500 * 13 + 250 * 20) / 750)


def event(kind: E, order_id: str, at: float, **data: str) -> Event:
    return Event(f"{order_id}-{kind}", kind, order_id, at, f"corr-{order_id}", data)


def test_the_hubs_events_are_measured_unless_the_order_was_placed_in_warm_up() -> None:
    r = meter()
    warm = "INV-SH-SO-WARMUP-DC-ATL"
    for order_id, invoice, paid in (("SO-0000042", ELBOWS, 5 * DAY), ("SO-WARMUP", warm, 90 * DAY)):
        r.on_event(event(E.INVOICE_POSTED, order_id, 0.0, invoice_id=invoice, total="108.00"), 0.0)
        memo = event(E.CREDIT_MEMO_ISSUED, order_id, DAY, invoice_id=invoice, amount="8.00")
        r.on_event(memo, DAY)
        pay = {"invoice_id": invoice, "payment_id": f"PAY-{invoice}", "amount": "100.00"}
        r.on_event(event(E.PAYMENT_APPLIED, order_id, paid, **pay), paid)
    kpis = r.kpis(90 * DAY)
    assert kpis["days_sales_outstanding"] == pytest.approx(5.0)
    assert kpis["credit_memos"] == 1


def test_in_a_steady_state_it_is_receivables_over_credit_sales_times_days() -> None:
    """The standard DSO, read off the ledger at one moment of a long steady run, against the
    meter's figure over the same invoices."""
    r = meter()
    hour = DAY / 24
    invoices = []  # (posted, amount, paid)
    for i in range(24 * 200):
        posted = i * hour
        days = 15 + (i * 7) % 31  # 15 to 45 days, mean 30
        amount = Decimal(20 * days)  # big invoices are paid slowly: weighted, the mean is 32.67
        paid = posted + days * DAY
        invoices.append((posted, amount, paid))
        r.invoiced(f"INV-{i}", amount, posted)
        r.applied(f"INV-{i}", f"PAY-{i}", amount, paid)
    at = 120 * DAY
    receivables = sum(float(a) for p, a, q in invoices if p <= at < q)
    last_30_days = sum(float(a) for p, a, _ in invoices if at - 30 * DAY < p <= at)
    standard = receivables / last_30_days * 30
    assert standard == pytest.approx(32.67, rel=0.01)  # sum(d^2) / sum(d) for d in 15..45
    assert r.kpis(300 * DAY)["days_sales_outstanding"] == pytest.approx(standard, rel=0.01)


def erp() -> Erp:
    customer = CustomerRecord("C-HARBOR-PLUMBING", Decimal(50_000), Decimal("0.08"))
    erp = Erp(customers={customer.customer_id: customer}, contract_prices={})
    erp.invoices[ELBOWS] = {
        "invoice_id": ELBOWS,
        "order_id": "SO-0000042",
        "customer_id": customer.customer_id,
        "currency": "USD",
        "lines": [{"line_no": 1, "sku": "PIPE-ELBOW-22MM", "quantity": 4, "unit_price": "12.50"}],
        "net": "50.00",
        "tax": "4.00",
        "total": "54.00",
    }
    return erp


def test_the_erp_credits_a_unit_that_never_arrived_at_its_price_with_tax() -> None:
    memo = erp().credit_short_receipt(ELBOWS, line_no=1, missing=1)
    assert memo["amount"] == "13.50"  # 12.50 + 8 % tax
    assert memo["credit_memo_id"] == f"CM-{ELBOWS}-1"
    assert memo["order_id"] == "SO-0000042"


def test_the_erp_refuses_to_credit_more_units_than_were_invoiced() -> None:
    with pytest.raises(ValueError, match="missing\\(=5\\) must be between 1 and the 4 units"):
        erp().credit_short_receipt(ELBOWS, line_no=1, missing=5)
