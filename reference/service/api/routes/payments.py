"""Payments applied to posted invoices, from finance or a bank feed, with Idempotency-Key."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Body

from reference.api_v1 import PaymentCreate, PaymentPublic
from reference.hub import ApplyPayment
from reference.service.api import idempotent
from reference.service.api.deps import (
    IDEMPOTENCY_KEY_DOC,
    CorrelationDep,
    IdempotencyKey,
    PrincipalDep,
    RuntimeDep,
)
from reference.service.api.invoices import InvoiceDocument
from reference.service.api.problems import responses

router = APIRouter(prefix="/v1/payments", tags=["payments"])
PAYMENT = InvoiceDocument("payment", "/v1/payments", "payment_id", "PaymentApplied")


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
        def message(invoice: Mapping[str, Any]) -> ApplyPayment:
            return ApplyPayment(
                str(invoice["order_id"]),
                payment_id,
                payment.invoice_id,
                payment.amount,
                payment.currency,
                correlation_id,
            )

        echoed = {"amount": str(payment.amount), "currency": payment.currency}
        return await PAYMENT.post(runtime, payment_id, payment.invoice_id, message, echoed)

    return await idempotent.run(
        runtime,
        principal,
        key,
        "applyPayment",
        payment.model_dump(mode="json"),
        f"PAY-{uuid.uuid4().hex[:12]}",
        work,
    )
