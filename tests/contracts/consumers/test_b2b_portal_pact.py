"""The B2B portal's contract with the hub: reading orders page by page, a rejected order, and a
retry that arrives while the first attempt is still being validated."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hub_shapes import JSON, ORDER_ID, PROBLEM, from_state, problem
from pact import match

from contracts import states
from contracts.demo import demo_order
from contracts.participants import B2B_PORTAL, HUB
from reference.client import HubClient, HubProblem, OrderRejected

CONSUMER, PROVIDER = B2B_PORTAL, HUB
pytestmark = pytest.mark.xdist_group("pact-b2b-portal-hub")

SUMMARY = {
    "order_id": match.regex("SO-0123456789ABCDEF0123", regex=ORDER_ID),
    "order_number": match.str("B2B-3001"),
    "customer_id": match.str("CUST-1001"),
    "channel": match.str("edi"),
    "state": match.str("allocated"),
    "correlation_id": match.str("corr-5f0c2a9e"),
    "created_at": match.str("2026-03-02T09:15:00.000000Z"),
    "updated_at": match.str("2026-03-02T09:15:01.000000Z"),
}
FIRST_CURSOR = "Mg"
IN_FLIGHT = demo_order("B2B-3002", channel="edi")
IN_FLIGHT_KEY = "b2b-3002-attempt-1"


def test_orders_are_read_page_by_page_with_the_cursor_the_hub_hands_out(recorder):
    pact = recorder.pact()
    (
        pact.upon_receiving("the first page of orders")
        .given(states.ORDERS_BEYOND_ONE_PAGE, limit=2)
        .with_request("GET", "/v1/orders")
        .with_query_parameter("limit", "2")
        .will_respond_with(200)
        .with_body(
            {"data": match.each_like(SUMMARY, min=1), "next_cursor": match.str(FIRST_CURSOR)},
            content_type=JSON,
        )
    )
    (
        pact.upon_receiving("the next page of orders")
        .given(states.ORDERS_BEYOND_ONE_PAGE, limit=2)
        .with_request("GET", "/v1/orders")
        .with_query_parameters({"limit": "2", "cursor": from_state(FIRST_CURSOR, "${cursor}")})
        .will_respond_with(200)
        .with_body(
            {"data": match.each_like(SUMMARY, min=1), "next_cursor": match.str("NA")},
            content_type=JSON,
        )
    )
    with recorder.serve(pact) as url, HubClient(url) as hub:
        first = hub.list_orders(limit=2)
        second = hub.list_orders(limit=2, cursor=first.next_cursor)

    assert first.next_cursor == FIRST_CURSOR
    assert first.data and second.data


def test_an_order_priced_off_contract_is_rejected_naming_each_line(recorder):
    pact = recorder.pact()
    off_contract = demo_order("B2B-3001", channel="edi", price_factor=Decimal("0.5"))
    body = problem("order-rejected", 422, field="lines.0.unit_price")
    body["order_id"] = match.regex("SO-0123456789ABCDEF0123", regex=ORDER_ID)
    (
        pact.upon_receiving("an order priced below the customer's contract")
        .with_request("POST", "/v1/orders")
        .with_header("Idempotency-Key", match.like("b2b-3001-attempt-1"))
        .with_body(off_contract, content_type=JSON)
        .will_respond_with(422)
        .with_body(body, content_type=PROBLEM)
    )
    with recorder.serve(pact) as url, HubClient(url) as hub:
        answer = hub.create_order(off_contract, idempotency_key="b2b-3001-attempt-1")

    assert isinstance(answer, OrderRejected)
    assert answer.problem.errors[0].field == "lines.0.unit_price"


def test_a_retry_while_the_first_attempt_is_validated_is_told_to_come_back(recorder):
    pact = recorder.pact()
    (
        pact.upon_receiving("an order sent again while its first attempt is being validated")
        .given(states.ORDER_IN_FLIGHT, idempotency_key=IN_FLIGHT_KEY, order=IN_FLIGHT)
        .with_request("POST", "/v1/orders")
        .with_header("Idempotency-Key", IN_FLIGHT_KEY)
        .with_body(IN_FLIGHT, content_type=JSON)
        .will_respond_with(409)
        .with_header("Retry-After", match.regex("1", regex=r"^\d+$"))
        .with_body(
            problem("idempotency-key-in-flight", 409, field="Idempotency-Key"),
            content_type=PROBLEM,
        )
    )
    with (
        recorder.serve(pact) as url,
        HubClient(url) as hub,
        pytest.raises(HubProblem) as raised,
    ):
        hub.create_order(IN_FLIGHT, idempotency_key=IN_FLIGHT_KEY)

    assert raised.value.status == 409
    assert raised.value.retry_after == "1"
