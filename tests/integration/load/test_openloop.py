"""The open-loop generator keeps its schedule and times each request from when it was due.

Real HTTP on loopback against a tiny asyncio server whose answer takes a known time, so what the
generator reports can be checked against arithmetic: below capacity latency is the service time;
above it the queue shows in the latency instead of slowing the load down (a closed loop's
coordinated omission).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from loadtests.bench import target
from loadtests.openloop import drive

REQUESTS = [
    {"method": "POST", "path": "/v1/orders", "headers": {"Idempotency-Key": "k-{n}"}, "body": "{}"}
]


async def _serve(service_s: float, one_at_a_time: asyncio.Lock) -> tuple[asyncio.Server, int]:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                await reader.readexactly(length)
                async with one_at_a_time:  # a server with one core: answers one at a time
                    await asyncio.sleep(service_s)
                writer.write(b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def run(rate: float, service_s: float, duration: float = 2.0) -> dict[str, Any]:
    async def main() -> dict[str, Any]:
        server, port = await _serve(service_s, asyncio.Lock())
        async with server:
            return await drive(f"http://127.0.0.1:{port}", rate, 16, duration, REQUESTS)

    return asyncio.run(main())


def test_below_capacity_it_keeps_the_rate_and_latency_is_the_service_time() -> None:
    result = run(rate=50, service_s=0.005)
    assert result["requests"] == 100
    assert result["rps"] == pytest.approx(50, rel=0.1)
    assert result["errors"] == 0
    assert 5 <= result["p50_ms"] < 30


def test_above_capacity_the_queue_shows_in_latency_not_in_a_slower_load() -> None:
    # 100 a second offered to a server that answers 50 a second: after 2 s of schedule about
    # 100 requests wait, so the last waits about 2 s. A closed loop would just send slower.
    result = run(rate=100, service_s=0.02)
    assert result["requests"] == 200
    assert result["errors"] == 0
    assert result["max_ms"] > 1500
    assert result["p99_ms"] > 1000
    assert result["p50_ms"] > 400


def test_the_target_needs_every_check() -> None:
    result: dict[str, Any] = {
        "ratio_orders": 0.09,
        "hub_orders": {"errors": 0},
        "hub_orders_open": {"p99_ms": 80.0, "errors": 0, "rps": 150.0, "offered_rps": 150.0},
        "backlog": {"held": True},
    }
    assert target(result, 0.08, 100.0)["met"]
    slow = {**result, "hub_orders_open": {**result["hub_orders_open"], "p99_ms": 120.0}}
    assert target(slow, 0.08, 100.0)["checks"] == {
        "throughput": True,
        "p99": False,
        "errors": True,
        "kept_up": True,
        "backlog": True,
    }
    assert not target({**result, "ratio_orders": 0.07}, 0.08, 100.0)["met"]
    assert not target({**result, "backlog": {"held": False}}, 0.08, 100.0)["met"]
