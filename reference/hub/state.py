"""The hub's state: order sagas and the inventory projection, as plain data.

Everything the hub needs to resume lives here, so a shell can persist it as rows and a restarted
service picks up where it stopped. The core mutates only the state handed to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from reference.domain.availability import Inventory
from reference.domain.events import Event, EventType
from reference.domain.lifecycle import (
    RELEASE_DONE,
    Msg,
    ReleaseMsg,
    ReleaseState,
    State,
    release_transition,
    transition,
)
from reference.hub.rejection import Rejection
from reference.hub.retry import RetryPolicy

Sourcing = Literal["first_fit", "fewest_nodes"]
OrderOwnership = Literal["erp", "hub"]
BackorderPreference = Literal["wait", "cancel"]


class BackorderCancel(StrEnum):
    """Why a backordered quantity stopped waiting for stock: the policy that cancelled it."""

    SHIP_AND_CANCEL = "ship_and_cancel"  # the hub's policy: nothing waits (BackorderPolicy.wait)
    CHANNEL_RULE = "channel_rule"  # the order's channel does not wait (cancel_channels)
    CUSTOMER_PREFERENCE = "customer_preference"  # the order said backorders: cancel
    MAX_AGE = "max_age"  # waited longer than BackorderPolicy.max_age


@dataclass(frozen=True, slots=True)
class BackorderPolicy:
    """When backordered units wait for stock, and the stated rules that cancel them.

    A backordered line waits: stock that arrives at a node (a receipt, transfer in, return,
    a count that finds more) is allocated to waiting lines oldest order first, and released.
    It is cancelled only by a rule, which the BackorderCancelled event names: ``wait=False``
    (ship what is there and cancel the rest), a channel in ``cancel_channels``, the order's
    own ``backorders: cancel``, or waiting longer than ``max_age`` seconds."""

    wait: bool = True
    max_age: float | None = 14 * 86400.0
    cancel_channels: frozenset[str] = frozenset()

    def stops_waiting(self, channel: str, preference: str) -> BackorderCancel | None:
        """The rule under which an order's backorders do not wait at all, if any."""
        if not self.wait:
            return BackorderCancel.SHIP_AND_CANCEL
        if channel in self.cancel_channels:
            return BackorderCancel.CHANNEL_RULE
        if preference == "cancel":
            return BackorderCancel.CUSTOMER_PREFERENCE
        return None


def stock_subject(node: str, sku: str) -> str:
    """The subject of a stock position's event stream (InventoryMoved, AvailabilityChanged...)."""
    return f"{node}/{sku}"


@dataclass(slots=True)
class LineRecord:
    line_no: int
    sku: str
    ordered: int
    unit_price: Decimal
    state: State = State.RECEIVED
    allocated: dict[str, int] = field(default_factory=dict)  # node -> units not yet picked
    shipped: int = 0
    backordered: int = 0
    cancelled: int = 0
    backordered_since: float | None = None  # when the units now backordered began to wait

    def move(self, message: Msg) -> None:
        self.state = transition("line", self.state, message)


@dataclass(slots=True)
class Release:
    """The part of an order one WMS node fulfils; its lifecycle is RELEASE_LIFECYCLE."""

    node: str
    lines: dict[int, int]  # line_no -> units released
    carrier: str | None = None
    state: ReleaseState = ReleaseState.PLANNED
    shipment_id: str | None = None  # set when a shipment of at least one unit is confirmed
    key: str | None = None  # its key on the saga when not the node: a later release there

    @property
    def ref(self) -> str:
        """The release's key on its saga: the node, or ``node.N`` for the N-th one there."""
        return self.key or self.node

    @property
    def shipped(self) -> bool:
        """The WMS is done with it: what shipped has shipped (perhaps nothing)."""
        return self.state in RELEASE_DONE

    def move(self, message: ReleaseMsg) -> None:
        self.state = release_transition(self.state, message)


# The order-level event of entering a state of ORDER_LIFECYCLE, for the states no handler already
# announces with an event of its own (OrderAccepted, OrderRejected, SalesOrderRejected,
# OrderClosed, OrderCancelled). ALLOCATED is OrderPartiallyAllocated while units wait for stock.
STATE_EVENTS: dict[State, EventType] = {
    State.ALLOCATED: EventType.ORDER_ALLOCATED,
    State.BACKORDERED: EventType.ORDER_BACKORDERED,
    State.PARTIALLY_SHIPPED: EventType.ORDER_PARTIALLY_SHIPPED,
    State.SHIPPED: EventType.ORDER_SHIPPED,
    State.INVOICED: EventType.ORDER_INVOICED,
}


@dataclass(slots=True)
class OrderSaga:
    order_id: str
    order_number: str
    customer_id: str
    channel: str
    currency: str
    region: str
    correlation_id: str
    received_at: float
    lines: dict[int, LineRecord]
    state: State = State.RECEIVED
    releases: dict[str, Release] = field(default_factory=dict)
    pending_calls: set[str] = field(default_factory=set)
    invoices: list[str] = field(default_factory=list)
    shipments: int = 0
    event_count: int = 0
    reasons: list[Rejection] = field(default_factory=list)
    erp_order_number: str | None = None  # set when the ERP commits the sales order
    cancel_reason: str | None = None  # a cancel asked of the ERP, not yet confirmed by it
    backorders: BackorderPreference = "wait"  # the customer's preference for what is short
    invoice_totals: dict[str, Decimal] = field(default_factory=dict)  # invoice id -> total
    payments: dict[str, tuple[str, Decimal]] = field(default_factory=dict)  # id -> (inv, amt)
    credit_memos: dict[str, tuple[str, Decimal]] = field(default_factory=dict)  # id -> (inv, amt)
    tax_rate: Decimal | None = None  # the ERP's rate at capture; invoices are checked against it
    # facts for the report, kept as they happen so nothing has to be replayed to count them
    was_split: bool = False
    was_partially_shipped: bool = False
    was_backordered: bool = False

    def move(self, message: Msg) -> None:
        self.state = transition("order", self.state, message)
        if self.state is State.PARTIALLY_SHIPPED:
            self.was_partially_shipped = True

    def advance(self, message: Msg, now: float, events: list[Event]) -> None:
        """``move``, and when that enters a state of STATE_EVENTS, append its event: the order's
        state as a fact, so no consumer has to infer it from line events."""
        before = self.state
        self.move(message)
        kind = STATE_EVENTS.get(self.state)
        if kind is None or self.state is before:
            return
        lines = self.lines.values()
        backordered = sum(ln.backordered for ln in lines)
        if kind is EventType.ORDER_ALLOCATED and backordered:
            kind = EventType.ORDER_PARTIALLY_ALLOCATED
        events.append(
            self.event(
                kind,
                now,
                ordered=sum(ln.ordered for ln in lines),
                allocated=sum(sum(ln.allocated.values()) for ln in lines),
                backordered=backordered,
                shipped=sum(ln.shipped for ln in lines),
                cancelled=sum(ln.cancelled for ln in lines),
                invoices=len(self.invoices),
            )
        )

    def event(self, kind: EventType, now: float, **data: object) -> Event:
        self.event_count += 1
        return Event(
            id=f"{self.order_id}/{self.event_count}",
            type=kind,
            subject=self.order_id,
            time=now,
            correlation_id=self.correlation_id,
            data=data,
        )

    def value(self) -> Decimal:
        return sum((ln.unit_price * ln.ordered for ln in self.lines.values()), Decimal(0))

    def fully_shipped(self) -> bool:
        return all(ln.shipped == ln.ordered for ln in self.lines.values())

    def waits_for_stock(self) -> bool:
        return any(ln.backordered for ln in self.lines.values())

    def units_shipped(self) -> int:
        return sum(ln.shipped for ln in self.lines.values())


@dataclass(frozen=True, slots=True)
class HubConfig:
    """Policies of one hub. ``nodes`` is the fulfilment preference order.

    ``sourcing`` says which node fills a line. ``first_fit``: the first node, in preference
    order, that can fill the line whole. ``fewest_nodes``: the same, but per order the nodes
    that can fill more of its lines whole come first, so orders split less and the
    best-stocked node takes more of the work. It is a ranking, not a search: it does not look
    for the smallest set of nodes that covers the order, so an order can still split more
    than it must. Lines no node can fill whole are split across nodes in the same order.

    ``order_ownership`` says who is the system of record for commercial orders. ``erp``: the
    hub allocates at capture but releases to a warehouse only after the ERP has committed the
    sales order, and a cancel goes to the ERP first. ``hub``: the hub releases at once and only
    tells the ERP, for estates that really work that way."""

    nodes: tuple[str, ...]
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    seed: int = 0
    check_duplicates: bool = True
    check_credit: bool = True
    sourcing: Sourcing = "first_fit"
    order_ownership: OrderOwnership = "erp"
    backorders: BackorderPolicy = field(default_factory=BackorderPolicy)


@dataclass(slots=True)
class HubState:
    orders: dict[str, OrderSaga] = field(default_factory=dict)
    order_numbers: dict[tuple[str, str], str] = field(default_factory=dict)
    inventory: Inventory = field(default_factory=Inventory)
    exposure: dict[str, Decimal] = field(default_factory=dict)
    stream_counts: dict[str, int] = field(default_factory=dict)
    # sku -> {order id: when the order was received}: orders with a line waiting for that sku
    waiting: dict[str, dict[str, float]] = field(default_factory=dict)

    def stream_event(
        self,
        subject: str,
        kind: EventType,
        now: float,
        correlation_id: str,
        data: dict[str, object],
    ) -> Event:
        """An event about something other than an order, such as a stock position."""
        count = self.stream_counts.get(subject, 0) + 1
        self.stream_counts[subject] = count
        return Event(
            id=f"{subject}/{count}",
            type=kind,
            subject=subject,
            time=now,
            correlation_id=correlation_id,
            data=data,
        )
