"""``crossdock sweep``: one scenario over a grid of values of one spec path."""

from __future__ import annotations

from pathlib import Path

import typer

from crossdock.commands.simulate import OUT_HELP, REPLICATIONS_HELP, SCALE_HELP, SEED_HELP


def sweep(
    scenario: str = typer.Argument(..., help="A scenario YAML file or a library name."),
    assignments: list[str] = typer.Option(
        ...,
        "--set",
        metavar="PATH=V1,V2,...",
        help="The path to sweep and its values, e.g. hub.reconciliation_every=15m,1h,4h (values "
        "as YAML). Give it once: a sweep varies one path, and a second --set is refused rather "
        "than replacing the first.",
    ),
    replications: int | None = typer.Option(
        None, "--replications", "-r", min=1, help=REPLICATIONS_HELP
    ),
    seed: int | None = typer.Option(None, "--seed", "-s", min=0, help=SEED_HELP),
    scale: float = typer.Option(1.0, "--scale", metavar="F", help=SCALE_HELP),
    executor: str = typer.Option(
        "local", "--executor", "-e", help="local (processes on this machine) or dask."
    ),
    address: str | None = typer.Option(None, "--address", help="Dask scheduler, tcp://host:port."),
    workers: int = typer.Option(2, "--workers", "-w", min=1, help="Local processes."),
    out: Path = typer.Option(Path("out/sweep"), "--out", "-o", help=OUT_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the KPI table per value as JSON."),
    report: bool = typer.Option(True, "--report/--no-report", help="Write the HTML report."),
) -> None:
    """Run SCENARIO once per value of PATH (each a variant) times its replications.

    The scenario's own variants are replaced by the grid; the report plots every KPI against the
    swept values. One path per sweep: to compare combinations of two settings, write them as
    variants in the scenario and run crossdock simulate. study.json records the sweep, and
    crossdock simulate OUT/study.json runs it again exactly.
    """
    from crossdock.commands.simulate import finish, load, record, refuse_problems, with_progress
    from scenarios.runner import parse_values, run_sweep, sweep_spec
    from scenarios.spec import scaled

    if executor not in ("local", "dask"):
        typer.echo(f"--executor: {executor!r} is not one of local, dask", err=True)
        raise typer.Exit(2)
    if executor == "dask" and not address:
        typer.echo(
            "--executor dask needs --address tcp://host:port of a running scheduler", err=True
        )
        raise typer.Exit(2)
    if len(assignments) > 1:
        typer.echo(
            f"--set: given {len(assignments)} times ({', '.join(map(repr, assignments))}); a "
            "sweep varies one path, so give --set once. To compare combinations of settings, "
            "write them as variants in the scenario and run crossdock simulate.",
            err=True,
        )
        raise typer.Exit(2)
    [assignment] = assignments
    path, sep, text = assignment.partition("=")
    if not sep or not path or not text:
        typer.echo(f"--set: expected PATH=V1,V2,... not {assignment!r}", err=True)
        raise typer.Exit(2)
    spec = load(scenario)
    values = parse_values(text)
    swept, by_name = refuse_problems(lambda: sweep_spec(spec, path, values))
    refuse_problems(lambda: scaled(swept, scale))
    reps = replications if replications is not None else spec.replications
    study = with_progress(
        len(values) * reps,
        as_json,
        lambda tick: run_sweep(
            spec, path, values, replications, seed, executor, workers, address, tick, scale
        ),
    )
    grid = [{"name": name, "value": value} for name, value in by_name.items()]
    record(study, swept, scale, sweep={"path": path, "variants": grid})
    finish(study, swept, out, as_json, report)


def register(app: typer.Typer) -> None:
    app.command("sweep")(sweep)
