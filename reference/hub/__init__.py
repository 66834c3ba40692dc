"""The hub's process managers as pure decisions, with the effects they ask shells to perform."""

from reference.hub.core import Hub, UnknownOrder, UnknownRelease
from reference.hub.effects import (
    CallSystem,
    CancelOrder,
    ConfirmShipment,
    DeadLetter,
    Decision,
    Effect,
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
from reference.hub.retry import RetryPolicy
from reference.hub.state import HubConfig, HubState, LineRecord, OrderSaga

__all__ = [
    "CallSystem",
    "CancelOrder",
    "CancellationRefused",
    "ConfirmShipment",
    "DeadLetter",
    "Decision",
    "Effect",
    "Hub",
    "HubConfig",
    "HubState",
    "LineRecord",
    "Message",
    "OrderSaga",
    "PlaceOrder",
    "ReconcileSnapshot",
    "RecordMovement",
    "ReplayDeadLetter",
    "RetryCall",
    "RetryPolicy",
    "ScheduleTimer",
    "SystemCallFailed",
    "SystemReplied",
    "UnknownOrder",
    "UnknownRelease",
]
