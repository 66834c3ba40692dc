"""The web storefront's contract with the hub: place an order, read it, cancel one that waits."""

from __future__ import annotations

import pytest
from hub_shapes import EXAMPLE_ORDER_ID, JSON, PROBLEM, line, order_path, order_public, problem
from pact import match

from contracts import states
from contracts.demo import demo_order
from contracts.participants import HUB, WEB
from reference.api_v1 import OrderPublic
from reference.client import Created, HubClient, HubProblem

CONSUMER, PROVIDER = WEB, HUB
pytestmark = pytest.mark.xdist_group("pact-web-storefront-hub")

ORDER = demo_order("WEB-1001", lines=2, quantity=2)
KEY = "web-4b1d7c0e-9a52-4f51-8d1e-2a7c3f6b9e10"


def test_a_new_order_is_accepted_with_its_lines_allocated(recorder):
    pact = recorder.pact()
    (
        pact.upon_receiving("a new order from the web storefront")
        .with_request("POST", "/v1/orders")
        .with_header("Idempotency-Key", match.like(KEY))
        .with_body(ORDER, content_type=JSON)
        .will_respond_with(201)
        .with_body(order_public(ORDER), content_type=JSON)
    )
    with recorder.serve(pact) as url, HubClient(url) as hub:
        placed = hub.create_order(ORDER, idempotency_key=KEY)

    assert isinstance(placed, Created)
    assert placed.status == 201 and not placed.replayed
    assert placed.body.order_id == EXAMPLE_ORDER_ID
    assert placed.body.lines[0].sku == ORDER["lines"][0]["sku"]


def test_an_order_is_read_back_by_its_id(recorder):
    pact = recorder.pact()
    (
        pact.upon_receiving("a request for an order")
        .given(states.ORDER_PLACED)
        .with_request("GET", order_path())
        .will_respond_with(200)
        .with_body(order_public(ORDER), content_type=JSON)
    )
    with recorder.serve(pact) as url, HubClient(url) as hub:
        order = hub.get_order(EXAMPLE_ORDER_ID)

    assert isinstance(order, OrderPublic)
    assert order.order_id == EXAMPLE_ORDER_ID


def test_an_unknown_order_is_a_404_problem_naming_the_order_id(recorder):
    pact = recorder.pact()
    unknown = "SO-00000000000000000000"
    (
        pact.upon_receiving("a request for an order that does not exist")
        .with_request("GET", f"/v1/orders/{unknown}")
        .will_respond_with(404)
        .with_body(problem("unknown-order", 404, field="order_id"), content_type=PROBLEM)
    )
    with (
        recorder.serve(pact) as url,
        HubClient(url) as hub,
        pytest.raises(HubProblem) as raised,
    ):
        hub.get_order(unknown)

    assert raised.value.status == 404
    assert raised.value.problem.type.endswith("/unknown-order")
    assert [e.field for e in raised.value.problem.errors] == ["order_id"]


def test_an_order_no_warehouse_holds_yet_can_be_cancelled(recorder):
    pact = recorder.pact()
    cancelled = order_public(ORDER, state="cancelled")
    cancelled["lines"] = match.each_like(
        {**line(ORDER["lines"][0], state="cancelled"), "cancelled": match.int(2)}, min=1
    )
    (
        pact.upon_receiving("a cancellation of an order no warehouse holds yet")
        .given(states.ORDER_NOT_RELEASED)
        .with_request("POST", order_path("/cancel"))
        .with_body({"reason": "customer changed their mind"}, content_type=JSON)
        .will_respond_with(200)
        .with_body(cancelled, content_type=JSON)
    )
    with recorder.serve(pact) as url, HubClient(url) as hub:
        order = hub.cancel_order(EXAMPLE_ORDER_ID, reason="customer changed their mind")

    assert order.state == "cancelled"
    assert order.lines[0].state == "cancelled"
