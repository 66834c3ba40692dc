"""Two service processes on one PostgreSQL database: a key raced to both makes one order."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from service_harness import Service, all_orders, order_body

pytestmark = [pytest.mark.xdist_group("service"), pytest.mark.postgres]

KEYS = 40


def test_the_same_key_raced_to_two_processes_makes_exactly_one_order(
    postgres_url: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    with Service(postgres_url, tmp_path) as one, Service(postgres_url, tmp_path) as two:

        async def race() -> dict[str, list[tuple[int, str]]]:
            answers: dict[str, list[tuple[int, str]]] = {}
            async with httpx.AsyncClient(timeout=60) as client:

                async def send(url: str, key: str, body: dict) -> tuple[int, str]:  # type: ignore[type-arg]
                    r = await client.post(
                        url + "/v1/orders", json=body, headers={"Idempotency-Key": key}
                    )
                    return r.status_code, r.text

                async def one_key(n: int) -> None:
                    key, body = f"twin-{n}", order_body(f"PO-TWO-{n:03d}", customer_index=n)
                    answers[key] = list(
                        await asyncio.gather(
                            send(one.url, key, body),
                            send(two.url, key, body),
                            send(two.url, key, body),
                            send(one.url, key, body),
                        )
                    )

                await asyncio.gather(*(one_key(n) for n in range(KEYS)))
            return answers

        answers = asyncio.run(race())
        for key, replies in answers.items():
            final = {reply for reply in replies if reply[0] != 409}
            assert len(final) == 1 and next(iter(final))[0] == 201, f"{key}: {replies}"
        with httpx.Client(base_url=one.url, timeout=30) as client:
            orders = all_orders(client)
        print(f"\ntwo processes, {KEYS} keys x 4 clients: {len(orders)} orders")
        assert len(orders) == KEYS
        assert {o["order_number"] for o in orders} == {f"PO-TWO-{n:03d}" for n in range(KEYS)}
