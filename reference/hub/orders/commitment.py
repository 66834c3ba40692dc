"""The ERP as system of record for commercial orders: commitment, rejection, cancellation.

Theory of operation. With ``order_ownership="erp"`` an accepted order holds its allocations but
no warehouse hears of it until the ERP has committed the sales order: the ERP's answer to
create_sales_order puts its order number on the saga (SalesOrderCommitted), and only then are
the order's parts rated and released. An ERP that refuses the sales order (a 4xx, REFUSED)
ends the order in ERP_REJECTED (SalesOrderRejected): its stock and exposure are given back.
A cancel goes to the ERP first (OrderCancelRequested, cancel_sales_order); the hub cancels
when the ERP confirms, and a warehouse never hears of an order whose cancel is under way.
"""

from __future__ import annotations

from typing import Any

from reference.domain.events import EventType as E
from reference.domain.lifecycle import Msg, State
from reference.hub.effects import CallSystem, CancelOrder, Decision
from reference.hub.orders.backorders import stop_waiting
from reference.hub.orders.calls import call, rate_releases
from reference.hub.orders.closing import (
    AT_A_WAREHOUSE,
    CancellationRefused,
    cancel_now,
    finish_if_done,
    undo_allocations,
)
from reference.hub.protocol import Operation, call_id
from reference.hub.state import HubConfig, HubState, OrderSaga


def committed(
    state: HubState, config: HubConfig, saga: OrderSaga, body: dict[str, Any], now: float
) -> Decision:
    """The ERP took the sales order. In ERP-owned mode this is what lets the order move on."""
    if config.order_ownership != "erp":
        return Decision()  # the hub owns the order: the ERP's copy is only a notification
    decision = Decision()
    if saga.state not in (State.ALLOCATED, State.BACKORDERED):
        return decision  # cancelled or rejected meanwhile: nothing left to commit
    saga.erp_order_number = str(body["erp_order"])
    decision.events.append(
        saga.event(E.SALES_ORDER_COMMITTED, now, erp_order_number=saga.erp_order_number)
    )
    if saga.cancel_reason is not None:
        decision.effects.append(_cancel_in_erp(saga))
        return decision
    rate_releases(saga, decision)
    if not saga.releases:
        finish_if_done(state, config, saga, decision, now)
    return decision


def rejected(state: HubState, saga: OrderSaga, reason: str, now: float) -> Decision:
    """The ERP refused the sales order after the hub accepted it."""
    if saga.state not in (State.ALLOCATED, State.BACKORDERED):
        return Decision()
    saga.move(Msg.ERP_REJECT)
    undo_allocations(state, saga)
    for line in saga.lines.values():
        line.cancelled = line.ordered
        line.backordered = 0
        line.move(Msg.ERP_REJECT)
    stop_waiting(state, saga)
    saga.pending_calls.clear()
    saga.cancel_reason = None
    return Decision(events=[saga.event(E.SALES_ORDER_REJECTED, now, reason=reason)])


def request_cancel(
    state: HubState, config: HubConfig, saga: OrderSaga, command: CancelOrder, now: float
) -> Decision:
    """A cancel: at once when the ERP has no sales order to cancel, else the ERP first."""
    if config.order_ownership != "erp" or saga.state is State.RECEIVED:
        return cancel_now(state, saga, command.reason, now)
    if saga.cancel_reason is not None:
        return Decision()  # already asked of the ERP
    if saga.state not in (State.ALLOCATED, State.BACKORDERED):
        saga.move(Msg.CANCEL)  # raises IllegalTransition naming the state
    released = [r.node for r in saga.releases.values() if r.state in AT_A_WAREHOUSE]
    if released:
        raise CancellationRefused(
            f"order {saga.order_id} was released to WMS node {released[0]}; cancel it there"
        )
    saga.cancel_reason = command.reason
    for key in saga.releases:  # an answer from the TMS must not release it now
        saga.pending_calls.discard(call_id(saga.order_id, Operation.RATE, "tms", key))
    decision = Decision(events=[saga.event(E.ORDER_CANCEL_REQUESTED, now, reason=command.reason)])
    if saga.erp_order_number is not None:
        decision.effects.append(_cancel_in_erp(saga))
    # else: the sales order is still being created; its commitment sends the cancel
    return decision


def cancel_confirmed(state: HubState, saga: OrderSaga, now: float) -> Decision:
    """The ERP cancelled its sales order: the hub cancels the order."""
    reason = saga.cancel_reason
    if reason is None or saga.state not in (State.ALLOCATED, State.BACKORDERED):
        return Decision()
    saga.cancel_reason = None
    return cancel_now(state, saga, reason, now)


def _cancel_in_erp(saga: OrderSaga) -> CallSystem:
    return call(
        saga,
        "erp",
        Operation.CANCEL_SALES_ORDER,
        {
            "order_id": saga.order_id,
            "erp_order": saga.erp_order_number,
            "reason": saga.cancel_reason,
        },
    )
