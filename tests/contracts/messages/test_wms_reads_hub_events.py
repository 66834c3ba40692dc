"""The warehouse reads what it is asked to ship, what is called off, and the stock books."""

from __future__ import annotations

from pathlib import Path

from hub_event_pacts import assert_committed, expect, hub_pact, stock_position
from pact import Pact, match

from contracts.participants import WMS
from reference.domain.events import EventType as E
from reference.events_reader import WMS_READER


def wms_pact() -> Pact:
    pact = hub_pact(WMS)
    expect(
        pact,
        "an order released to a warehouse",
        given="an order is accepted and ships complete",
        kind=E.ORDER_RELEASED,
        data={
            "node": match.like("DC-ATL"),
            "carrier": match.like("PARCELCO"),
            "lines": match.int(2),
        },
    )
    expect(
        pact,
        "an order cancelled before it reached a warehouse",
        given="a customer cancels an order before it is released",
        kind=E.ORDER_CANCELLED,
        data={"reason": match.like("customer request")},
    )
    expect(
        pact,
        "a stock movement booked by the hub",
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
        "a change in what a warehouse may sell",
        given="stock is received at a warehouse",
        kind=E.AVAILABILITY_CHANGED,
        subject=stock_position(),
        data={"available": match.int(64), "was": match.int(40)},
    )
    expect(
        pact,
        "a count that differs from the hub's books",
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
    return pact


def test_the_wms_reader_reads_every_message_in_its_pact() -> None:
    wms_pact().verify(WMS_READER, "Async")


def test_the_committed_wms_pact_is_the_one_the_wms_expects(tmp_path: Path) -> None:
    assert_committed(wms_pact(), tmp_path)
