"""Order, order-line and release lifecycles as transition tables.

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
    ERP_REJECTED = "erp_rejected"  # the ERP, system of record, refused the sales order


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
    ERP_REJECT = "erp_reject"


Table = Mapping[State, Mapping[Msg, State]]

S, M = State, Msg

_FLOW: Final[Table] = {
    S.RECEIVED: {M.ACCEPT: S.ACCEPTED, M.REJECT: S.REJECTED, M.CANCEL: S.CANCELLED},
    S.ACCEPTED: {M.ALLOCATE: S.ALLOCATED, M.BACKORDER: S.BACKORDERED, M.CANCEL: S.CANCELLED},
    S.ALLOCATED: {
        M.ALLOCATE: S.ALLOCATED,  # more of a backorder allocated as stock arrives
        M.SHIP_PARTIAL: S.PARTIALLY_SHIPPED,
        M.SHIP: S.SHIPPED,
        M.BACKORDER: S.BACKORDERED,  # every allocated unit short-picked, nothing shipped
        M.CANCEL: S.CANCELLED,
        M.ERP_REJECT: S.ERP_REJECTED,  # the ERP refused the sales order before any release
    },
    S.BACKORDERED: {
        M.ALLOCATE: S.ALLOCATED,
        M.CANCEL: S.CANCELLED,
        M.ERP_REJECT: S.ERP_REJECTED,
    },
    S.PARTIALLY_SHIPPED: {
        M.ALLOCATE: S.PARTIALLY_SHIPPED,  # the waiting rest allocated as stock arrives
        M.SHIP_PARTIAL: S.PARTIALLY_SHIPPED,
        M.SHIP: S.SHIPPED,
        M.INVOICE: S.PARTIALLY_SHIPPED,  # each shipment is invoiced as it goes
        M.CLOSE: S.CLOSED,  # what was not shipped was cancelled by a stated policy
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


class ReleaseState(StrEnum):
    """The part of an order one WMS node fulfils, and the shipment it becomes."""

    PLANNED = "planned"  # stock allocated at the node; no carrier yet
    RELEASED = "released"  # rated: the WMS was asked to pick and ship it
    ACKNOWLEDGED = "acknowledged"  # the WMS took it; its shipment confirmation is awaited
    SHIPPED = "shipped"  # a shipment left with at least one unit; its invoice is requested
    NOTHING_SHIPPED = "nothing_shipped"  # every unit short-picked: no shipment, no invoice
    INVOICED = "invoiced"  # ERP posted the shipment's invoice
    CANCELLED = "cancelled"  # the order was cancelled before any carrier was chosen


class ReleaseMsg(StrEnum):
    RATE = "rate"  # the TMS chose a carrier; the release goes to the WMS
    ACKNOWLEDGE = "acknowledge"  # the WMS answered the release without saying what shipped
    SHIP = "ship"  # the WMS confirmed a shipment of at least one unit
    SHIP_NOTHING = "ship_nothing"  # the WMS confirmed it shipped nothing
    INVOICE = "invoice"  # ERP posted the invoice of the release's shipment
    CANCEL = "cancel"


ReleaseTable = Mapping[ReleaseState, Mapping[ReleaseMsg, ReleaseState]]

R, RM = ReleaseState, ReleaseMsg

RELEASE_LIFECYCLE: Final[ReleaseTable] = {
    R.PLANNED: {RM.RATE: R.RELEASED, RM.CANCEL: R.CANCELLED},
    R.RELEASED: {
        RM.ACKNOWLEDGE: R.ACKNOWLEDGED,
        RM.SHIP: R.SHIPPED,  # a WMS that answers the release with what it shipped
        RM.SHIP_NOTHING: R.NOTHING_SHIPPED,
    },
    R.ACKNOWLEDGED: {RM.SHIP: R.SHIPPED, RM.SHIP_NOTHING: R.NOTHING_SHIPPED},
    R.SHIPPED: {RM.INVOICE: R.INVOICED},
}
"""One release. Once a carrier is chosen it can no longer be cancelled in the hub."""

RELEASE_DONE: Final = frozenset({R.SHIPPED, R.NOTHING_SHIPPED, R.INVOICED})
"""The states in which the WMS is done with a release: whatever shipped has shipped."""


def release_transition(state: ReleaseState, message: ReleaseMsg) -> ReleaseState:
    """The state ``message`` leads a release to from ``state``, or IllegalTransition."""
    try:
        return RELEASE_LIFECYCLE[state][message]
    except KeyError:
        raise IllegalTransition("release", state.value, message.value) from None


def release_edges() -> list[tuple[ReleaseState, ReleaseMsg, ReleaseState]]:
    """Every legal transition of a release, for diagrams and tests."""
    return [
        (state, msg, target)
        for state, row in RELEASE_LIFECYCLE.items()
        for msg, target in row.items()
    ]
