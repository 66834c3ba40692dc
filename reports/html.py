"""The study report: one self-contained HTML file (charts embedded as data URIs) plus the PNGs.

Every chart sits in a ``<figure id="chart-...">`` whose id never changes, so tests and people can
find it: chart-kpis, chart-systems (when a system has workers), chart-series-backlog,
chart-series-message_age, chart-series-dead_letter_depth, chart-series-awaiting_erp,
chart-series-ats, chart-latency, chart-topology (when a topology is given), chart-lifecycle and
chart-sweep (when the study is a sweep). The KPI table is ``<table id="kpi-table">`` with one
column per variant (``<th data-variant="...">``), after each variant but the baseline a column of
its difference from the baseline (``<th data-difference="...">``), and one row per KPI
(``<tr data-kpi="...">``). What the study found opens the page in ``<section id="summary">``.
A chart with nothing to draw is left out (its id is absent) and named in ``#charts-left-out``.
When variants run different topology styles, ``<section id="styles">`` explains each
difference the styles make (reports/styles.py).
The study's provenance (version, command line, seed, scale, the resolved scenario and its
SHA-256) closes the page in ``<section id="provenance">``, when the study has one.
"""

from __future__ import annotations

import base64
import json
from html import escape
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

from reports import charts
from reports.styles import styles_section
from reports.summary import SHOWN, answer, findings, question
from reports.template import PAGE
from reports.timeline import timeline
from reports.units import Scale, number, scale_for, signed

if TYPE_CHECKING:
    from scenarios.results import Estimate, StudyResult
    from scenarios.spec import ScenarioSpec
    from scenarios.topology import TopologySpec


HOW_TO_READ = """
<p>Each variant ran the same scenario with its overrides, ${replications} times with random
streams derived from seed ${seed}. Every replication runs in the same estate (catalogue, customers,
starting stock), drawn once from that seed, so the intervals measure demand, behaviour and faults.
Replication <i>r</i> of every variant draws the same random numbers, so each variant is compared
with the baseline (<b>${baseline}</b>, the first variant) run by run: the <b>Δ</b> column is the
mean of those paired differences with its own 95% interval, far narrower than the two variants'
own intervals side by side.</p>
<p>A value is the mean over replications with its 95% confidence interval
<code>[low, high]</code>: Student's t where it fits; where t would leave what the KPI can be (a
share beyond 0&ndash;100%, a negative count or duration) a Wilson interval for shares and a
bootstrap interval for the rest, so every interval stays possible. A Δ is
<span class="better">green</span> (better) or <span class="worse">red</span> (worse) only when its
interval excludes 0; anything else this many replications cannot tell from chance.
<b>n/a</b> means there is nothing to estimate: one replication has no interval, and a KPI of a
system the estate lacks has no value.</p>
<p>Time series are the mean over replications at each sample time, with the warm-up shaded, demand
spikes and outages marked, and the end of the horizon (when orders stop arriving) drawn as a line.
Latency charts are cumulative: read across at 0.95 to find the 95th percentile. The lifecycle
diagram is drawn from the same transition table the hub enforces, so it cannot drift from the
code.</p>
"""


def write_report(
    study: StudyResult,
    out_dir: Path,
    topology: TopologySpec | None = None,
    spec: ScenarioSpec | None = None,
) -> Path:
    """Write ``out_dir/report.html`` and its charts under ``out_dir/charts``; return the HTML.

    ``spec`` (the scenario as it ran) marks warm-up, spikes, outages and the horizon on the time
    series; a chart with nothing to draw is left out and named under the charts."""
    out_dir = Path(out_dir)
    pngs = out_dir / "charts"
    marks = timeline(study, spec) if spec is not None else None
    figures: list[tuple[str, str, Path | None]] = [
        ("chart-kpis", "KPIs per variant", charts.kpi_bars(study, pngs / "kpis.png")),
        (
            "chart-systems",
            "systems with workers: wait, utilisation, queue",
            charts.systems_chart(study, pngs / "systems.png"),
        ),
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
                charts.series_chart(study, name, pngs / f"series-{name}.png", marks),
            )
        )
    figures += [
        (
            "chart-series-ats",
            "available to sell, hub against truth",
            charts.ats_chart(study, pngs / "series-ats.png", marks),
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

    drawn = [(i, title, png) for i, title, png in figures if png is not None]
    left_out = [title for _, title, png in figures if png is None]
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
            replications=study.replications, seed=study.seed, baseline=escape(study.baseline)
        ),
        summary=summary_section(study),
        variants=_variants_table(study),
        kpi_table=kpi_table(study),
        topology=_topology_section(topology) + styles_section(study, spec),
        figures="\n".join(_figure(i, title, png) for i, title, png in drawn)
        + (
            f'<p id="charts-left-out">Not drawn, having no data in this study: '
            f"{escape(', '.join(left_out))}.</p>"
            if left_out
            else ""
        )
        + _provenance_section(study),
    )
    path = out_dir / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


def kpi_table(study: StudyResult) -> str:
    """One row per KPI (with unit and better direction); a column per variant, and after each
    variant but the baseline its paired difference from the baseline (Δ)."""
    head = []
    for i, v in enumerate(study.variants):
        name = escape(v.name, quote=True)
        head.append(f'<th scope="col" data-variant="{name}">{escape(v.name)}</th>')
        if i:
            head.append(f'<th scope="col" data-difference="{name}">Δ {escape(v.name)}</th>')
    rows = []
    for kpi in charts.kpis(study):
        estimates = [v.kpis.get(kpi.name) for v in study.variants]
        shown = [x for e in estimates if e is not None for x in (e.mean, e.low, e.high)]
        scale = scale_for(kpi.unit, shown)
        cells = []
        for i, (v, e) in enumerate(zip(study.variants, estimates, strict=True)):
            cells.append(f"<td>{_estimate(e, scale)}</td>")
            if i:
                d = v.differences.get(kpi.name)
                cells.append(f"<td{_highlight(d, kpi.better)}>{_estimate(d, scale, True)}</td>")
        arrow = {"lower": "↓ lower", "higher": "↑ higher"}.get(kpi.better, "&ndash;")
        rows.append(
            f'<tr data-kpi="{escape(kpi.name, quote=True)}">'
            f'<th scope="row" title="{escape(kpi.description, quote=True)}">'
            f"{escape(kpi.name.replace('_', ' '))}</th><td>{escape(scale.label)}</td>"
            f"<td>{arrow}</td>{''.join(cells)}</tr>"
        )
    return (
        '<div class="wide"><table id="kpi-table"><thead><tr>'
        '<th scope="col">KPI</th><th scope="col">unit</th>'
        f'<th scope="col">better</th>{"".join(head)}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def summary_section(study: StudyResult) -> str:
    """What the study found: the scenario's question and its answer, then each variant's
    differences from the baseline beyond chance."""
    return _answer_section(study) + _differences_section(study)


def _answer_section(study: StudyResult) -> str:
    """The question the scenario asks, answered by the KPIs it names, variant by variant."""
    asked, answered_by = question(study)
    if not asked:
        return ""
    head = f'<p id="question"><b>Question.</b> {escape(asked)}</p>'
    if len(study.variants) < 2 or study.replications < 2 or not answered_by:
        return head
    catalog = charts.kpis(study)
    base = escape(study.baseline)
    items = []
    for v in study.variants[1:]:
        said = answer(study, v, catalog)
        name = f'<li data-variant="{escape(v.name, quote=True)}"><b>{escape(v.name)}</b>'
        if said:
            items.append(f"{name} against {base}: {escape('; '.join(said))}.</li>")
        else:
            watched = ", ".join(n.replace("_", " ") for n in answered_by)
            items.append(
                f"{name}: {escape(watched)} do not differ from {base} beyond chance over "
                f"{study.replications} replications.</li>"
            )
    return f'{head}<div id="answer"><b>Answer.</b><ul>{"".join(items)}</ul></div>'


def _differences_section(study: StudyResult) -> str:
    if len(study.variants) < 2:
        return "<p>One variant: there is no baseline to compare it with.</p>"
    base = escape(study.baseline)
    if study.replications < 2:
        return (
            "<p>One replication per variant: there are no intervals, so no difference from the "
            f"baseline <b>{base}</b> can be told from chance. Run with "
            "<code>--replications 5</code> or more.</p>"
        )
    catalog = charts.kpis(study)
    items = []
    for v in study.variants[1:]:
        found = findings(study, v, catalog)
        name = f'<li data-variant="{escape(v.name, quote=True)}"><b>{escape(v.name)}</b>'
        if not found:
            items.append(
                f"{name}: no KPI differs from {base} beyond chance over "
                f"{study.replications} replications.</li>"
            )
            continue
        more = len(found) - SHOWN
        listed = "".join(f"<li>{escape(text)}</li>" for text in found[:SHOWN])
        tail = f"<li>and {more} more in the table below</li>" if more > 0 else ""
        items.append(f"{name} against {base}:<ul>{listed}{tail}</ul></li>")
    return (
        f"<p>Differences from the baseline <b>{base}</b> whose 95% interval (paired by "
        "replication) excludes 0, largest relative change first; per run, after warm-up.</p>"
        f"<ul>{''.join(items)}</ul>"
    )


fmt = number  # the report's numbers: thousands separated, three significant digits when small


def _estimate(e: Estimate | None, scale: Scale, difference: bool = False) -> str:
    if e is None or e.n == 0:
        return "&ndash;"
    if not e.available:
        return f'<span class="na" title="{escape(e.absent, quote=True)}">n/a</span>'
    show = signed if difference else number
    head = f"<b>{show(scale(e.mean))}</b>"
    if not e.has_interval:
        return f'{head} <br><small class="na" title="one replication has no interval">± n/a</small>'
    if e.low == e.high:  # every replication agreed
        return head
    return f"{head}<br><small>[{show(scale(e.low))}, {show(scale(e.high))}]</small>"


def _highlight(d: Estimate | None, better: str) -> str:
    """The class of a Δ cell: better or worse when its interval excludes 0, else none."""
    if d is None or not d.excludes_zero():
        return ""
    if better not in ("lower", "higher"):
        return ' class="differs"'
    good = (d.mean > 0) == (better == "higher")
    return ' class="better"' if good else ' class="worse"'


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
        f"<tbody>{''.join(rows)}</tbody></table></div>"
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
