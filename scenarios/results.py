"""What a study produces: per-run KPIs, time series and latency samples, and per-variant summaries
with 95% confidence intervals. The report (reports/) and the CLI read only these types.

Every number is a plain float so a study round-trips through JSON; nothing here keeps one record
per simulated event (series are sampled on a fixed interval, latencies are bounded reservoirs).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from scipy import stats as _stats


@dataclass(frozen=True, slots=True)
class Kpi:
    name: str
    unit: str
    better: str  # "lower", "higher" or "neither"
    description: str


@dataclass(slots=True)
class RunResult:
    """One replication of one variant."""

    variant: str
    replication: int
    seed: int
    kpis: dict[str, float]
    # name -> [(t seconds, value)], sampled every ``sample_every`` seconds of simulated time:
    # "backlog", "message_age", "dead_letter_depth", "ats_hub", "ats_truth" at least.
    series: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    # name -> a bounded sample of latencies in seconds: "order_capture", "order_to_invoice".
    latencies: dict[str, list[float]] = field(default_factory=dict)
    wall_seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Estimate:
    """Mean over replications with a 95% Student-t confidence interval."""

    mean: float
    low: float
    high: float
    n: int

    def overlaps(self, other: Estimate) -> bool:
        return self.low <= other.high and other.low <= self.high


def estimate(values: list[float]) -> Estimate:
    n = len(values)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    mean = math.fsum(values) / n
    if n == 1:
        return Estimate(mean, mean, mean, 1)
    var = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
    half = float(_stats.t.ppf(0.975, n - 1)) * math.sqrt(var / n)
    return Estimate(mean, mean - half, mean + half, n)


@dataclass(slots=True)
class VariantSummary:
    name: str
    overrides: dict[str, Any]
    kpis: dict[str, Estimate]


@dataclass(slots=True)
class StudyResult:
    scenario: str
    description: str
    seed: int
    replications: int
    variants: list[VariantSummary]
    runs: list[RunResult]
    kpi_catalog: list[Kpi]
    # For sweeps: the swept spec path and its values in order; variant names map to values.
    swept_path: str | None = None
    swept_values: list[Any] = field(default_factory=list)
    variant_values: dict[str, Any] = field(default_factory=dict)
    # Where the study came from (scenarios.provenance): version, command line, seed, scale and
    # the resolved scenario with its hash. Empty for a study run in-process without a record.
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def summarize(runs: list[RunResult], names: list[str]) -> dict[str, Estimate]:
        return {
            name: estimate([run.kpis[name] for run in runs if name in run.kpis]) for name in names
        }
