"""Closing and cancelling: ship-and-cancel at the end, or a cancel before any warehouse has it."""

from __future__ import annotations

from decimal import Decimal

from reference.domain.events import EventType as E
from reference.domain.lifecycle import Msg, ReleaseMsg, ReleaseState, State
from reference.hub.effects import Decision
from reference.hub.orders.backorders import cancel_backorder, stop_waiting
from reference.hub.state import BackorderCancel, HubConfig, HubState, OrderSaga

_OPEN = (State.ALLOCATED, State.BACKORDERED, State.PARTIALLY_SHIPPED)
# A release in these states is in a warehouse's hands: the hub can no longer cancel the order.
AT_A_WAREHOUSE = frozenset(
    {ReleaseState.RELEASED, ReleaseState.ACKNOWLEDGED, ReleaseState.SHIPPED, ReleaseState.INVOICED}
)


class CancellationRefused(Exception):
    """The order has gone to a warehouse; it can no longer be cancelled in the hub."""


def finish_if_done(
    state: HubState, config: HubConfig, saga: OrderSaga, decision: Decision, now: float
) -> None:
    """Close once nothing is in a warehouse, every shipment is invoiced and nothing waits for
    stock; what is backordered under a rule that does not wait is cancelled, naming the rule."""
    if any(not r.shipped for r in saga.releases.values()):
        return
    if len(saga.invoices) < saga.shipments:
        return
    if saga.waits_for_stock():
        rule = config.backorders.stops_waiting(saga.channel, saga.backorders)
        if rule is None:
            return  # it waits for stock: backorders.fill releases it when stock arrives
        for line in saga.lines.values():
            if line.backordered:
                cancel_backorder(state, saga, line, rule, decision, now)
    stop_waiting(state, saga)
    for line in saga.lines.values():
        line.move(Msg.CLOSE if line.shipped else Msg.CANCEL)
    if saga.units_shipped():
        saga.move(Msg.CLOSE)
        decision.events.append(saga.event(E.ORDER_CLOSED, now, invoices=len(saga.invoices)))
    else:
        saga.move(Msg.CANCEL)
        decision.events.append(saga.event(E.ORDER_CANCELLED, now, reason="nothing to ship"))


def expire(state: HubState, config: HubConfig, saga: OrderSaga, now: float) -> Decision:
    """The max-age timer: cancel what has waited for stock longer than the policy allows."""
    decision = Decision()
    max_age = config.backorders.max_age
    if max_age is None or saga.state not in _OPEN or saga.cancel_reason is not None:
        return decision
    for line in saga.lines.values():
        since = line.backordered_since
        if line.backordered and since is not None and since + max_age <= now:
            cancel_backorder(state, saga, line, BackorderCancel.MAX_AGE, decision, now)
    stop_waiting(state, saga)
    finish_if_done(state, config, saga, decision, now)
    return decision


def release_exposure(state: HubState, saga: OrderSaga, amount: Decimal) -> None:
    if amount:
        state.exposure[saga.customer_id] = state.exposure.get(saga.customer_id, Decimal(0)) - amount


def undo_allocations(state: HubState, saga: OrderSaga) -> None:
    """Give back every unit the order holds and cancel its planned parts and its exposure.
    (A part the WMS shipped nothing of stays, as the record of that.)"""
    for key, release in list(saga.releases.items()):
        if release.state is ReleaseState.PLANNED:
            release.move(ReleaseMsg.CANCEL)
            del saga.releases[key]
    for line in saga.lines.values():
        for node, qty in line.allocated.items():
            state.inventory.release(node, line.sku, qty)
        line.allocated.clear()
    still_open = sum(
        (ln.unit_price * (ln.ordered - ln.cancelled) for ln in saga.lines.values()), Decimal(0)
    )
    release_exposure(state, saga, still_open)


def cancel_now(state: HubState, saga: OrderSaga, reason: str, now: float) -> Decision:
    """Cancel an order that no warehouse holds yet; IllegalTransition past that point."""
    if saga.state not in (State.RECEIVED, State.ACCEPTED, State.ALLOCATED, State.BACKORDERED):
        saga.move(Msg.CANCEL)  # raises IllegalTransition naming the state
    released = [r.node for r in saga.releases.values() if r.state in AT_A_WAREHOUSE]
    if released:
        raise CancellationRefused(
            f"order {saga.order_id} was released to WMS node {released[0]}; cancel it there"
        )
    was_accepted = saga.state is not State.RECEIVED
    saga.move(Msg.CANCEL)
    if was_accepted:
        undo_allocations(state, saga)
    for line in saga.lines.values():
        line.cancelled = line.ordered
        line.backordered = 0
        line.move(Msg.CANCEL)
    stop_waiting(state, saga)
    saga.pending_calls.clear()
    return Decision(events=[saga.event(E.ORDER_CANCELLED, now, reason=reason)])
