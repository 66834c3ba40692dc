"""Credit memos the ERP raised for returns and short shipments, with Idempotency-Key."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body

from reference.api_v1 import CreditMemoCreate, CreditMemoPublic
from reference.hub import CreditMemoRefused, CreditReason, IssueCreditMemo
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

router = APIRouter(prefix="/v1/credit-memos", tags=["credit memos"])


@router.post(
    "",
    status_code=201,
    operation_id="issueCreditMemo",
    response_model=CreditMemoPublic,
    responses=responses(400, 409, 413, 422),
    openapi_extra=IDEMPOTENCY_KEY_DOC,
)
async def issue_credit_memo(
    memo: Annotated[CreditMemoCreate, Body()],
    principal: PrincipalDep,
    runtime: RuntimeDep,
    correlation_id: CorrelationDep,
    key: IdempotencyKey,
) -> Any:
    """Carry a credit memo the ERP raised against a posted invoice (a return, or a short
    shipment): once, in the invoice's currency, for at most what of the invoice is not yet
    credited. It lowers the invoice's open balance and the customer's credit exposure by
    exactly its amount and goes to finance; 422 names the field when the hub cannot apply it
    (an unknown invoice, another currency, more than the invoice)."""

    async def work(credit_memo_id: str) -> idempotent.Outcome:
        invoice = await in_thread(queries.invoice, runtime.db, memo.invoice_id)
        if invoice is None:
            return _refused(credit_memo_id, "invoice_id", f"no posted invoice {memo.invoice_id!r}")
        message = IssueCreditMemo(
            str(invoice["order_id"]),
            credit_memo_id,
            memo.invoice_id,
            CreditReason(memo.reason),
            memo.amount,
            memo.currency,
            correlation_id,
        )
        try:
            applied = await runtime.apply(message)
        except CreditMemoRefused as refused:
            return _refused(credit_memo_id, refused.field, refused.message)
        event = next(e for e in applied.decision.events if e.type == "CreditMemoIssued")
        return idempotent.Outcome(
            201,
            {
                "credit_memo_id": credit_memo_id,
                "invoice_id": memo.invoice_id,
                "order_id": str(invoice["order_id"]),
                "customer_id": str(invoice["customer_id"]),
                "reason": memo.reason,
                "amount": str(memo.amount),
                "currency": memo.currency,
                "open_balance": event.data["open_balance"],
            },
        )

    return await idempotent.run(
        runtime,
        principal,
        key,
        "issueCreditMemo",
        memo.model_dump(mode="json"),
        f"CM-{uuid.uuid4().hex[:12]}",
        work,
    )


def _refused(credit_memo_id: str, field: str, message: str) -> idempotent.Outcome:
    """A refusal is an answer, stored under its key like a success: a retry gets it again."""
    body = problem_body(
        422,
        f"The credit memo was refused: {field}: {message}",
        "/v1/credit-memos",
        kind="credit-memo-refused",
        errors=[(field, message)],
        credit_memo_id=credit_memo_id,
    )
    return idempotent.Outcome(422, body)
