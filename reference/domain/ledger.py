"""Ledger rules: every journal balances; an invoice posts AR against revenue and tax, and a credit
memo reverses part of it. A journal belongs to one legal entity and one posting period, so the
books balance per entity and per period, and a closed period takes no more postings."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from reference.domain.errors import DomainError, UnbalancedJournal
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
    entity: str = ""  # the legal entity whose books it is in
    period: str = ""  # the posting period, "YYYY-MM"

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


def invoice_journal(
    journal_id: str,
    net: Decimal,
    tax: Decimal,
    currency: str,
    entity: str = "",
    period: str = "",
) -> Journal:
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
            entity=entity,
            period=period,
        )
    )


def credit_split(
    amount: Decimal, invoice_net: Decimal, invoice_tax: Decimal, currency: str
) -> tuple[Decimal, Decimal]:
    """(net, tax) of a credit of ``amount`` (tax included) against an invoice: tax in the
    invoice's proportion, rounded to the currency, and net the rest, so the two sum to it."""
    total = invoice_net + invoice_tax
    tax = quantize(amount * invoice_tax / total, currency) if total else Decimal(0)
    return amount - tax, tax


def credit_memo_journal(
    journal_id: str,
    net: Decimal,
    tax: Decimal,
    currency: str,
    entity: str = "",
    period: str = "",
) -> Journal:
    """The invoice's journal reversed in part: Dr revenue (net); Dr tax payable (tax); Cr AR
    control (net + tax)."""
    return balanced(
        Journal(
            journal_id=journal_id,
            currency=currency,
            lines=(
                JournalLine(REVENUE, debit=net),
                JournalLine(TAX_PAYABLE, debit=tax),
                JournalLine(AR_CONTROL, credit=net + tax),
            ),
            entity=entity,
            period=period,
        )
    )


class PeriodClosed(DomainError):
    """A posting into a period that is closed for the entity; it names both, and the way out."""

    def __init__(self, entity: str, period: str, open_period: str) -> None:
        super().__init__(
            f"posting period {period} is closed for entity {entity}: post in an open period "
            f"(now {open_period}) or reopen {period}"
        )
        self.entity, self.period = entity, period
