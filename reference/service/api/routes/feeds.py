"""Invoices and the CloudEvents feed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from reference.api_v1 import EventsPage, InvoicePublic
from reference.domain.events import EventType
from reference.service.api.deps import DbDep, PrincipalDep
from reference.service.api.params import CURSOR_PATTERN, INVOICE_ID
from reference.service.api.problems import ProblemError, responses
from reference.service.persistence import queries

router = APIRouter(tags=["feeds"])


@router.get(
    "/v1/invoices/{invoice_id}",
    operation_id="getInvoice",
    response_model=InvoicePublic,
    responses=responses(404, 422),
)
async def get_invoice(
    invoice_id: Annotated[str, Path(**INVOICE_ID)], principal: PrincipalDep, db: DbDep
) -> Any:
    body = await db.run(queries.invoice, db, invoice_id)
    if body is None:
        raise ProblemError(
            404,
            f"no invoice with id {invoice_id!r}",
            kind="unknown-invoice",
            errors=[("invoice_id", "unknown")],
        )
    return body


@router.get(
    "/v1/events",
    operation_id="listEvents",
    response_model=EventsPage,
    responses=responses(422),
)
async def list_events(
    principal: PrincipalDep,
    db: DbDep,
    after: Annotated[
        str | None,
        Query(
            pattern=CURSOR_PATTERN,
            description="`next_cursor` of the last page; omit to read from the start",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    subject: Annotated[str | None, Query(max_length=200)] = None,
    type: Annotated[EventType | None, Query()] = None,
    correlation_id: Annotated[str | None, Query(max_length=128)] = None,
) -> Any:
    """Events in commit order from the transactional outbox; read on with ``next_cursor``."""
    try:
        start = queries.decode_cursor(after) if after else 0
    except queries.BadCursor as error:
        raise ProblemError(
            422, str(error), kind="validation", errors=[("after", str(error))]
        ) from None
    data, last = await db.run(
        queries.events,
        db,
        after=start,
        limit=limit,
        subject=subject,
        type_=type.value if type else None,
        correlation_id=correlation_id,
    )
    return {"data": data, "next_cursor": queries.encode_cursor(last)}
