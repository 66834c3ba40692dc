"""Payments applied to posted invoices, from finance or a bank feed, with Idempotency-Key."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body

from reference.api_v1 import PaymentCreate, PaymentPublic
from reference.hub import ApplyPayment, PaymentRefused
from reference.service.api import idempotent
from reference.service.api.deps import (
    IDEMPOTENCY_KEY_DOC,
    CorrelationDep,
    IdempotencyKey,
    PrincipalDep,
    RuntimeDep,
)
from reference.service.api.problems import problem_body, responses
from reference.service.persistence import queries
from reference.service.runtime import in_thread

router = APIRouter(prefix="/v1/payments", tags=["payments"])


@router.post(
    "",
    status_code=201,
    operation_id="applyPayment",
    response_model=PaymentPublic,
    responses=responses(400, 409, 413, 422),
    openapi_extra=IDEMPOTENCY_KEY_DOC,
)
async def apply_payment(
    payment: Annotated[PaymentCreate, Body()],
    principal: PrincipalDep,
    runtime: RuntimeDep,
    correlation_id: CorrelationDep,
    key: IdempotencyKey,
) -> Any:
    """Apply a payment to a posted invoice: once, in the invoice's currency, for at most its
    open balance. It releases exactly its amount of the customer's credit exposure; 422 names
    the field when the hub cannot apply it (an unknown invoice, another currency, too much)."""

    async def work(payment_id: str) -> idempotent.Outcome:
        invoice = await in_thread(queries.invoice, runtime.db, payment.invoice_id)
        if invoice is None:
            return _refused(payment_id, "invoice_id", f"no posted invoice {payment.invoice_id!r}")
        message = ApplyPayment(
            str(invoice["order_id"]),
            payment_id,
            payment.invoice_id,
            payment.amount,
            payment.currency,
            correlation_id,
        )
        try:
            applied = await runtime.apply(message)
        except PaymentRefused as refused:
            return _refused(payment_id, refused.field, refused.message)
        event = next(e for e in applied.decision.events if e.type == "PaymentApplied")
        return idempotent.Outcome(
            201,
            {
                "payment_id": payment_id,
                "invoice_id": payment.invoice_id,
                "order_id": str(invoice["order_id"]),
                "customer_id": str(invoice["customer_id"]),
                "amount": str(payment.amount),
                "currency": payment.currency,
                "open_balance": event.data["open_balance"],
            },
        )

    return await idempotent.run(
        runtime,
        principal,
        key,
        "applyPayment",
        payment.model_dump(mode="json"),
        f"PAY-{uuid.uuid4().hex[:12]}",
        work,
    )


def _refused(payment_id: str, field: str, message: str) -> idempotent.Outcome:
    """A refusal is an answer, stored under its key like a success: a retry gets it again."""
    body = problem_body(
        422,
        f"The payment was refused: {field}: {message}",
        "/v1/payments",
        kind="payment-refused",
        errors=[(field, message)],
        payment_id=payment_id,
    )
    return idempotent.Outcome(422, body)
