"""The hub: ``decide(message, now) -> Decision`` over a state it owns.

This is the one place where the hub's business logic is driven from. Both shells call it: the SimPy
shell with virtual time, the service with wall-clock time. It performs no I/O, reads no clock and
draws no random numbers; it mutates its HubState and returns events and effects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reference.domain.events import EventType as E
from reference.domain.model import MovementKind
from reference.hub import orders
from reference.hub.effects import (
    ApplyPayment,
    CallSystem,
    CancelOrder,
    ConfirmShipment,
    DeadLetter,
    Decision,
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
from reference.hub.orders.credit_memos import issue_credit_memo
from reference.hub.orders.payments import apply_payment
from reference.hub.protocol import FailureKind, Operation, shipment_wait_id
from reference.hub.retry import jitter
from reference.hub.state import HubConfig, HubState, OrderSaga, stock_subject

# Movements that change on hand, and with which sign; quarantine moves stock out of sellable.
_ON_HAND_SIGN = {
    MovementKind.RECEIPT: 1,
    MovementKind.RETURN: 1,
    MovementKind.TRANSFER_IN: 1,
    MovementKind.PICK: 0,
    MovementKind.SHIPMENT: -1,
    MovementKind.TRANSFER_OUT: -1,
    MovementKind.ADJUSTMENT: 1,
    MovementKind.QUARANTINE: 0,
    MovementKind.RELEASE: 0,
}


def _release_key(call: CallSystem) -> str:
    """Which of the order's releases a rate or release call is about."""
    return str(call.payload.get("release", call.payload["node"]))


class UnknownOrder(KeyError):
    """A message names an order the hub has never received."""

    def __str__(self) -> str:
        return f"no order with id {self.args[0]!r}"


class UnknownRelease(LookupError):
    """A shipment confirmation names a node the order was never released to."""

    def __init__(self, order_id: str, node: str, released: list[str]) -> None:
        super().__init__(
            f"order {order_id} was not released to node {node!r}; released to {released}"
        )


class Hub:
    """The pure order-to-cash hub. Not thread-safe: a shell feeds it one message at a time."""

    def __init__(self, config: HubConfig, state: HubState | None = None) -> None:
        self.config = config
        self.state = state if state is not None else HubState()

    def saga(self, order_id: str) -> OrderSaga:
        try:
            return self.state.orders[order_id]
        except KeyError:
            raise UnknownOrder(order_id) from None

    def decide(self, message: Message, now: float) -> Decision:
        """Everything ``message`` leads to at time ``now``; the state is updated in place."""
        handler = _HANDLERS.get(type(message))
        if handler is None:
            raise TypeError(f"the hub has no handler for {type(message).__name__}")
        return handler(self, message, now)

    def _place(self, message: PlaceOrder, now: float) -> Decision:
        return orders.place(
            self.state, self.config, message.order, message.order_id, message.correlation_id, now
        )

    def _cancel(self, message: CancelOrder, now: float) -> Decision:
        return orders.request_cancel(
            self.state, self.config, self.saga(message.order_id), message, now
        )

    def _replied(self, message: SystemReplied, now: float) -> Decision:
        call = message.call
        saga = self.state.orders.get(call.order_id)
        if saga is None or call.call_id not in saga.pending_calls:
            return Decision()  # a late or repeated answer: already handled
        saga.pending_calls.discard(call.call_id)
        body: dict[str, Any] = dict(message.body)
        operation = call.operation
        if operation == Operation.CHECK_ORDER:
            return orders.checked(self.state, self.config, saga, body, now)
        if operation == Operation.RATE:
            return orders.rated(saga, _release_key(call), body, now)
        if operation == Operation.RELEASE:
            key = _release_key(call)
            if "lines" not in body:  # acknowledged; the confirmation comes as ConfirmShipment
                return orders.acknowledged(saga, key)
            return orders.shipped(self.state, self.config, saga, key, body, now)
        if operation == Operation.POST_INVOICE:
            return orders.invoiced(self.state, self.config, saga, body, now)
        if operation == Operation.CREATE_SALES_ORDER:
            return orders.committed(self.state, self.config, saga, body, now)
        if operation == Operation.CANCEL_SALES_ORDER:
            return orders.cancel_confirmed(self.state, saga, now)
        return Decision()  # acknowledgements: record_invoice, record_credit_memo

    def _confirmed(self, message: ConfirmShipment, now: float) -> Decision:
        saga = self.saga(message.order_id)
        # the node's oldest release still in the WMS; a later one at a node is ``node.N``
        key = next(
            (k for k, r in saga.releases.items() if r.node == message.node and not r.shipped),
            message.node,
        )
        release = saga.releases.get(key)
        if release is None:
            raise UnknownRelease(message.order_id, message.node, sorted(saga.releases))
        if release.shipped:
            return Decision()  # confirmations arrive at least once
        saga.pending_calls.discard(shipment_wait_id(saga.order_id, key))
        body = {"shipment_id": message.shipment_id, "lines": list(message.lines)}
        return orders.shipped(self.state, self.config, saga, key, body, now)

    def _pay(self, message: ApplyPayment, now: float) -> Decision:
        return apply_payment(self.state, self.saga(message.order_id), message, now)

    def _credit(self, message: IssueCreditMemo, now: float) -> Decision:
        return issue_credit_memo(self.state, self.saga(message.order_id), message, now)

    def _expire(self, message: ExpireBackorders, now: float) -> Decision:
        saga = self.state.orders.get(message.order_id)
        if saga is None:
            return Decision()  # archived: it finished long ago
        return orders.expire(self.state, self.config, saga, now)

    def _failed(self, message: SystemCallFailed, now: float) -> Decision:
        call = message.call
        saga = self.state.orders.get(call.order_id)
        if saga is None or call.call_id not in saga.pending_calls:
            return Decision()
        if (
            message.kind is FailureKind.REFUSED
            and call.operation == Operation.CREATE_SALES_ORDER
            and self.config.order_ownership == "erp"
        ):
            saga.pending_calls.discard(call.call_id)
            return orders.rejected(self.state, saga, message.detail or "refused by the ERP", now)
        draw = jitter(self.config.seed, call.call_id, call.attempt)
        wait = self.config.retry.delay(call.attempt, message.kind, message.retry_after, draw)
        if wait is not None:
            return Decision(effects=[ScheduleTimer(now + wait, RetryCall(call.retried()))])
        reason = f"{call.system}.{call.operation} failed after {call.attempt} attempt(s): " + (
            message.kind + (f" ({message.detail})" if message.detail else "")
        )
        event = saga.event(
            E.MESSAGE_DEAD_LETTERED,
            now,
            call_id=call.call_id,
            system=call.system,
            operation=call.operation,
            reason=reason,
        )
        return Decision(events=[event], effects=[DeadLetter(reason, call)])

    def _retry(self, message: RetryCall, now: float) -> Decision:
        call = message.call
        saga = self.state.orders.get(call.order_id)
        if saga is None or call.call_id not in saga.pending_calls:
            return Decision()
        return Decision(effects=[call])

    def _replay(self, message: ReplayDeadLetter, now: float) -> Decision:
        saga = self.state.orders.get(message.call.order_id)
        if saga is None or message.call.call_id not in saga.pending_calls:
            return Decision()
        return Decision(
            effects=[
                CallSystem(
                    message.call.call_id,
                    message.call.system,
                    message.call.operation,
                    message.call.payload,
                    message.call.order_id,
                    message.call.correlation_id,
                )
            ]
        )

    def _movement(self, message: RecordMovement, now: float) -> Decision:
        """Apply a WMS movement to the projection: InventoryMoved always, AvailabilityChanged
        only when the sellable quantity moved (most moves of an oversold SKU leave it at 0)."""
        move = message.movement
        position = self.state.inventory.position(move.node_id, move.sku)
        available = position.available_to_sell()
        if move.kind is MovementKind.QUARANTINE:
            position.quarantined += move.quantity
        elif move.kind is MovementKind.RELEASE:
            position.quarantined = max(0, position.quarantined - move.quantity)
        elif move.kind is MovementKind.PICK:
            pass  # picked units are still on hand until they ship
        else:
            self.state.inventory.adjust(
                move.node_id, move.sku, _ON_HAND_SIGN[move.kind] * move.quantity
            )
        subject = stock_subject(move.node_id, move.sku)
        correlation = message.correlation_id
        moved: dict[str, object] = {
            "movement_id": move.movement_id,
            "kind": move.kind.value,
            "quantity": move.quantity,
            "on_hand": position.on_hand,
        }
        events = [self.state.stream_event(subject, E.INVENTORY_MOVED, now, correlation, moved)]
        now_available = position.available_to_sell()
        if now_available != available:
            events.append(
                self.state.stream_event(
                    subject,
                    E.AVAILABILITY_CHANGED,
                    now,
                    correlation,
                    {"available": now_available, "was": available},
                )
            )
        decision = Decision(events=events)
        if now_available > available:
            orders.fill(self.state, self.config, move.node_id, move.sku, decision, now)
        return decision

    def _snapshot(self, message: ReconcileSnapshot, now: float) -> Decision:
        """The WMS is the system of record for on hand: differences become exceptions and the
        projection is corrected to the count."""
        snap = message.snapshot
        decision = Decision()
        for line in snap.lines:
            position = self.state.inventory.position(snap.node_id, line.sku)
            if position.on_hand != line.on_hand:
                decision.events.append(
                    self.state.stream_event(
                        stock_subject(snap.node_id, line.sku),
                        E.RECONCILIATION_EXCEPTION,
                        now,
                        message.correlation_id,
                        {
                            "snapshot_id": snap.snapshot_id,
                            "hub_on_hand": position.on_hand,
                            "wms_on_hand": line.on_hand,
                            "difference": line.on_hand - position.on_hand,
                        },
                    )
                )
                before = position.available_to_sell()
                position.on_hand = line.on_hand
                if position.available_to_sell() > before:
                    orders.fill(self.state, self.config, snap.node_id, line.sku, decision, now)
        return decision


# One handler per message type, looked up by exact type: cheaper than singledispatch on a path
# that runs millions of times in a simulated peak day.
_HANDLERS: dict[type, Callable[[Hub, Any, float], Decision]] = {
    PlaceOrder: Hub._place,
    CancelOrder: Hub._cancel,
    SystemReplied: Hub._replied,
    ConfirmShipment: Hub._confirmed,
    SystemCallFailed: Hub._failed,
    RetryCall: Hub._retry,
    ReplayDeadLetter: Hub._replay,
    ExpireBackorders: Hub._expire,
    ApplyPayment: Hub._pay,
    IssueCreditMemo: Hub._credit,
    RecordMovement: Hub._movement,
    ReconcileSnapshot: Hub._snapshot,
}
