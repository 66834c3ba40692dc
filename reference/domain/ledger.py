"""Ledger rules: every journal balances; an invoice posts AR against revenue and tax."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from reference.domain.errors import UnbalancedJournal
from reference.domain.money import quantize

AR_CONTROL = "1200-AR"
REVENUE = "4000-REVENUE"
TAX_PAYABLE = "2200-TAX"
CASH = "1000-CASH"


@dataclass(frozen=True, slots=True)
class JournalLine:
    account: str
    debit: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class Journal:
    journal_id: str
    currency: str
    lines: tuple[JournalLine, ...]

    def debits(self) -> Decimal:
        return sum((line.debit for line in self.lines), Decimal(0))

    def credits(self) -> Decimal:
        return sum((line.credit for line in self.lines), Decimal(0))

    def is_balanced(self) -> bool:
        return self.debits() == self.credits()


def balanced(journal: Journal) -> Journal:
    """The journal itself, or UnbalancedJournal: nothing unbalanced is ever posted."""
    if not journal.is_balanced():
        raise UnbalancedJournal(journal.journal_id, journal.debits(), journal.credits())
    return journal


def invoice_amounts(
    net: Decimal, tax_rate: Decimal, currency: str
) -> tuple[Decimal, Decimal, Decimal]:
    """(net, tax, total) rounded to the currency; total is their sum, so the journal ties."""
    net_r = quantize(net, currency)
    tax = quantize(net * tax_rate, currency)
    return net_r, tax, net_r + tax


def invoice_journal(journal_id: str, net: Decimal, tax: Decimal, currency: str) -> Journal:
    """Dr AR control (total); Cr revenue (net); Cr tax payable (tax)."""
    return balanced(
        Journal(
            journal_id=journal_id,
            currency=currency,
            lines=(
                JournalLine(AR_CONTROL, debit=net + tax),
                JournalLine(REVENUE, credit=net),
                JournalLine(TAX_PAYABLE, credit=tax),
            ),
        )
    )
