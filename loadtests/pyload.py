"""A closed-loop HTTP load generator in Python, for machines without wrk.

``python -m loadtests.pyload URL --connections 64 --duration 15 --requests FILE`` keeps that
many requests in flight for that long, cycling through the requests in FILE (JSON lines of
``{"method", "path", "headers", "body"}``; ``{n}`` in a body or header is replaced by a counter,
so every order number and Idempotency-Key is new). Prints one JSON object: requests, req/s,
p50 and p99 in ms, errors (no answer, or a status of 400 or more). It is slower than wrk: when
it saturates its own core, the figures say so (``generator_cpu``).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
from pathlib import Path

import httpx


async def drive(url: str, connections: int, duration: float, requests: list[dict]) -> dict:  # type: ignore[type-arg]
    latencies: list[float] = []
    errors = 0
    counter = itertools.count()
    deadline = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:

        async def one_connection() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                n = next(counter)
                template = requests[n % len(requests)]
                body = template.get("body")
                headers = {k: v.replace("{n}", str(n)) for k, v in template["headers"].items()}
                started = time.perf_counter()
                try:
                    response = await client.request(
                        template["method"],
                        template["path"],
                        content=body.replace("{n}", str(n)) if body else None,
                        headers=headers,
                    )
                    if response.status_code >= 400:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - started)

        cpu = time.process_time()
        begun = time.perf_counter()
        await asyncio.gather(*(one_connection() for _ in range(connections)))
        elapsed = time.perf_counter() - begun
        cpu = time.process_time() - cpu
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": pick(0.50) if latencies else 0.0,
        "p99_ms": pick(0.99) if latencies else 0.0,
        "errors": errors,
        "generator_cpu": cpu / elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--requests", type=Path, required=True)
    args = parser.parse_args()
    requests = [json.loads(line) for line in args.requests.read_text().splitlines() if line]
    print(json.dumps(asyncio.run(drive(args.url, args.connections, args.duration, requests))))


if __name__ == "__main__":
    main()
