"""Closing and cancelling: ship-and-cancel at the end, or a cancel before any warehouse has it."""

from __future__ import annotations

from decimal import Decimal

from reference.domain.events import EventType as E
from reference.domain.lifecycle import Msg, ReleaseMsg, ReleaseState, State
from reference.hub.effects import Decision
from reference.hub.state import HubState, OrderSaga


class CancellationRefused(Exception):
    """The order has gone to a warehouse; it can no longer be cancelled in the hub."""


def finish_if_done(state: HubState, saga: OrderSaga, decision: Decision, now: float) -> None:
    """Close once nothing is in a warehouse and every shipment is invoiced."""
    if any(not r.shipped for r in saga.releases.values()):
        return
    if len(saga.invoices) < saga.shipments:
        return
    cancelled_value = Decimal(0)
    for line in saga.lines.values():
        if line.backordered:
            decision.events.append(
                saga.event(
                    E.BACKORDER_CANCELLED,
                    now,
                    line_no=line.line_no,
                    sku=line.sku,
                    quantity=line.backordered,
                )
            )
            line.cancelled += line.backordered
            cancelled_value += line.unit_price * line.backordered
            line.backordered = 0
        line.move(Msg.CLOSE if line.shipped else Msg.CANCEL)
    release_exposure(state, saga, cancelled_value)
    if saga.units_shipped():
        saga.move(Msg.CLOSE)
        decision.events.append(saga.event(E.ORDER_CLOSED, now, invoices=len(saga.invoices)))
    else:
        saga.move(Msg.CANCEL)
        decision.events.append(saga.event(E.ORDER_CANCELLED, now, reason="nothing to ship"))


def release_exposure(state: HubState, saga: OrderSaga, amount: Decimal) -> None:
    if amount:
        state.exposure[saga.customer_id] = state.exposure.get(saga.customer_id, Decimal(0)) - amount


def undo_allocations(state: HubState, saga: OrderSaga) -> None:
    """Give back every unit the order holds and cancel its planned parts and its exposure."""
    for release in saga.releases.values():
        release.move(ReleaseMsg.CANCEL)
    for line in saga.lines.values():
        for node, qty in line.allocated.items():
            state.inventory.release(node, line.sku, qty)
        line.allocated.clear()
    saga.releases.clear()
    release_exposure(state, saga, saga.value())


def cancel_now(state: HubState, saga: OrderSaga, reason: str, now: float) -> Decision:
    """Cancel an order that no warehouse holds yet; IllegalTransition past that point."""
    if saga.state not in (State.RECEIVED, State.ACCEPTED, State.ALLOCATED, State.BACKORDERED):
        saga.move(Msg.CANCEL)  # raises IllegalTransition naming the state
    released = [r.node for r in saga.releases.values() if r.state is not ReleaseState.PLANNED]
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
    saga.pending_calls.clear()
    return Decision(events=[saga.event(E.ORDER_CANCELLED, now, reason=reason)])
