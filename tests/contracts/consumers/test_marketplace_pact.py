"""The marketplace's contract with the hub: what it may promise, and orders it delivers twice."""

from __future__ import annotations

import pytest
from hub_shapes import JSON, order_public
from pact import match

from contracts import states
from contracts.demo import demo_order
from contracts.participants import HUB, MARKETPLACE
from reference.client import Created, HubClient

CONSUMER, PROVIDER = MARKETPLACE, HUB
pytestmark = pytest.mark.xdist_group("pact-marketplace-hub")

SKU, NODE = "CHM-1034", "DC-ATL"
ORDER = demo_order("MKT-2001", channel="marketplace")
KEY = "mkt-delivery-7f3e2b91-0c4d-4e8a-b5a6-93d1c0e4f2a8"


def test_availability_for_the_marketplace_is_per_node_and_totalled(recorder):
    pact = recorder.pact()
    (
        pact.upon_receiving("availability of a stocked SKU for the marketplace")
        .given(states.SKU_STOCKED, sku=SKU, node_id=NODE)
        .with_request("GET", "/v1/availability")
        .with_query_parameters({"sku": SKU, "channel": "marketplace"})
        .will_respond_with(200)
        .with_body(
            {
                "sku": SKU,
                "channel": "marketplace",
                "nodes": match.each_like(
                    {"node": match.str(NODE), "available": match.int(12)}, min=1
                ),
                "total": match.int(12),
            },
            content_type=JSON,
        )
    )
    with recorder.serve(pact) as url, HubClient(url) as hub:
        seen = hub.availability(SKU, channel="marketplace")

    assert (seen.sku, seen.channel) == (SKU, "marketplace")
    assert seen.total == sum(n.available for n in seen.nodes)


def test_a_duplicate_delivery_replays_the_first_answer(recorder):
    pact = recorder.pact()
    (
        pact.upon_receiving("a duplicate delivery of an order already placed")
        .given(states.ORDER_PLACED_WITH_KEY, idempotency_key=KEY, order=ORDER)
        .with_request("POST", "/v1/orders")
        .with_header("Idempotency-Key", KEY)
        .with_body(ORDER, content_type=JSON)
        .will_respond_with(201)
        .with_header("Idempotent-Replayed", "true")
        .with_body(order_public(ORDER), content_type=JSON)
    )
    with recorder.serve(pact) as url, HubClient(url) as hub:
        placed = hub.create_order(ORDER, idempotency_key=KEY)

    assert isinstance(placed, Created)
    assert placed.replayed
    assert placed.body.order_number == ORDER["order_number"]
