"""Finance reads the credit an accepted order takes and the invoices its shipments lead to."""

from __future__ import annotations

from pathlib import Path

from hub_event_pacts import assert_committed, expect, hub_pact, money
from pact import Pact, match

from contracts.participants import FINANCE
from reference.domain.events import EventType as E
from reference.events_reader import FINANCE_READER

SHIPMENT = "SH-ORD-7F3A2C-DC-ATL"


def finance_pact() -> Pact:
    pact = hub_pact(FINANCE)
    expect(
        pact,
        "an accepted order's value",
        given="an order is accepted and ships complete",
        kind=E.ORDER_ACCEPTED,
        data={"value": money("168.75"), "currency": match.like("USD")},
    )
    expect(
        pact,
        "an invoice requested for a shipment",
        given="an order is accepted and ships complete",
        kind=E.INVOICE_REQUESTED,
        data={"shipment_id": match.like(SHIPMENT)},
    )
    expect(
        pact,
        "an invoice posted in ERP",
        given="an order is accepted and ships complete",
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
        "a credit memo the ERP raised for a return",
        given="an invoice is credited for a return",
        kind=E.CREDIT_MEMO_ISSUED,
        data={
            "credit_memo_id": match.like("CM-7F3A2C-1"),
            "invoice_id": match.like(f"INV-{SHIPMENT}"),
            "reason": match.regex("return", regex=r"^(return|short_shipment)$"),
            "amount": money("26.78"),
            "currency": match.like("USD"),
        },
    )
    return pact


def test_the_finance_reader_reads_every_message_in_its_pact() -> None:
    finance_pact().verify(FINANCE_READER, "Async")


def test_the_committed_finance_pact_is_the_one_finance_expects(tmp_path: Path) -> None:
    assert_committed(finance_pact(), tmp_path)
