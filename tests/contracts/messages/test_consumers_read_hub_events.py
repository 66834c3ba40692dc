"""The consumers' event readers: read what the hub publishes, or refuse it saying why.

The rule, as h11's fuzzer states it for a parser: read it, or raise UnreadableEvent, never
anything else.
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.provider_states import events_for
from reference.domain.events import EventType as E
from reference.events_reader import (
    BI_READER,
    CRM_READER,
    FINANCE_READER,
    WMS_READER,
    UnreadableEvent,
)

SHIPPED = "an order is accepted and ships complete"


def published(state: str, kind: E) -> dict[str, Any]:
    """The CloudEvent of the first ``kind`` the hub core publishes when ``state`` happens."""
    return next(e for e in events_for(state) if e.type is kind).to_cloudevent()


@pytest.fixture(scope="module")
def invoice() -> dict[str, Any]:
    return published(SHIPPED, E.INVOICE_POSTED)


def test_finance_reads_an_invoice_as_money_not_floats(invoice: dict[str, Any]) -> None:
    read = FINANCE_READER(json.dumps(invoice).encode(), {"contentType": "application/json"})

    assert (read.type, read.subject, read.correlation_id, read.schema_version) == (
        E.INVOICE_POSTED,
        "ORD-000101",
        "corr-000101",
        "1",
    )
    # 10 x 12.40 + 5 x 8.95 = 168.75 net; 8 % tax is 13.50
    assert read.data.model_dump() == {
        "invoice_id": "INV-SH-ORD-000101-DC-ATL",
        "shipment_id": "SH-ORD-000101-DC-ATL",
        "net": Decimal("168.75"),
        "tax": Decimal("13.50"),
        "total": Decimal("182.25"),
        "currency": "USD",
    }
    # the ERP's commitment is one more step of 50 ms before the release, so the invoice is at 250 ms
    assert read.time == datetime(2026, 1, 1, 0, 0, 0, 250000, tzinfo=UTC)


def test_a_reader_ignores_the_fields_and_attributes_it_does_not_name(
    invoice: dict[str, Any],
) -> None:
    richer = {**invoice, "traceparent": "00-abc-def-01", "data": {**invoice["data"], "memo": "x"}}

    assert FINANCE_READER.read(richer) == FINANCE_READER.read(invoice)


def test_the_wms_reads_the_stock_position_an_inventory_event_is_about() -> None:
    read = WMS_READER.read(published("stock is received at a warehouse", E.INVENTORY_MOVED))

    assert read.subject == "DC-ATL/PIPE-COPPER-15MM"
    assert read.data.model_dump() == {
        "movement_id": "RCV-88213",
        "kind": "receipt",
        "quantity": 24,
        "on_hand": 24,
    }


def test_crm_and_bi_both_read_a_backorder_with_its_cause() -> None:
    backorder = published("a line is short picked", E.LINE_BACKORDERED)

    for reader in (CRM_READER, BI_READER):
        assert reader.read(backorder).data.model_dump() == {
            "line_no": 1,
            "sku": "PIPE-COPPER-15MM",
            "quantity": 4,
            "cause": "short_pick",
        }


def without(mapping: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k != key}


REFUSALS = [
    (
        lambda ev: {**ev, "data": without(ev["data"], "invoice_id")},
        r"finance cannot read InvoicePosted event ORD-000101/\d+: data.invoice_id: Field required",
    ),
    (
        lambda ev: {**ev, "data": {**ev["data"], "total": 182.25}},
        r"data.total: Value error, money must be a decimal string such as '12.40', got 182.25",
    ),
    (
        lambda ev: {**ev, "data": {**ev["data"], "net": "lots"}},
        r"data.net: Value error, money must be a decimal string .*, got 'lots'",
    ),
    (
        lambda ev: {**ev, "schemaversion": "2"},
        r"finance reads schema version\(s\) \['1'\] of InvoicePosted, got '2'",
    ),
    (
        lambda ev: {**ev, "type": "OrderTeleported"},
        r"finance does not read 'OrderTeleported' events .* it reads CreditMemoIssued, Invoi",
    ),
    (lambda ev: without(ev, "specversion"), r"not a CloudEvent it knows: specversion: Field req"),
    (lambda ev: {**ev, "correlationid": ""}, r"correlationid: String should have at least 1"),
    (lambda ev: {**ev, "time": "yesterday"}, r"time: Input should be a valid datetime"),
]


@pytest.mark.parametrize(("damage", "reason"), REFUSALS)
def test_finance_refuses_an_invoice_it_cannot_trust_saying_why(
    invoice: dict[str, Any], damage: Any, reason: str
) -> None:
    with pytest.raises(UnreadableEvent, match=reason):
        FINANCE_READER(json.dumps(damage(invoice)))


def test_the_wms_does_not_read_finance_events(invoice: dict[str, Any]) -> None:
    with pytest.raises(UnreadableEvent, match=r"wms does not read 'InvoicePosted' events"):
        WMS_READER.read(invoice)


@pytest.mark.parametrize(
    ("body", "metadata", "reason"),
    [
        (b"<invoice/>", {}, "finance cannot read a body that is not JSON"),
        (b"{}", {"contentType": "application/xml"}, "reads JSON CloudEvents, not .*xml"),
        (None, {}, "cannot read a message without a body"),
        (b"[1, 2]", None, "not a CloudEvent it knows: .*valid dictionary"),
    ],
)
def test_a_message_that_is_not_a_json_cloudevent_is_refused(
    body: bytes | None, metadata: dict[str, str] | None, reason: str
) -> None:
    with pytest.raises(UnreadableEvent, match=reason):
        FINANCE_READER(body, metadata)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


ATTRIBUTES = ["specversion", "id", "type", "time", "correlationid", "schemaversion", "data"]
DATA = ["invoice_id", "shipment_id", "net", "tax", "total", "currency"]


@settings(max_examples=200, deadline=None)
@given(key=st.sampled_from(ATTRIBUTES + [f"data.{k}" for k in DATA]), value=JSON)
def test_any_damage_to_an_event_is_read_or_refused_never_anything_else(
    invoice: dict[str, Any], key: str, value: Any
) -> None:
    if key.startswith("data."):
        damaged = {**invoice, "data": {**invoice["data"], key[5:]: value}}
    else:
        damaged = {**invoice, key: value}
    with contextlib.suppress(UnreadableEvent):
        BI_READER.read(damaged)


@settings(max_examples=150, deadline=None)
@given(body=st.binary(max_size=64) | JSON.map(lambda v: json.dumps(v).encode()))
def test_any_body_is_read_or_refused_never_anything_else(body: bytes) -> None:
    with contextlib.suppress(UnreadableEvent):
        CRM_READER(body)
