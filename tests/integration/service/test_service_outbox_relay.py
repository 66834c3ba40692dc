"""The outbox relay delivers every committed event to in-process subscribers, marked delivered."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from service_harness import order_body
from sqlalchemy import create_engine, func, select

from crossdock.compose import demo_app
from reference.service.persistence import tables as t
from reference.service.relay import Deduplicating, EventBus
from reference.service.settings import Settings


def test_every_event_reaches_a_subscriber_once_and_is_marked_delivered(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'relay.db'}"
    seen: list[dict] = []  # type: ignore[type-arg]
    bus = EventBus()
    bus.subscribe(Deduplicating(seen.append))
    # No short picks: a keyed draw on the random order id would leave the order backordered.
    app = demo_app(Settings(database_url=url, short_pick_rate=0.0), bus=bus)

    async def scenario() -> str:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://hub") as client:
                created = await client.post(
                    "/v1/orders",
                    json=order_body("PO-RELAY-1"),
                    headers={"Idempotency-Key": str(uuid.uuid4())},
                )
                assert created.status_code == 201, created.text
                order_id = created.json()["order_id"]
                for _ in range(200):
                    if any(e["type"] == "OrderClosed" and e["subject"] == order_id for e in seen):
                        break
                    await asyncio.sleep(0.05)
                feed = (await client.get("/v1/events", params={"subject": order_id})).json()
                assert [e["id"] for e in seen] == [e["id"] for e in feed["data"]]
                return order_id

    order_id = asyncio.run(scenario())
    types = [e["type"] for e in seen if e["subject"] == order_id]
    assert types[0] == "OrderReceived" and types[-1] == "OrderClosed"
    assert all(e["correlationid"] == seen[0]["correlationid"] for e in seen)
    engine = create_engine(url)
    with engine.connect() as conn:
        undelivered = conn.execute(
            select(func.count()).select_from(t.outbox).where(t.outbox.c.delivered_at.is_(None))
        ).scalar_one()
    engine.dispose()
    assert undelivered == 0
