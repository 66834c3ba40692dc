"""Customers paying their invoices in virtual time, and the ERP crediting what arrived short.

Theory of operation. When the hub posts an invoice (InvoicePosted), its customer's behaviour
is drawn from the run seed (``scenarios.sections.PaymentsSpec``):

- the payment arrives ``days_to_pay`` after the invoice; with a usable remittance reference
  it is applied at once, without one (``unmatched_share``) the cash waits, unapplied, until it
  is matched ``matching_delay`` later;
- a claimed invoice (``short_receipt_rate``: one unit of one line never arrived) is credited
  ``claim_delay`` after posting: the ERP raises a short-shipment credit memo
  (``Erp.credit_short_receipt``), and the customer pays the invoice less the memo, not before
  the memo is issued.

Memos and payments reach the hub as the service's POST /v1/credit-memos and POST /v1/payments
do, as IssueCreditMemo and ApplyPayment, through the SimPy ports (``SimPorts.later``), the
driver and the one interpreter. Each invoice draws from a stream of its own (by invoice id),
every question whatever the answers before it, so variants share their draws.
An order is kept in the hub until it is paid (``World``), so every payment finds its invoice.
"""

from __future__ import annotations

from decimal import Decimal

from reference.domain.events import Event
from reference.domain.events import EventType as E
from reference.hub import ApplyPayment, CreditReason, IssueCreditMemo
from scenarios.receivables import Receivables
from scenarios.sections import PaymentsSpec
from simulators.behavior.streams import spawn_stream
from simulators.sim.ports import SimPorts
from simulators.systems.erp import Erp

SETTLE = 3600.0  # after the last payment is applied: a memo's finance call has long finished


class Collections:
    def __init__(
        self,
        spec: PaymentsSpec,
        seed: int,
        erp: Erp,
        ports: SimPorts,
        receivables: Receivables,
    ) -> None:
        self.spec = spec
        self.days_to_pay = spec.days_to_pay.build()
        self.matching = spec.matching_delay.build()
        self.claim_delay = spec.claim_delay.build()
        self.seed = seed
        self.erp = erp
        self.ports = ports
        self.receivables = receivables
        self.last_due = 0.0  # when the last payment drawn so far is applied

    def on_event(self, event: Event, now: float) -> None:
        if event.type is E.INVOICE_POSTED:
            self._plan(event, now)

    def _plan(self, event: Event, now: float) -> None:
        spec = self.spec
        invoice_id = str(event.data["invoice_id"])
        # the invoice's own stream: its customer behaves the same in every variant, whatever
        # order the invoices of the day are posted in (a stream costs some 30 us an invoice)
        rng = spawn_stream(self.seed, f"payments:{invoice_id}")
        pay_at = now + self.days_to_pay.sample(rng)
        claimed = rng.random() < spec.short_receipt_rate
        claim_at = now + self.claim_delay.sample(rng)
        pick = rng.random()
        unmatched = rng.random() < spec.unmatched_share
        matching = self.matching.sample(rng)
        memo: list[str] = []  # the memo's id, once the ERP has raised it
        line_no = self._short_line(invoice_id, pick) if claimed else None
        if line_no is not None:
            self.ports.later(claim_at - now, lambda: self._credit(event, invoice_id, line_no, memo))
            pay_at = max(pay_at, claim_at)  # a disputed invoice is paid once it is credited
        apply_at = pay_at + (matching if unmatched else 0.0)
        payment_id = f"PAY-{invoice_id}"
        self.receivables.received(payment_id, pay_at)
        self.ports.later(apply_at - now, lambda: self._pay(event, invoice_id, payment_id, memo))
        self.last_due = max(self.last_due, apply_at)

    def _short_line(self, invoice_id: str, pick: float) -> int | None:
        """The line a claim says arrived a unit short, or None for an invoice of one unit
        (crediting it whole would leave nothing to pay)."""
        lines = self.erp.invoices[invoice_id]["lines"]
        if sum(int(ln["quantity"]) for ln in lines) < 2:
            return None
        return int(lines[int(pick * len(lines))]["line_no"])

    def _credit(
        self, posted: Event, invoice_id: str, line_no: int, memo: list[str]
    ) -> IssueCreditMemo:
        raised = self.erp.credit_short_receipt(invoice_id, line_no, 1)
        memo.append(str(raised["credit_memo_id"]))
        return IssueCreditMemo(
            posted.subject,
            memo[0],
            invoice_id,
            CreditReason.SHORT_SHIPMENT,
            Decimal(raised["amount"]),
            str(raised["currency"]),
            posted.correlation_id,
        )

    def _pay(
        self, posted: Event, invoice_id: str, payment_id: str, memo: list[str]
    ) -> ApplyPayment:
        """The customer pays what the invoice bills less what the ERP credited on it."""
        # paid, the memo leaves the ERP's working set, as an archived order's invoices do
        credited = sum((Decimal(self.erp.credit_memos.pop(m)["amount"]) for m in memo), Decimal(0))
        return ApplyPayment(
            posted.subject,
            payment_id,
            invoice_id,
            Decimal(posted.data["total"]) - credited,
            str(posted.data["currency"]),
            posted.correlation_id,
        )

    def collect(self) -> None:
        """Go on, after the order day, until the last payment drawn is applied (payments drawn
        meanwhile, for invoices posted late, included)."""
        env = self.ports.env
        while env.now < self.last_due + SETTLE:
            env.run(until=self.last_due + SETTLE)
