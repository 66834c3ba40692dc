"""Credit memos the ERP raised for returns and short shipments, with Idempotency-Key."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Body

from reference.api_v1 import CreditMemoCreate, CreditMemoPublic
from reference.hub import CreditReason, IssueCreditMemo
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

router = APIRouter(prefix="/v1/credit-memos", tags=["credit memos"])
CREDIT_MEMO = InvoiceDocument(
    "credit memo", "/v1/credit-memos", "credit_memo_id", "CreditMemoIssued"
)


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
        def message(invoice: Mapping[str, Any]) -> IssueCreditMemo:
            return IssueCreditMemo(
                str(invoice["order_id"]),
                credit_memo_id,
                memo.invoice_id,
                CreditReason(memo.reason),
                memo.amount,
                memo.currency,
                correlation_id,
            )

        echoed = {"reason": memo.reason, "amount": str(memo.amount), "currency": memo.currency}
        return await CREDIT_MEMO.post(runtime, credit_memo_id, memo.invoice_id, message, echoed)

    return await idempotent.run(
        runtime,
        principal,
        key,
        "issueCreditMemo",
        memo.model_dump(mode="json"),
        f"CM-{uuid.uuid4().hex[:12]}",
        work,
    )
