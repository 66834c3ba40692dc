"""The outbox relay: delivers committed events, in seq order, at least once, to subscribers.

A subscriber is called with the CloudEvent of each event; it may see an event again (a relay that
died after delivering and before marking), so consumers dedupe by event id. ``Deduplicating``
wraps a handler that must see each event once per process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update

from reference.service.persistence import tables as t
from reference.service.persistence.database import Database
from reference.service.timebase import wall

CloudEvent = dict[str, Any]
Subscriber = Callable[[CloudEvent], None]
log = logging.getLogger("crossdock.service.relay")
RELAY_BATCH = 500


class Deduplicating:
    """A consumer that remembers the event ids it has handled (bounded, oldest forgotten)."""

    def __init__(self, handler: Subscriber, memory: int = 100_000) -> None:
        self.handler = handler
        self.memory = memory
        self._seen: dict[str, None] = {}

    def __call__(self, event: CloudEvent) -> None:
        if event["id"] in self._seen:
            return
        self.handler(event)
        self._seen[event["id"]] = None
        if len(self._seen) > self.memory:
            self._seen.pop(next(iter(self._seen)))


class EventBus:
    """In-process subscribers. A subscriber that raises is retried on the next relay pass."""

    def __init__(self) -> None:
        self.subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> None:
        self.subscribers.append(subscriber)

    def publish(self, event: CloudEvent) -> None:
        for subscriber in self.subscribers:
            subscriber(event)


def relay_batch(db: Database, bus: EventBus, limit: int = RELAY_BATCH) -> int:
    """Deliver the oldest undelivered events; returns how many were marked delivered."""
    o = t.outbox
    undelivered = o.c.delivered_at.is_(None)
    with db.read() as conn:
        if not bus.subscribers:  # nobody to give them to: no payloads to read
            rows = conn.execute(select(o.c.seq).where(undelivered).limit(limit)).all()
            delivered = [row.seq for row in rows]
            rows = []
        else:
            query = select(o.c.seq, o.c.payload).where(undelivered).order_by(o.c.seq)
            rows = conn.execute(query.limit(limit)).all()
            delivered = []
    for row in rows:
        try:
            bus.publish(row.payload)
        except Exception:  # the subscriber's problem; it gets the event again next pass
            log.exception("subscriber failed on event %s", row.payload.get("id"))
            break
        delivered.append(row.seq)
    if delivered:
        db.write(
            lambda conn: conn.execute(
                update(o).where(o.c.seq.in_(delivered)).values(delivered_at=wall())
            )
        )
    return len(delivered)


async def run_relay(
    db: Database,
    bus: EventBus,
    wake: asyncio.Event,
    stop: asyncio.Event,
    poll: float,
    gather: float = 0.05,
) -> None:
    """Relay passes until ``stop``: at once when woken, then at most one pass per ``gather``
    seconds while events keep coming, so a burst of commits is read and marked in one pass
    (under load a pass per commit cost more than the commits' own statements)."""
    while not stop.is_set():
        try:
            moved = await db.run(relay_batch, db, bus)
        except Exception:
            log.exception("outbox relay pass failed; retrying")
            moved = 0
        if moved == 0:
            wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=poll)
        elif moved < RELAY_BATCH:
            await asyncio.sleep(gather)
