"""Documents posted against a posted invoice (payments, credit memos): one way to take them.

The invoice is looked up by id (an unknown one is refused on ``invoice_id``), the hub applies the
document, and the answer names the invoice's order, customer and new open balance. A refusal is
an answer stored under the Idempotency-Key like a success, so a retry gets it again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from reference.hub import InvoiceDocumentRefused, Message
from reference.service.api import idempotent
from reference.service.api.problems import problem_body
from reference.service.persistence import queries
from reference.service.runtime import HubRuntime


@dataclass(frozen=True)
class InvoiceDocument:
    """A kind of document: what people call it, where it is posted, its id field and the event
    the hub publishes when it applies one."""

    name: str
    path: str
    id_field: str
    applied_event: str

    def refused(self, document_id: str, field: str, message: str) -> idempotent.Outcome:
        body = problem_body(
            422,
            f"The {self.name} was refused: {field}: {message}",
            self.path,
            kind=f"{self.name.replace(' ', '-')}-refused",
            errors=[(field, message)],
            **{self.id_field: document_id},
        )
        return idempotent.Outcome(422, body)

    async def post(
        self,
        runtime: HubRuntime,
        document_id: str,
        invoice_id: str,
        message: Callable[[Mapping[str, Any]], Message],
        echoed: Mapping[str, Any],
    ) -> idempotent.Outcome:
        """Apply the document ``message(invoice)`` builds; answer with ``echoed`` request fields."""
        invoice = await runtime.db.run(queries.invoice, runtime.db, invoice_id)
        if invoice is None:
            return self.refused(document_id, "invoice_id", f"no posted invoice {invoice_id!r}")
        try:
            applied = await runtime.apply(message(invoice))
        except InvoiceDocumentRefused as refused:
            return self.refused(document_id, refused.field, refused.message)
        event = next(e for e in applied.decision.events if e.type == self.applied_event)
        return idempotent.Outcome(
            201,
            {
                self.id_field: document_id,
                "invoice_id": invoice_id,
                "order_id": str(invoice["order_id"]),
                "customer_id": str(invoice["customer_id"]),
                **echoed,
                "open_balance": event.data["open_balance"],
            },
        )
