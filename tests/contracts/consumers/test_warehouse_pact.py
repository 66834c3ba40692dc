"""The warehouse's contract with the hub: stock movements, counts and shipment confirmations."""

from __future__ import annotations

import pytest
from hub_shapes import EXAMPLE_ORDER_ID, JSON, from_state, order_public
from pact import match

from contracts import states
from contracts.demo import demo_order
from contracts.participants import HUB, WAREHOUSE
from reference.client import Created, HubClient

CONSUMER, PROVIDER = WAREHOUSE, HUB
pytestmark = pytest.mark.xdist_group("pact-warehouse-hub")

NODE = "DC-ATL"


def test_a_receipt_is_recorded_and_the_position_comes_back(recorder):
    pact = recorder.pact()
    receipt = {
        "movement_id": "RCV-ATL-000417",
        "node_id": NODE,
        "sku": "ELC-1073",
        "kind": "receipt",
        "quantity": 24,
    }
    position = {
        "node": NODE,
        "on_hand": match.int(140),
        "allocated": match.int(0),
        "quarantined": match.int(0),
        "safety_stock": match.int(5),
        "available": match.int(135),
    }
    (
        pact.upon_receiving("a receipt at a warehouse")
        .with_request("POST", "/v1/inventory/movements")
        .with_header("Idempotency-Key", match.like("RCV-ATL-000417"))
        .with_body(receipt, content_type=JSON)
        .will_respond_with(201)
        .with_body(
            {
                "movement_id": "RCV-ATL-000417",
                "node_id": NODE,
                "sku": "ELC-1073",
                "position": position,
            },
            content_type=JSON,
        )
    )
    with recorder.serve(pact) as url, HubClient(url) as hub:
        recorded = hub.post_movement(receipt, idempotency_key="RCV-ATL-000417")

    assert isinstance(recorded, Created)
    assert recorded.body.position.node == NODE


def test_a_count_that_differs_comes_back_as_reconciliation_exceptions(recorder):
    pact = recorder.pact()
    count = {
        "snapshot_id": "CNT-ATL-2026-03-02",
        "node_id": NODE,
        "lines": [{"sku": "SAF-1137", "on_hand": 0}],
    }
    (
        pact.upon_receiving("a stock count that differs from the hub's")
        .with_request("POST", "/v1/inventory/snapshots")
        .with_header("Idempotency-Key", match.like("CNT-ATL-2026-03-02"))
        .with_body(count, content_type=JSON)
        .will_respond_with(201)
        .with_body(
            {
                "snapshot_id": "CNT-ATL-2026-03-02",
                "node_id": NODE,
                "lines": 1,
                "exceptions": match.each_like(
                    {
                        "sku": "SAF-1137",
                        "hub_on_hand": match.int(4),
                        "wms_on_hand": 0,
                        "difference": match.int(-4),
                    },
                    min=1,
                ),
            },
            content_type=JSON,
        )
    )
    with recorder.serve(pact) as url, HubClient(url) as hub:
        reconciled = hub.post_snapshot(count, idempotency_key="CNT-ATL-2026-03-02")

    assert reconciled.body.exceptions[0].sku == "SAF-1137"


def test_a_shipment_confirmation_is_applied_to_the_released_order(recorder):
    pact = recorder.pact()
    order = demo_order("WH-4001", skus=["ELC-1073"], quantity=2)
    shipment = {
        "shipment_id": "SH-ATL-88412",
        "order_id": EXAMPLE_ORDER_ID,
        "node_id": NODE,
        "lines": [{"line_no": 1, "sku": "ELC-1073", "quantity": 2}],
    }
    request = {
        **shipment,
        "order_id": from_state(EXAMPLE_ORDER_ID, "${order_id}"),
        "node_id": from_state(NODE, "${node_id}"),
    }
    (
        pact.upon_receiving("a shipment confirmation for a released order")
        .given(states.ORDER_RELEASED, sku="ELC-1073", quantity=2)
        .with_request("POST", "/v1/shipments")
        .with_header("Idempotency-Key", match.like("SH-ATL-88412"))
        .with_body(request, content_type=JSON)
        .will_respond_with(201)
        .with_body(
            {
                "shipment_id": "SH-ATL-88412",
                "order_id": match.str(EXAMPLE_ORDER_ID),
                "node_id": match.str(NODE),
                "applied": True,
                "order": order_public(order, state=match.str("shipped")),
            },
            content_type=JSON,
        )
    )
    with recorder.serve(pact) as url, HubClient(url) as hub:
        confirmed = hub.confirm_shipment(shipment, idempotency_key="SH-ATL-88412")

    assert confirmed.body.applied
    assert confirmed.body.order.order_id == EXAMPLE_ORDER_ID
