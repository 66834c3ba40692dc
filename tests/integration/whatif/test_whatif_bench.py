"""`crossdock bench simulate --json` on a small day: the figures are there and consistent."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CROSSDOCK = str(Path(sys.executable).with_name("crossdock"))


def test_bench_simulate_reports_throughput_against_bare_simpy_and_flat_memory() -> None:
    done = subprocess.run(
        [CROSSDOCK, "bench", "simulate", "--orders", "2000", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert 1900 < result["orders"] < 2100  # seeded, so fixed: a Poisson draw near 2,000
    assert 0.9 * result["orders"] < result["distinct_orders"] < result["orders"]  # resends
    assert result["lines"] > 3 * result["orders"]  # about five lines an order
    rate = result["lines"] / result["wall_seconds"]
    assert abs(result["lines_per_second"] - rate) < 0.01 * rate
    assert result["events"] > 10 * result["orders"]
    assert 0 < result["ratio_to_bare_simpy"] < 1
    assert result["bare_simpy_events_per_second"] > result["events_per_second"]
    assert len(result["peak_rss_mb"]) == 2
    assert result["memory_growth"] < 1.25
