"""A scenario's demand replayed against a live hub, K times faster than the scenario's clock.

Theory of operation:

1. The arrivals are the what-if engine's: ``ArrivalProfile`` (orders per day, hourly profile,
   spikes) draws Poisson arrivals in scenario time over the window ``[start, start + span)``; each
   takes a channel from the scenario's channel mix. A channel whose orders reach the hub by
   ``batch`` or ``file`` is held until its mailbox's next tick, as in a what-if run.
2. Scenario time maps to the wall as ``wall = (t - start) / speedup`` from the first send. Sending
   is open loop: an order goes at its time whether or not earlier ones were answered, so a slow
   hub shows as latency and backlog, not as a slower arrival rate.
3. Capture latency is measured as the what-if engine measures it: from the moment the customer
   placed the order (its arrival, not its mailbox tick) to the hub's answer to POST /v1/orders
   that accepts or rejects it. A 503 (ERP has not validated it within the hub's deadline) or
   409 (in flight) is retried under the same Idempotency-Key after its Retry-After, as a
   channel does; the retries are counted.
4. Order-to-invoice comes from the hub's events feed: per order, the time of its first
   InvoicePosted minus that of its OrderReceived. Orders still open when the drain ends are
   counted, not measured (the figure is censored; the table says how many).
5. The run ends by itself: ``drain`` wall seconds after the last arrival, requests still
   unanswered are abandoned (counted as "no answer") and the feed is read once more.

Latencies are returned in wall seconds; the caller multiplies by ``speedup`` for scenario time.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiohttp
import numpy as np
import orjson

from loadtests.orders import OrderBook

ORDER_RECEIVED, INVOICE_POSTED = "OrderReceived", "InvoicePosted"
RETRIED = frozenset({409, 503})  # still in flight; ERP has not validated it yet


@dataclass(frozen=True, slots=True)
class Arrival:
    placed: float  # scenario seconds
    channel: str
    delivered: float  # scenario seconds: ``placed``, or the channel's next mailbox tick


@dataclass
class Replayed:
    """What the live hub did with the replayed orders."""

    sent: int = 0
    accepted: int = 0
    rejected: int = 0
    failed: dict[str, int] = field(default_factory=dict)  # status (or "no answer") -> count
    retried: int = 0  # 409 and 503 answers, each retried under the same Idempotency-Key
    capture: list[float] = field(default_factory=list)  # wall seconds, every answered order
    to_invoice: list[float] = field(default_factory=list)  # wall seconds, invoiced orders
    open_at_end: int = 0  # accepted orders with no InvoicePosted when the drain ended
    wall_seconds: float = 0.0


def arrivals(
    profile: Any,
    channel_mix: dict[str, float],
    mailboxes: dict[str, Any],
    start: float,
    span: float,
    seed: int,
) -> list[Arrival]:
    """Arrivals in ``[start, start + span)`` of scenario time, in delivery order.

    ``profile`` is an ``ArrivalProfile``; ``mailboxes`` maps a channel to its ``Every``."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 12]))
    names = sorted(channel_mix)
    weights = np.array([channel_mix[n] for n in names], dtype=float)
    weights /= weights.sum()
    out, t, end = [], start, start + span
    while True:
        t = profile.next_arrival(t, rng, end)
        if t >= end:
            break
        channel = names[int(rng.choice(len(names), p=weights))]
        box = mailboxes.get(channel)
        out.append(Arrival(t, channel, box.next_after(t) if box is not None else t))
    out.sort(key=lambda a: a.delivered)
    return out


async def replay(
    url: str,
    planned: list[Arrival],
    start: float,
    speedup: float,
    seed: int,
    drain: float,
    concurrency: int = 256,
) -> Replayed:
    """Send ``planned`` to the hub at ``url`` on the compressed clock, then read its events
    until every accepted order is invoiced or ``drain`` wall seconds have passed."""
    result = Replayed()
    book = OrderBook(seed, 9001)
    accepted: set[str] = set()
    gate = asyncio.Semaphore(concurrency)
    # aiohttp, not httpx: at a peak's 127 orders/s httpx took a whole core here, and a
    # saturated generator measures its own queue as the hub's capture latency.
    async with aiohttp.ClientSession(
        base_url=url,
        connector=aiohttp.TCPConnector(limit=concurrency),
        timeout=aiohttp.ClientTimeout(total=60.0),
        json_serialize=lambda value: orjson.dumps(value).decode(),
    ) as client:
        origin = time.monotonic()

        def fail(why: str) -> None:
            result.failed[why] = result.failed.get(why, 0) + 1

        async def send(arrival: Arrival) -> None:
            body = book.order(arrival.channel)
            key = str(uuid.uuid4())
            while True:
                async with gate:
                    try:
                        async with client.post(
                            "/v1/orders", json=body, headers={"Idempotency-Key": key}
                        ) as response:
                            status, answer = response.status, await response.read()
                            retry_after = response.headers.get("Retry-After", "1")
                    except (aiohttp.ClientError, TimeoutError) as error:
                        fail(type(error).__name__)
                        return
                if status not in RETRIED:
                    break
                result.retried += 1  # as a channel does: the same key, after Retry-After
                await asyncio.sleep(float(retry_after))
            answered = time.monotonic() - origin
            placed = (arrival.placed - start) / speedup
            if status == 201:
                result.accepted += 1
                accepted.add(orjson.loads(answer)["order_id"])
            elif status == 422:
                result.rejected += 1
            else:
                fail(str(status))
                return
            result.capture.append(answered - placed)

        tasks = []
        for arrival in planned:
            due = (arrival.delivered - start) / speedup
            wait = due - (time.monotonic() - origin)
            if wait > 0:
                await asyncio.sleep(wait)
            result.sent += 1
            tasks.append(asyncio.create_task(send(arrival)))
        deadline = time.monotonic() + drain
        if tasks:
            _, unanswered = await asyncio.wait(tasks, timeout=drain)
            for task in unanswered:
                task.cancel()
                fail("no answer")
            await asyncio.gather(*unanswered, return_exceptions=True)
        received, invoiced = await _follow(client, accepted, deadline)
        result.wall_seconds = time.monotonic() - origin
    for order_id in accepted:
        if order_id in invoiced and order_id in received:
            result.to_invoice.append(invoiced[order_id] - received[order_id])
        else:
            result.open_at_end += 1
    return result


async def _follow(
    client: aiohttp.ClientSession, orders: set[str], deadline: float
) -> tuple[dict[str, float], dict[str, float]]:
    """Per order: when it was received and first invoiced, in epoch seconds, from /v1/events
    (read by type, so the feed's other events are never transferred)."""
    seen: dict[str, dict[str, float]] = {ORDER_RECEIVED: {}, INVOICE_POSTED: {}}
    cursors = dict.fromkeys(seen, "0")
    while True:
        for kind, times in seen.items():
            while True:
                params = {"after": cursors[kind], "limit": "500", "type": kind}
                async with client.get("/v1/events", params=params) as response:
                    page = orjson.loads(await response.read())
                for event in page["data"]:
                    order_id = event.get("subject")  # an order's events name it as subject
                    if order_id in orders:
                        at = datetime.fromisoformat(event["time"]).timestamp()
                        times.setdefault(order_id, at)
                cursors[kind] = page["next_cursor"]
                if not page["data"]:
                    break
        if orders <= seen[INVOICE_POSTED].keys() or time.monotonic() >= deadline:
            return seen[ORDER_RECEIVED], seen[INVOICE_POSTED]
        await asyncio.sleep(0.5)


def quantile(values: list[float], q: float) -> float | None:
    return float(np.quantile(values, q)) if values else None
