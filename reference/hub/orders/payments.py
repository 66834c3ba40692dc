"""Payments applied to an order's invoices, and the credit exposure they release.

Theory of operation. Exposure is what a customer owes or has committed to owe: the open value
of accepted orders (at their prices) plus the unpaid balance of posted invoices. Posting an
invoice moves its lines from the first to the second and adds its tax; a payment applied to an
invoice releases exactly its amount. A payment is applied once (by payment id), in the
invoice's currency, and never for more than the invoice's open balance: the hub refuses the
rest as PaymentRefused naming the field, before anything changes.
"""

from __future__ import annotations

from decimal import Decimal

from reference.domain.errors import DomainError
from reference.domain.events import EventType as E
from reference.domain.lifecycle import State
from reference.hub.effects import ApplyPayment, Decision
from reference.hub.state import HubState, OrderSaga


class InvoiceDocumentRefused(DomainError):
    """A document posted against an invoice (a payment, a credit memo) that the hub cannot
    apply; ``field`` is the request field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class PaymentRefused(InvoiceDocumentRefused):
    """A payment the hub cannot apply."""


def credited(saga: OrderSaga, invoice_id: str) -> Decimal:
    """What of the invoice credit memos have credited so far."""
    return sum((a for inv, a in saga.credit_memos.values() if inv == invoice_id), Decimal(0))


def open_balance(saga: OrderSaga, invoice_id: str) -> Decimal:
    """What of the invoice is still owed: its total less payments and credit memos (negative
    when a credit memo came after payment: the distributor owes the customer)."""
    paid = sum((a for inv, a in saga.payments.values() if inv == invoice_id), Decimal(0))
    return saga.invoice_totals[invoice_id] - paid - credited(saga, invoice_id)


def apply_payment(state: HubState, saga: OrderSaga, payment: ApplyPayment, now: float) -> Decision:
    if payment.payment_id in saga.payments:
        return Decision()  # applied once: a repeated delivery changes nothing
    if payment.invoice_id not in saga.invoice_totals:
        raise PaymentRefused(
            "invoice_id", f"{payment.invoice_id!r} is not an invoice of order {saga.order_id}"
        )
    if payment.currency != saga.currency:
        raise PaymentRefused(
            "currency",
            f"{payment.currency!r} differs from the invoice's currency {saga.currency!r}",
        )
    balance = open_balance(saga, payment.invoice_id)
    if not Decimal(0) < payment.amount <= balance:
        raise PaymentRefused(
            "amount", f"{payment.amount} is not between 0 and the open balance {balance}"
        )
    saga.payments[payment.payment_id] = (payment.invoice_id, payment.amount)
    customer = saga.customer_id
    state.exposure[customer] = state.exposure.get(customer, Decimal(0)) - payment.amount
    decision = Decision(
        events=[
            saga.event(
                E.PAYMENT_APPLIED,
                now,
                payment_id=payment.payment_id,
                invoice_id=payment.invoice_id,
                amount=str(payment.amount),
                currency=payment.currency,
                open_balance=str(balance - payment.amount),
            )
        ]
    )
    settled = all(open_balance(saga, inv) <= 0 for inv in saga.invoice_totals)
    if settled and saga.state is State.CLOSED:
        paid = sum((a for _, a in saga.payments.values()), Decimal(0))
        decision.events.append(
            saga.event(E.ORDER_PAID, now, invoices=len(saga.invoice_totals), paid=str(paid))
        )
    return decision
