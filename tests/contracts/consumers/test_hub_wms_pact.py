"""The hub's contract with a warehouse's WMS: release an order's lines, list what is on hand."""

from __future__ import annotations

import pytest
from pact import generate, match
from systems_calls import CORRELATION, JSON, ORDER_ID, call, expect_call, fetch_all, page, send

from contracts import states
from contracts.participants import HUB, WMS
from reference.hub import SystemReplied

CONSUMER, PROVIDER = HUB, WMS
pytestmark = pytest.mark.xdist_group("pact-hub-wms")

NODE = "DC-ATL"
LINES = [{"line_no": 1, "sku": "CHM-1034", "quantity": 2}]


def test_a_release_is_picked_and_shipped_by_the_warehouse(recorder):
    pact = recorder.pact()
    outgoing = call(
        f"wms:{NODE}",
        "release",
        {"order_id": ORDER_ID, "node": NODE, "carrier": "PARCELCO", "lines": LINES},
    )
    (
        expect_call(
            pact, "an order's lines released to a warehouse", f"/wms/{NODE}/release", outgoing
        )
        .will_respond_with(200)
        .with_body(
            {
                "shipment_id": match.str(f"SH-{ORDER_ID}-{NODE}"),
                "order_id": ORDER_ID,
                "node": NODE,
                "carrier": match.str("PARCELCO"),
                # A short pick ships fewer units than released: the quantity is the warehouse's.
                "lines": match.each_like(
                    {
                        "line_no": match.int(1),
                        "sku": match.str("CHM-1034"),
                        "quantity": match.int(2),
                    },
                    min=1,
                ),
            },
            content_type=JSON,
        )
    )
    with recorder.serve(pact) as url:
        reply = send(url, outgoing)

    assert isinstance(reply, SystemReplied)
    assert reply.body["lines"][0]["line_no"] == 1


def test_the_hub_walks_a_warehouses_stock_page_by_page(recorder):
    pact = recorder.pact()
    cursor = "YWZ0ZXI6Q0hNLTEwMzQ"
    item = {"sku": match.str("CHM-1034"), "on_hand": match.int(1042)}
    (
        pact.upon_receiving("the first page of a warehouse's stock")
        .given(states.WMS_HAS_STOCK, node=NODE, limit=100)
        .with_request("GET", f"/wms/{NODE}/stock")
        .with_header("X-Correlation-ID", match.like(CORRELATION))
        .with_query_parameter("limit", "100")
        .will_respond_with(200)
        .with_body(page(item, match.str(cursor)), content_type=JSON)
    )
    (
        pact.upon_receiving("the last page of a warehouse's stock")
        .given(states.WMS_HAS_STOCK, node=NODE, limit=100)
        .with_request("GET", f"/wms/{NODE}/stock")
        .with_header("X-Correlation-ID", match.like(CORRELATION))
        .with_query_parameters(
            {
                "limit": "100",
                "cursor": match.like(cursor, generator=generate.provider_state("${cursor}")),
            }
        )
        .will_respond_with(200)
        .with_body(page(item, None), content_type=JSON)
    )
    with recorder.serve(pact) as url:
        stock = fetch_all(url, f"/wms/{NODE}/stock", {"limit": 100})

    assert [s["sku"] for s in stock] == ["CHM-1034", "CHM-1034"]
