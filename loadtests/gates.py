"""SLA gates: Locust's per-operation statistics against loadtests/sla.yaml.

Reads the ``<prefix>_stats.csv`` Locust writes. An operation passes when its p95 and p99 are at
or under its gate and its failure ratio is at or under its allowed error rate. The rows Locust
keeps for expected answers (``createOrder 409``) are reported beside their operation, never as
failures. A gated operation that sent nothing (a short run, or a mix without its user) is
reported as not exercised: shown, so nobody mistakes it for a pass, but not a failure.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SLA = Path(__file__).with_name("sla.yaml")


@dataclass(frozen=True)
class Gate:
    p95_ms: float
    p99_ms: float
    error_rate: float


@dataclass(frozen=True)
class Verdict:
    operation: str
    requests: int
    failures: int
    expected: dict[str, int]  # status -> count, e.g. {"422": 12}
    p95_ms: float
    p99_ms: float
    gate: Gate
    problems: tuple[str, ...]

    @property
    def exercised(self) -> bool:
        return self.requests > 0

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def error_rate(self) -> float:
        return self.failures / self.requests if self.requests else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "requests": self.requests,
            "failures": self.failures,
            "error_rate": round(self.error_rate, 6),
            "expected": self.expected,
            "p95_ms": self.p95_ms,
            "p99_ms": self.p99_ms,
            "gate": self.gate.__dict__,
            "exercised": self.exercised,
            "passed": self.passed,
            "problems": list(self.problems),
        }


def load_gates(path: Path = SLA) -> tuple[Gate, dict[str, Gate]]:
    data = yaml.safe_load(path.read_text())
    return Gate(**data["default"]), {k: Gate(**v) for k, v in data.get("operations", {}).items()}


def read_stats(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="") as f:
        return {row["Name"]: row for row in csv.DictReader(f) if row["Name"] != "Aggregated"}


def judge(stats_csv: Path, sla: Path = SLA) -> list[Verdict]:
    """One verdict per operation that ran or has a gate of its own."""
    default, gates = load_gates(sla)
    rows = read_stats(stats_csv)
    expected: dict[str, dict[str, int]] = {}
    for name, row in rows.items():
        operation, _, status = name.partition(" ")
        if status:
            expected.setdefault(operation, {})[status] = int(row["Request Count"])
    operations = sorted({n for n in rows if " " not in n} | set(gates))
    verdicts = []
    for operation in operations:
        gate = gates.get(operation, default)
        row = rows.get(operation)
        if row is None:
            verdicts.append(
                Verdict(
                    operation, 0, 0, expected.get(operation, {}), 0, 0, gate, ("not exercised",)
                )
            )
            continue
        requests, failures = int(row["Request Count"]), int(row["Failure Count"])
        p95, p99 = float(row["95%"] or 0), float(row["99%"] or 0)
        problems = []
        if p95 > gate.p95_ms:
            problems.append(f"p95 {p95:.0f} ms > {gate.p95_ms:.0f} ms")
        if p99 > gate.p99_ms:
            problems.append(f"p99 {p99:.0f} ms > {gate.p99_ms:.0f} ms")
        if requests and failures / requests > gate.error_rate:
            problems.append(f"errors {failures}/{requests} > {gate.error_rate:.2%}")
        verdicts.append(
            Verdict(
                operation,
                requests,
                failures,
                expected.get(operation, {}),
                p95,
                p99,
                gate,
                tuple(problems),
            )
        )
    return verdicts
