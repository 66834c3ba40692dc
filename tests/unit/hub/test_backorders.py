"""Backorders as a workflow: they wait for stock, are filled oldest first when it arrives, and
are cancelled only by a stated rule that the event names."""

from __future__ import annotations

from decimal import Decimal

from small_distributor import order

from reference.domain.lifecycle import State
from reference.domain.model import Channel, InventoryMovement, MovementKind
from reference.hub import BackorderPolicy, CancelOrder, ExpireBackorders, PlaceOrder, RecordMovement

ATL, DFW = "DC-ATL", "DC-DFW"
PIPE, BREAKER = "PIPE-COPPER-15MM", "BREAKER-20A"


def place(driver, the_order, order_id="SO-1"):
    driver.send(PlaceOrder(the_order, order_id, f"corr-{order_id}"))
    return driver.hub.saga(order_id)


def receive(driver, node, sku, quantity, movement_id="MV-1"):
    """Stock arrives at the warehouse, and the WMS tells the hub."""
    wms = driver.systems[f"wms:{node}"]
    wms.on_hand[sku] = wms.on_hand.get(sku, 0) + quantity
    driver.send(
        RecordMovement(
            InventoryMovement(
                movement_id=movement_id,
                node_id=node,
                sku=sku,
                kind=MovementKind.RECEIPT,
                quantity=quantity,
            )
        )
    )


def data(driver, kind, order_id="SO-1"):
    return [dict(e.data) for e in driver.events if e.type == kind and e.subject == order_id]


def test_a_backorder_waits_and_ships_in_full_when_a_receipt_arrives(driver_for):
    driver = driver_for({(ATL, PIPE): 7})
    saga = place(driver, order((PIPE, 10)))
    assert saga.state is State.PARTIALLY_SHIPPED  # 7 shipped and invoiced; 3 wait
    assert (saga.lines[1].shipped, saga.lines[1].backordered) == (7, 3)
    assert driver.hub.state.waiting == {PIPE: {"SO-1": 0.0}}
    receive(driver, ATL, PIPE, 5)
    assert saga.state is State.CLOSED
    line = saga.lines[1]
    assert (line.shipped, line.backordered, line.cancelled, line.state) == (10, 0, 0, State.CLOSED)
    assert data(driver, "BackorderAllocated") == [
        {"line_no": 1, "sku": PIPE, "node": ATL, "quantity": 3, "waited": 0.0}
    ]
    assert data(driver, "BackorderCancelled") == []
    assert sorted(saga.releases) == [ATL, f"{ATL}.2"]  # a second release at the same node
    assert len(saga.invoices) == 2
    assert driver.hub.state.waiting == {}
    assert driver.hub.state.inventory.position(ATL, PIPE).available_to_sell() == 2


def test_a_wholly_backordered_order_waits_instead_of_being_cancelled(driver_for):
    driver = driver_for({})
    saga = place(driver, order((PIPE, 2)))
    assert saga.state is State.BACKORDERED
    assert "OrderCancelled" not in driver.types("SO-1")
    receive(driver, DFW, PIPE, 2)
    assert saga.state is State.CLOSED
    assert driver.types("SO-1")[-9:] == [
        "BackorderAllocated",
        "OrderAllocated",  # from backordered: every unit is now allocated
        "OrderReleased",
        "ShipmentConfirmed",
        "OrderShipped",
        "InvoiceRequested",
        "InvoicePosted",
        "OrderInvoiced",
        "OrderClosed",
    ]


def test_stock_goes_to_the_oldest_waiting_order_first(driver_for):
    driver = driver_for({})
    driver.now = 10.0
    younger = place(driver, order((PIPE, 4), number="PO-2"), "SO-2")
    driver.now = 5.0  # received earlier, though placed here second
    older = place(driver, order((PIPE, 4), number="PO-1"), "SO-1")
    driver.now = 20.0
    receive(driver, ATL, PIPE, 5)
    assert older.state is State.CLOSED
    assert (younger.lines[1].shipped, younger.lines[1].backordered) == (1, 3)
    assert younger.state is State.PARTIALLY_SHIPPED


def test_a_channel_rule_cancels_backorders_and_says_so(driver_for):
    policy = BackorderPolicy(cancel_channels=frozenset({"marketplace"}))
    driver = driver_for({(ATL, PIPE): 7}, backorders=policy)
    the_order = order((PIPE, 10)).model_copy(update={"channel": Channel.MARKETPLACE})
    saga = place(driver, the_order)
    assert saga.state is State.CLOSED
    assert data(driver, "BackorderCancelled") == [
        {"line_no": 1, "sku": PIPE, "quantity": 3, "reason": "channel_rule"}
    ]
    assert driver.hub.state.waiting == {}


def test_a_customer_who_will_not_wait_has_the_rest_cancelled(driver_for):
    driver = driver_for({(ATL, PIPE): 7})
    saga = place(driver, order((PIPE, 10)).model_copy(update={"backorders": "cancel"}))
    assert saga.state is State.CLOSED
    assert [d["reason"] for d in data(driver, "BackorderCancelled")] == ["customer_preference"]


def test_a_backorder_older_than_the_policy_allows_is_cancelled_by_its_timer(driver_for):
    driver = driver_for({(ATL, PIPE): 7}, backorders=BackorderPolicy(max_age=3600.0))
    saga = place(driver, order((PIPE, 10)))
    (timer,) = driver.timers
    assert (timer.at, timer.message) == (3600.0, ExpireBackorders("SO-1"))
    driver.now = 1800.0
    driver.send(timer.message)  # early: nothing has waited an hour yet
    assert saga.state is State.PARTIALLY_SHIPPED
    driver.now = 3600.0
    driver.send(timer.message)
    assert saga.state is State.CLOSED
    assert data(driver, "BackorderCancelled") == [
        {"line_no": 1, "sku": PIPE, "quantity": 3, "reason": "max_age"}
    ]
    # what is owed is the 7 shipped, as invoiced with tax; the 3 cancelled are not
    (invoice,) = driver.systems["erp"].invoices.values()
    assert driver.hub.state.exposure["ACME-PLUMBING"] == Decimal(invoice["total"])


def test_cancelling_a_waiting_order_gives_up_its_place_in_the_queue(driver_for):
    driver = driver_for({})
    place(driver, order((PIPE, 2)))
    driver.send(CancelOrder("SO-1"))
    assert driver.hub.saga("SO-1").state is State.CANCELLED
    assert driver.hub.state.waiting == {}
    receive(driver, ATL, PIPE, 2)
    assert driver.hub.state.inventory.position(ATL, PIPE).allocated == 0


def test_a_short_pick_waits_for_stock_too(driver_for):
    driver = driver_for({(ATL, PIPE): 40}, short_pick_rate=1.0)
    saga = place(driver, order((PIPE, 20)))
    short = saga.lines[1].backordered
    assert short > 0 and saga.state is not State.CLOSED
    driver.systems[f"wms:{ATL}"].short_pick_rate = 0.0
    receive(driver, ATL, PIPE, short)
    assert (saga.lines[1].shipped, saga.state) == (20, State.CLOSED)


def test_each_order_state_entered_is_an_event_with_the_order_s_quantities(driver_for):
    driver = driver_for({(ATL, PIPE): 7})
    place(driver, order((PIPE, 10)))
    states = [
        (e.type.value, dict(e.data))
        for e in driver.events
        if e.type in ("OrderPartiallyAllocated", "OrderPartiallyShipped")
    ]
    common = {"ordered": 10, "backordered": 3, "cancelled": 0}
    assert states == [
        ("OrderPartiallyAllocated", {**common, "allocated": 7, "shipped": 0, "invoices": 0}),
        ("OrderPartiallyShipped", {**common, "allocated": 0, "shipped": 7, "invoices": 0}),
    ]
    receive(driver, ATL, PIPE, 3)
    assert driver.types("SO-1")[-4:] == [
        "InvoiceRequested",
        "InvoicePosted",
        "OrderInvoiced",
        "OrderClosed",
    ]
    shipped = next(e for e in driver.events if e.type == "OrderShipped")
    assert dict(shipped.data)["shipped"] == 10
