"""Locust users per channel, driving the hub through its typed client.

Run through ``crossdock load`` (which sets the environment below), or by hand:
``CROSSDOCK_LOAD_PROFILE=peak locust -f loadtests/locustfile.py --headless --host URL``.

    CROSSDOCK_LOAD_PROFILE   a profile of loadtests/profiles.yaml (default: peak)
    CROSSDOCK_LOAD_USERS, CROSSDOCK_LOAD_SPAWN_RATE, CROSSDOCK_LOAD_DURATION   override it
    CROSSDOCK_LOAD_SEED      the demo estate's seed (the hub's --seed), default 7

The profile's mix sets each user class's weight; its shape (spike, step, soak) drives the user
count over time and ends the run by itself.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import random
from collections import deque
from typing import Any

from locust import LoadTestShape, User, between, task

from loadtests.instrumented import LocustHubClient
from loadtests.orders import OrderBook
from loadtests.profiles import load_profile
from loadtests.shapes import SHAPES
from reference.client import HubProblem, OrderRejected

PROFILE = load_profile(
    os.environ.get("CROSSDOCK_LOAD_PROFILE", "peak"),
    users=os.environ.get("CROSSDOCK_LOAD_USERS"),
    spawn_rate=os.environ.get("CROSSDOCK_LOAD_SPAWN_RATE"),
    duration=os.environ.get("CROSSDOCK_LOAD_DURATION"),
)
SEED = int(os.environ.get("CROSSDOCK_LOAD_SEED", "7"))
_numbers = itertools.count(1)
# Orders this process placed recently: what support looks up and the warehouse ships.
RECENT: deque[tuple[str, str]] = deque(maxlen=500)


class HubUser(User):
    abstract = True
    channel = "web"

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        self.number = next(_numbers)
        self.book = OrderBook(SEED, self.number)
        self.client = LocustHubClient(self.host, environment)

    def on_stop(self) -> None:
        self.client.close()

    def place(self, order: dict[str, Any], key: str, attempts: int = 3) -> Any:
        """One order under one key; in-flight and unavailable answers are retried with it."""
        for attempt in range(attempts):
            try:
                placed = self.client.create_order(order, idempotency_key=key)
            except HubProblem as problem:
                if problem.status not in (409, 429, 503) or attempt == attempts - 1:
                    return None
                self.wait_a_little(problem.retry_after)
                continue
            if not isinstance(placed, OrderRejected):
                RECENT.append((placed.body.order_id, placed.body.correlation_id))
            return placed
        return None

    def wait_a_little(self, retry_after: str | None) -> None:
        import gevent

        seconds = float(retry_after) if retry_after and retry_after.isdigit() else 0.5
        gevent.sleep(min(seconds, 2.0) * (0.5 + random.random()))


class B2BPortalUser(HubUser):
    """Key accounts ordering a handful of lines, retrying under the same key."""

    wait_time = between(1, 3)

    @task
    def order(self) -> None:
        self.place(self.book.order("web"), self.book.key())


class MarketplaceUser(HubUser):
    """Bursts of small orders; a fifth of them delivered twice, as marketplaces do."""

    wait_time = between(0.5, 2)

    @task
    def burst(self) -> None:
        for _ in range(self.book.random.randint(1, 4)):
            order, key = self.book.order("marketplace"), self.book.key()
            self.place(order, key)
            if self.book.random.random() < 0.2:
                self.place(order, key)  # the duplicate delivery: a replay, never a new order


class EdiBatchUser(HubUser):
    """A trading partner's batch: several purchase orders of dozens of lines, back to back."""

    wait_time = between(5, 10)

    @task
    def batch(self) -> None:
        for _ in range(self.book.random.randint(3, 6)):
            self.place(self.book.order("edi"), self.book.key())


class AvailabilityUser(HubUser):
    """Product pages and partner feeds asking what can be promised."""

    wait_time = between(0.2, 1)

    @task
    def lookup(self) -> None:
        channel = self.book.random.choice(["web", "marketplace", "edi"])
        self.client.availability(self.book.sku(), channel=channel)


class SupportUser(HubUser):
    """The support desk: an order's end-to-end timeline, and a customer's open orders."""

    wait_time = between(1, 4)

    @task(3)
    def timeline(self) -> None:
        if RECENT:
            order_id, correlation_id = self.book.random.choice(RECENT)
            self.client.events(correlation_id=correlation_id, limit=200)
            self.client.get_order(order_id)

    @task(1)
    def customer_orders(self) -> None:
        customer = self.book.random.choice(self.book.customers).customer_id
        self.client.list_orders(customer_id=customer, limit=20)


class WarehouseUser(HubUser):
    """A WMS: receipts that replenish stock, and shipment confirmations for releases it holds."""

    wait_time = between(1, 3)

    @task(2)
    def receipt(self) -> None:
        movement = {
            "movement_id": self.book.key(),
            "node_id": self.book.random.choice(["DC-ATL", "DC-DFW", "DC-RNO"]),
            "sku": self.book.sku(),
            "kind": "receipt",
            "quantity": self.book.random.randint(20, 200),
        }
        # A refused movement is recorded as the hub's answer; the user carries on.
        with contextlib.suppress(HubProblem):
            self.client.post_movement(movement, idempotency_key=self.book.key())

    @task(1)
    def ship(self) -> None:
        if not RECENT:
            return
        order_id, _ = self.book.random.choice(RECENT)
        try:
            order = self.client.get_order(order_id)
        except HubProblem:
            return
        skus = {line.line_no: line.sku for line in order.lines}
        for release in order.releases:
            if release.shipped:
                continue
            shipment = {
                "shipment_id": f"SH-{self.book.key()[:18]}",
                "order_id": order_id,
                "node_id": release.node,
                "lines": [
                    {"line_no": int(no), "sku": skus[int(no)], "quantity": qty}
                    for no, qty in release.lines.items()
                ],
            }
            # 409 until the release is acknowledged: counted on its own row, tried again later.
            with contextlib.suppress(HubProblem):
                self.client.confirm_shipment(shipment, idempotency_key=self.book.key())


def _weigh(*classes: type[HubUser]) -> None:
    """Each class's weight from the profile's mix; a class the mix leaves out never runs."""
    for cls in classes:
        cls.weight = PROFILE.mix.get(cls.__name__, 0)
        cls.abstract = cls.weight == 0


_weigh(B2BPortalUser, MarketplaceUser, EdiBatchUser, AvailabilityUser, SupportUser, WarehouseUser)


class ProfileShape(LoadTestShape):
    """The profile's shape; the run ends when it says so."""

    use_common_options = False

    def __init__(self) -> None:
        super().__init__()
        self.shape = SHAPES[PROFILE.shape](PROFILE.users, PROFILE.spawn_rate, PROFILE.duration)

    def tick(self) -> tuple[int, float] | None:
        return self.shape(self.get_run_time())
