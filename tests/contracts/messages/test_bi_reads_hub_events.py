"""BI reads every fact the hub publishes, dead letters included, to count what happened."""

from __future__ import annotations

from pathlib import Path

from hub_event_pacts import assert_committed, expect, hub_pact, money, stock_position
from pact import Pact, match

from contracts.participants import BI
from reference.domain.events import EventType as E
from reference.events_reader import BI_READER

SHIPPED = "an order is accepted and ships complete"
SHORT = "a line is short picked"
SKU, NODE, SHIPMENT = "PIPE-COPPER-15MM", "DC-ATL", "SH-ORD-7F3A2C-DC-ATL"


def bi_pact() -> Pact:
    pact = hub_pact(BI)
    expect(
        pact,
        "an order rejected",
        given="an order's price differs from the contract price",
        kind=E.ORDER_REJECTED,
        data={"reasons": match.each_like("credit: order value 168.75 exceeds the credit 50")},
    )
    expect(
        pact,
        "a line allocated to a warehouse",
        given=SHIPPED,
        kind=E.LINE_ALLOCATED,
        data={
            "line_no": match.int(1),
            "sku": match.like(SKU),
            "node": match.like(NODE),
            "quantity": match.int(10),
        },
    )
    expect(
        pact,
        "an order split across warehouses",
        given="an order needs two warehouses",
        kind=E.ORDER_SPLIT,
        data={"nodes": match.each_like(NODE, min=2)},
    )
    expect(
        pact,
        "an order released to a warehouse",
        given=SHIPPED,
        kind=E.ORDER_RELEASED,
        data={"node": match.like(NODE), "carrier": match.like("PARCELCO"), "lines": match.int(2)},
    )
    expect(
        pact,
        "a line short picked",
        given=SHORT,
        kind=E.LINE_SHORT_PICKED,
        data={
            "line_no": match.int(1),
            "sku": match.like(SKU),
            "node": match.like(NODE),
            "short": match.int(4),
        },
    )
    expect(
        pact,
        "a line backordered after a short pick",
        given=SHORT,
        kind=E.LINE_BACKORDERED,
        data={
            "line_no": match.int(1),
            "sku": match.like(SKU),
            "quantity": match.int(4),
            "cause": match.regex("short_pick", regex=r"^(no_stock|short_pick)$"),
        },
    )
    expect(
        pact,
        "a shipment confirmed",
        given=SHIPPED,
        kind=E.SHIPMENT_CONFIRMED,
        data={
            "node": match.like(NODE),
            "shipment_id": match.like(SHIPMENT),
            "units": match.int(15),
            "carrier": match.like("PARCELCO"),
        },
    )
    expect(
        pact,
        "an invoice posted",
        given=SHIPPED,
        kind=E.INVOICE_POSTED,
        data={
            "invoice_id": match.like(f"INV-{SHIPMENT}"),
            "shipment_id": match.like(SHIPMENT),
            "net": money("168.75"),
            "tax": money("13.50"),
            "total": money("182.25"),
            "currency": match.like("USD"),
        },
    )
    expect(
        pact,
        "a backorder cancelled when the order closes",
        given="a line is backordered for lack of stock",
        kind=E.BACKORDER_CANCELLED,
        data={"line_no": match.int(2), "sku": match.like("BREAKER-20A"), "quantity": match.int(5)},
    )
    expect(
        pact,
        "an order closed",
        given=SHIPPED,
        kind=E.ORDER_CLOSED,
        data={"invoices": match.int(1)},
    )
    expect(
        pact,
        "a stock movement",
        given="stock is received at a warehouse",
        kind=E.INVENTORY_MOVED,
        subject=stock_position(),
        data={
            "movement_id": match.like("RCV-88213"),
            "kind": match.regex("receipt", regex=r"^[a-z_]+$"),
            "quantity": match.int(24),
            "on_hand": match.int(64),
        },
    )
    expect(
        pact,
        "a change in available to sell",
        given="stock is received at a warehouse",
        kind=E.AVAILABILITY_CHANGED,
        subject=stock_position(),
        data={"available": match.int(64), "was": match.int(40)},
    )
    expect(
        pact,
        "a reconciliation exception",
        given="a warehouse count differs from the hub's books",
        kind=E.RECONCILIATION_EXCEPTION,
        subject=stock_position(),
        data={
            "snapshot_id": match.like("CC-2026-001"),
            "hub_on_hand": match.int(40),
            "wms_on_hand": match.int(37),
            "difference": match.int(-3),
        },
    )
    expect(
        pact,
        "a call dead-lettered",
        given="a call to ERP exhausts its retries",
        kind=E.MESSAGE_DEAD_LETTERED,
        data={
            "call_id": match.like("ORD-7F3A2C:check_order:erp"),
            "system": match.like("erp"),
            "operation": match.like("check_order"),
            "reason": match.like("erp.check_order failed after 6 attempt(s): unavailable"),
        },
    )
    return pact


def test_the_bi_reader_reads_every_message_in_its_pact() -> None:
    bi_pact().verify(BI_READER, "Async")


def test_the_committed_bi_pact_is_the_one_bi_expects(tmp_path: Path) -> None:
    assert_committed(bi_pact(), tmp_path)
