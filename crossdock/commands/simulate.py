"""``crossdock simulate``: run a scenario's variants and replications and write the results."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from scenarios.provenance import Recorded
    from scenarios.results import Estimate, RunResult, StudyResult
    from scenarios.spec import ScenarioSpec

SHOWN = (
    "order_acceptance_rate",
    "duplicate_orders",
    "oversells",
    "backorder_rate",
    "capture_p95",
    "order_to_invoice_mean",
    "message_age_mean",
    "dead_letters",
    "reconciliation_exceptions",
    "edi_chargebacks",
)


def load(scenario: str) -> ScenarioSpec:
    """The spec of a path or library name; a bad spec exits 2 with one line per problem."""
    from scenarios.spec import load_spec

    return refuse_problems(lambda: load_spec(scenario))


def load_or_rerun(scenario: str) -> tuple[ScenarioSpec, Recorded | None]:
    """A scenario, or a study.json with what it recorded; a bad one exits 2."""
    from scenarios.provenance import load as load_any

    return refuse_problems(lambda: load_any(scenario))  # type: ignore[no-any-return]


def refuse_problems(work: Callable[[], Any]) -> Any:
    """``work()``; a SpecError exits 2 with one line per problem on stderr."""
    from scenarios.spec import SpecError

    try:
        return work()
    except SpecError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None


def command_line() -> str:
    import shlex
    import sys

    return shlex.join(["crossdock", *sys.argv[1:]])


def record(
    study: StudyResult, spec: ScenarioSpec, scale: float = 1.0, sweep: dict[str, Any] | None = None
) -> None:
    """Attach the provenance of ``study``: ``spec`` is the spec exactly as it ran."""
    from crossdock import __version__
    from scenarios.provenance import describe

    study.provenance = describe(
        spec,
        version=__version__,
        command=command_line(),
        seed=study.seed,
        replications=study.replications,
        scale=scale,
        sweep=sweep,
    )


def with_progress(
    total: int, quiet: bool, work: Callable[[Callable[[RunResult], None]], Any]
) -> Any:
    """Run ``work(progress)`` under a rich progress bar on stderr, one tick per finished run."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
    ) as bar:
        task = bar.add_task("runs", total=total)

        def tick(run: RunResult) -> None:
            bar.update(task, advance=1, description=f"{run.variant} #{run.replication}")

        return work(tick)


def finish(study: StudyResult, spec: ScenarioSpec, out: Path, as_json: bool, report: bool) -> None:
    from reports.html import write_report
    from scenarios.outputs import kpi_table, write_outputs

    def draw(where: Path) -> dict[str, Path]:
        return {"report": write_report(study, where, spec.topology, spec)}

    paths = write_outputs(study, out, draw if report else None)
    if as_json:
        typer.echo(json.dumps(kpi_table(study), sort_keys=True))
        return
    print_table(study)
    for name, path in paths.items():
        typer.echo(f"{name}: {path}")


def print_table(study: StudyResult) -> None:
    """The headline KPIs: a column per variant (mean ± the 95% CI's half-width) and, after each
    variant but the baseline, its paired difference from the baseline (Δ), starred when its
    interval excludes 0. n/a: one replication (no interval), or a system the estate lacks."""
    from rich.console import Console
    from rich.table import Table

    from reports.units import scale_for
    from scenarios.kpis import CATALOG

    units = {k.name: k.unit for k in CATALOG}
    table = Table(
        title=f"{study.scenario}: mean ± 95% CI over {study.replications} replication(s); "
        f"Δ: paired difference from {study.baseline}",
        caption="* the difference's 95% interval excludes 0 · every KPI, with its interval, is "
        "in runs.csv and the report",
    )
    table.add_column("KPI", no_wrap=True)
    for i, variant in enumerate(study.variants):
        table.add_column(variant.name, justify="right")
        if i:
            table.add_column(f"Δ {variant.name}", justify="right")
    for kpi in SHOWN:
        unit = units[kpi]
        found = [v.kpis[kpi] for v in study.variants]
        scale = scale_for(unit, [x for e in found for x in (e.mean, e.low, e.high)])
        label = kpi.replace("_", " ") + (f" ({scale.label})" if unit == "s" else "")
        cells = []
        for i, v in enumerate(study.variants):
            cells.append(_cell(v.kpis[kpi], unit, scale.factor))
            if i:
                cells.append(_cell(v.differences[kpi], unit, scale.factor, difference=True))
        table.add_row(label, *cells)
    console = Console()
    if not console.is_terminal:  # a log or a pipe: as wide as the table needs, nothing folded
        console.width = max(console.width, 28 + 20 * (2 * len(study.variants) - 1))
    console.print(table)


def _cell(e: Estimate, unit: str, factor: float = 1.0, difference: bool = False) -> str:
    """``mean ± half-width``, both to the same precision; shares as percentages (a difference
    of shares in points), durations in ``factor`` (1/60: minutes); "± n/a" for one
    replication, "n/a" for a KPI the estate cannot have. A difference whose interval excludes 0
    is starred."""
    if not e.available:
        return "n/a"
    mean, half, suffix = e.mean * factor, (e.high - e.low) / 2 * factor, ""
    if unit == "share":
        mean, half, suffix = e.mean * 100, (e.high - e.low) / 2 * 100, " pp" if difference else "%"
    whole = mean == int(mean) and (half == 0 or not e.has_interval)
    places = 0 if abs(mean) >= 100 or whole else 1
    mean = mean if round(mean, places) else 0.0  # no "-0.0": rounded to nothing is 0
    sign = "+" if difference and mean > 0 else ""
    text = f"{sign}{mean:,.{places}f}{suffix}"
    if not e.has_interval:
        return f"{text} ± n/a"
    star = "*" if difference and e.excludes_zero() else ""
    if half == 0:
        return text + star
    # the interval of a bounded KPI may lean away from its bound: show the wider side
    half = max(e.high - e.mean, e.mean - e.low) * (100 if unit == "share" else factor)
    return f"{text} ± {half:,.{places}f}{star}"


REPLICATIONS_HELP = "Replications per variant, all in one estate (default: the scenario's)."
SEED_HELP = (
    "Study seed: it draws the estate and each replication's random numbers (default: the "
    "scenario's). Variants and sweeps cannot set it; this is how to change it."
)
SCALE_HELP = (
    "Shrink demand (orders per day) by this factor, 0 < F <= 1, for a quick look; opening "
    "stock follows demand. Recorded in study.json."
)
OUT_HELP = (
    "Folder for the results. Reusing one first deletes the files crossdock wrote there before "
    "(listed in its .crossdock-outputs), so no stale report survives; other files are kept."
)


def simulate(
    scenario: str = typer.Argument(
        ..., help="A scenario YAML file or a library name, e.g. peak-season."
    ),
    replications: int | None = typer.Option(
        None, "--replications", "-r", min=1, help=REPLICATIONS_HELP
    ),
    seed: int | None = typer.Option(None, "--seed", "-s", min=0, help=SEED_HELP),
    variants: list[str] | None = typer.Option(
        None,
        "--variant",
        "-v",
        metavar="NAME",
        help="Run only this variant (repeat for several; default: every variant). An unknown "
        "name is an error that lists the scenario's variants.",
    ),
    scale: float | None = typer.Option(None, "--scale", metavar="F", help=SCALE_HELP),
    out: Path = typer.Option(Path("out/simulate"), "--out", "-o", help=OUT_HELP),
    workers: int = typer.Option(2, "--workers", "-w", min=1, help="Parallel processes."),
    as_json: bool = typer.Option(
        False, "--json", help="Print the KPI table per variant as JSON (mean, low, high)."
    ),
    report: bool = typer.Option(True, "--report/--no-report", help="Write the HTML report."),
) -> None:
    """Run every variant of SCENARIO with its replications in virtual time through the real hub.

    Writes runs.csv (one row per run), series.csv, study.json and report.html to --out. The same
    seed gives bit-identical results; variants of one replication share random numbers.

    study.json records the crossdock version, the command line, the seed, the scale and the
    resolved scenario (every default filled in) with its SHA-256. Give a study.json as SCENARIO
    to run that study again exactly: the same runs.csv, wall-clock seconds aside. Options given
    with it (--replications, --seed, --variant, --scale) replace what it recorded.
    """
    from scenarios.runner import plan, run_study
    from scenarios.spec import scaled

    spec, recorded = load_or_rerun(scenario)
    sweep = recorded.sweep if recorded else None
    if recorded is not None:
        seed = recorded.seed if seed is None else seed
        replications = recorded.replications if replications is None else replications
        scale = recorded.scale if scale is None else scale
    scale = 1.0 if scale is None else scale
    if variants:
        spec = refuse_problems(lambda: spec.only(variants))
    refuse_problems(lambda: scaled(spec, scale))
    total = len(plan(spec, replications, seed))
    study = with_progress(
        total,
        as_json,
        lambda tick: run_study(
            spec, replications, seed, executor="local", workers=workers, progress=tick, scale=scale
        ),
    )
    if sweep:
        study.swept_path = sweep["path"]
        study.variant_values = {v["name"]: v["value"] for v in sweep["variants"]}
        study.swept_values = [study.variant_values[v.name] for v in study.variants]
    record(study, spec, scale, sweep)
    finish(study, spec, out, as_json, report)


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate)
