"""Credit memos the ERP raised against an order's invoices, for returns and short shipments.

Theory of operation. The ERP owns commercial documents: it raises a credit memo when goods come
back or a customer received fewer units than it was invoiced for, and the hub carries it. A
credit memo credits an amount (tax included) of one invoice, in the invoice's currency, never
more than what of the invoice is not yet credited; it is applied once, by credit memo id, and
what the hub cannot apply is CreditMemoRefused naming the field, before anything changes.

It lowers what the customer owes: the invoice's open balance (total - payments - credits) and
the customer's credit exposure fall by exactly its amount. Credit on an invoice already paid
leaves a negative open balance, money the distributor owes back, and exposure falls all the
same. Finance is told (record_credit_memo) so the ledger reverses the invoice's journal in part.
"""

from __future__ import annotations

from decimal import Decimal

from reference.domain.events import EventType as E
from reference.hub.effects import Decision, IssueCreditMemo
from reference.hub.orders.calls import call
from reference.hub.orders.payments import InvoiceDocumentRefused, credited, open_balance
from reference.hub.protocol import Operation
from reference.hub.state import HubState, OrderSaga


class CreditMemoRefused(InvoiceDocumentRefused):
    """A credit memo the hub cannot apply."""


def issue_credit_memo(
    state: HubState, saga: OrderSaga, memo: IssueCreditMemo, now: float
) -> Decision:
    if memo.credit_memo_id in saga.credit_memos:
        return Decision()  # applied once: a repeated delivery changes nothing
    if memo.invoice_id not in saga.invoice_totals:
        raise CreditMemoRefused(
            "invoice_id", f"{memo.invoice_id!r} is not an invoice of order {saga.order_id}"
        )
    if memo.currency != saga.currency:
        raise CreditMemoRefused(
            "currency", f"{memo.currency!r} differs from the invoice's currency {saga.currency!r}"
        )
    creditable = saga.invoice_totals[memo.invoice_id] - credited(saga, memo.invoice_id)
    if not Decimal(0) < memo.amount <= creditable:
        raise CreditMemoRefused(
            "amount",
            f"{memo.amount} is not between 0 and what of the invoice is not yet credited, "
            f"{creditable}",
        )
    saga.credit_memos[memo.credit_memo_id] = (memo.invoice_id, memo.amount)
    customer = saga.customer_id
    state.exposure[customer] = state.exposure.get(customer, Decimal(0)) - memo.amount
    payload = {
        "credit_memo_id": memo.credit_memo_id,
        "invoice_id": memo.invoice_id,
        "order_id": saga.order_id,
        "customer_id": customer,
        "reason": memo.reason.value,
        "amount": str(memo.amount),
        "currency": memo.currency,
    }
    return Decision(
        events=[
            saga.event(
                E.CREDIT_MEMO_ISSUED,
                now,
                credit_memo_id=memo.credit_memo_id,
                invoice_id=memo.invoice_id,
                reason=memo.reason.value,
                amount=str(memo.amount),
                currency=memo.currency,
                open_balance=str(open_balance(saga, memo.invoice_id)),
            )
        ],
        effects=[
            call(
                saga,
                "finance",
                Operation.RECORD_CREDIT_MEMO,
                payload,
                about=memo.credit_memo_id,
            )
        ],
    )
