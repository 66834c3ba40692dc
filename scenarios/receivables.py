"""What customers owe and what they paid: days sales outstanding and unapplied cash.

Theory of operation. An invoice is a credit sale when it is posted (InvoicePosted); it is
outstanding until payments applied to it (PaymentApplied) and credit memos against it
(CreditMemoIssued) bring its open balance to 0. A payment is cash from the moment it arrives
in the bank (``received``); it is unapplied until the hub applies it to its invoice.

- ``days_sales_outstanding`` is the collected amount's mean age at collection, weighted by
  amount: sum(amount x days from invoice posted to payment applied) / sum(amount). In a steady
  state where the run's day repeats, receivables = credit sales per day x that age (Little's
  law), so it is the standard DSO, receivables / credit sales x days. Credit memos leave both
  sums (credit sales are net of them); what is still open when the run ends counts as
  collected at the end, so a run cut short understates it rather than forgetting it.
- ``unapplied_cash`` is the unapplied balance that day would carry: sum(amount x time
  unapplied) / the length of the arrival window, by the same law.
- ``unapplied_days_mean`` is how long a payment that waited for matching waited, mean.

Only invoices of orders the measures count (placed after warm-up) are measured; per-invoice
facts leave when the invoice is settled, so memory follows what is outstanding.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal

from reference.domain.events import Event
from reference.domain.events import EventType as E

DAY = 86400.0
KPIS = ("days_sales_outstanding", "unapplied_cash", "unapplied_days_mean", "credit_memos")


def unmeasured() -> dict[str, float]:
    """The receivables KPIs of a run that simulates no payments: n/a."""
    return dict.fromkeys(KPIS, math.nan)


class Receivables:
    """Streams the run's invoices, payments and credit memos; ``measured(order_id)`` says
    whether an order counts. ``arrivals`` is the length of the arrival window in seconds."""

    def __init__(self, measured: Callable[[str], bool], arrivals: float) -> None:
        self.measured = measured
        self.arrivals = arrivals
        self.open: dict[str, tuple[float, Decimal]] = {}  # invoice id -> posted at, balance
        self.arrived: dict[str, float] = {}  # payment id -> when its cash reached the bank
        self.collected = 0.0  # sum of amounts collected
        self.collected_age = 0.0  # sum of amount x seconds from invoice to payment applied
        self.unapplied_age = 0.0  # sum of amount x seconds from arrival to application
        self.waits: list[float] = []  # seconds each payment that waited for matching waited
        self.memos = 0
        self.handlers: dict[E, Callable[[Event, float], None]] = {
            E.INVOICE_POSTED: self._posted,
            E.PAYMENT_APPLIED: self._applied,
            E.CREDIT_MEMO_ISSUED: self._credited,
        }

    # --- what happens ---------------------------------------------------------------------
    def invoiced(self, invoice_id: str, total: Decimal, at: float) -> None:
        self.open[invoice_id] = (at, total)

    def received(self, payment_id: str, at: float) -> None:
        """A payment's cash reached the bank at ``at`` (applied then, or matched later)."""
        self.arrived[payment_id] = at

    def applied(self, invoice_id: str, payment_id: str, amount: Decimal, at: float) -> None:
        arrived = self.arrived.pop(payment_id, at)
        invoice = self.open.get(invoice_id)
        if invoice is None:
            return  # not measured
        cash = float(amount)
        self.collected += cash
        self.collected_age += cash * (at - invoice[0])
        if at > arrived:
            self.unapplied_age += cash * (at - arrived)
            self.waits.append(at - arrived)
        self._settle(invoice_id, amount)

    def credited(self, invoice_id: str, amount: Decimal) -> None:
        if invoice_id in self.open:
            self.memos += 1
            self._settle(invoice_id, amount)

    def _settle(self, invoice_id: str, amount: Decimal) -> None:
        posted, balance = self.open[invoice_id]
        if balance - amount > 0:
            self.open[invoice_id] = (posted, balance - amount)
        else:
            del self.open[invoice_id]

    # --- from the hub's events ------------------------------------------------------------
    def on_event(self, event: Event, now: float) -> None:
        handler = self.handlers.get(event.type)
        if handler is not None:
            handler(event, now)

    def _posted(self, event: Event, now: float) -> None:
        if self.measured(event.subject):
            self.invoiced(str(event.data["invoice_id"]), Decimal(event.data["total"]), now)

    def _applied(self, event: Event, now: float) -> None:
        data = event.data
        amount = Decimal(data["amount"])
        self.applied(str(data["invoice_id"]), str(data["payment_id"]), amount, now)

    def _credited(self, event: Event, now: float) -> None:
        data = event.data
        self.credited(str(data["invoice_id"]), Decimal(data["amount"]))

    # --- the KPIs -------------------------------------------------------------------------
    def kpis(self, end: float) -> dict[str, float]:
        """The KPIs at ``end``, what is still open counted as collected then."""
        amount, age = self.collected, self.collected_age
        for posted, balance in self.open.values():
            amount += float(balance)
            age += float(balance) * (end - posted)
        return {
            "days_sales_outstanding": age / amount / DAY if amount > 0 else math.nan,
            "unapplied_cash": self.unapplied_age / self.arrivals,
            "unapplied_days_mean": (
                math.fsum(self.waits) / len(self.waits) / DAY if self.waits else math.nan
            ),
            "credit_memos": float(self.memos),
        }
