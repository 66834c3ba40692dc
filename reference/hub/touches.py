"""What a message touches: the saga, stock positions, customer exposure and event streams that
deciding it may read or change.

Theory of operation. A shell that keeps the hub's state outside memory (the durable store) loads
only what a message touches, decides it on that small state, and writes it back. ``touches`` is
the one statement of that set, next to the handlers it describes, so the store keeps no copy of
the rules. It is a superset: a decision may leave something it touches unchanged, but it never
changes anything outside it (the store raises if it does). It needs the saga, when there is one,
because what an order's message touches depends on the order's lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from reference.hub.effects import (
    ApplyPayment,
    CancelOrder,
    ConfirmShipment,
    ExpireBackorders,
    IssueCreditMemo,
    Message,
    PlaceOrder,
    ReconcileSnapshot,
    RecordMovement,
    ReplayDeadLetter,
    RetryCall,
    SystemCallFailed,
    SystemReplied,
)
from reference.hub.protocol import Operation
from reference.hub.state import HubConfig, OrderSaga, stock_subject

Position = tuple[str, str]  # (node, sku)


@dataclass(frozen=True, slots=True)
class Touches:
    order_id: str | None = None  # the saga the message is about
    order_number: tuple[str, str] | None = None  # (customer, order number) the duplicate rule reads
    exposure: str | None = None  # the customer whose open exposure may change
    positions: tuple[Position, ...] = ()  # sorted, so locks are always taken in one order
    streams: tuple[str, ...] = ()  # subjects of non-order event streams that may advance
    # SKUs whose backorder queues stock arriving may fill: each queue and every saga in it.
    # (A saga's own places in queues are always in reach of a message about that saga.)
    waiting: tuple[str, ...] = ()


def order_of(message: Message) -> str | None:
    """The order a message is about, if any: the saga to load before asking ``touches``."""
    if isinstance(
        message,
        PlaceOrder
        | CancelOrder
        | ConfirmShipment
        | ExpireBackorders
        | ApplyPayment
        | IssueCreditMemo,
    ):
        return message.order_id
    if isinstance(message, SystemReplied | SystemCallFailed | RetryCall | ReplayDeadLetter):
        return message.call.order_id
    return None


# Replies whose handling may allocate, ship or release stock, or move the customer's exposure
# (accepting an order, a shipment, an invoice that closes the order).
_REPLIES_TOUCHING_EXPOSURE = frozenset(
    {
        Operation.CHECK_ORDER,
        Operation.RELEASE,
        Operation.POST_INVOICE,
        Operation.CREATE_SALES_ORDER,  # a committed order with nothing to ship closes
        Operation.CANCEL_SALES_ORDER,  # the ERP cancelled: stock and exposure are given back
    }
)
# Replies and refusals that may give back every unit the order holds, at any node.
_EVERYWHERE = frozenset({Operation.CHECK_ORDER, Operation.CANCEL_SALES_ORDER})


def touches(message: Message, saga: OrderSaga | None, config: HubConfig) -> Touches:
    """What deciding ``message`` may touch, given the saga it is about (None if there is none)."""
    if isinstance(message, RecordMovement):
        node, sku = message.movement.node_id, message.movement.sku
        return Touches(
            positions=((node, sku),), streams=(stock_subject(node, sku),), waiting=(sku,)
        )
    if isinstance(message, ReconcileSnapshot):
        node = message.snapshot.node_id
        keys = tuple(sorted({(node, line.sku) for line in message.snapshot.lines}))
        return Touches(
            positions=keys,
            streams=tuple(stock_subject(n, s) for n, s in keys),
            waiting=tuple(sorted({s for _, s in keys})),
        )
    order_id = order_of(message)
    if isinstance(message, PlaceOrder):
        order = message.order
        return Touches(order_id, order_number=(order.customer_id, order.order_number))
    if saga is None:
        return Touches(order_id)  # an order the hub never received: the core ignores or refuses
    skus = sorted({line.sku for line in saga.lines.values()})
    everywhere = tuple((n, s) for n in sorted(config.nodes) for s in skus)
    customer = saga.customer_id
    if isinstance(message, CancelOrder):
        return Touches(order_id, exposure=customer, positions=everywhere)
    if isinstance(message, ExpireBackorders | ApplyPayment | IssueCreditMemo):  # give back exposure
        return Touches(order_id, exposure=customer)
    if isinstance(message, ConfirmShipment):
        return Touches(
            order_id, exposure=customer, positions=tuple((message.node, s) for s in skus)
        )
    if isinstance(message, SystemReplied):
        operation = message.call.operation
        if operation not in _REPLIES_TOUCHING_EXPOSURE:
            return Touches(order_id)
        if operation in _EVERYWHERE:
            return Touches(order_id, exposure=customer, positions=everywhere)
        if operation == Operation.RELEASE:
            node = str(message.call.payload["node"])
            return Touches(order_id, exposure=customer, positions=tuple((node, s) for s in skus))
        return Touches(order_id, exposure=customer)
    if isinstance(message, SystemCallFailed) and (
        message.call.operation == Operation.CREATE_SALES_ORDER
    ):  # the ERP refusing the sales order gives back the order's stock and exposure
        return Touches(order_id, exposure=customer, positions=everywhere)
    return Touches(order_id)  # other failures, retries and replays only re-issue or park a call
