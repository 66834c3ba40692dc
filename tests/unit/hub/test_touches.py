"""What a message touches, checked against what deciding it actually changed.

The durable store loads only what ``touches`` names; a decision that changed anything else would
be written from a guess. So every message of these flows is decided on the full state, and each
stock position, exposure and event stream it changed must be one ``touches`` named beforehand.
"""

from __future__ import annotations

import copy
from dataclasses import astuple

from small_distributor import InlineDriver, order

from reference.domain.lifecycle import State
from reference.domain.model import (
    InventoryMovement,
    InventorySnapshot,
    MovementKind,
    SnapshotLine,
)
from reference.hub import (
    CancelOrder,
    Message,
    PlaceOrder,
    ReconcileSnapshot,
    RecordMovement,
    SystemReplied,
)
from reference.hub.touches import order_of, touches

ATL, DFW = "DC-ATL", "DC-DFW"
PIPE, BREAKER = "PIPE-COPPER-15MM", "BREAKER-20A"


class WatchedDriver(InlineDriver):
    """Decides every message as the inline driver does, recording what each one changed."""

    def __init__(self, driver: InlineDriver) -> None:
        super().__init__(driver.hub, driver.systems)
        self.checked: list[str] = []

    def send(self, message: Message) -> None:
        answers = self.ports.answers
        answers.append(message)
        while answers:
            self.watched(answers.popleft())

    def watched(self, message: Message) -> None:
        from reference.hub.interpreter import carry_out

        state, config = self.hub.state, self.hub.config
        order_id = order_of(message)
        saga = state.orders.get(order_id) if order_id is not None else None
        named = touches(message, copy.deepcopy(saga), config)
        positions = {key: astuple(p) for key, p in state.inventory.items()}
        exposure = dict(state.exposure)
        streams = dict(state.stream_counts)
        # the sagas it may change: its own, and those waiting in the queues it names
        mine = {order_id} | {o for sku in named.waiting for o in state.waiting.get(sku, {})}
        places = {(s, o) for s, q in state.waiting.items() for o in q}
        others = {k: copy.deepcopy(v) for k, v in state.orders.items() if k not in mine}
        carry_out(self.hub.decide(message, self.now), self.ports)
        changed_positions = {
            key for key, p in state.inventory.items() if positions.get(key) != astuple(p)
        }
        assert changed_positions <= set(named.positions), (message, named)
        changed_exposure = {c for c in state.exposure if exposure.get(c) != state.exposure[c]}
        assert changed_exposure <= {named.exposure}, (message, named)
        changed_streams = {
            s for s in state.stream_counts if streams.get(s) != state.stream_counts[s]
        }
        assert changed_streams <= set(named.streams), (message, named)
        assert {k: v for k, v in state.orders.items() if k not in mine} == others
        changed_places = places ^ {(s, o) for s, q in state.waiting.items() for o in q}
        assert all(s in named.waiting or o in mine for s, o in changed_places), (message, named)
        assert named.order_id == order_id
        self.checked.append(type(message).__name__)


def test_an_order_split_over_two_nodes_touches_only_what_it_names(driver_for):
    driver = WatchedDriver(driver_for({(ATL, PIPE): 4, (DFW, PIPE): 10, (ATL, BREAKER): 5}))
    driver.send(PlaceOrder(order((PIPE, 8), (BREAKER, 2)), "SO-1", "corr-1"))
    assert driver.hub.saga("SO-1").was_split
    assert {"PlaceOrder", "SystemReplied"} <= set(driver.checked)


def test_short_picks_backorders_and_ship_and_cancel_touch_only_what_they_name(driver_for):
    driver = WatchedDriver(driver_for({(ATL, PIPE): 40, (DFW, PIPE): 40}, short_pick_rate=0.5))
    for n in range(6):
        driver.send(PlaceOrder(order((PIPE, 9), number=f"PO-{n}"), f"SO-{n}", f"c-{n}"))
    assert any(s.was_backordered for s in driver.hub.state.orders.values())


def test_a_rejection_a_duplicate_and_a_cancel_touch_only_what_they_name(driver_for):
    driver = WatchedDriver(driver_for({(ATL, PIPE): 5}))
    driver.send(PlaceOrder(order((PIPE, 1), customer="TINY-HARDWARE"), "SO-1", "c"))
    driver.send(PlaceOrder(order((PIPE, 1)), "SO-2", "c"))
    driver.send(PlaceOrder(order((PIPE, 1)), "SO-3", "c"))
    # SO-4 is accepted and allocated, but the ERP has not yet committed it: the cancel goes to
    # the ERP when it does, and the ERP's confirmation gives the stock back
    check = driver.hub.decide(PlaceOrder(order((PIPE, 2), number="PO-4"), "SO-4", "c"), 0.0)
    call = check.effects[0]
    driver.watched(SystemReplied(call, driver.systems["erp"].handle(call.operation, call.payload)))
    committing = list(driver.ports.answers)  # the ERP's answer to create_sales_order
    driver.ports.answers.clear()
    driver.watched(CancelOrder("SO-4"))
    assert driver.hub.state.inventory.position(ATL, PIPE).allocated == 2
    for message in committing:
        driver.send(message)
    assert driver.hub.saga("SO-4").state is State.CANCELLED
    assert driver.hub.state.inventory.position(ATL, PIPE).allocated == 0
    assert driver.hub.state.inventory.position(ATL, PIPE).allocated == 0


def test_a_receipt_that_fills_backorders_touches_only_the_queue_it_names(driver_for):
    driver = WatchedDriver(driver_for({(ATL, BREAKER): 1}))
    driver.send(PlaceOrder(order((PIPE, 2), number="PO-1"), "SO-1", "c"))
    driver.send(PlaceOrder(order((BREAKER, 3), number="PO-2"), "SO-2", "c"))
    assert set(driver.hub.state.waiting) == {PIPE, BREAKER}
    driver.systems[f"wms:{ATL}"].on_hand[PIPE] = 2
    driver.send(
        RecordMovement(
            InventoryMovement(
                movement_id="MV-1", node_id=ATL, sku=PIPE, kind=MovementKind.RECEIPT, quantity=2
            )
        )
    )
    assert driver.hub.saga("SO-1").state is State.CLOSED
    assert driver.hub.state.waiting == {BREAKER: {"SO-2": 0.0}}


def test_movements_and_snapshots_touch_only_their_own_positions_and_streams(driver_for):
    driver = WatchedDriver(driver_for({(ATL, PIPE): 5, (ATL, BREAKER): 3}))
    driver.send(
        RecordMovement(
            InventoryMovement(
                movement_id="MV-1", node_id=ATL, sku=PIPE, kind=MovementKind.RECEIPT, quantity=7
            )
        )
    )
    driver.send(
        ReconcileSnapshot(
            InventorySnapshot(
                snapshot_id="SN-1",
                node_id=ATL,
                lines=(SnapshotLine(sku=PIPE, on_hand=11), SnapshotLine(sku=BREAKER, on_hand=3)),
            )
        )
    )
    assert driver.checked == ["RecordMovement", "ReconcileSnapshot"]
