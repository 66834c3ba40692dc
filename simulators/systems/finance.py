"""Finance: files posted invoices and credit memos as balanced journals in its general ledger,
per legal entity and posting period, and refuses postings into a closed period."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from reference.domain.ledger import (
    REVENUE,
    TAX_PAYABLE,
    Journal,
    PeriodClosed,
    credit_memo_journal,
    credit_split,
    invoice_journal,
)
from reference.hub.protocol import Operation
from simulators.systems.base import Rejected, unsupported

DEFAULT_ENTITY = "US01"
DEFAULT_PERIOD = "2026-01"


@dataclass(slots=True)
class Finance:
    """``period`` is the open period postings without one of their own go to (credit memos);
    an invoice posts in the period the ERP gave it. ``closed`` holds (entity, period) pairs."""

    name: str = "finance"
    journals: dict[str, Journal] = field(default_factory=dict)
    period: str = DEFAULT_PERIOD
    closed: set[tuple[str, str]] = field(default_factory=set)

    def handle(self, operation: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        if operation == Operation.RECORD_INVOICE:
            return self._record_invoice(payload)
        if operation == Operation.RECORD_CREDIT_MEMO:
            return self._record_credit_memo(payload)
        raise unsupported(self.name, operation)

    def close(self, entity: str, period: str) -> None:
        self.closed.add((entity, period))

    def _open(self, operation: str, entity: str, period: str) -> None:
        if (entity, period) in self.closed:
            raise Rejected(self.name, operation, str(PeriodClosed(entity, period, self.period)))

    def _record_invoice(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        journal_id = f"JE-{payload['invoice_id']}"
        if journal_id not in self.journals:  # invoices arrive at least once
            entity = str(payload.get("entity", DEFAULT_ENTITY))
            period = str(payload.get("period", self.period))
            self._open(Operation.RECORD_INVOICE, entity, period)
            self.journals[journal_id] = invoice_journal(
                journal_id,
                Decimal(payload["net"]),
                Decimal(payload["tax"]),
                str(payload["currency"]),
                entity,
                period,
            )
        return {"journal_id": journal_id}

    def _record_credit_memo(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """The invoice's journal reversed by the credit's amount, tax in the invoice's
        proportion, in the invoice's entity and the open period."""
        journal_id = f"JE-{payload['credit_memo_id']}"
        if journal_id in self.journals:  # credit memos arrive at least once
            return {"journal_id": journal_id}
        invoice = self.journals.get(f"JE-{payload['invoice_id']}")
        if invoice is None:
            raise Rejected(
                self.name,
                Operation.RECORD_CREDIT_MEMO,
                f"no journal for invoice {payload['invoice_id']!r}: record the invoice first",
            )
        self._open(Operation.RECORD_CREDIT_MEMO, invoice.entity, self.period)
        revenue = sum((ln.credit for ln in invoice.lines if ln.account == REVENUE), Decimal(0))
        tax = sum((ln.credit for ln in invoice.lines if ln.account == TAX_PAYABLE), Decimal(0))
        currency = str(payload["currency"])
        net, credit_tax = credit_split(Decimal(payload["amount"]), revenue, tax, currency)
        self.journals[journal_id] = credit_memo_journal(
            journal_id, net, credit_tax, currency, invoice.entity, self.period
        )
        return {"journal_id": journal_id}

    def trial_balance(self) -> dict[str, Decimal]:
        """Account -> debit minus credit; sums to zero when every journal balances."""
        balance: dict[str, Decimal] = defaultdict(Decimal)
        for journal in self.journals.values():
            for line in journal.lines:
                balance[line.account] += line.debit - line.credit
        return dict(balance)

    def trial_balances(self) -> dict[tuple[str, str], dict[str, Decimal]]:
        """(entity, period) -> account -> debit minus credit: the books of each entity and
        period, each of which sums to zero when the ledger is right."""
        books: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for journal in self.journals.values():
            book = books[(journal.entity, journal.period)]
            for line in journal.lines:
                book[line.account] += line.debit - line.credit
        return {key: dict(book) for key, book in books.items()}
