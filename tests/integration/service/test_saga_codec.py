"""The saga as stored JSON: today's form round-trips, and rows written before still load."""

from __future__ import annotations

from decimal import Decimal

from reference.domain.lifecycle import ReleaseState, State
from reference.hub import Rejection, RejectionCode
from reference.hub.state import LineRecord, OrderSaga, Release
from reference.service.api.schemas.orders import order_public
from reference.service.persistence.codec import dump_saga, load_saga


def _saga() -> OrderSaga:
    return OrderSaga(
        order_id="SO-9",
        order_number="PO-9",
        customer_id="ACME-PLUMBING",
        channel="web",
        currency="USD",
        region="GA",
        correlation_id="corr-9",
        received_at=12.5,
        lines={1: LineRecord(1, "PIPE-COPPER-15MM", 4, Decimal("12.40"), State.ALLOCATED)},
        state=State.ALLOCATED,
        releases={
            "DC-ATL": Release(
                "DC-ATL", {1: 4}, "PARCELCO", ReleaseState.SHIPPED, shipment_id="ASN-1"
            )
        },
        pending_calls={"SO-9:post_invoice:erp:ASN-1"},
        reasons=[
            Rejection(
                "lines.0.unit_price", RejectionCode.PRICE_MISMATCH, "11.00 differs from 12.40"
            )
        ],
    )


def test_a_saga_round_trips_with_its_reasons_and_release_states():
    saga = _saga()
    stored = dump_saga(saga)
    assert stored["reasons"] == [
        {
            "field": "lines.0.unit_price",
            "code": "price_mismatch",
            "message": "11.00 differs from 12.40",
        }
    ]
    assert stored["releases"][0]["state"] == "shipped"
    assert load_saga(stored) == saga


def test_a_row_written_before_reasons_had_codes_still_loads_and_renders():
    old = dump_saga(_saga())
    old["reasons"] = [
        "lines[0].unit_price: 11.00 differs from the contract price 12.40",
        "credit: order value 130.10 exceeds the available credit 50",
    ]
    for release in old["releases"]:
        del release["state"], release["shipment_id"]
    loaded = load_saga(old)
    assert loaded.reasons == [
        Rejection(
            "lines.0.unit_price",
            RejectionCode.UNCLASSIFIED,
            "11.00 differs from the contract price 12.40",
        ),
        Rejection(
            "credit",
            RejectionCode.UNCLASSIFIED,
            "order value 130.10 exceeds the available credit 50",
        ),
    ]
    assert loaded.releases["DC-ATL"].state is ReleaseState.SHIPPED
    assert order_public(old)["reasons"] == [
        "lines.0.unit_price: 11.00 differs from the contract price 12.40",
        "credit: order value 130.10 exceeds the available credit 50",
    ]


def test_an_old_release_is_judged_by_its_carrier_and_the_waits_of_its_saga():
    old = dump_saga(_saga())
    release = old["releases"][0]
    del release["state"], release["shipment_id"]
    release["shipped"] = False
    assert load_saga(old).releases["DC-ATL"].state is ReleaseState.RELEASED
    old["pending_calls"].append("SO-9:shipment:DC-ATL")
    assert load_saga(old).releases["DC-ATL"].state is ReleaseState.ACKNOWLEDGED
    release["carrier"] = None
    assert load_saga(old).releases["DC-ATL"].state is ReleaseState.PLANNED


def test_a_saga_round_trips_its_money_and_a_row_from_before_credit_memos_still_loads():
    saga = _saga()
    saga.tax_rate = Decimal("0.0725")
    saga.invoice_totals = {"INV-1": Decimal("53.20")}
    saga.payments = {"PAY-1": ("INV-1", Decimal("20.00"))}
    saga.credit_memos = {"CM-1": ("INV-1", Decimal("13.30"))}
    stored = dump_saga(saga)
    assert (stored["tax_rate"], stored["credit_memos"]) == ("0.0725", {"CM-1": ["INV-1", "13.30"]})
    assert load_saga(stored) == saga
    older = {k: v for k, v in stored.items() if k not in ("credit_memos", "tax_rate")}
    loaded = load_saga(older)
    assert (loaded.credit_memos, loaded.tax_rate) == ({}, None)
