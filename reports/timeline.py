"""What happened when, for the time series: warm-up, demand spikes, outages and slowdowns, and
the end of the horizon (orders stop arriving; the run drains after it).

A mark that only some variants have (an outage the "no-outage" variant removes) names them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

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


MARK_COLOURS = {"spike": "#f5a623", "outage": "#d0021b", "degradation": "#9b59b6"}


def draw_marks(ax: Axes, marks: Timeline) -> None:
    """Shade the warm-up, band each spike and fault, draw the horizon's end as a line."""
    if marks.warm_up > 0:
        ax.axvspan(0, marks.warm_up / 3600, color="#999999", alpha=0.18, linewidth=0)
        ax.text(
            0.004,
            0.97,
            "warm-up",
            transform=ax.get_xaxis_transform(),
            fontsize=7,
            va="top",
            color="#555555",
        )
    for i, span in enumerate(marks.spans):
        colour = MARK_COLOURS.get(span.kind, "#777777")
        ax.axvspan(span.start / 3600, span.end / 3600, color=colour, alpha=0.15, linewidth=0)
        ax.text(
            span.start / 3600,
            0.97 - 0.08 * (i % 3),
            " " + span.label,
            fontsize=7,
            transform=ax.get_xaxis_transform(),
            va="top",
            color=colour,
        )
    ax.axvline(marks.horizon_end / 3600, color="#333333", linestyle=":", linewidth=1)
    ax.text(
        marks.horizon_end / 3600,
        0.03,
        " horizon ends: orders stop",
        fontsize=7,
        transform=ax.get_xaxis_transform(),
        color="#333333",
    )
