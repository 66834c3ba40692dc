"""``crossdock load`` end to end: Locust against a real embedded hub on loopback, gates judged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("load")]


def crossdock_load(out: Path, *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    done = subprocess.run(
        [sys.executable, "-m", "crossdock.cli", "load", "--out", str(out), "--json", *args],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.stdout.strip(), done.stderr[-3000:]
    return done.returncode, json.loads(done.stdout)


def test_a_smoke_run_passes_its_gates_against_the_embedded_hub(tmp_path: Path) -> None:
    """Latency is the benchmark's business, not a test's: these gates only hold errors at 0."""
    code, result = crossdock_load(
        tmp_path, "--profile", "smoke", "--duration", "8s", "--sla", str(_lenient(tmp_path))
    )
    operations = {op["operation"]: op for op in result["operations"]}
    assert code == 0, result
    assert operations["createOrder"]["requests"] > 0
    assert operations["getAvailability"]["requests"] > 0
    assert all(op["failures"] == 0 for op in operations.values())
    assert (tmp_path / "report.html").stat().st_size > 10_000


def test_a_master_and_two_workers_merge_their_stats(tmp_path: Path) -> None:
    code, result = crossdock_load(
        tmp_path,
        "--profile",
        "smoke",
        "--duration",
        "8s",
        "-w",
        "2",
        "--sla",
        str(_lenient(tmp_path)),
    )
    assert code == 0, result
    assert sum(op["requests"] for op in result["operations"]) > 0
    assert (tmp_path / "locust-worker-1.log").exists()
    assert (tmp_path / "locust-worker-2.log").exists()


def test_an_impossible_gate_fails_the_run(tmp_path: Path) -> None:
    """The exit code is the gates': a 1 ms p95 on every operation cannot hold."""
    code, result = crossdock_load(
        tmp_path, "--profile", "smoke", "--duration", "5s", "--sla", str(_strict(tmp_path))
    )
    assert code == 1
    assert not result["passed"]
    assert any("p95" in p for op in result["operations"] for p in op["problems"])


def _strict(tmp_path: Path) -> Path:
    path = tmp_path / "strict-sla.yaml"
    path.write_text("default: {p95_ms: 1, p99_ms: 1, error_rate: 0.0}\n")
    return path


def _lenient(tmp_path: Path) -> Path:
    path = tmp_path / "lenient-sla.yaml"
    path.write_text("default: {p95_ms: 60000, p99_ms: 60000, error_rate: 0.0}\n")
    return path
