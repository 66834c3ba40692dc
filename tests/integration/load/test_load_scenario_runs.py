"""``crossdock load --scenario``: a scenario's demand against a live hub on its systems, and the
what-if run of the same window, printed side by side; the run ends by itself."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("load")]

SECONDS = r"\d+(?:\.\d+)? (?:ms|s)"


def test_a_short_baseline_day_prints_live_and_simulated_latencies_side_by_side(tmp_path: Path):
    command = ["load", "--scenario", "baseline-day", "--speedup", "900", "--duration", "15"]
    done = subprocess.run(
        [sys.executable, "-m", "crossdock.cli", *command, "--drain", "10", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=240,  # a run that does not end by itself fails here
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    header = next(line for line in done.stdout.splitlines() if "latency" in line)
    assert "live" in header and "simulated" in header
    for row in ("capture p50", "capture p95", "order-to-invoice mean"):
        line = next(line for line in done.stdout.splitlines() if row in line)
        live, simulated = re.findall(SECONDS, line)[:2]
        assert live and simulated, line
    assert re.search(r"orders: [\d,]+ sent, [\d,]+ accepted", done.stdout)
    assert (tmp_path / "hub.log").exists() and (tmp_path / "systems.log").exists()
