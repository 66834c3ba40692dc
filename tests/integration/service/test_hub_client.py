"""The typed client against a real service: every operation, sync and async, over loopback."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import pytest
from service_harness import Service, order_body

from reference.api_v1 import OrderPublic
from reference.client import AsyncHubClient, HubClient, HubProblem, OrderRejected

pytestmark = pytest.mark.xdist_group("service")


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[Service]:  # type: ignore[no-untyped-def]
    where = tmp_path_factory.mktemp("client")
    with Service(f"sqlite:///{where / 'crossdock.db'}", where) as running:
        yield running


@pytest.fixture
def hub(service: Service) -> Iterator[HubClient]:
    with HubClient(service.url, timeout=60) as client:
        yield client


def test_an_order_placed_twice_under_one_key_is_one_order(hub: HubClient) -> None:
    body, key = order_body("PO-CLIENT-1"), str(uuid.uuid4())
    first = hub.create_order(body, idempotency_key=key)
    again = hub.create_order(body, idempotency_key=key)
    assert not isinstance(first, OrderRejected) and not isinstance(again, OrderRejected)
    assert (first.status, first.replayed, again.replayed) == (201, False, True)
    assert again.body == first.body
    assert hub.get_order(first.body.order_id).order_number == "PO-CLIENT-1"


def test_a_rejection_is_an_answer_naming_its_field(hub: HubClient) -> None:
    body = order_body("PO-CLIENT-2")
    body["lines"][0]["unit_price"] = "0.01"
    placed = hub.create_order(body, idempotency_key=str(uuid.uuid4()))
    assert isinstance(placed, OrderRejected)
    assert placed.order_id.startswith("SO-")
    assert [e.field for e in placed.problem.errors] == ["lines.0.unit_price"]


def test_an_error_raises_with_the_problem_and_its_fields(hub: HubClient) -> None:
    with pytest.raises(HubProblem) as missing:
        hub.create_order(order_body("PO-CLIENT-3"), idempotency_key=None)
    assert missing.value.status == 400
    assert [e.field for e in missing.value.problem.errors] == ["Idempotency-Key"]
    with pytest.raises(HubProblem) as unknown:
        hub.get_order("SO-NOPE")
    assert unknown.value.status == 404
    assert unknown.value.correlation_id


def test_listing_walks_every_page(hub: HubClient) -> None:
    for n in range(3):
        hub.create_order(order_body(f"PO-CLIENT-LIST-{n}"), idempotency_key=str(uuid.uuid4()))
    one_by_one = [s.order_id for s in hub.iter_orders(limit=1)]
    at_once = [s.order_id for s in hub.list_orders(limit=200).data]
    assert len(one_by_one) >= 3
    assert one_by_one == at_once


def test_cancel_availability_and_the_feed(hub: HubClient) -> None:
    body = order_body("PO-CLIENT-4")
    placed = hub.create_order(body, idempotency_key=str(uuid.uuid4()))
    assert not isinstance(placed, OrderRejected)
    sku = body["lines"][0]["sku"]
    assert hub.availability(sku, channel="marketplace").sku == sku
    try:
        cancelled = hub.cancel_order(placed.body.order_id, reason="customer changed their mind")
        assert cancelled.state == "cancelled"
    except HubProblem as late:  # the simulated WMS may already hold it: 409 naming the state
        assert late.status == 409
    events = list(hub.iter_events(correlation_id=placed.correlation_id))
    assert events[0]["type"] == "OrderReceived"
    assert all(e["subject"].startswith(placed.body.order_id) for e in events)


def test_the_async_client_sends_the_same_calls(service: Service) -> None:
    async def run() -> tuple[OrderPublic, OrderPublic, str]:
        async with AsyncHubClient(service.url, timeout=60) as hub:
            placed = await hub.create_order(
                order_body("PO-CLIENT-ASYNC"), idempotency_key=str(uuid.uuid4())
            )
            assert not isinstance(placed, OrderRejected)
            read = await hub.get_order(placed.body.order_id)
            ready = await hub.readyz()
            return placed.body, read, ready.status

    placed, read, ready = asyncio.run(run())
    assert read.order_id == placed.order_id
    assert ready == "ready"
