"""matplotlib charts for a study; each function saves one PNG and returns its path.

Rules every chart keeps: a variant has the same colour in every chart; confidence intervals are
the 95% intervals the study computed (scenarios.results.Estimate), kept inside each KPI's domain;
values are in the units people read (reports.units: %, minutes, hours); time series are the
mean over replications at each sample (runs of one study share the sampling interval, so the
i-th samples line up; a longer run is cut to the shortest), with the warm-up, spikes, outages
and the horizon marked (reports.timeline); latency distributions pool every replication's
sample. A chart with nothing to draw is not drawn: its function returns None.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FuncFormatter

from reports.timeline import draw_marks
from reports.units import duration, scale_for

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from reports.timeline import Timeline
    from scenarios.results import Estimate, Kpi, RunResult, StudyResult
    from scenarios.topology import TopologySpec

#: The time series the report draws, with their axis labels.
SERIES = {
    "backlog": "orders waiting in the hub",
    "message_age": "age of delivered messages",
    "dead_letter_depth": "messages in the dead-letter queue",
    "awaiting_erp": "orders waiting for ERP commitment",
}
LATENCIES = {"order_capture": "order capture", "order_to_invoice": "order to invoice"}
DPI = 100


def colours(study: StudyResult) -> dict[str, Any]:
    """One colour per variant, the same in every chart."""
    cmap = plt.get_cmap("tab10")
    return {v.name: cmap(i % cmap.N) for i, v in enumerate(study.variants)}


def kpis(study: StudyResult) -> list[Kpi]:
    """The catalogue's KPIs that some variant reports, in catalogue order, then any others."""
    from scenarios.results import Kpi

    reported = {name for v in study.variants for name in v.kpis}
    listed = [k for k in study.kpi_catalog if k.name in reported]
    known = {k.name for k in listed}
    extra = sorted(reported - known)
    return listed + [Kpi(name, "", "neither", "") for name in extra]


def kpi_bars(study: StudyResult, path: Path) -> Path | None:
    """A grid with one small bar chart per KPI: a bar per variant, 95% CI as error bars. A KPI
    that is n/a or 0 in every variant has no bar to draw and is left out, and so are the
    systems' queueing KPIs, which systems_chart draws."""
    catalogue = [k for k in kpis(study) if _drawable(study, k.name) and k.name not in QUEUEING_KPIS]
    if not catalogue:
        return None
    fig, axes = _grid(len(catalogue), ncols=4, cell=(3.4, 2.5))
    palette = colours(study)
    names = [v.name for v in study.variants]
    for ax, kpi in zip(axes, catalogue, strict=False):
        means: list[float] = []
        errors: list[list[float]] = [[], []]
        found = [v.kpis.get(kpi.name) for v in study.variants]
        scale = scale_for(kpi.unit, [x for e in found if e for x in (e.mean, e.low, e.high)])
        for e in found:
            mean = scale(e.mean) if e is not None and e.available else math.nan
            means.append(mean)
            errors[0].append(_gap(mean, scale(e.low)) if e else 0.0)
            errors[1].append(_gap(scale(e.high), mean) if e else 0.0)
        ax.bar(
            range(len(names)),
            means,
            yerr=errors,
            capsize=4,
            color=[palette[n] for n in names],
            edgecolor="#333333",
            linewidth=0.5,
        )
        ax.set_xticks(range(len(names)), names, rotation=20, ha="right", fontsize=7)
        arrow = {"lower": " ↓ better", "higher": " ↑ better"}.get(kpi.better, "")
        ax.set_title(kpi.name.replace("_", " ") + arrow, fontsize=8)
        ax.set_ylabel(scale.label, fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
    return _save(fig, path, "KPIs per variant, 95% confidence intervals across replications")


#: The per-system queueing KPIs (scenarios.queueing) of one chart panel each: the mean with its
#: interval as a bar, the 95th percentile (when there is one) as a marker on it.
QUEUEING = (
    ("wait", "wait for a worker"),
    ("utilisation", "utilisation"),
    ("queue", "calls queued"),
)
SYSTEM_LABELS = {"erp": "ERP", "wms": "WMS (all nodes)", "tms": "TMS", "finance": "finance"}
QUEUEING_KPIS = frozenset(
    f"{measure}_{kind}"
    for kind in SYSTEM_LABELS
    for measure in ("wait_mean", "wait_p95", "utilisation", "queue_mean", "queue_p95")
)
"""Drawn by systems_chart, so left out of kpi_bars."""


def systems_chart(study: StudyResult, path: Path) -> Path | None:
    """A row per system with workers (ERP, WMS, TMS, finance): its wait for a worker, its
    utilisation and its queue, a bar per variant (mean, 95% CI) and the p95 as a diamond. None
    when no system of the study has workers."""
    kinds = [
        kind
        for kind in ("erp", "wms", "tms", "finance")
        if any(_measured(v.kpis.get(f"utilisation_{kind}")) for v in study.variants)
    ]
    if not kinds:
        return None
    palette = colours(study)
    names = [v.name for v in study.variants]
    units = {k.name: k.unit for k in study.kpi_catalog}
    fig, axes = plt.subplots(
        len(kinds), len(QUEUEING), figsize=(3.6 * len(QUEUEING), 2.6 * len(kinds)), squeeze=False
    )
    at = range(len(names))
    for row, kind in zip(axes, kinds, strict=True):
        for ax, (measure, label) in zip(row, QUEUEING, strict=True):
            middle = f"{measure}_{kind}" if measure == "utilisation" else f"{measure}_mean_{kind}"
            found = [_measured(v.kpis.get(middle)) for v in study.variants]
            p95 = [_measured(v.kpis.get(f"{measure}_p95_{kind}")) for v in study.variants]
            shown = [x for e in found + p95 if e is not None for x in (e.mean, e.low, e.high)]
            scale = scale_for(units.get(middle, ""), shown)
            means = [scale(e.mean) if e is not None else math.nan for e in found]
            errors = [
                [_gap(m, scale(e.low)) if e else 0.0 for m, e in zip(means, found, strict=True)],
                [_gap(scale(e.high), m) if e else 0.0 for m, e in zip(means, found, strict=True)],
            ]
            colour = [palette[n] for n in names]
            ax.bar(at, means, yerr=errors, capsize=4, color=colour, edgecolor="#333333", lw=0.5)
            tops = [scale(e.mean) if e is not None else math.nan for e in p95]
            if any(math.isfinite(t) for t in tops):
                ax.plot(at, tops, "D", color="#333333", markersize=4, label="p95")
                ax.legend(fontsize=6)
            ax.set_xticks(at, names, rotation=20, ha="right", fontsize=7)
            ax.set_title(f"{SYSTEM_LABELS[kind]}: {label}", fontsize=8)
            ax.set_ylabel(scale.label, fontsize=7)
            ax.tick_params(axis="y", labelsize=7)
    return _save(
        fig, path, "Systems with workers: mean with 95% CI across replications, p95 as a diamond"
    )


def _measured(e: Estimate | None) -> Estimate | None:
    return e if e is not None and e.available else None


def series_chart(
    study: StudyResult, name: str, path: Path, marks: Timeline | None = None
) -> Path | None:
    """One series (e.g. "backlog") over simulated hours, a line per variant; None when every
    variant's series is missing or 0 throughout."""
    lines = {v.name: mean_series(_runs(study, v.name), name) for v in study.variants}
    if not any(len(y) and np.any(y != 0) for _, y in lines.values()):
        return None
    # message age is in seconds: shown in the unit its largest value reads well in
    seconds = name == "message_age"
    scale = scale_for(
        "s" if seconds else "", [float(np.max(y)) for _, y in lines.values() if len(y)]
    )
    fig, ax = plt.subplots(figsize=(9, 3.6))
    palette = colours(study)
    for v in study.variants:
        t, y = lines[v.name]
        if len(t):
            ax.plot(t / 3600, scale(y), color=palette[v.name], label=v.name, linewidth=1.3)
    label = SERIES.get(name, name.replace("_", " "))
    _finish_series(ax, True, f"{label} ({scale.label})" if seconds else label, marks)
    return _save(fig, path, f"{name.replace('_', ' ')} (mean over replications)")


def ats_chart(study: StudyResult, path: Path, marks: Timeline | None = None) -> Path | None:
    """Available-to-sell as the hub believes it (solid) against the truth (dashed)."""
    fig, ax = plt.subplots(figsize=(9, 3.6))
    palette = colours(study)
    drawn = False
    for v in study.variants:
        runs = _runs(study, v.name)
        for key, style, label in (("ats_hub", "-", "hub"), ("ats_truth", "--", "truth")):
            t, y = mean_series(runs, key)
            if len(t):
                ax.plot(
                    t / 3600,
                    y,
                    style,
                    color=palette[v.name],
                    linewidth=1.3,
                    label=f"{v.name} ({label})",
                )
                drawn = True
    if not drawn:
        plt.close(fig)
        return None
    _finish_series(ax, drawn, "units available to sell", marks)
    return _save(fig, path, "Available to sell: hub (solid) against truth (dashed)")


def latency_chart(study: StudyResult, path: Path) -> Path | None:
    """Empirical CDFs of order-capture and order-to-invoice latency, a line per variant."""
    having = {
        key: label
        for key, label in LATENCIES.items()
        if any(run.latencies.get(key) for run in study.runs)
    }
    if not having:
        return None
    fig, axes = plt.subplots(1, len(having), figsize=(5.5 * len(having), 3.8), squeeze=False)
    palette = colours(study)
    drew_any = False
    for ax, (key, label) in zip(axes.flat, having.items(), strict=True):
        drawn = False
        for v in study.variants:
            sample = np.sort(
                np.array(
                    [x for run in _runs(study, v.name) for x in run.latencies.get(key, [])],
                    dtype=float,
                )
            )
            sample = sample[np.isfinite(sample)]
            if len(sample):
                p = np.arange(1, len(sample) + 1) / len(sample)
                ax.step(sample, p, where="post", color=palette[v.name], label=v.name)
                drawn = True
        ax.set_title(label, fontsize=9)
        ax.set_xlabel("latency (log scale)" if drawn else "latency")
        ax.set_ylabel("share of orders at or below")
        ax.grid(alpha=0.3)
        if drawn:
            ax.set_xscale("symlog", linthresh=0.01)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: duration(x)))
            ax.legend(fontsize=7)
            drew_any = True
        else:
            _no_data(ax)
    if not drew_any:
        plt.close(fig)
        return None
    return _save(fig, path, "Latency distributions (empirical CDF, all replications pooled)")


def sweep_chart(study: StudyResult, path: Path) -> Path | None:
    """Each KPI against the swept parameter: the mean with its 95% CI as a band."""
    values = list(study.swept_values)
    numeric = all(isinstance(x, int | float) and not isinstance(x, bool) for x in values)
    xs = [float(x) for x in values] if numeric else list(range(len(values)))
    by_value = {repr(value): name for name, value in study.variant_values.items()}
    summaries = {v.name: v for v in study.variants}
    catalogue = [k for k in kpis(study) if _drawable(study, k.name)]
    if not catalogue:
        return None
    fig, axes = _grid(len(catalogue), ncols=4, cell=(3.4, 2.5))
    for ax, kpi in zip(axes, catalogue, strict=False):
        points = []
        for x, value in zip(xs, values, strict=True):
            summary = summaries.get(by_value.get(repr(value), ""))
            e = summary.kpis.get(kpi.name) if summary else None
            if e is not None and e.available:
                low, high = (e.low, e.high) if e.has_interval else (e.mean, e.mean)
                points.append((x, e.mean, low, high))
        scale = scale_for(kpi.unit, [v for p in points for v in p[1:]])
        points = [(x, scale(m), scale(lo), scale(hi)) for x, m, lo, hi in points]
        if points:
            at, middle, bottom, top = (np.array(c, dtype=float) for c in zip(*points, strict=True))
            ax.fill_between(at, bottom, top, alpha=0.25, color="#1f77b4", linewidth=0)
            ax.plot(at, middle, "o-", color="#1f77b4", markersize=3)
        if not numeric:
            ax.set_xticks(xs, [str(v) for v in values], fontsize=7, rotation=20)
        ax.set_title(kpi.name.replace("_", " "), fontsize=8)
        ax.set_xlabel(study.swept_path or "", fontsize=7)
        ax.set_ylabel(scale.label, fontsize=7)
        ax.tick_params(labelsize=7)
    return _save(fig, path, f"KPIs against {study.swept_path} (mean, 95% CI band)")


def topology_chart(topology: TopologySpec, path: Path) -> Path:
    """The estate picture, drawn by scenarios.topology."""
    from reports.topology import draw

    return draw(topology, path)


def lifecycle_chart(path: Path, lifecycle: str = "order") -> Path:
    """The lifecycle's states and transitions, drawn from its transition table."""
    import networkx as nx

    from reference.domain.lifecycle import LIFECYCLES, State, edges

    labels: dict[tuple[str, str], list[str]] = {}
    for source, message, target in edges(lifecycle):
        labels.setdefault((source.value, target.value), []).append(message.value)
    g = nx.DiGraph(list(labels))
    start = State.RECEIVED.value
    layer = nx.single_source_shortest_path_length(g, start)
    for node in g:
        g.nodes[node]["layer"] = layer.get(node, max(layer.values()) + 1)
    pos = nx.multipartite_layout(g, subset_key="layer", align="vertical")
    terminal = {s.value for s in State if s not in LIFECYCLES[lifecycle]}
    # Early exits (terminal before the last layer: rejected, cancelled) go on a bottom row, so
    # their arrows do not run behind the states of the main flow; one reached from many states
    # sits below the middle of them.
    last = max(g.nodes[n]["layer"] for n in g)
    floor = min(y for _, y in pos.values()) - 0.25
    for node in sorted(terminal & set(g)):
        if g.nodes[node]["layer"] < last:
            sources = [pos[s][0] for s in g.predecessors(node)]
            x = np.median(sources) if len(sources) >= 3 else pos[node][0]
            pos[node] = np.array([x, floor])
    fill = ["#8fd19e" if n == start else "#d0d0d0" if n in terminal else "#9ecae1" for n in g]

    fig, ax = plt.subplots(figsize=(13, 6.5))
    style = "arc3,rad=0.12"
    nx.draw_networkx_nodes(g, pos, ax=ax, node_color=fill, node_size=2600, edgecolors="#333333")
    nx.draw_networkx_labels(g, pos, ax=ax, font_size=8, labels={n: n.replace("_", "\n") for n in g})
    nx.draw_networkx_edges(
        g, pos, ax=ax, node_size=2600, arrowsize=14, connectionstyle=style, edge_color="#555555"
    )
    nx.draw_networkx_edge_labels(
        g,
        pos,
        ax=ax,
        font_size=7,
        connectionstyle=style,
        edge_labels={edge: ", ".join(msgs) for edge, msgs in labels.items()},
        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
    )
    ax.set_axis_off()
    ax.margins(0.08)
    return _save(
        fig,
        path,
        f"{lifecycle.capitalize()} lifecycle: green start, grey terminal, "
        "arrows labelled with the message that moves it",
    )


# --- helpers ---------------------------------------------------------------------------------


def mean_series(runs: Sequence[RunResult], name: str) -> tuple[np.ndarray, np.ndarray]:
    """Sample times and the mean over ``runs`` of series ``name``, cut to the shortest run."""
    samples = [run.series[name] for run in runs if run.series.get(name)]
    if not samples:
        return np.array([]), np.array([])
    n = min(len(s) for s in samples)
    t = np.array([x for x, _ in samples[0][:n]], dtype=float)
    y = np.mean(np.array([[v for _, v in s[:n]] for s in samples], dtype=float), axis=0)
    return t, y


def _runs(study: StudyResult, variant: str) -> list[RunResult]:
    return [run for run in study.runs if run.variant == variant]


def _gap(a: float, b: float) -> float:
    d = a - b
    return d if math.isfinite(d) and d > 0 else 0.0


def _grid(n: int, ncols: int, cell: tuple[float, float]) -> tuple[Figure, list[Axes]]:
    ncols = max(1, min(ncols, n))
    nrows = max(1, math.ceil(n / ncols))
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(cell[0] * ncols, cell[1] * nrows), squeeze=False
    )
    flat = list(axes.flat)
    for ax in flat[n:]:
        ax.set_visible(False)
    if n == 0:
        _no_data(flat[0])
        flat[0].set_visible(True)
    return fig, flat[:n]


def _drawable(study: StudyResult, kpi: str) -> bool:
    """Some variant has a value of ``kpi`` other than 0."""
    found = [v.kpis.get(kpi) for v in study.variants]
    return any(e is not None and e.available and (e.mean != 0 or e.high != 0) for e in found)


def _finish_series(ax: Axes, drawn: bool, ylabel: str, marks: Timeline | None = None) -> None:
    if marks is not None:
        draw_marks(ax, marks)
    ax.set_xlabel("simulated hours")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    if drawn:
        ax.legend(fontsize=7, ncols=2)
    else:
        _no_data(ax)


def _no_data(ax: Axes) -> None:
    ax.text(
        0.5,
        0.5,
        "no data in this study",
        ha="center",
        va="center",
        transform=ax.transAxes,
        color="#777777",
    )


def _save(fig: Figure, path: Path, title: str) -> Path:
    fig.suptitle(title, fontsize=10)
    fig.set_layout_engine("constrained")  # unlike tight_layout, it leaves room for the title
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path
