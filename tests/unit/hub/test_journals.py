"""Journals per legal entity and posting period: each entity's period balances, and a closed
period refuses a posting with a reason that names it, which the hub dead-letters."""

from __future__ import annotations

from decimal import Decimal

from small_distributor import order

from reference.hub import CreditReason, IssueCreditMemo, PlaceOrder, ReplayDeadLetter

ATL, PIPE = "DC-ATL", "PIPE-COPPER-15MM"


def test_an_invoice_and_its_credit_balance_in_each_entity_and_period(driver_for):
    driver = driver_for({(ATL, PIPE): 50})
    driver.send(PlaceOrder(order((PIPE, 10)), "SO-1", "c"))  # January: 133.92
    erp, finance = driver.systems["erp"], driver.systems["finance"]
    (invoice_id,) = erp.invoices
    finance.period = "2026-02"  # the goods come back in February
    memo = IssueCreditMemo("SO-1", "CM-1", invoice_id, CreditReason.RETURN, Decimal("26.78"), "USD")
    driver.send(memo)
    books = finance.trial_balances()
    assert books == {
        ("US01", "2026-01"): {
            "1200-AR": Decimal("133.92"),
            "4000-REVENUE": Decimal("-124.00"),
            "2200-TAX": Decimal("-9.92"),
        },
        ("US01", "2026-02"): {
            "4000-REVENUE": Decimal("24.80"),
            "2200-TAX": Decimal("1.98"),
            "1200-AR": Decimal("-26.78"),
        },
    }
    assert all(sum(book.values()) == 0 for book in books.values())


def test_a_closed_period_refuses_the_posting_naming_the_period_and_it_is_dead_lettered(
    driver_for,
):
    driver = driver_for({(ATL, PIPE): 50})
    finance = driver.systems["finance"]
    finance.close("US01", "2026-01")
    driver.send(PlaceOrder(order((PIPE, 10)), "SO-1", "c"))
    (letter,) = driver.dead_letters
    assert letter.call.operation == "record_invoice"
    assert "posting period 2026-01 is closed for entity US01" in letter.reason
    dead = next(e for e in driver.events if e.type == "MessageDeadLettered")
    assert "2026-01 is closed" in dead.data["reason"]
    assert finance.journals == {}
    assert driver.hub.saga("SO-1").state.value == "closed"  # the order itself is done

    finance.closed.clear()  # the period is reopened: replaying the letter posts the journal
    driver.send(ReplayDeadLetter(letter.call))
    assert list(finance.journals) == [f"JE-{letter.call.payload['invoice_id']}"]
