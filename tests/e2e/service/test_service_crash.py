"""Crash: SIGKILL the server three times while clients post orders; nothing is lost or doubled.

Clients behave as the Idempotency-Key draft expects: on a connection error, a 409 or a 503 they
retry the same request with the same key until it is answered. Afterwards every order that got a
201 exists, its OrderAccepted event is in /v1/events exactly once, and it reaches the state its
shipments imply, driven by the durable effect worker of the restarted process.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from typing import Any

import httpx
import pytest
from service_harness import Service, all_events, all_orders, order_body

pytestmark = [pytest.mark.xdist_group("service"), pytest.mark.slow]

CLIENTS = 6
KILLS = 3
RUN_BETWEEN_KILLS = 2.0
FINAL_STATES = {"closed", "cancelled", "rejected"}


class Clients:
    def __init__(self, url: str) -> None:
        self.url = url
        self.numbers = itertools.count(1)
        self.stop = threading.Event()
        self.answers: dict[str, tuple[int, dict[str, Any]]] = {}
        self.retries = Counter[str]()
        self.lock = threading.Lock()

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=30) as client:
            while not self.stop.is_set():
                with self.lock:
                    n = next(self.numbers)
                key = f"crash-{n:05d}"
                body = order_body(f"PO-CRASH-{n:05d}", customer_index=n, lines=1 + n % 3)
                body["backorders"] = "cancel"  # a short pick ends the order: no stock is coming
                self._until_answered(client, key, body)

    def _until_answered(self, client: httpx.Client, key: str, body: dict[str, Any]) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                r = client.post("/v1/orders", json=body, headers={"Idempotency-Key": key})
            except httpx.TransportError as error:
                outcome = type(error).__name__
            else:
                if r.status_code in (201, 422):
                    with self.lock:
                        self.answers[key] = (r.status_code, r.json())
                    return
                outcome = str(r.status_code)
            with self.lock:
                self.retries[outcome] += 1
            time.sleep(0.2)
        raise AssertionError(f"{key} was never answered")


def _implied(order: dict[str, Any], shipments: int) -> list[str]:
    """What is wrong with a finished order, given what was shipped."""
    wrong = []
    shipped = sum(line["shipped"] for line in order["lines"])
    expected = "closed" if shipped else "cancelled"
    if order["state"] != expected:
        wrong.append(f"state {order['state']} but {shipped} units shipped")
    for line in order["lines"]:
        if line["shipped"] + line["cancelled"] != line["quantity"] or line["backordered"]:
            wrong.append(f"line {line['line_no']} does not add up: {line}")
    if order["shipments"] != shipments or len(order["invoices"]) != shipments:
        wrong.append(
            f"{order['shipments']} shipments, {shipments} confirmed, "
            f"{len(order['invoices'])} invoices"
        )
    return wrong


def test_orders_survive_three_sigkills(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    service = Service(database_url, tmp_path).start()
    clients = Clients(service.url)
    threads = [threading.Thread(target=clients.run, daemon=True) for _ in range(CLIENTS)]
    try:
        for thread in threads:
            thread.start()
        for _ in range(KILLS):
            time.sleep(RUN_BETWEEN_KILLS)
            service.kill()
            time.sleep(0.3)
            service.start()
        time.sleep(RUN_BETWEEN_KILLS)
        clients.stop.set()
        for thread in threads:
            thread.join(150)

        with httpx.Client(base_url=service.url, timeout=30) as client:
            deadline = time.monotonic() + 90
            while True:
                orders = all_orders(client)
                if all(o["state"] in FINAL_STATES for o in orders) or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            events = all_events(client)
            created = {
                key: body["order_id"]
                for key, (status, body) in clients.answers.items()
                if status == 201
            }
            answered = set(created.values()) | {
                body.get("order_id") for status, body in clients.answers.values() if status == 422
            }
            accepted = Counter(e["subject"] for e in events if e["type"] == "OrderAccepted")
            confirmed = Counter(e["subject"] for e in events if e["type"] == "ShipmentConfirmed")
            in_db = {o["order_id"]: o for o in orders}
            numbers = Counter(o["order_number"] for o in orders)

            lost = [oid for oid in created.values() if oid not in in_db or accepted[oid] == 0]
            duplicated = [oid for oid, n in accepted.items() if n > 1] + [
                num for num, n in numbers.items() if n > 1
            ]
            unexpected = [oid for oid in in_db if oid not in answered]
            for oid in created.values():
                if oid in in_db:
                    order = client.get(f"/v1/orders/{oid}").json()
                    wrong = _implied(order, confirmed[oid])
                    if wrong:
                        unexpected.append(f"{oid}: {wrong}")
        print(
            f"\ncrash ({database_url.split(':')[0]}): {len(clients.answers)} orders answered "
            f"({len(created)} created), "
            f"{KILLS} SIGKILLs, retries {dict(clients.retries)}; "
            f"lost={len(lost)} duplicated={len(duplicated)} unexpected={len(unexpected)}"
        )
        assert clients.retries, "the kills did not interrupt any client; the test proves nothing"
        assert len(created) >= 20
        assert (lost, duplicated, unexpected) == ([], [], [])
    finally:
        clients.stop.set()
        service.stop()
