"""Idempotency-Key over real HTTP, on SQLite and on PostgreSQL, against a real server process."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import httpx
import pytest
from service_harness import Service, all_orders, order_body

pytestmark = pytest.mark.xdist_group("service")

KEYS = 200
CLIENTS_PER_KEY = 4


async def _race(url: str, keys: int) -> dict[str, list[tuple[int, str, str | None]]]:
    """Every key sent by CLIENTS_PER_KEY clients at once; all keys in flight together."""
    limits = httpx.Limits(max_connections=64)
    answers: dict[str, list[tuple[int, str, str | None]]] = {}
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:

        async def send(key: str, body: dict) -> tuple[int, str, str | None]:  # type: ignore[type-arg]
            r = await client.post("/v1/orders", json=body, headers={"Idempotency-Key": key})
            return r.status_code, r.text, r.headers.get("Idempotent-Replayed")

        async def one_key(n: int) -> None:
            key = f"idem-{n:04d}"
            body = order_body(f"PO-IDEM-{n:04d}", customer_index=n)
            answers[key] = list(
                await asyncio.gather(*(send(key, body) for _ in range(CLIENTS_PER_KEY)))
            )

        await asyncio.gather(*(one_key(n) for n in range(keys)))
    return answers


def test_each_key_creates_exactly_one_order_however_many_clients_send_it(
    database_url: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    with Service(database_url, tmp_path) as service:
        answers = asyncio.run(_race(service.url, KEYS))
        statuses = Counter(status for replies in answers.values() for status, _, _ in replies)
        print(
            f"\n{database_url.split(':')[0]}: {KEYS} keys x {CLIENTS_PER_KEY} clients -> "
            f"{dict(statuses)}"
        )
        for key, replies in answers.items():
            final = {(status, text) for status, text, _ in replies if status != 409}
            assert len(final) == 1, f"{key}: different answers {final}"
            assert next(iter(final))[0] == 201, f"{key}: {final}"
        assert set(statuses) <= {201, 409}

        with httpx.Client(base_url=service.url, timeout=30) as client:
            orders = all_orders(client)
            assert len(orders) == KEYS
            assert len({o["order_number"] for o in orders}) == KEYS

            # A retry after the dust settles is a replay of the stored answer.
            body = order_body("PO-IDEM-0007", customer_index=7)
            retry = client.post("/v1/orders", json=body, headers={"Idempotency-Key": "idem-0007"})
            assert retry.status_code == 201
            assert retry.headers["Idempotent-Replayed"] == "true"
            assert retry.text == next(t for s, t, _ in answers["idem-0007"] if s == 201)

            changed = dict(body, order_number="PO-SOMETHING-ELSE")
            mismatch = client.post(
                "/v1/orders", json=changed, headers={"Idempotency-Key": "idem-0007"}
            )
            assert mismatch.status_code == 422
            assert mismatch.headers["content-type"] == "application/problem+json"
            assert mismatch.json()["errors"][0]["field"] == "Idempotency-Key"

            missing = client.post("/v1/orders", json=order_body("PO-NO-KEY"))
            assert missing.status_code == 400
            assert missing.headers["content-type"] == "application/problem+json"
            assert missing.json()["errors"][0]["field"] == "Idempotency-Key"

            assert len(all_orders(client)) == KEYS


def test_a_completed_key_expires_after_the_retention_and_may_be_used_afresh(tmp_path) -> None:  # type: ignore[no-untyped-def]
    database_url = f"sqlite:///{tmp_path / 'crossdock.db'}"
    with (
        Service(database_url, tmp_path, "--idempotency-retention", "2") as service,
        httpx.Client(base_url=service.url, timeout=30) as client,
    ):
        key = {"Idempotency-Key": "expiring-key"}
        first = client.post("/v1/orders", json=order_body("PO-EXPIRE-1"), headers=key)
        assert first.status_code == 201, first.text
        other = client.post("/v1/orders", json=order_body("PO-EXPIRE-2"), headers=key)
        assert other.status_code == 422, "within retention a changed payload is a mismatch"

        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            time.sleep(0.5)
            later = client.post("/v1/orders", json=order_body("PO-EXPIRE-2"), headers=key)
            if later.status_code != 422:
                break
        assert later.status_code == 201, later.text
        assert later.headers.get("Idempotent-Replayed") is None
        assert later.json()["order_id"] != first.json()["order_id"]
        assert "expired 1 idempotency keys" in service.log_text()
