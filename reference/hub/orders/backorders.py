"""Backorders as a workflow: a short line waits for stock, is filled when stock arrives, and is
cancelled only by a stated rule.

Theory of operation. A line's backordered units either wait or, under a rule of
BackorderPolicy (ship-and-cancel, a channel rule, the customer's preference), are cancelled when
the rest of the order is done (closing.finish_if_done names the rule). A waiting order is in
``HubState.waiting`` under each SKU it waits for. When available stock of a SKU rises at a node
(a receipt, transfer in, return, quarantine release, a count that finds more), ``fill`` gives
it to the waiting orders oldest first (by the time they were received, then order id): each
unit is allocated to a release at that node (BackorderAllocated) and, once the ERP has committed
the order, rated and released like any other. A timer at ``max_age`` cancels what still waits
(closing.expire: BackorderCancelled, reason max_age).
"""

from __future__ import annotations

from decimal import Decimal

from reference.domain.events import EventType as E
from reference.domain.lifecycle import Msg, ReleaseState, State
from reference.hub.effects import Decision, ExpireBackorders, ScheduleTimer
from reference.hub.orders.calls import rate_releases
from reference.hub.state import (
    BackorderCancel,
    HubConfig,
    HubState,
    LineRecord,
    OrderSaga,
    Release,
)

_OPEN = (State.ALLOCATED, State.BACKORDERED, State.PARTIALLY_SHIPPED)


def wait(
    state: HubState,
    config: HubConfig,
    saga: OrderSaga,
    line: LineRecord,
    decision: Decision,
    now: float,
) -> None:
    """``line`` has units backordered: put the order in the SKU's queue, unless a rule says
    they do not wait (then the order's close cancels them, naming the rule)."""
    if config.backorders.stops_waiting(saga.channel, saga.backorders) is not None:
        return
    if line.backordered_since is None:
        line.backordered_since = now
    state.waiting.setdefault(line.sku, {})[saga.order_id] = saga.received_at
    max_age = config.backorders.max_age
    if max_age is not None:
        decision.effects.append(ScheduleTimer(now + max_age, ExpireBackorders(saga.order_id)))


def stop_waiting(state: HubState, saga: OrderSaga) -> None:
    """The order waits for nothing any more (filled, cancelled, closed, rejected)."""
    for line in saga.lines.values():
        if line.backordered:
            continue
        line.backordered_since = None
        queue = state.waiting.get(line.sku)
        if queue is not None and not any(
            ln.backordered for ln in saga.lines.values() if ln.sku == line.sku
        ):
            queue.pop(saga.order_id, None)
            if not queue:
                del state.waiting[line.sku]


def fill(
    state: HubState, config: HubConfig, node: str, sku: str, decision: Decision, now: float
) -> None:
    """Stock of ``sku`` became available at ``node``: allocate it to waiting orders, oldest
    first, and release what is allocated once the order may go to a warehouse."""
    queue = state.waiting.get(sku)
    if not queue:
        return
    inventory = state.inventory
    for order_id in sorted(queue, key=lambda oid: (queue[oid], oid)):
        if inventory.available(node, sku) <= 0:
            break
        saga = state.orders[order_id]
        if saga.cancel_reason is not None or saga.state not in _OPEN:
            continue
        filled = False
        for line in saga.lines.values():
            if line.sku != sku or not line.backordered:
                continue
            granted = inventory.allocate(node, sku, line.backordered)
            if not granted:
                break
            waited = now - (line.backordered_since if line.backordered_since is not None else now)
            line.backordered -= granted
            line.allocated[node] = line.allocated.get(node, 0) + granted
            release = _planned_release(saga, node)
            release.lines[line.line_no] = release.lines.get(line.line_no, 0) + granted
            line.move(Msg.ALLOCATE)
            decision.events.append(
                saga.event(
                    E.BACKORDER_ALLOCATED,
                    now,
                    line_no=line.line_no,
                    sku=sku,
                    node=node,
                    quantity=granted,
                    waited=round(waited, 3),
                )
            )
            filled = True
        stop_waiting(state, saga)
        if filled:
            saga.advance(Msg.ALLOCATE, now, decision.events)
            if config.order_ownership == "hub" or saga.erp_order_number is not None:
                rate_releases(saga, decision)


def cancel_backorder(
    state: HubState,
    saga: OrderSaga,
    line: LineRecord,
    rule: BackorderCancel,
    decision: Decision,
    now: float,
) -> None:
    """Cancel what of ``line`` is backordered, naming the rule, and give back its exposure."""
    quantity = line.backordered
    decision.events.append(
        saga.event(
            E.BACKORDER_CANCELLED,
            now,
            line_no=line.line_no,
            sku=line.sku,
            quantity=quantity,
            reason=rule.value,
        )
    )
    line.cancelled += quantity
    line.backordered = 0
    amount = line.unit_price * quantity
    state.exposure[saga.customer_id] = state.exposure.get(saga.customer_id, Decimal(0)) - amount


def _planned_release(saga: OrderSaga, node: str) -> Release:
    """The order's release at ``node`` not yet gone to the WMS, or a new one: ``node`` itself
    if the order has none there yet, else ``node.2``, ``node.3``..."""
    for release in saga.releases.values():
        if release.node == node and release.state is ReleaseState.PLANNED:
            return release
    key, n = node, 1
    while key in saga.releases:
        n += 1
        key = f"{node}.{n}"
    release = Release(node, {}, key=None if key == node else key)
    saga.releases[key] = release
    return release
