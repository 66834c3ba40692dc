"""Real service processes for black-box tests: spawn, wait until ready, kill, restart.

Each server is the real CLI (``python -m crossdock.cli serve``) on 127.0.0.1 and a free port,
with its own log file; a test database is a SQLite file in tmp_path or a fresh PostgreSQL
database created for the test and dropped afterwards.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

PG_ADMIN = "host=127.0.0.1 port=5432 dbname=test user=postgres"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    import psycopg

    name = f"crossdock_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_URL.format(name=name)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Service:
    """One ``crossdock serve`` process; ``restart`` keeps the port and the database."""

    def __init__(
        self,
        database_url: str,
        log_dir: Path,
        *args: str,
        port: int | None = None,
        cwd: Path | None = None,
        command: list[str] | None = None,
    ) -> None:
        self.database_url = database_url
        self.port = port or free_port()
        self.args = list(args)
        self.log_dir = log_dir
        self.cwd = cwd
        self.command = command or [sys.executable, "-m", "crossdock.cli"]
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 40.0) -> Service:
        self.starts += 1
        log = open(self.log_dir / f"service-{self.port}-{self.starts}.log", "wb")  # noqa: SIM115
        argv = [*self.command, "serve", "--port", str(self.port), *self.args]
        if "--short-pick-rate" not in self.args:
            # The demo WMSs short-pick 5% of lines, drawn on the hub's random order ids: a test
            # that wants short picks asks for them, so no other test depends on the draw.
            argv += ["--short-pick-rate", "0"]
        if self.database_url:
            argv += ["--database-url", self.database_url]
        self.process = subprocess.Popen(
            argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.cwd,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"service exited with {self.process.returncode}:\n" + self.log_text()
                )
            try:
                if httpx.get(self.url + "/readyz", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("service did not become ready:\n" + self.log_text())

    def log_text(self) -> str:
        logs = sorted(self.log_dir.glob(f"service-{self.port}-*.log"))
        return "\n".join(p.read_text(errors="replace")[-4000:] for p in logs[-1:])

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, as when a machine dies."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> Service:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def order_body(
    number: str, *, seed: int = 7, customer_index: int = 0, lines: int = 2, quantity: int = 1
) -> dict[str, Any]:
    """A valid order for the demo estate of ``seed``: contract prices, stocked SKUs."""
    from simulators.systems.estate import example_order

    return example_order(
        _estate(seed), number, lines=lines, quantity=quantity, customer_index=customer_index
    )


_ESTATES: dict[int, Any] = {}


def _estate(seed: int) -> Any:
    from simulators.systems.estate import build_estate

    if seed not in _ESTATES:
        _ESTATES[seed] = build_estate(seed)
    return _ESTATES[seed]


def all_orders(client: httpx.Client, **filters: str) -> list[dict[str, Any]]:
    orders, cursor = [], None
    while True:
        params: dict[str, Any] = {"limit": 200, **filters}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/v1/orders", params=params).raise_for_status().json()
        orders += page["data"]
        cursor = page["next_cursor"]
        if cursor is None:
            return orders


def all_events(client: httpx.Client, **filters: str) -> list[dict[str, Any]]:
    events, after = [], None
    while True:
        params: dict[str, Any] = {"limit": 1000, **filters}
        if after:
            params["after"] = after
        page = client.get("/v1/events", params=params).raise_for_status().json()
        if not page["data"]:
            return events
        events += page["data"]
        after = page["next_cursor"]


# -- fixtures, imported by the conftest of each service test folder --------------------------


@pytest.fixture
def sqlite_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite:///{tmp_path / 'crossdock.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crossdock.db'}"
    else:
        with postgres_database() as url:
            yield url
