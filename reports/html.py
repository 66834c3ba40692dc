"""The study report: one self-contained HTML file (charts embedded as data URIs) plus the PNGs.

Every chart sits in a ``<figure id="chart-...">`` whose id never changes, so tests and people can
find it: chart-kpis, chart-series-backlog, chart-series-message_age, chart-series-dead_letter_depth,
chart-series-ats, chart-latency, chart-topology (when a topology is given), chart-lifecycle and
chart-sweep (when the study is a sweep). The KPI table is ``<table id="kpi-table">`` with one
column per variant (``<th data-variant="...">``) and one row per KPI (``<tr data-kpi="...">``).
The study's provenance (version, command line, seed, scale, the resolved scenario and its
SHA-256) closes the page in ``<section id="provenance">``, when the study has one.
"""

from __future__ import annotations

import base64
import json
import math
from html import escape
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

from reports import charts
from reports.template import PAGE

if TYPE_CHECKING:
    from scenarios.results import Estimate, StudyResult
    from scenarios.topology import TopologySpec


HOW_TO_READ = """
<p>Each variant ran the same scenario with its overrides, ${replications} times with independent
random streams derived from seed ${seed}. Every replication runs in the same estate (catalogue,
customers, starting stock), drawn once from that seed, so the intervals measure demand, behaviour
and faults. A KPI shows the mean over those replications and its 95%
confidence interval <code>[low, high]</code> (Student t). Two variants differ convincingly on a KPI
when their intervals do not overlap; overlapping intervals mean this many replications cannot tell
them apart, so run more before deciding. The arrow says which direction is better; the best mean is
<span class="best">highlighted</span>, with a ✓ when its interval clears every other variant's.</p>
<p>Time series are the mean over replications at each sample time. Latency charts are cumulative:
read across at 0.95 to find the 95th percentile. The lifecycle diagram is drawn from the same
transition table the hub enforces, so it cannot drift from the code.</p>
"""


def write_report(study: StudyResult, out_dir: Path, topology: TopologySpec | None = None) -> Path:
    """Write ``out_dir/report.html`` and its charts under ``out_dir/charts``; return the HTML."""
    out_dir = Path(out_dir)
    pngs = out_dir / "charts"
    figures: list[tuple[str, str, Path]] = [
        ("chart-kpis", "KPIs per variant", charts.kpi_bars(study, pngs / "kpis.png")),
    ]
    if study.swept_path:
        figures.append(
            (
                "chart-sweep",
                f"KPIs against {study.swept_path}",
                charts.sweep_chart(study, pngs / "sweep.png"),
            )
        )
    for name in charts.SERIES:
        figures.append(
            (
                f"chart-series-{name}",
                name.replace("_", " "),
                charts.series_chart(study, name, pngs / f"series-{name}.png"),
            )
        )
    figures += [
        (
            "chart-series-ats",
            "available to sell, hub against truth",
            charts.ats_chart(study, pngs / "series-ats.png"),
        ),
        (
            "chart-latency",
            "latency distributions",
            charts.latency_chart(study, pngs / "latency.png"),
        ),
    ]
    if topology is not None:
        figures.append(
            (
                "chart-topology",
                "integration topology",
                charts.topology_chart(topology, pngs / "topology.png"),
            )
        )
    figures.append(
        (
            "chart-lifecycle",
            "order lifecycle",
            charts.lifecycle_chart(pngs / "lifecycle.png", "order"),
        )
    )

    page = PAGE.substitute(
        title=escape(f"crossdock study: {study.scenario}"),
        scenario=escape(study.scenario),
        description=escape(study.description or ""),
        meta=escape(
            f"seed {study.seed} · {study.replications} replications per variant · "
            f"{len(study.variants)} variants"
            + (f" · sweep over {study.swept_path}" if study.swept_path else "")
        ),
        how_to_read=Template(HOW_TO_READ).substitute(
            replications=study.replications, seed=study.seed
        ),
        variants=_variants_table(study),
        kpi_table=kpi_table(study),
        topology=_topology_section(topology),
        figures="\n".join(_figure(i, title, png) for i, title, png in figures)
        + _provenance_section(study),
    )
    path = out_dir / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


def kpi_table(study: StudyResult) -> str:
    """One row per KPI (with unit and better direction), one column per variant."""
    head = "".join(
        f'<th scope="col" data-variant="{escape(v.name, quote=True)}">{escape(v.name)}</th>'
        for v in study.variants
    )
    rows = []
    for kpi in charts.kpis(study):
        estimates = [v.kpis.get(kpi.name) for v in study.variants]
        best, clear = _best(estimates, kpi.better)
        cells = []
        for i, e in enumerate(estimates):
            cls = ' class="best"' if i == best else ""
            mark = " ✓" if i == best and clear else ""
            cells.append(f"<td{cls}>{_estimate(e)}{mark}</td>")
        arrow = {"lower": "↓ lower", "higher": "↑ higher"}.get(kpi.better, "&ndash;")
        rows.append(
            f'<tr data-kpi="{escape(kpi.name, quote=True)}">'
            f'<th scope="row" title="{escape(kpi.description, quote=True)}">'
            f"{escape(kpi.name.replace('_', ' '))}</th><td>{escape(kpi.unit)}</td>"
            f"<td>{arrow}</td>{''.join(cells)}</tr>"
        )
    return (
        f'<table id="kpi-table"><thead><tr><th scope="col">KPI</th><th scope="col">unit</th>'
        f'<th scope="col">better</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def fmt(x: float) -> str:
    """A number for people: thousands separated, three significant digits for small values."""
    if not math.isfinite(x):
        return "&ndash;"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 100:
        return f"{x:.1f}"
    return f"{x:.3g}"


def _estimate(e: Estimate | None) -> str:
    if e is None or e.n == 0:
        return "&ndash;"
    return f"<b>{fmt(e.mean)}</b> <small>[{fmt(e.low)}, {fmt(e.high)}]</small>"


def _best(estimates: list[Estimate | None], better: str) -> tuple[int | None, bool]:
    """Index of the best mean, and whether its CI overlaps no other variant's."""
    scored = [(i, e) for i, e in enumerate(estimates) if e is not None and math.isfinite(e.mean)]
    if better not in ("lower", "higher") or len(scored) < 2:
        return None, False
    sign = 1 if better == "lower" else -1
    i, top = min(scored, key=lambda pair: sign * pair[1].mean)
    if any(e.mean == top.mean for j, e in scored if j != i):
        return None, False  # a tie has no best
    return i, not any(top.overlaps(e) for j, e in scored if j != i)


def _variants_table(study: StudyResult) -> str:
    rows = []
    for v in study.variants:
        overrides = json.dumps(v.overrides, sort_keys=True, default=str) if v.overrides else ""
        rows.append(
            f'<tr><th scope="row">{escape(v.name)}</th>'
            f"<td><code>{escape(overrides or 'the scenario as written')}</code></td></tr>"
        )
    return (
        '<table id="variants"><thead><tr><th>variant</th><th>overrides</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _topology_section(topology: TopologySpec | None) -> str:
    if topology is None:
        return "<p>No topology was given, so the estate is not drawn.</p>"
    from scenarios.topology import TopologyError, analyse

    try:
        r = analyse(topology)
    except TopologyError as exc:
        return f'<p class="error">The topology cannot be analysed: {escape(str(exc))}</p>'
    path = " → ".join(r.critical_path) or "no critical synchronous flows"
    owners = ", ".join(f"{d}: {s}" for d, s in r.system_of_record.items())
    cycles = "; ".join(f"{c.data}: {' → '.join((*c.systems, c.systems[0]))}" for c in r.cycles)
    items = [
        f"interfaces point-to-point <b>{r.point_to_point_interfaces}</b>, through the hub "
        f"<b>{r.hub_interfaces}</b>",
        f"synchronous order-capture path {escape(path)}, composed availability "
        f"<b>{r.critical_availability:.4%}</b> (≈ {r.critical_downtime_hours_per_year:.1f} "
        "hours a year)",
        f"system of record: {escape(owners)}",
        f"cycles: {escape(cycles) or 'none'}",
    ]
    return '<ul id="topology-summary">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _provenance_section(study: StudyResult) -> str:
    """Where the study came from, and how to run it again (from its study.json)."""
    record = study.provenance
    if not record:
        return ""
    rows = [
        ("crossdock", record.get("crossdock_version", "")),
        ("command", record.get("command", "")),
        ("seed", record.get("seed", "")),
        ("replications", record.get("replications", "")),
        ("demand scale", record.get("scale", 1.0)),
        ("variants", ", ".join(record.get("variants", []))),
        ("scenario sha256", record.get("scenario_sha256", "")),
    ]
    if record.get("sweep"):
        rows.append(("sweep over", record["sweep"]["path"]))
    body = "".join(
        f'<tr><th scope="row">{escape(name)}</th><td><code>{escape(str(value))}</code></td></tr>'
        for name, value in rows
    )
    scenario = json.dumps(record.get("scenario", {}), sort_keys=True, indent=1)
    return (
        '\n<section id="provenance"><h2>Provenance</h2>'
        "<p>To run this study again exactly: <code>crossdock simulate study.json</code> "
        "(the study.json beside this report).</p>"
        f"<table>{body}</table>"
        "<details><summary>the resolved scenario, every default filled in</summary>"
        f"<pre>{escape(scenario)}</pre></details></section>"
    )


def _figure(element_id: str, title: str, png: Path) -> str:
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    return (
        f'<figure id="{element_id}"><img src="data:image/png;base64,{data}" '
        f'alt="{escape(element_id, quote=True)}: {escape(title, quote=True)}">'
        f'<figcaption>{escape(title)} — <a href="charts/{escape(png.name, quote=True)}">'
        f"PNG</a></figcaption></figure>"
    )
