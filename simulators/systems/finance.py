"""Finance: receives posted invoices and keeps balanced journals in its general ledger."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from reference.domain.ledger import Journal, invoice_journal
from reference.hub.protocol import Operation
from simulators.systems.base import unsupported


@dataclass(slots=True)
class Finance:
    name: str = "finance"
    journals: dict[str, Journal] = field(default_factory=dict)

    def handle(self, operation: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        if operation != Operation.RECORD_INVOICE:
            raise unsupported(self.name, operation)
        journal_id = f"JE-{payload['invoice_id']}"
        if journal_id not in self.journals:  # invoices arrive at least once
            self.journals[journal_id] = invoice_journal(
                journal_id,
                Decimal(payload["net"]),
                Decimal(payload["tax"]),
                str(payload["currency"]),
            )
        return {"journal_id": journal_id}

    def trial_balance(self) -> dict[str, Decimal]:
        """Account -> debit minus credit; sums to zero when every journal balances."""
        balance: dict[str, Decimal] = defaultdict(Decimal)
        for journal in self.journals.values():
            for line in journal.lines:
                balance[line.account] += line.debit - line.credit
        return dict(balance)
