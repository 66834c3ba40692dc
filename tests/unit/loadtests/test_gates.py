"""SLA gates judge Locust's statistics: latency, failures, and expected answers on their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from loadtests.gates import judge
from loadtests.profiles import load_profile, seconds
from loadtests.shapes import spike, step

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)


def row(name: str, requests: int, failures: int, p95: int, p99: int) -> str:
    return (
        f"POST,{name},{requests},{failures},10,12,1,{p99},100,5.0,0.0,"
        f"10,11,12,13,14,{p95},{p99},{p99},{p99},{p99},{p99}"
    )


@pytest.fixture
def sla(tmp_path: Path) -> Path:
    path = tmp_path / "sla.yaml"
    path.write_text(
        "default: {p95_ms: 500, p99_ms: 1000, error_rate: 0.0}\n"
        "operations:\n  createOrder: {p95_ms: 800, p99_ms: 1500, error_rate: 0.01}\n"
    )
    return path


def stats(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "locust_stats.csv"
    path.write_text("\n".join([HEADER, *rows, row("Aggregated", 1, 0, 1, 1)]) + "\n")
    return path


def test_an_operation_within_its_gates_passes_and_its_expected_answers_stand_apart(
    tmp_path: Path, sla: Path
) -> None:
    csv = stats(
        tmp_path, row("createOrder", 200, 1, 700, 1400), row("createOrder 422", 30, 0, 9, 9)
    )
    [order] = judge(csv, sla)
    assert order.passed
    assert (order.requests, order.failures, order.expected) == (200, 1, {"422": 30})


def test_each_broken_gate_is_named(tmp_path: Path, sla: Path) -> None:
    csv = stats(tmp_path, row("createOrder", 100, 2, 900, 1600), row("getOrder", 10, 0, 600, 900))
    verdicts = {v.operation: v for v in judge(csv, sla)}
    assert verdicts["createOrder"].problems == (
        "p95 900 ms > 800 ms",
        "p99 1600 ms > 1500 ms",
        "errors 2/100 > 1.00%",
    )
    assert verdicts["getOrder"].problems == ("p95 600 ms > 500 ms",)


def test_a_gated_operation_that_never_ran_is_shown_as_not_exercised(
    tmp_path: Path, sla: Path
) -> None:
    verdicts = {v.operation: v for v in judge(stats(tmp_path, row("getOrder", 5, 0, 1, 1)), sla)}
    assert not verdicts["createOrder"].exercised
    assert verdicts["getOrder"].exercised


def test_profiles_take_overrides_and_name_a_bad_value() -> None:
    peak = load_profile("peak", users=3, duration="2m")
    assert (peak.users, peak.duration, peak.shape) == (3, 120.0, "spike")
    with pytest.raises(ValueError, match="no load profile 'peek'"):
        load_profile("peek")
    with pytest.raises(ValueError, match="not 'soon'"):
        seconds("soon")


def test_a_spike_peaks_in_the_middle_and_every_shape_ends() -> None:
    shape = spike(50, 5, 100)
    assert [shape(t)[0] for t in (0, 39, 40, 59, 60, 99)] == [10, 10, 50, 50, 10, 10]  # type: ignore[index]
    assert shape(100) is None
    climbing = step(40, 5, 100)
    assert [climbing(t)[0] for t in (0, 25, 50, 99)] == [10, 20, 30, 40]  # type: ignore[index]
    assert climbing(100) is None
