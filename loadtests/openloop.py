"""An open-loop HTTP load generator: requests at a fixed rate, latency from when each was due.

``python -m loadtests.openloop URL --rate 150 --connections 64 --duration 10 --requests FILE``
schedules request i at ``i / rate`` seconds, whatever the server is doing, and sends it on the
first of CONNECTIONS keep-alive connections that is free. A request's latency runs from when it
was due, not from when a connection took it, so a server that falls behind sees its queue in the
figures instead of slowing the load down (the coordinated omission of a closed loop such as wrk,
whose latency at 64 connections is mostly 64 / throughput). Requests are JSON lines of
``{"method", "path", "headers", "body"}`` as loadtests/pyload.py reads them, ``{n}`` replaced
by a counter. Prints one JSON object: offered and achieved req/s, p50, p99 and max in ms, errors
(no answer, or a status of 400 or more), the requests no connection had taken when the schedule
ended (``behind``: every connection was busy) and the generator's own CPU share.

It speaks just enough HTTP/1.1 for a local uvicorn: a request with Content-Length, a response
with Content-Length. That keeps it cheap enough to offer a few thousand requests a second from
one core, so it can drive the bare echo at the same rate as the hub.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


def render(template: dict[str, Any], n: int, host: str) -> bytes:
    body = (template.get("body") or "").replace("{n}", str(n)).encode()
    lines = [f"{template['method']} {template['path']} HTTP/1.1", f"Host: {host}"]
    lines += [f"{k}: {v.replace('{n}', str(n))}" for k, v in template["headers"].items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def read_response(reader: asyncio.StreamReader) -> int:
    """The status of one response, its body read and dropped."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def drive(
    url: str, rate: float, connections: int, duration: float, requests: list[dict[str, Any]]
) -> dict[str, Any]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    total = int(rate * duration)
    due: asyncio.Queue[tuple[int, float]] = asyncio.Queue()
    latencies: list[float] = []
    errors = 0

    async def connection() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while True:
                n, at = await due.get()
                if n < 0:
                    return
                try:
                    writer.write(render(requests[n % len(requests)], n, f"{host}:{port}"))
                    if await read_response(reader) >= 400:
                        errors += 1
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    errors += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                latencies.append(time.perf_counter() - at)
        finally:
            writer.close()

    workers = [asyncio.create_task(connection()) for _ in range(connections)]
    cpu = time.process_time()
    start = time.perf_counter() + 0.05
    for n in range(total):
        at = start + n / rate
        wait = at - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        due.put_nowait((n, at))
    # The schedule ends at ``duration``; what is still due then is drained, a bounded wait.
    ended = time.perf_counter()
    behind = due.qsize()
    for _ in workers:
        due.put_nowait((-1, 0.0))
    await asyncio.wait_for(asyncio.gather(*workers), timeout=max(30.0, duration))
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {
        "offered_rps": rate,
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": round(pick(0.50), 2) if latencies else 0.0,
        "p99_ms": round(pick(0.99), 2) if latencies else 0.0,
        "max_ms": round(latencies[-1] * 1000, 2) if latencies else 0.0,
        "errors": errors,
        "behind": behind,
        "schedule_s": round(ended - start, 2),
        "generator_cpu": round(cpu / elapsed, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--rate", type=float, required=True, help="requests per second offered")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--requests", type=Path, required=True)
    args = parser.parse_args()
    requests = [json.loads(line) for line in args.requests.read_text().splitlines() if line]
    result = asyncio.run(drive(args.url, args.rate, args.connections, args.duration, requests))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
