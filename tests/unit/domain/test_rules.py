"""Money, availability, idempotency and ledger rules of the canonical domain."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from reference.domain.availability import Inventory, StockPosition, available_for_channel
from reference.domain.errors import InvalidMoney, UnbalancedJournal
from reference.domain.idempotency import IdempotencyRecord, Verdict, fingerprint, judge
from reference.domain.ledger import Journal, JournalLine, balanced, invoice_amounts, invoice_journal
from reference.domain.money import Money


def test_money_refuses_to_add_across_currencies():
    with pytest.raises(InvalidMoney, match="USD with EUR"):
        Money(amount=Decimal("1"), currency="USD") + Money(amount=Decimal("1"), currency="EUR")


def test_money_names_a_bad_currency():
    with pytest.raises(ValidationError, match="'usd' is not an ISO 4217 code"):
        Money(amount=Decimal("1"), currency="usd")


def test_money_rounds_half_even_to_the_minor_unit():
    assert Money(amount=Decimal("2.345"), currency="USD").rounded().amount == Decimal("2.34")
    assert Money(amount=Decimal("1234.5"), currency="JPY").rounded().amount == Decimal("1234")


def test_available_to_sell_subtracts_allocated_quarantined_and_safety_stock():
    position = StockPosition(
        on_hand=100, allocated=30, quarantined=5, safety_stock=10, in_transit=50
    )
    assert position.available_to_sell() == 55


def test_available_to_sell_is_never_negative():
    assert StockPosition(on_hand=3, allocated=2, safety_stock=10).available_to_sell() == 0


def test_a_channel_sees_only_its_share():
    assert available_for_channel(StockPosition(on_hand=10), share=0.5) == 5
    with pytest.raises(ValueError, match=r"share\(=1.5\)"):
        available_for_channel(StockPosition(on_hand=10), share=1.5)


def test_allocation_grants_at_most_what_is_sellable():
    inventory = Inventory({("DC-ATL", "BREAKER-20A"): StockPosition(on_hand=7, safety_stock=2)})
    assert inventory.allocate("DC-ATL", "BREAKER-20A", 10) == 5
    assert inventory.available("DC-ATL", "BREAKER-20A") == 0
    inventory.ship("DC-ATL", "BREAKER-20A", 5)
    assert inventory.position("DC-ATL", "BREAKER-20A") == StockPosition(on_hand=2, safety_stock=2)


def test_fingerprint_ignores_key_order_and_number_spelling():
    a = {"order_number": "PO-1", "lines": [{"sku": "X", "unit_price": Decimal("10.50")}]}
    b = {"lines": [{"unit_price": Decimal("10.5"), "sku": "X"}], "order_number": "PO-1"}
    assert fingerprint(a) == fingerprint(b)
    assert fingerprint(a) != fingerprint({**a, "order_number": "PO-2"})


@pytest.mark.parametrize(
    ("key", "record", "verdict"),
    [
        (None, None, Verdict.MISSING_KEY),
        ("", None, Verdict.MISSING_KEY),
        ("k" * 256, None, Verdict.INVALID_KEY),
        ("k-1", None, Verdict.PROCEED),
        ("k-1", IdempotencyRecord("k-1", "other", completed=True), Verdict.MISMATCH),
        ("k-1", IdempotencyRecord("k-1", "fp", completed=False), Verdict.IN_FLIGHT),
        ("k-1", IdempotencyRecord("k-1", "fp", completed=True, status_code=201), Verdict.REPLAY),
    ],
)
def test_idempotency_verdicts_follow_the_draft(key, record, verdict):
    assert judge(key, "fp", record) is verdict


def test_an_invoice_journal_balances_and_ties_to_the_total():
    net, tax, total = invoice_amounts(Decimal("99.995"), Decimal("0.0725"), "USD")
    journal = invoice_journal("JE-1", net, tax, "USD")
    assert journal.is_balanced() and journal.debits() == total == net + tax


def test_an_unbalanced_journal_is_refused_with_both_sides_named():
    journal = Journal(
        "JE-2",
        "USD",
        (
            JournalLine("1200-AR", debit=Decimal("10")),
            JournalLine("4000-REVENUE", credit=Decimal("9")),
        ),
    )
    with pytest.raises(UnbalancedJournal, match="debits 10 != credits 9"):
        balanced(journal)
