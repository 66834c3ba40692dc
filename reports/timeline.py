"""What happened when, for the time series: warm-up, demand spikes, outages and slowdowns, and
the end of the horizon (orders stop arriving; the run drains after it).

A mark that only some variants have (an outage the "no-outage" variant removes) names them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scenarios.results import StudyResult
    from scenarios.spec import ScenarioSpec


@dataclass(frozen=True, slots=True)
class Span:
    kind: str  # "spike", "outage" or "degradation"
    label: str
    start: float  # seconds of simulated time
    end: float


@dataclass(frozen=True, slots=True)
class Timeline:
    warm_up: float
    horizon_end: float
    spans: tuple[Span, ...]


def timeline(study: StudyResult, spec: ScenarioSpec) -> Timeline:
    """The marks of ``spec``'s variants that ``study`` ran."""
    names = [v.name for v in study.variants]
    seen: dict[tuple[str, str, float, float], list[str]] = {}
    warm_up, horizon = spec.warm_up, spec.horizon
    for name in names:
        try:
            one = spec.variant(name)
        except Exception:  # a study summarised under other names (tests): the base spec
            one = spec
        for s in one.demand.spikes:
            seen.setdefault(("spike", f"demand x{s.factor:g}", s.start, s.end), []).append(name)
        for f in one.faults:
            slower = f" x{f.factor:g}" if f.kind == "degradation" else ""
            what = f"{f.system} {f.kind}{slower}"
            seen.setdefault((f.kind, what, f.start, f.end), []).append(name)
    spans = []
    for (kind, label, start, end), having in seen.items():
        if len(having) < len(names):
            label += f" ({', '.join(having)})"
        spans.append(Span(kind, label, start, end))
    return Timeline(warm_up, warm_up + horizon, tuple(spans))
