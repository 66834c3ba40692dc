"""How fast the what-if engine runs, against SimPy itself, and that its memory stays flat.

``bench(orders)`` runs a peak day of ``orders`` orders (``baseline-day`` at that rate, flat over
the day, one replication, no warm-up; ``orders`` counts what customers sent, so a resent order
counts twice, and ``distinct_orders`` once) in a fresh child process, and the same rate for a
quarter of the orders in another, reading each child's peak resident memory (``ru_maxrss``). Metrics
are streamed and finished orders archived, so the two peaks should be close: memory follows the
orders in flight, not the day's total. In the big run's process, after the run, a bare SimPy
loop schedules the same number of events (timeouts whose callbacks schedule the next), so the
ratio says what share of raw SimPy speed the hub, the systems and the measurement leave. The bare
loop lasts a second or two where the day lasts a minute, so one timing of it swings with whatever
else the machine does (646k to 925k events a second in three fresh processes on one machine):
it runs ``BARE_REPEATS`` times and the median counts.
"""

from __future__ import annotations

import multiprocessing
import resource
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import simpy

from scenarios.runner import run_seed
from scenarios.spec import ScenarioSpec, apply_overrides, load_spec

BARE_CHAINS = 64
BARE_REPEATS = 5


def bench_spec(orders: int, horizon: float = 86400.0) -> ScenarioSpec:
    base = load_spec("baseline-day")
    return apply_overrides(
        base,
        {
            "demand.orders_per_day": orders * 86400.0 / horizon if horizon < 86400.0 else orders,
            "demand.hourly_profile": None,  # a flat rate: a quarter of the orders is a quarter day
            "warm_up": 0,
            "horizon": horizon,
        },
    ).model_copy(update={"variants": [], "replications": 1})


def bare_simpy(events: int) -> float:
    """Seconds a bare SimPy loop takes to process ``events`` timeouts with a callback each."""
    env = simpy.Environment()
    left = [events - BARE_CHAINS]

    def tick(_event: object) -> None:
        if left[0] > 0:
            left[0] -= 1
            env.timeout(1.0).callbacks.append(tick)

    for _ in range(min(BARE_CHAINS, events)):
        env.timeout(0.0).callbacks.append(tick)
    started = time.perf_counter()
    env.run()
    return time.perf_counter() - started


def one_run(orders: int, horizon: float, compare: bool) -> dict[str, Any]:
    """Runs in a child process: one day (or part of one) and, if asked, the bare loop."""
    from scenarios.world import World

    spec = bench_spec(orders, horizon)
    world = World(spec, "baseline", 0, run_seed(spec.seed, 0))
    started = time.perf_counter()
    result = world.run()
    wall = time.perf_counter() - started
    events = world.env.scheduled
    out: dict[str, Any] = {
        "orders": world.orders_sent,
        "distinct_orders": int(result.kpis["orders_placed"]),
        "lines": world.lines_placed,
        "events": events,
        "wall_seconds": wall,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }
    if compare:
        out["bare_simpy_seconds"] = statistics.median(
            bare_simpy(events) for _ in range(BARE_REPEATS)
        )
    return out


def _child(orders: int, horizon: float, compare: bool) -> dict[str, Any]:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(one_run, orders, horizon, compare).result()


def bench(orders: int, phase: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    """The peak-day figures for ``orders`` orders, and peak memory at a quarter of them;
    ``phase`` hears what is running now."""
    phase(f"a peak day of {orders:,} orders, then a bare SimPy loop as long, {BARE_REPEATS} times")
    day = _child(orders, 86400.0, compare=True)
    phase(f"a quarter day ({max(1, orders // 4):,} orders) for peak memory")
    quarter = _child(max(1, orders // 4), 21600.0, compare=False)
    wall, events = day["wall_seconds"], day["events"]
    bare_rate = events / day["bare_simpy_seconds"]
    return {
        "orders": day["orders"],
        "distinct_orders": day["distinct_orders"],
        "lines": day["lines"],
        "wall_seconds": round(wall, 3),
        "lines_per_second": round(day["lines"] / wall, 1),
        "orders_per_second": round(day["orders"] / wall, 1),
        "events": events,
        "events_per_second": round(events / wall, 1),
        "bare_simpy_events_per_second": round(bare_rate, 1),
        "ratio_to_bare_simpy": round(events / wall / bare_rate, 4),
        "peak_rss_mb": {
            str(quarter["orders"]): round(quarter["peak_rss_mb"], 1),
            str(day["orders"]): round(day["peak_rss_mb"], 1),
        },
        "memory_growth": round(day["peak_rss_mb"] / quarter["peak_rss_mb"], 3),
    }
