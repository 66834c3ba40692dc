"""A real systems server on 127.0.0.1 per test, and a hub driven over it by the asyncio shell.

The server runs uvicorn in a thread of the test process, bound to port 0 so that no two tests (or
xdist workers) race for a port; each test gets fresh models with the profiles it asks for.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import uvicorn

from simulators.behavior.profile import BehaviorSpec
from simulators.behavior.streams import spawn_stream
from simulators.http import create_systems_app
from simulators.systems import demand
from simulators.systems.demand import Arrival, ArrivalProfile, OrderFactory
from simulators.systems.estate import Estate, build_estate

from .support import FAST, SEED


class SystemsServer:
    """uvicorn serving one systems app from a background thread."""

    def __init__(self, app: Any) -> None:
        # Port 0: uvicorn binds a free port itself (and sets TCP_NODELAY on its connections).
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=0,
            log_level="warning",
            access_log=False,
            ws="none",
            lifespan="off",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="systems-server", daemon=True)
        self.url = ""

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the systems server did not start within 10 s")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.server.force_exit = True  # do not wait out a handler sleeping past a timeout
        self.thread.join(timeout=10)


@pytest.fixture
def serve_systems() -> Iterator[Callable[..., str]]:
    """``start(profiles, short_pick_rate=0.0) -> base URL`` of a fresh server for this test."""
    servers: list[SystemsServer] = []

    def start(profiles: dict[str, BehaviorSpec] | None = None, short_pick_rate: float = 0.0) -> str:
        server = SystemsServer(
            create_systems_app(SEED, FAST if profiles is None else profiles, short_pick_rate)
        )
        server.start()
        servers.append(server)
        return server.url

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def estate() -> Estate:
    """The server's estate: same seed, same build, so the hub's stock matches the WMS shelves."""
    return build_estate(SEED)


@pytest.fixture(scope="session")
def arrivals(estate: Estate) -> list[Arrival]:
    """Twelve seeded orders with nothing wrong on the channel side."""
    factory = OrderFactory(estate, spawn_stream(SEED, "demand"), {"web": 0.6, "edi": 0.4}, 4.0)
    return demand.arrivals(ArrivalProfile(orders_per_day=43_200), factory, 12)
