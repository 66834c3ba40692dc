"""The order process manager, message by message, against the pure system models."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from small_distributor import PRICES, order

from reference.domain.errors import IllegalTransition
from reference.domain.lifecycle import ReleaseState, State
from reference.domain.model import InventoryMovement, InventorySnapshot, MovementKind, SnapshotLine
from reference.hub import (
    BackorderPolicy,
    CallSystem,
    CancellationRefused,
    CancelOrder,
    ConfirmShipment,
    FailureKind,
    Operation,
    PlaceOrder,
    ReconcileSnapshot,
    RecordMovement,
    Rejection,
    RejectionCode,
    SystemCallFailed,
    SystemReplied,
    call_id,
)
from reference.hub.protocol import shipment_wait_id

ATL, DFW, RNO = "DC-ATL", "DC-DFW", "DC-RNO"
SHIP_AND_CANCEL = BackorderPolicy(wait=False)  # the hub's old rule: nothing waits for stock
PIPE, BREAKER, CEMENT = "PIPE-COPPER-15MM", "BREAKER-20A", "SOLVENT-CEMENT-CHM"


def place(driver, the_order, order_id="SO-1"):
    driver.send(PlaceOrder(the_order, order_id, f"corr-{order_id}"))
    return driver.hub.saga(order_id)


def test_a_valid_order_is_accepted_shipped_invoiced_and_closed(driver_for):
    driver = driver_for({(ATL, PIPE): 50, (ATL, BREAKER): 50})
    saga = place(driver, order((PIPE, 10), (BREAKER, 4)))
    assert saga.state is State.CLOSED
    assert [ln.state for ln in saga.lines.values()] == [State.CLOSED, State.CLOSED]
    assert driver.types("SO-1") == [
        "OrderReceived",
        "OrderAccepted",
        "LineAllocated",
        "LineAllocated",
        "OrderAllocated",
        "SalesOrderCommitted",
        "OrderReleased",
        "ShipmentConfirmed",
        "OrderShipped",
        "InvoiceRequested",
        "InvoicePosted",
        "OrderInvoiced",
        "OrderClosed",
    ]
    posted = next(e for e in driver.events if e.type == "InvoicePosted")
    assert posted.data["net"] == str(Decimal("12.40") * 10 + Decimal("8.95") * 4)
    assert posted.correlation_id == "corr-SO-1"


def test_a_line_one_node_can_fill_goes_to_that_node_whole(driver_for):
    driver = driver_for({(ATL, PIPE): 5, (DFW, PIPE): 20})
    saga = place(driver, order((PIPE, 10)))
    assert {
        e.data["node"]: e.data["quantity"] for e in driver.events if e.type == "LineAllocated"
    } == {DFW: 10}
    assert not saga.was_split


def test_fewest_nodes_sourcing_ships_from_the_node_that_can_fill_the_whole_order(driver_for):
    stock = {(ATL, PIPE): 10, (DFW, PIPE): 10, (DFW, BREAKER): 10}
    nodes = {}
    for sourcing in ("first_fit", "fewest_nodes"):  # one ERP for both: two order ids
        driver = driver_for(stock, sourcing=sourcing)
        saga = place(driver, order((PIPE, 5), (BREAKER, 5)), order_id=f"SO-{sourcing}")
        nodes[sourcing] = {e.data["node"] for e in driver.events if e.type == "LineAllocated"}
        assert saga.state is State.CLOSED
    assert nodes == {"first_fit": {ATL, DFW}, "fewest_nodes": {DFW}}


def test_a_line_no_node_can_fill_is_split_across_nodes_in_preference_order(driver_for):
    driver = driver_for({(ATL, PIPE): 6, (DFW, PIPE): 3, (RNO, PIPE): 4})
    saga = place(driver, order((PIPE, 12)))
    allocations = [
        (e.data["node"], e.data["quantity"]) for e in driver.events if e.type == "LineAllocated"
    ]
    assert allocations == [(ATL, 6), (DFW, 3), (RNO, 3)]
    assert saga.was_split and saga.shipments == 3 and len(saga.invoices) == 3
    assert saga.lines[1].shipped == 12 and saga.state is State.CLOSED


def test_under_ship_and_cancel_what_no_node_has_is_cancelled_at_close_never_overwritten(
    driver_for,
):
    driver = driver_for({(ATL, PIPE): 7}, backorders=SHIP_AND_CANCEL)
    saga = place(driver, order((PIPE, 10), (BREAKER, 3)))
    pipe, breaker = saga.lines[1], saga.lines[2]
    assert (pipe.ordered, pipe.shipped, pipe.cancelled) == (10, 7, 3)
    assert (breaker.ordered, breaker.shipped, breaker.cancelled, breaker.state) == (
        3,
        0,
        3,
        State.CANCELLED,
    )
    assert saga.was_backordered and saga.was_partially_shipped
    assert saga.state is State.CLOSED
    cancelled = [e.data for e in driver.events if e.type == "BackorderCancelled"]
    assert cancelled == [
        {"line_no": 1, "sku": PIPE, "quantity": 3, "reason": "ship_and_cancel"},
        {"line_no": 2, "sku": BREAKER, "quantity": 3, "reason": "ship_and_cancel"},
    ]


def test_under_ship_and_cancel_an_order_nothing_can_be_shipped_for_is_cancelled(driver_for):
    driver = driver_for({}, backorders=SHIP_AND_CANCEL)
    saga = place(driver, order((PIPE, 2)))
    assert saga.state is State.CANCELLED
    assert driver.types("SO-1")[-1] == "OrderCancelled"


def test_a_short_pick_ships_less_and_backorders_the_rest(driver_for):
    driver = driver_for({(ATL, PIPE): 40}, short_pick_rate=1.0, backorders=SHIP_AND_CANCEL)
    saga = place(driver, order((PIPE, 20)))
    line = saga.lines[1]
    assert line.ordered == 20 and line.shipped < 20
    assert line.shipped + line.cancelled == 20
    short = next(e for e in driver.events if e.type == "LineShortPicked")
    assert short.data["short"] == 20 - line.shipped
    # the phantom units are written off the hub's books as well as the warehouse's
    position = driver.hub.state.inventory.position(ATL, PIPE)
    assert position.on_hand == driver.systems[f"wms:{ATL}"].on_hand[PIPE] == 20
    assert position.allocated == 0


@pytest.mark.parametrize(
    ("kwargs", "field", "code", "message"),
    [
        (
            {"customer": "NOBODY"},
            "customer_id",
            RejectionCode.UNKNOWN_CUSTOMER,
            "'NOBODY' is not a customer in ERP",
        ),
        (
            {"customer": "HELD-CO"},
            "customer_id",
            RejectionCode.CREDIT_HOLD,
            "'HELD-CO' is on credit hold in ERP",
        ),
        (
            {"price": {**PRICES, PIPE: Decimal("11.00")}},
            "lines.0.unit_price",
            RejectionCode.PRICE_MISMATCH,
            "11.00 differs from the contract price 12.40",
        ),
        (
            {"region": "CA"},
            "lines.1.sku",
            RejectionCode.SHIP_TO_RESTRICTED,
            "'SOLVENT-CEMENT-CHM' may not ship to region 'CA'",
        ),
        (
            {"currency": "EUR"},
            "currency",
            RejectionCode.CURRENCY_MISMATCH,
            "'EUR' differs from the currency of the customer's contract prices 'USD'",
        ),
        (
            {"customer": "TINY-HARDWARE"},
            "credit",
            RejectionCode.CREDIT_LIMIT,
            "order value 130.10 exceeds the available credit 50",
        ),
    ],
)
def test_an_order_erp_cannot_accept_is_rejected_with_a_reason_naming_the_field(
    driver_for, kwargs, field, code, message
):
    driver = driver_for({(ATL, PIPE): 50, (ATL, CEMENT): 50})
    saga = place(driver, order((PIPE, 10), (CEMENT, 1), **kwargs))
    assert saga.state is State.REJECTED
    assert Rejection(field, code, message) in saga.reasons
    assert driver.types("SO-1") == ["OrderReceived", "OrderRejected"]
    rejected = next(e for e in driver.events if e.type == "OrderRejected")
    assert f"{field}: {message}" in rejected.data["reasons"]
    assert driver.hub.state.inventory.position(ATL, PIPE).allocated == 0


def test_the_same_order_number_from_the_same_customer_is_a_duplicate(driver_for):
    driver = driver_for({(ATL, PIPE): 50})
    place(driver, order((PIPE, 1)), "SO-1")
    second = place(driver, order((PIPE, 1)), "SO-2")
    assert second.state is State.REJECTED
    assert second.reasons == [
        Rejection("order_number", RejectionCode.DUPLICATE_ORDER, "'PO-1001' duplicates order SO-1")
    ]


def test_the_same_command_twice_decides_once(driver_for):
    driver = driver_for({(ATL, PIPE): 50})
    place(driver, order((PIPE, 1)))
    before = len(driver.events)
    place(driver, order((PIPE, 1)))
    assert len(driver.events) == before


def test_an_answer_the_saga_no_longer_waits_for_is_ignored(driver_for):
    driver = driver_for({(ATL, PIPE): 50})
    saga = place(driver, order((PIPE, 1)))
    late = driver.hub.decide(
        SystemReplied(_call_of(saga, Operation.CHECK_ORDER), {"customer_known": True}), 1.0
    )
    assert late.events == [] and late.effects == []
    assert saga.state is State.CLOSED


def _call_of(saga, operation):
    return CallSystem(
        call_id(saga.order_id, operation, "erp"),
        "erp",
        operation,
        {},
        saga.order_id,
        saga.correlation_id,
    )


def _accepted(hub, order_id="SO-1"):
    """Place an order and answer ERP's check: accepted and allocated, nothing yet committed."""
    hub.decide(PlaceOrder(order((PIPE, 5)), order_id, "c"), 0.0)
    return hub.decide(
        SystemReplied(
            _call_of(hub.saga(order_id), Operation.CHECK_ORDER),
            {
                "customer_known": True,
                "credit_limit": "1000",
                "tax_rate": "0.08",
                "prices": {PIPE: "12.40"},
                "restricted": [],
            },
        ),
        1.0,
    )


def test_nothing_is_rated_or_released_before_the_erp_commits_the_sales_order(driver_for):
    hub = driver_for({(ATL, PIPE): 50}).hub
    replied = _accepted(hub)
    assert [e.operation for e in replied.effects] == ["create_sales_order"]
    assert hub.state.inventory.position(ATL, PIPE).allocated == 5
    committed = hub.decide(
        SystemReplied(
            _call_of(hub.saga("SO-1"), Operation.CREATE_SALES_ORDER), {"erp_order": "E9"}
        ),
        2.0,
    )
    assert [(e.type, dict(e.data)) for e in committed.events] == [
        ("SalesOrderCommitted", {"erp_order_number": "E9"})
    ]
    assert [e.operation for e in committed.effects] == ["rate"]
    assert hub.saga("SO-1").erp_order_number == "E9"


def test_in_hub_owned_mode_the_order_is_rated_at_once_and_the_erp_only_told(driver_for):
    hub = driver_for({(ATL, PIPE): 50}, order_ownership="hub").hub
    replied = _accepted(hub)
    assert [e.operation for e in replied.effects] == ["create_sales_order", "rate"]
    told = hub.decide(
        SystemReplied(
            _call_of(hub.saga("SO-1"), Operation.CREATE_SALES_ORDER), {"erp_order": "E9"}
        ),
        2.0,
    )
    assert told.events == [] and told.effects == []


def test_an_erp_refusing_the_sales_order_rejects_it_and_gives_back_stock_and_credit(driver_for):
    hub = driver_for({(ATL, PIPE): 50}).hub
    _accepted(hub)
    saga = hub.saga("SO-1")
    refused = hub.decide(
        SystemCallFailed(
            _call_of(saga, Operation.CREATE_SALES_ORDER),
            FailureKind.REFUSED,
            detail="customer ACME-PLUMBING is on credit hold",
        ),
        2.0,
    )
    assert [(e.type, dict(e.data)) for e in refused.events] == [
        ("SalesOrderRejected", {"reason": "customer ACME-PLUMBING is on credit hold"})
    ]
    assert refused.effects == []
    assert saga.state is State.ERP_REJECTED
    assert [ln.state for ln in saga.lines.values()] == [State.ERP_REJECTED]
    assert hub.state.inventory.position(ATL, PIPE).allocated == 0
    assert hub.state.exposure["ACME-PLUMBING"] == 0


def test_an_erp_put_on_hold_after_the_check_refuses_the_order_end_to_end(driver_for, erp):
    driver = driver_for({(ATL, PIPE): 50})
    hub = driver.hub
    driver.send(PlaceOrder(order((PIPE, 5)), "SO-1", "c"))  # closes, to start from a real ERP
    erp.customers["ACME-PLUMBING"] = replace(erp.customers["ACME-PLUMBING"], blocked=True)
    hub.decide(PlaceOrder(order((PIPE, 5), number="PO-2"), "SO-2", "c"), 0.0)
    driver.send(
        SystemReplied(
            _call_of(hub.saga("SO-2"), Operation.CHECK_ORDER),
            {
                "customer_known": True,
                "credit_limit": "1000",
                "tax_rate": "0.08",
                "prices": {PIPE: "12.40"},
            },
        )
    )
    assert driver.types("SO-2")[-1] == "SalesOrderRejected"
    assert "OrderReleased" not in driver.types("SO-2")
    assert hub.saga("SO-2").state is State.ERP_REJECTED


def test_a_cancel_goes_to_the_erp_first_and_frees_the_allocation_when_it_confirms(driver_for):
    hub = driver_for({(ATL, PIPE): 50}).hub
    _accepted(hub)
    saga = hub.saga("SO-1")
    asked = hub.decide(CancelOrder("SO-1", "customer changed their mind"), 2.0)
    assert [e.type for e in asked.events] == ["OrderCancelRequested"]
    assert asked.effects == []  # the sales order is still being created
    assert hub.state.inventory.position(ATL, PIPE).allocated == 5
    committed = hub.decide(
        SystemReplied(_call_of(saga, Operation.CREATE_SALES_ORDER), {"erp_order": "E9"}), 3.0
    )
    assert [e.type for e in committed.events] == ["SalesOrderCommitted"]
    (cancel_call,) = committed.effects
    assert cancel_call.operation == "cancel_sales_order"
    assert cancel_call.payload["erp_order"] == "E9"
    done = hub.decide(SystemReplied(cancel_call, {"status": "cancelled"}), 4.0)
    assert [(e.type, dict(e.data)) for e in done.events] == [
        ("OrderCancelled", {"reason": "customer changed their mind"})
    ]
    assert saga.state is State.CANCELLED
    assert hub.state.inventory.position(ATL, PIPE).allocated == 0
    assert hub.state.exposure["ACME-PLUMBING"] == 0


def test_a_cancel_of_a_committed_order_ignores_the_rating_it_overtook(driver_for):
    hub = driver_for({(ATL, PIPE): 50}).hub
    _accepted(hub)
    saga = hub.saga("SO-1")
    committed = hub.decide(
        SystemReplied(_call_of(saga, Operation.CREATE_SALES_ORDER), {"erp_order": "E9"}), 2.0
    )
    (rate,) = committed.effects
    (cancel_call,) = hub.decide(CancelOrder("SO-1"), 3.0).effects
    late = hub.decide(SystemReplied(rate, {"carrier": "PARCELCO"}), 4.0)
    assert late.events == [] and late.effects == []
    hub.decide(SystemReplied(cancel_call, {"status": "cancelled"}), 5.0)
    assert saga.state is State.CANCELLED


def test_in_hub_owned_mode_a_cancel_before_release_is_immediate(driver_for):
    hub = driver_for({(ATL, PIPE): 50}, order_ownership="hub").hub
    _accepted(hub)
    cancelled = hub.decide(CancelOrder("SO-1"), 2.0)
    assert [e.type for e in cancelled.events] == ["OrderCancelled"]
    assert hub.state.inventory.position(ATL, PIPE).allocated == 0
    assert hub.state.exposure["ACME-PLUMBING"] == 0


def test_cancel_after_shipment_is_an_illegal_transition(driver_for):
    driver = driver_for({(ATL, PIPE): 50})
    place(driver, order((PIPE, 5)))
    with pytest.raises(IllegalTransition, match="in state 'closed'"):
        driver.hub.decide(CancelOrder("SO-1"), 5.0)


def test_cancel_once_a_warehouse_holds_the_order_is_refused(driver_for, erp):
    driver = driver_for({(ATL, PIPE): 50})
    hub = driver.hub
    hub.decide(PlaceOrder(order((PIPE, 5)), "SO-1", "c"), 0.0)
    saga = hub.saga("SO-1")
    hub.decide(
        SystemReplied(
            _call_of(saga, Operation.CHECK_ORDER),
            erp.handle(
                Operation.CHECK_ORDER,
                {"customer_id": "ACME-PLUMBING", "region": "GA", "skus": [PIPE]},
            ),
        ),
        1.0,
    )
    hub.decide(SystemReplied(_call_of(saga, Operation.CREATE_SALES_ORDER), {"erp_order": "E"}), 1.5)
    rate = CallSystem(
        call_id("SO-1", Operation.RATE, "tms", ATL),
        "tms",
        Operation.RATE,
        {"node": ATL},
        "SO-1",
        "c",
    )
    hub.decide(SystemReplied(rate, {"carrier": "PARCELCO"}), 2.0)
    with pytest.raises(CancellationRefused, match="released to WMS node DC-ATL"):
        hub.decide(CancelOrder("SO-1"), 3.0)


def test_a_wms_that_only_acknowledges_confirms_the_shipment_later(driver_for):
    driver = driver_for({(ATL, PIPE): 50}, backorders=SHIP_AND_CANCEL)

    class AcknowledgingWms:
        def handle(self, operation, payload):
            return {"acknowledged": True}

    driver.systems[f"wms:{ATL}"] = AcknowledgingWms()
    saga = place(driver, order((PIPE, 10)))
    assert saga.state is State.ALLOCATED
    assert saga.releases[ATL].state is ReleaseState.ACKNOWLEDGED
    assert shipment_wait_id("SO-1", ATL) in saga.pending_calls
    driver.send(ConfirmShipment("SO-1", ATL, "ASN-77", ({"line_no": 1, "quantity": 6},)))
    assert saga.lines[1].shipped == 6 and saga.lines[1].cancelled == 4
    assert saga.state is State.CLOSED
    assert saga.releases[ATL].state is ReleaseState.INVOICED
    assert saga.releases[ATL].shipment_id == "ASN-77"
    driver.send(ConfirmShipment("SO-1", ATL, "ASN-77", ({"line_no": 1, "quantity": 6},)))
    assert saga.shipments == 1  # a repeated confirmation ships nothing twice


def test_a_release_whose_every_unit_is_short_picked_ships_nothing_and_is_not_invoiced(
    driver_for,
):
    driver = driver_for({(ATL, PIPE): 50}, backorders=SHIP_AND_CANCEL)

    class AcknowledgingWms:
        def handle(self, operation, payload):
            return {"acknowledged": True}

    driver.systems[f"wms:{ATL}"] = AcknowledgingWms()
    saga = place(driver, order((PIPE, 10)))
    driver.send(ConfirmShipment("SO-1", ATL, "ASN-0", ({"line_no": 1, "quantity": 0},)))
    assert saga.releases[ATL].state is ReleaseState.NOTHING_SHIPPED
    assert saga.releases[ATL].shipment_id is None and saga.invoices == []
    assert saga.state is State.CANCELLED


def test_a_shipment_confirmed_before_any_carrier_is_chosen_is_an_illegal_transition(erp):
    from small_distributor import make_hub

    hub = make_hub({(ATL, PIPE): 50})
    check = hub.decide(PlaceOrder(order((PIPE, 5)), "SO-1", "c"), 0.0).effects[0]
    hub.decide(SystemReplied(check, erp.handle(check.operation, check.payload)), 1.0)
    assert hub.saga("SO-1").releases[ATL].state is ReleaseState.PLANNED
    confirm = ConfirmShipment("SO-1", ATL, "ASN-1", ({"line_no": 1, "quantity": 5},))
    with pytest.raises(IllegalTransition, match="release cannot handle 'ship' in state 'planned'"):
        hub.decide(confirm, 2.0)
    assert hub.state.inventory.position(ATL, PIPE).allocated == 5  # refused before any change


def test_a_synchronous_wms_ships_on_the_release_answer(driver_for):
    saga = place(driver_for({(ATL, PIPE): 50}), order((PIPE, 3)))
    assert saga.releases[ATL].state is ReleaseState.INVOICED
    assert not any(":shipment:" in c for c in saga.pending_calls)


def test_movements_and_snapshots_update_the_projection_and_report_differences(driver_for):
    driver = driver_for({(ATL, PIPE): 10})
    driver.send(
        RecordMovement(
            InventoryMovement(
                movement_id="M-1", node_id=ATL, sku=PIPE, kind=MovementKind.RECEIPT, quantity=5
            )
        )
    )
    driver.send(
        RecordMovement(
            InventoryMovement(
                movement_id="M-2", node_id=ATL, sku=PIPE, kind=MovementKind.QUARANTINE, quantity=3
            )
        )
    )
    assert driver.hub.state.inventory.available(ATL, PIPE) == 12
    changed = [e.data for e in driver.events if e.type == "AvailabilityChanged"]
    assert changed == [{"available": 15, "was": 10}, {"available": 12, "was": 15}]
    driver.send(
        RecordMovement(
            InventoryMovement(
                movement_id="M-3", node_id=ATL, sku=PIPE, kind=MovementKind.PICK, quantity=2
            )
        )
    )
    assert driver.events[-1].type == "InventoryMoved", "a pick leaves availability as it was"
    driver.send(
        ReconcileSnapshot(
            InventorySnapshot(
                snapshot_id="S-1", node_id=ATL, lines=[SnapshotLine(sku=PIPE, on_hand=11)]
            )
        )
    )
    exception = driver.events[-1]
    assert exception.type == "ReconciliationException"
    assert exception.data["difference"] == -4
    assert driver.hub.state.inventory.position(ATL, PIPE).on_hand == 11
