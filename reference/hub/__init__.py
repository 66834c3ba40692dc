"""The hub's process managers as pure decisions, with the effects they ask shells to perform."""

from reference.hub.core import Hub, UnknownOrder
from reference.hub.effects import (
    CallSystem,
    CancelOrder,
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
    "CallSystem", "CancelOrder", "CancellationRefused", "DeadLetter", "Decision", "Effect", "Hub",
    "HubConfig", "HubState", "LineRecord", "Message", "OrderSaga", "PlaceOrder",
    "ReconcileSnapshot", "RecordMovement", "ReplayDeadLetter", "RetryCall", "RetryPolicy",
    "ScheduleTimer", "SystemCallFailed", "SystemReplied", "UnknownOrder",
]
