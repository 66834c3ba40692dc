"""What a study produces: per-run KPIs, time series and latency samples, and per-variant summaries
with 95% confidence intervals (scenarios.intervals) and paired differences from the baseline.
The report (reports/) and the CLI read only these types.

Every number is a plain float so a study round-trips through JSON; nothing here keeps one record
per simulated event (series are sampled on a fixed interval, latencies are bounded reservoirs).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from scenarios.intervals import interval

UNBOUNDED = (-math.inf, math.inf)


@dataclass(frozen=True, slots=True)
class Kpi:
    name: str
    unit: str
    better: str  # "lower", "higher" or "neither"
    description: str
    needs: str | None = None
    """The kind of system (scenarios.topology.SystemKind) this KPI measures: in an estate
    without one the KPI is not available (n/a), not 0."""
    when: str = ""
    """When a run can measure it at all (a large order placed, a system with workers). A run
    that cannot records NaN; a variant none of whose runs measured it shows n/a, saying this."""

    @property
    def domain(self) -> tuple[float, float]:
        """What the KPI can be: a share lies in [0, 1]; every other KPI of the catalogue is a
        count, a duration or money, never below 0."""
        return {"share": (0.0, 1.0), "%": (0.0, 100.0)}.get(self.unit, (0.0, math.inf))

    @property
    def difference_domain(self) -> tuple[float, float]:
        """What a difference of two values of the KPI can be."""
        low, high = self.domain
        return low - high, high - low


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
    """A mean over replications (or of paired differences) with its 95% confidence interval.

    ``method`` says how the interval was found (scenarios.intervals): "t", "wilson",
    "bootstrap", "t cut at the bound", "all equal", or "none" when there is no interval (one
    replication: low and high are NaN). ``absent`` names why the KPI is not available at all
    (its system is not in the estate: the mean is NaN too); empty when it is.
    """

    mean: float
    low: float
    high: float
    n: int
    method: str = "t"
    absent: str = ""

    @property
    def available(self) -> bool:
        return not self.absent and math.isfinite(self.mean)

    @property
    def has_interval(self) -> bool:
        return self.available and math.isfinite(self.low) and math.isfinite(self.high)

    def excludes_zero(self) -> bool:
        """The interval lies wholly above or below 0: a difference beyond chance."""
        return self.has_interval and (self.low > 0 or self.high < 0)


def estimate(values: Sequence[float], domain: tuple[float, float] = UNBOUNDED) -> Estimate:
    """The mean of ``values`` with its 95% interval inside ``domain``."""
    n = len(values)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, 0, "none")
    low, high, method = interval(values, domain)
    return Estimate(math.fsum(values) / n, low, high, n, method)


def absent(kpi: Kpi, n: int) -> Estimate:
    return Estimate(math.nan, math.nan, math.nan, n, "none", f"no {kpi.needs} in this estate")


def unmeasured(kpi: Kpi, n: int) -> Estimate:
    """No run of the variant could measure ``kpi`` (each recorded NaN)."""
    why = f"measured only when {kpi.when}" if kpi.when else "no run measured it"
    return Estimate(math.nan, math.nan, math.nan, n, "none", why)


def paired_difference(
    variant: Sequence[RunResult], baseline: Sequence[RunResult], kpi: Kpi
) -> Estimate:
    """Mean of ``variant - baseline`` over the replications both ran, each run paired with the
    baseline run of the same replication: they drew the same random numbers (common random
    numbers), so the difference's spread is that of the designs, not of the days."""
    base = {r.replication: r.kpis[kpi.name] for r in baseline if kpi.name in r.kpis}
    deltas = [
        r.kpis[kpi.name] - base[r.replication]
        for r in sorted(variant, key=lambda r: r.replication)
        if kpi.name in r.kpis and r.replication in base
    ]
    # a replication where either side could not measure it (NaN) pairs with nothing
    return estimate([d for d in deltas if math.isfinite(d)], kpi.difference_domain)


@dataclass(slots=True)
class VariantSummary:
    name: str
    overrides: dict[str, Any]
    kpis: dict[str, Estimate]
    # KPI -> the paired difference from the study's baseline; empty for the baseline itself
    differences: dict[str, Estimate] = field(default_factory=dict)


def summarise_variants(
    runs: Sequence[RunResult],
    variants: Sequence[tuple[str, dict[str, Any]]],
    catalog: Sequence[Kpi],
    systems: Mapping[str, Collection[str]] | None = None,
) -> list[VariantSummary]:
    """A summary per (name, overrides), the first being the baseline the others are compared
    with. ``systems`` maps a variant to the kinds of system its estate has; a KPI that
    ``needs`` a kind the estate lacks is absent (n/a) rather than the 0 its run recorded."""
    by_variant = {name: [r for r in runs if r.variant == name] for name, _ in variants}
    baseline = variants[0][0] if variants else ""

    def lacks(variant: str, kpi: Kpi) -> bool:
        has = None if systems is None else systems.get(variant)
        return kpi.needs is not None and has is not None and kpi.needs not in has

    def baseline_measured(kpi: Kpi) -> bool:
        return any(
            math.isfinite(r.kpis[kpi.name]) for r in by_variant[baseline] if kpi.name in r.kpis
        )

    summaries = []
    for name, overrides in variants:
        mine = by_variant[name]
        kpis: dict[str, Estimate] = {}
        differences: dict[str, Estimate] = {}
        for kpi in catalog:
            values = [r.kpis[kpi.name] for r in mine if kpi.name in r.kpis]
            # a run that could not measure the KPI (NaN: no large order, no workers) has no
            # value; the estimate is over the runs that did, and n says how many
            measured = [v for v in values if math.isfinite(v)]
            gone = lacks(name, kpi)
            if gone:
                kpis[kpi.name] = absent(kpi, len(values))
            elif values and not measured:
                kpis[kpi.name] = unmeasured(kpi, len(values))
            else:
                kpis[kpi.name] = estimate(measured, kpi.domain)
            if name != baseline:
                if gone or lacks(baseline, kpi):
                    differences[kpi.name] = absent(kpi, len(values))
                elif not kpis[kpi.name].available or not baseline_measured(kpi):
                    differences[kpi.name] = unmeasured(kpi, len(values))
                else:
                    differences[kpi.name] = paired_difference(mine, by_variant[baseline], kpi)
        summaries.append(VariantSummary(name, overrides, kpis, differences))
    return summaries


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

    @property
    def baseline(self) -> str:
        """The variant the others are compared with: the first, as the scenario lists them."""
        return self.variants[0].name if self.variants else ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
