"""Provider side: the hub core and its CloudEvent serializer keep every consumer's message pact."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hub_event_pacts import PACT_DIR, expect, hub_pact
from pact import match

from contracts.messages import MessageNotProduced, produce, verify_messages
from contracts.participants import BI, CRM, EVENT_CONSUMERS, FINANCE, HUB, WMS
from contracts.provider_states import UnknownState, events_for
from reference.domain.events import EventType as E
from reference.events_reader import FINANCE_READER

FAMILIES = {
    "order": {E.ORDER_ACCEPTED, E.ORDER_REJECTED, E.ORDER_CLOSED, E.ORDER_CANCELLED},
    "line and allocation": {E.LINE_ALLOCATED, E.LINE_BACKORDERED, E.ORDER_SPLIT, E.ORDER_RELEASED},
    "shipment": {E.SHIPMENT_CONFIRMED, E.LINE_SHORT_PICKED},
    "invoice": {E.INVOICE_POSTED, E.INVOICE_REQUESTED, E.CREDIT_MEMO_ISSUED},
    "inventory": {E.INVENTORY_MOVED, E.AVAILABILITY_CHANGED, E.RECONCILIATION_EXCEPTION},
    "dead letter": {E.MESSAGE_DEAD_LETTERED},
}


def pacted_events(consumer: str) -> set[E]:
    document = json.loads((PACT_DIR / f"{consumer}-{HUB}.json").read_text())
    return {
        E(state["params"]["event"])
        for interaction in document["interactions"]
        for state in interaction["providerStates"]
    }


def rename_invoice_id(event: dict[str, Any]) -> dict[str, Any]:
    if event["type"] == E.INVOICE_POSTED:
        data = dict(event["data"])
        data["invoice_number"] = data.pop("invoice_id")
        event = {**event, "data": data}
    return event


def test_every_message_pact_passes_against_the_hub_core() -> None:
    results = {r.consumer: r for r in verify_messages(PACT_DIR)}

    assert sorted(results) == sorted(EVENT_CONSUMERS)
    assert [r.failures for r in results.values() if not r.passed] == []
    assert {c: r.interactions for c, r in results.items()} == {WMS: 5, FINANCE: 4, CRM: 7, BI: 14}
    assert {r.kind for r in results.values()} == {"message"}


def test_the_pacts_cover_every_event_family_between_them() -> None:
    pacted = set().union(*(pacted_events(c) for c in EVENT_CONSUMERS))

    assert {family: kinds - pacted for family, kinds in FAMILIES.items()} == {
        family: set() for family in FAMILIES
    }
    assert pacted_events(BI) >= {E.MESSAGE_DEAD_LETTERED, E.RECONCILIATION_EXCEPTION}


def test_a_renamed_data_field_fails_exactly_the_interactions_that_read_it() -> None:
    results = {r.consumer: r for r in verify_messages(PACT_DIR, transform=rename_invoice_id)}

    assert results[WMS].passed and results[CRM].passed
    assert [f.split(":")[0] for f in results[FINANCE].failures] == ["an invoice posted in ERP"]
    assert [f.split(":")[0] for f in results[BI].failures] == ["an invoice posted"]
    assert "invoice_id" in results[FINANCE].failures[0]


def test_the_producer_sends_what_the_core_decided_through_the_serializer() -> None:
    states = [
        {"name": "an order is accepted and ships complete", "params": {"event": "InvoicePosted"}}
    ]

    invoice = FINANCE_READER.read(produce("an invoice", states))

    # 10 pipes at 12.40 and 5 breakers at 8.95, taxed at ACME's 8 %
    assert (invoice.data.net, invoice.data.tax, invoice.data.total) == (  # type: ignore[attr-defined]
        Decimal("168.75"),
        Decimal("13.50"),
        Decimal("182.25"),
    )
    assert (invoice.type, invoice.subject, invoice.correlation_id) == (
        E.INVOICE_POSTED,
        "ORD-000101",
        "corr-000101",
    )


def test_an_order_that_ships_complete_publishes_its_whole_lifecycle_in_order() -> None:
    published = [e.type for e in events_for("an order is accepted and ships complete")]

    assert published == [
        E.ORDER_RECEIVED,
        E.ORDER_ACCEPTED,
        E.LINE_ALLOCATED,
        E.LINE_ALLOCATED,
        E.ORDER_ALLOCATED,
        E.SALES_ORDER_COMMITTED,  # the ERP commits the sales order before any warehouse hears
        E.ORDER_RELEASED,
        E.SHIPMENT_CONFIRMED,
        E.ORDER_SHIPPED,
        E.INVOICE_REQUESTED,
        E.INVOICE_POSTED,
        E.ORDER_INVOICED,
        E.ORDER_CLOSED,
    ]


def test_an_erp_that_never_answers_ends_in_one_dead_letter_after_six_attempts() -> None:
    published = events_for("a call to ERP exhausts its retries")

    assert [e.type for e in published] == [E.ORDER_RECEIVED, E.MESSAGE_DEAD_LETTERED]
    assert published[-1].data["reason"] == "erp.check_order failed after 6 attempt(s): unavailable"


def test_a_state_the_hub_does_not_know_is_refused_with_the_states_it_knows() -> None:
    with pytest.raises(
        UnknownState, match=r"no provider state 'an order is lost'.*a line is short"
    ):
        events_for("an order is lost")


def test_an_event_a_state_does_not_publish_is_refused_with_what_it_does_publish() -> None:
    states = [{"name": "a call to ERP exhausts its retries", "params": {"event": "OrderAccepted"}}]

    with pytest.raises(MessageNotProduced, match=r"publishes \['OrderReceived', 'MessageDead"):
        produce("an accepted order", states)


@pytest.mark.parametrize(
    "states",
    [[], [{"name": "an order is accepted and ships complete"}]],
    ids=["no state", "no event"],
)
def test_an_interaction_must_name_its_state_and_the_event_it_expects(states: list[Any]) -> None:
    with pytest.raises(MessageNotProduced, match=r"given\(state, event='OrderAccepted'\)"):
        produce("an accepted order", states)


def test_an_event_name_the_hub_never_publishes_is_refused() -> None:
    states = [{"name": "a line is short picked", "params": {"event": "OrderTeleported"}}]

    with pytest.raises(MessageNotProduced, match="'OrderTeleported', which is not an event"):
        produce("a teleported order", states)


def test_a_pact_the_hub_cannot_produce_fails_naming_the_interaction_and_why(
    tmp_path: Path,
) -> None:
    pact = hub_pact(CRM)
    expect(
        pact,
        "an order teleported to the customer",
        given="an order is teleported",
        kind=E.ORDER_CLOSED,
        data={"invoices": match.int(1)},
    )
    pact.write_file(tmp_path)

    [result] = verify_messages(tmp_path)

    assert (result.consumer, result.interactions, result.passed) == (CRM, 1, False)
    assert result.failures == (
        "an order teleported to the customer: the hub could not produce it: UnknownState: "
        f"{UnknownState('an order is teleported')}",
    )
