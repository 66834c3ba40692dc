"""The hub's process managers as pure decisions, with the effects they ask shells to perform."""

from reference.hub.core import Hub, UnknownOrder, UnknownRelease
from reference.hub.effects import (
    ApplyPayment,
    CallSystem,
    CancelOrder,
    ConfirmShipment,
    CreditReason,
    DeadLetter,
    Decision,
    Effect,
    ExpireBackorders,
    IssueCreditMemo,
    Message,
    PlaceOrder,
    ReconcileSnapshot,
    RecordMovement,
    ReplayDeadLetter,
    RetryCall,
    ScheduleTimer,
    SystemCallFailed,
    SystemReplied,
)
from reference.hub.orders import CancellationRefused
from reference.hub.orders.credit_memos import CreditMemoRefused
from reference.hub.orders.payments import InvoiceDocumentRefused, PaymentRefused
from reference.hub.protocol import FailureKind, Operation, call_id
from reference.hub.rejection import Rejection, RejectionCode
from reference.hub.retry import RetryPolicy
from reference.hub.state import (
    BackorderCancel,
    BackorderPolicy,
    HubConfig,
    HubState,
    LineRecord,
    OrderSaga,
)

__all__ = [
    "ApplyPayment",
    "BackorderCancel",
    "BackorderPolicy",
    "CallSystem",
    "CancelOrder",
    "CancellationRefused",
    "ConfirmShipment",
    "CreditMemoRefused",
    "CreditReason",
    "DeadLetter",
    "Decision",
    "Effect",
    "ExpireBackorders",
    "FailureKind",
    "Hub",
    "HubConfig",
    "HubState",
    "InvoiceDocumentRefused",
    "IssueCreditMemo",
    "LineRecord",
    "Message",
    "Operation",
    "OrderSaga",
    "PaymentRefused",
    "PlaceOrder",
    "ReconcileSnapshot",
    "RecordMovement",
    "Rejection",
    "RejectionCode",
    "ReplayDeadLetter",
    "RetryCall",
    "RetryPolicy",
    "ScheduleTimer",
    "SystemCallFailed",
    "SystemReplied",
    "UnknownOrder",
    "UnknownRelease",
    "call_id",
]
