"""One scenario, two worlds: its demand replayed live against a hub on its systems, and its
what-if run over the same window, side by side.

``window`` picks the stretch of scenario time to replay (from the first spike, else from the end
of warm-up; as long as ``duration`` wall seconds allow at ``speedup``). ``predicted`` runs the
what-if engine over that window: warm-up ends where the window starts and the horizon is its
length, so the KPIs count the orders placed inside it, the same arrivals the live run sends.
``estate`` starts `crossdock systems serve --scenario` on the window's clock and a hub wired to
it, with call timeouts and leases long enough for the slowest scaled call.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from loadtests.replay import Replayed, quantile

CAPTURE_ROWS = (("mean", None), ("p50", 0.5), ("p95", 0.95), ("p99", 0.99))
INVOICE_ROWS = (("mean", None), ("p50", 0.5), ("p95", 0.95))


@dataclass(frozen=True, slots=True)
class Window:
    start: float  # scenario seconds
    span: float  # scenario seconds

    @property
    def end(self) -> float:
        return self.start + self.span


def window(spec: Any, speedup: float, duration: float) -> Window:
    """The scenario time replayed in ``duration`` wall seconds at ``speedup``."""
    start = min((s.start for s in spec.demand.spikes), default=spec.warm_up)
    end = spec.warm_up + spec.horizon
    if start >= end:
        start = spec.warm_up
    return Window(start, min(duration * speedup, end - start))


def predicted(spec: Any, span: Window, seed: int) -> tuple[str, dict[str, list[float]]]:
    """The what-if run's (first variant's) capture and order-to-invoice samples over ``span``,
    in scenario seconds."""
    from scenarios.runner import plan, run_job

    focused = spec.model_copy(
        update={"warm_up": span.start, "horizon": span.span, "replications": 1, "seed": seed}
    )
    job = plan(focused, replications=1)[0]
    result = run_job(job)
    return job.variant, {
        "capture": list(result.latencies.get("order_capture", [])),
        "to_invoice": list(result.latencies.get("order_to_invoice", [])),
    }


def rows(live: Replayed, simulated: dict[str, list[float]], speedup: float) -> list[dict[str, Any]]:
    """Side by side, in wall seconds: the live figure, and the simulated one divided by
    ``speedup`` (what the model says the run should have shown)."""
    out = []
    for metric, measured, modelled, stats in (
        ("capture", live.capture, simulated["capture"], CAPTURE_ROWS),
        ("order-to-invoice", live.to_invoice, simulated["to_invoice"], INVOICE_ROWS),
    ):
        scaled = [v / speedup for v in modelled]
        for stat, q in stats:
            out.append(
                {
                    "metric": metric,
                    "stat": stat,
                    "live_s": _stat(measured, q),
                    "simulated_s": _stat(scaled, q),
                    "live_n": len(measured),
                    "simulated_n": len(scaled),
                }
            )
    return out


def _stat(values: list[float], q: float | None) -> float | None:
    if not values:
        return None
    return sum(values) / len(values) if q is None else quantile(values, q)


@contextmanager
def estate(
    scenario: str, span: Window, speedup: float, seed: int, budget: float, logs: Path
) -> Iterator[str]:
    """A hub on SQLite wired to the scenario's systems over HTTP; yields the hub's URL.

    ``budget`` (wall seconds) bounds every call and lease: a scaled WMS answer of hours must not
    be cut off and performed again as if the process that started it had died."""
    from crossdock.embedded import free_port

    cli = [sys.executable, "-m", "crossdock.cli"]
    logs.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="crossdock-live-") as where:
        systems_port, hub_port = free_port(), free_port()
        systems = f"http://127.0.0.1:{systems_port}"
        stack.enter_context(
            _child(
                [
                    *cli,
                    *("systems", "serve", "--port", str(systems_port), "--seed", str(seed)),
                    *("--scenario", scenario, "--speedup", f"{speedup:g}"),
                    *("--start", f"{span.start:g}", "--log-level", "warning"),
                ],
                systems + "/healthz",
                logs / "systems.log",
            )
        )
        hub = f"http://127.0.0.1:{hub_port}"
        stack.enter_context(
            _child(
                [
                    *cli,
                    *("serve", "--port", str(hub_port), "--seed", str(seed)),
                    *("--database-url", f"sqlite:///{Path(where) / 'hub.db'}"),
                    *("--systems", systems, "--systems-timeout", f"{budget:g}"),
                    *("--effect-lease", f"{budget * 1.5:g}", "--log-level", "warning"),
                ],
                hub + "/readyz",
                logs / "hub.log",
            )
        )
        yield hub


@contextmanager
def _child(argv: list[str], ready: str, log_path: Path, timeout: float = 60.0) -> Iterator[None]:
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"}
        )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"{' '.join(argv[2:5])} exited with {process.returncode}:\n"
                    + log_path.read_text()[-2000:]
                )
            try:
                if httpx.get(ready, timeout=1.0).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{ready} was not ready within {timeout:.0f} s")
            time.sleep(0.1)
        yield
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
