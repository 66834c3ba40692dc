"""Order and order-line lifecycles as transition tables.

Theory of operation: a lifecycle is a table ``{state: {message: next_state}}``. A state not in the
table is terminal; a message absent from a state's row is illegal there and raises
IllegalTransition naming the lifecycle, the state and the message. Nothing else decides whether a
transition is legal, so the tests can walk every (state, message) pair and the report can draw the
diagram from the same table.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

from reference.domain.errors import IllegalTransition


class State(StrEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    ALLOCATED = "allocated"
    BACKORDERED = "backordered"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    INVOICED = "invoiced"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Msg(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    ALLOCATE = "allocate"
    BACKORDER = "backorder"
    SHIP_PARTIAL = "ship_partial"
    SHIP = "ship"
    INVOICE = "invoice"
    CLOSE = "close"
    CANCEL = "cancel"


Table = Mapping[State, Mapping[Msg, State]]

S, M = State, Msg

_FLOW: Final[Table] = {
    S.RECEIVED: {M.ACCEPT: S.ACCEPTED, M.REJECT: S.REJECTED, M.CANCEL: S.CANCELLED},
    S.ACCEPTED: {M.ALLOCATE: S.ALLOCATED, M.BACKORDER: S.BACKORDERED, M.CANCEL: S.CANCELLED},
    S.ALLOCATED: {
        M.SHIP_PARTIAL: S.PARTIALLY_SHIPPED,
        M.SHIP: S.SHIPPED,
        M.BACKORDER: S.BACKORDERED,  # every allocated unit short-picked, nothing shipped
        M.CANCEL: S.CANCELLED,
    },
    S.BACKORDERED: {M.ALLOCATE: S.ALLOCATED, M.CANCEL: S.CANCELLED},
    S.PARTIALLY_SHIPPED: {
        M.SHIP_PARTIAL: S.PARTIALLY_SHIPPED,
        M.SHIP: S.SHIPPED,
        M.INVOICE: S.PARTIALLY_SHIPPED,  # each shipment is invoiced as it goes
        M.CLOSE: S.CLOSED,  # ship-and-cancel: the open backorder is cancelled at close
    },
    S.SHIPPED: {M.INVOICE: S.INVOICED},
    S.INVOICED: {M.INVOICE: S.INVOICED, M.CLOSE: S.CLOSED},
}

ORDER_LIFECYCLE: Final[Table] = dict(_FLOW)
"""One order. ALLOCATE means at least one unit is allocated; SHIP means nothing is left open."""

LINE_LIFECYCLE: Final[Table] = dict(_FLOW)
"""One order line; today it moves exactly like its order, judged on its own quantities."""

LIFECYCLES: Final[Mapping[str, Table]] = {"order": ORDER_LIFECYCLE, "line": LINE_LIFECYCLE}


def transition(lifecycle: str, state: State, message: Msg) -> State:
    """The state ``message`` leads to from ``state``, or IllegalTransition."""
    try:
        return LIFECYCLES[lifecycle][state][message]
    except KeyError:
        raise IllegalTransition(lifecycle, state.value, message.value) from None


def is_terminal(lifecycle: str, state: State) -> bool:
    return state not in LIFECYCLES[lifecycle]


def edges(lifecycle: str) -> list[tuple[State, Msg, State]]:
    """Every legal transition, for diagrams and tests."""
    return [
        (state, msg, target)
        for state, row in LIFECYCLES[lifecycle].items()
        for msg, target in row.items()
    ]
