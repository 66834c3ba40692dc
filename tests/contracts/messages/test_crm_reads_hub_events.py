"""CRM reads an order's lifecycle: what a customer service agent is asked about."""

from __future__ import annotations

from pathlib import Path

from hub_event_pacts import assert_committed, expect, hub_pact, money
from pact import Pact, match

from contracts.participants import CRM
from reference.domain.events import EventType as E
from reference.events_reader import CRM_READER

SHIPPED = "an order is accepted and ships complete"


def crm_pact() -> Pact:
    pact = hub_pact(CRM)
    expect(
        pact,
        "an order received from a channel",
        given=SHIPPED,
        kind=E.ORDER_RECEIVED,
        data={
            "order_number": match.like("PO-4471"),
            "customer_id": match.like("ACME-PLUMBING"),
            "channel": match.like("web"),
            "lines": match.int(2),
        },
    )
    expect(
        pact,
        "an order accepted",
        given=SHIPPED,
        kind=E.ORDER_ACCEPTED,
        data={"value": money("168.75"), "currency": match.like("USD")},
    )
    expect(
        pact,
        "an order rejected, with the reasons",
        given="an order's price differs from the contract price",
        kind=E.ORDER_REJECTED,
        data={"reasons": match.each_like("lines[0].unit_price: 7.95 differs from 8.95")},
    )
    expect(
        pact,
        "a line backordered",
        given="a line is backordered for lack of stock",
        kind=E.LINE_BACKORDERED,
        data={
            "line_no": match.int(2),
            "sku": match.like("BREAKER-20A"),
            "quantity": match.int(5),
            "cause": match.regex("no_stock", regex=r"^(no_stock|short_pick)$"),
        },
    )
    expect(
        pact,
        "a shipment on its way",
        given=SHIPPED,
        kind=E.SHIPMENT_CONFIRMED,
        data={
            "node": match.like("DC-ATL"),
            "shipment_id": match.like("SH-ORD-7F3A2C-DC-ATL"),
            "units": match.int(15),
            "carrier": match.like("PARCELCO"),
        },
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
        "an order cancelled at the customer's request",
        given="a customer cancels an order before it is released",
        kind=E.ORDER_CANCELLED,
        data={"reason": match.like("customer request")},
    )
    return pact


def test_the_crm_reader_reads_every_message_in_its_pact() -> None:
    crm_pact().verify(CRM_READER, "Async")


def test_the_committed_crm_pact_is_the_one_crm_expects(tmp_path: Path) -> None:
    assert_committed(crm_pact(), tmp_path)
