"""What the hub asks its shell to do, and the messages the shell brings back.

The core never performs an effect. A shell interprets each one in its own time: the SimPy shell
turns a call into a simulated delay against a system model, the service into an HTTP request or an
outbox row. Every call is answered by exactly one of SystemReplied or SystemCallFailed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from reference.domain.events import Event
from reference.domain.model import InventoryMovement, InventorySnapshot, Order
from reference.hub.protocol import FailureKind, Operation


# --- effects --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CallSystem:
    """Call ``operation`` on ``system`` (``erp``, ``tms``, ``finance`` or ``wms:<node>``).

    ``call_id`` (built by reference.hub.protocol.call_id) is stable across retries, so a system
    can dedupe a repeated request on it.
    """

    call_id: str
    system: str
    operation: Operation
    payload: Mapping[str, Any]
    order_id: str
    correlation_id: str
    attempt: int = 1

    def retried(self) -> CallSystem:
        return replace(self, attempt=self.attempt + 1)


@dataclass(frozen=True, slots=True)
class ScheduleTimer:
    """Hand ``message`` back to the core at time ``at``."""

    at: float
    message: Message


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """Park a call that cannot succeed; replaying it re-issues the call."""

    reason: str
    call: CallSystem


Effect = CallSystem | ScheduleTimer | DeadLetter


# --- messages -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PlaceOrder:
    order: Order
    order_id: str
    correlation_id: str


@dataclass(frozen=True, slots=True)
class CancelOrder:
    order_id: str
    reason: str = "customer request"


@dataclass(frozen=True, slots=True)
class SystemReplied:
    call: CallSystem
    body: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class SystemCallFailed:
    """A call failed; ``kind`` says how, and whether a retry may help."""

    call: CallSystem
    kind: FailureKind
    retry_after: float | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ConfirmShipment:
    """A WMS says what it shipped for one release, when the release call only acknowledged it.

    ``lines`` holds ``{"line_no": int, "quantity": int}`` items; fewer units than released is a
    short pick.
    """

    order_id: str
    node: str
    shipment_id: str
    lines: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True, slots=True)
class RetryCall:
    call: CallSystem


@dataclass(frozen=True, slots=True)
class ReplayDeadLetter:
    call: CallSystem


@dataclass(frozen=True, slots=True)
class ApplyPayment:
    """Finance or a bank feed paid ``amount`` of one of the order's invoices."""

    order_id: str
    payment_id: str
    invoice_id: str
    amount: Decimal
    currency: str
    correlation_id: str = ""


class CreditReason(StrEnum):
    """Why the ERP raised a credit memo against an invoice."""

    RETURN = "return"  # the customer sent goods back
    SHORT_SHIPMENT = "short_shipment"  # the customer received fewer units than were invoiced


@dataclass(frozen=True, slots=True)
class IssueCreditMemo:
    """The ERP credited ``amount`` (tax included) of one of the order's invoices."""

    order_id: str
    credit_memo_id: str
    invoice_id: str
    reason: CreditReason
    amount: Decimal
    currency: str
    correlation_id: str = ""


@dataclass(frozen=True, slots=True)
class ExpireBackorders:
    """A timer: cancel what of the order has waited for stock longer than the policy allows."""

    order_id: str


@dataclass(frozen=True, slots=True)
class RecordMovement:
    movement: InventoryMovement
    correlation_id: str = ""


@dataclass(frozen=True, slots=True)
class ReconcileSnapshot:
    snapshot: InventorySnapshot
    correlation_id: str = ""


Message = (
    PlaceOrder
    | CancelOrder
    | SystemReplied
    | SystemCallFailed
    | ConfirmShipment
    | RetryCall
    | ReplayDeadLetter
    | ExpireBackorders
    | ApplyPayment
    | IssueCreditMemo
    | RecordMovement
    | ReconcileSnapshot
)


@dataclass(slots=True)
class Decision:
    """What one message led to: facts to publish and effects to perform, in this order."""

    events: list[Event] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
