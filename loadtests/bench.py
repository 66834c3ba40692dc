"""``crossdock bench service``: the hub against a bare FastAPI echo of the same order.

Theory of operation. Each server runs alone, pinned to the machine's last core, while the load
generator is pinned to the first (on a single core they share it). The same generators drive
both in the same run, with the same connections and duration:

- saturation, closed loop: wrk if it is on the PATH (in C, with a Lua script that makes every
  order number and Idempotency-Key new), else loadtests/pyload.py in its own process. For
  POST /v1/orders and GET /v1/availability: req/s, p50, p99 and errors (no answer, or a status
  of 400 or more), and the hub's req/s as a ratio of the echo's. In a closed loop each
  connection waits for its answer, so latency there is mostly connections / throughput;
- latency under load, open loop: loadtests/openloop.py offers orders at a fixed rate, the hub's
  target share of the echo's saturated req/s (``target_ratio``), and times each from when it was
  due. The hub meets its target when it reaches that share at saturation, answers at that rate
  within ``p99_ms`` at the 99th percentile, fails none, and its backlog holds.

The hub serves with ``--system-latency zero``: its in-process ERP, WMS, TMS and finance answer
at once, so the figures are the hub's own, with its whole saga running behind the API (release,
shipment, invoice, close). While orders are posted, the bench samples the hub's database once a
second: effects due and not done, and open orders not waiting for stock. The backlog holds when
the last third of the run averages no more than the middle third (plus a margin of the
concurrency): orders close as fast as they are accepted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from loadtests.orders import OrderBook

ECHO = "loadtests.echo:create_echo_app"
FINAL_STATES = "('closed', 'rejected', 'cancelled')"


def cores() -> tuple[set[int] | None, set[int] | None]:
    """(server cores, generator cores): the last core and the first, where there are two."""
    available = sorted(os.sched_getaffinity(0))
    if len(available) < 2:
        return None, None
    return {available[-1]}, {available[0]}


def _pinned(cpus: set[int] | None) -> Callable[[], None] | None:
    return (lambda: os.sched_setaffinity(0, cpus)) if cpus else None


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(argv: list[str], port: int, log: Path, cpus: set[int] | None) -> Iterator[str]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, stdout=out, stderr=subprocess.STDOUT, preexec_fn=_pinned(cpus)
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{argv[2]} exited:\n{log.read_text()[-2000:]}")
            try:
                httpx.get(url + "/openapi.json", timeout=1.0)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()


def echo_argv(port: int) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", ECHO, "--factory", "--host", "127.0.0.1",
        "--port", str(port), "--no-access-log", "--log-level", "warning",
        "--timeout-keep-alive", "75",
    ]  # fmt: skip


def hub_argv(port: int, database_url: str) -> list[str]:
    return [
        sys.executable, "-m", "crossdock.cli", "serve", "--port", str(port),
        "--database-url", database_url, "--system-latency", "zero", "--log-level", "warning",
    ]  # fmt: skip


# -- the load: order bodies and lookups, as a wrk Lua script or pyload's request file ---------


def order_templates(seed: int, count: int = 200) -> list[str]:
    """JSON bodies with ``{n}`` where the order number's counter goes."""
    book = OrderBook(seed, 0)
    bodies = []
    for _ in range(count):
        order = book.order("web", lines=book.random.randint(1, 3))
        for line in order["lines"]:
            line["quantity"] = 1
        order["order_number"] = "BENCH-{n}"
        bodies.append(json.dumps(order, separators=(",", ":")))
    return bodies


def lookups(seed: int, count: int = 200) -> list[str]:
    book = OrderBook(seed, 1)
    return [f"/v1/availability?sku={book.sku()}&channel=web" for _ in range(count)]


def wrk_script(kind: str, seed: int) -> str:
    if kind == "orders":
        items = ",\n".join(_lua(b) for b in order_templates(seed))
        return (
            f"local bodies = {{\n{items}\n}}\n"
            # thread:set makes a global of each thread's state: a local would hide it, and every
            # thread would then send the same keys and order numbers.
            "local n = 0\n"
            "local counter = 0\n"
            "function setup(thread) counter = counter + 1; thread:set('thread_id', counter) end\n"
            "function request()\n"
            "  n = n + 1\n"
            "  local id = string.format('%d-%d-%d', thread_id, n, math.random(1, 1e9))\n"
            "  local body = string.gsub(bodies[(n % #bodies) + 1], '{n}', id)\n"
            "  return wrk.format('POST', '/v1/orders', {['Content-Type'] = 'application/json',"
            " ['Idempotency-Key'] = id}, body)\n"
            "end\n"
        )
    paths = ",\n".join(_lua(p) for p in lookups(seed))
    return (
        f"local paths = {{\n{paths}\n}}\nlocal n = 0\n"
        "function request() n = n + 1; return wrk.format('GET', paths[(n % #paths) + 1]) end\n"
    )


def _lua(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def pyload_requests(kind: str, seed: int) -> str:
    if kind == "orders":
        rows = [
            {
                "method": "POST",
                "path": "/v1/orders",
                "headers": {"content-type": "application/json", "Idempotency-Key": "bench-{n}"},
                "body": body,
            }
            for body in order_templates(seed)
        ]
    else:
        rows = [{"method": "GET", "path": p, "headers": {}} for p in lookups(seed)]
    return "\n".join(json.dumps(r) for r in rows) + "\n"


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def parse_wrk(text: str) -> dict[str, Any]:
    """requests, rps, p50_ms, p99_ms and errors from ``wrk --latency`` output."""
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", text, re.M))

    def ms(key: str) -> float:
        value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", latency[key]).groups()  # type: ignore[union-attr]
        return _ms(value, unit)

    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {
        "requests": int(re.search(r"(\d+) requests in", text).group(1)),  # type: ignore[union-attr]
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),  # type: ignore[union-attr]
        "p50_ms": ms("50"),
        "p99_ms": ms("99"),
        "errors": (sum(map(int, sockets.groups())) if sockets else 0)
        + (int(non_2xx.group(1)) if non_2xx else 0),
    }


def drive(
    url: str, kind: str, connections: int, duration: float, seed: int, work: Path,
    cpus: set[int] | None,
) -> dict[str, Any]:  # fmt: skip
    """One measurement of ``kind`` ('orders' or 'availability') against ``url``."""
    if shutil.which("wrk"):
        script = work / f"{kind}.lua"
        script.write_text(wrk_script(kind, seed))
        threads = str(min(connections, 2))
        argv = ["wrk", "-t", threads, "-c", str(connections), "-d", f"{duration:.0f}s"]
        argv += ["--latency", "--timeout", "10s", "-s", str(script), url]
        done = subprocess.run(
            argv, capture_output=True, text=True, preexec_fn=_pinned(cpus), check=True
        )
        return {"generator": "wrk", **parse_wrk(done.stdout)}
    requests = work / f"{kind}.jsonl"
    requests.write_text(pyload_requests(kind, seed))
    argv = [sys.executable, "-m", "loadtests.pyload", url, "--connections", str(connections)]
    argv += ["--duration", str(duration), "--requests", str(requests)]
    done = subprocess.run(
        argv, capture_output=True, text=True, preexec_fn=_pinned(cpus), check=True
    )
    return {"generator": "pyload", **json.loads(done.stdout)}


def drive_open(
    url: str, rate: float, connections: int, duration: float, seed: int, work: Path,
    cpus: set[int] | None,
) -> dict[str, Any]:  # fmt: skip
    """Orders at ``rate`` a second, open loop (loadtests/openloop.py), in its own process."""
    requests = work / "orders-open.jsonl"
    requests.write_text(pyload_requests("orders", seed).replace("bench-{n}", "open-{n}"))
    argv = [sys.executable, "-m", "loadtests.openloop", url, "--rate", f"{rate:.2f}"]
    argv += ["--connections", str(connections), "--duration", str(duration)]
    argv += ["--requests", str(requests)]
    done = subprocess.run(
        argv, capture_output=True, text=True, preexec_fn=_pinned(cpus), check=True
    )
    return {"generator": "openloop", **json.loads(done.stdout)}


class Backlog:
    """Samples the hub's database once a second: pending effects and orders not yet closed."""

    def __init__(self, database_url: str) -> None:
        from sqlalchemy import create_engine

        self.engine = create_engine(database_url)
        self.samples: list[tuple[float, int, int, int]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _count(self) -> tuple[int, int, int]:
        """Effects due and not done; orders; open orders the hub or a system owes a step.

        A timer due in days (a backorder's expiry) is not backlog, nor is an order whose lines
        wait in a backorder queue for stock the run will not receive."""
        from sqlalchemy import text

        with self.engine.connect() as conn:
            pending = conn.execute(
                text("SELECT count(*) FROM pending_effects WHERE due_at <= :now"),
                {"now": time.time()},
            ).scalar_one()
            orders = conn.execute(text("SELECT count(*) FROM orders")).scalar_one()
            open_ = conn.execute(
                text(
                    f"SELECT count(*) FROM orders WHERE state NOT IN {FINAL_STATES} "
                    "AND order_id NOT IN (SELECT order_id FROM backorders)"
                )
            ).scalar_one()
        return int(pending), int(orders), int(open_)

    def _run(self) -> None:
        started = time.monotonic()
        while not self.stop.wait(1.0):
            try:
                self.samples.append((time.monotonic() - started, *self._count()))
            except Exception:  # a busy SQLite file: skip this second
                continue

    def __enter__(self) -> Backlog:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(5)

    def verdict(self, connections: int) -> dict[str, Any]:
        if len(self.samples) < 6:
            return {"held": False, "why": "too few samples", "samples": len(self.samples)}
        third = len(self.samples) // 3
        middle = self.samples[third : 2 * third]
        last = self.samples[2 * third :]
        mean = lambda rows, i: sum(r[i] for r in rows) / len(rows)  # noqa: E731
        elapsed = self.samples[-1][0] - self.samples[0][0]
        accepted = (self.samples[-1][2] - self.samples[0][2]) / elapsed if elapsed else 0.0
        result = {
            "pending_effects_middle": round(mean(middle, 1), 1),
            "pending_effects_last": round(mean(last, 1), 1),
            "open_orders_middle": round(mean(middle, 3), 1),
            "open_orders_last": round(mean(last, 3), 1),
            "orders_per_s": round(accepted, 1),
        }
        result["held"] = result["open_orders_last"] <= result["open_orders_middle"] + connections
        return result


def bench_service(
    *,
    connections: int = 64,
    duration: float = 15.0,
    database_url: str | None = None,
    seed: int = 7,
    target_ratio: float = 0.08,
    p99_ms: float = 100.0,
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    server_cpus, generator_cpus = cores()
    with tempfile.TemporaryDirectory(prefix="crossdock-bench-") as where:
        work = Path(where)
        url_db = database_url or f"sqlite:///{work / 'hub.db'}"
        result: dict[str, Any] = {
            "connections": connections,
            "duration_s": duration,
            "server_cores": sorted(server_cpus) if server_cpus else "shared",
            "database": url_db.split(":", 1)[0],
        }
        port = _free_port()
        with server(echo_argv(port), port, work / "echo.log", server_cpus) as url:
            for kind in ("orders", "availability"):
                progress(f"echo: {kind}")
                result[f"echo_{kind}"] = drive(
                    url, kind, connections, duration, seed, work, generator_cpus
                )
            # The rate the hub must serve: its target share of what the echo served.
            rate = round(target_ratio * result["echo_orders"]["rps"], 2)
            progress(f"echo: orders at {rate:.0f}/s, open loop")
            result["echo_orders_open"] = drive_open(
                url, rate, connections, duration, seed, work, generator_cpus
            )
        port = _free_port()
        with server(hub_argv(port, url_db), port, work / "hub.log", server_cpus) as url:
            progress("hub: orders (the saga runs behind them)")
            with Backlog(url_db) as backlog:
                result["hub_orders"] = drive(
                    url, "orders", connections, duration, seed, work, generator_cpus
                )
            result["backlog"] = backlog.verdict(connections)
            progress("hub: availability")
            result["hub_availability"] = drive(
                url, "availability", connections, duration, seed, work, generator_cpus
            )
            progress(f"hub: orders at {rate:.0f}/s, open loop")
            result["hub_orders_open"] = drive_open(
                url, rate, connections, duration, seed, work, generator_cpus
            )
    for kind in ("orders", "availability"):
        echo, hub = result[f"echo_{kind}"], result[f"hub_{kind}"]
        result[f"ratio_{kind}"] = round(hub["rps"] / echo["rps"], 4) if echo["rps"] else 0.0
    result["target"] = target(result, target_ratio, p99_ms)
    return result


def target(result: dict[str, Any], ratio: float, p99_ms: float) -> dict[str, Any]:
    """Whether the hub met its target: at least ``ratio`` of the echo's order throughput at
    saturation, and, offered that rate open loop, every order answered within ``p99_ms`` at the
    99th percentile, none failed, at least 95% of that rate achieved; and the backlog held."""
    open_ = result["hub_orders_open"]
    checks = {
        "throughput": result["ratio_orders"] >= ratio,
        "p99": open_["p99_ms"] <= p99_ms,
        "errors": result["hub_orders"]["errors"] == 0 and open_["errors"] == 0,
        "kept_up": open_["rps"] >= 0.95 * open_["offered_rps"],
        "backlog": bool(result["backlog"].get("held")),
    }
    return {"ratio": ratio, "p99_ms": p99_ms, "checks": checks, "met": all(checks.values())}
