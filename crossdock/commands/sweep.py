"""``crossdock sweep``: one scenario over a grid of values of one spec path."""

from __future__ import annotations

from pathlib import Path

import typer

from crossdock.commands.simulate import REPLICATIONS_HELP, SEED_HELP


def sweep(
    scenario: str = typer.Argument(..., help="A scenario YAML file or a library name."),
    assignment: str = typer.Option(
        ...,
        "--set",
        help="PATH=V1,V2,... e.g. hub.reconciliation_every=15m,1h,4h (values as YAML).",
    ),
    replications: int | None = typer.Option(
        None, "--replications", "-r", min=1, help=REPLICATIONS_HELP
    ),
    seed: int | None = typer.Option(None, "--seed", "-s", min=0, help=SEED_HELP),
    executor: str = typer.Option(
        "local", "--executor", "-e", help="local (processes on this machine) or dask."
    ),
    address: str | None = typer.Option(None, "--address", help="Dask scheduler, tcp://host:port."),
    workers: int = typer.Option(2, "--workers", "-w", min=1, help="Local processes."),
    out: Path = typer.Option(Path("out/sweep"), "--out", "-o", help="Folder for the results."),
    as_json: bool = typer.Option(False, "--json", help="Print the KPI table per value as JSON."),
    report: bool = typer.Option(True, "--report/--no-report", help="Write the HTML report."),
) -> None:
    """Run SCENARIO once per value of PATH (each a variant) times its replications.

    The scenario's own variants are replaced by the grid; the report plots every KPI against the
    swept values.
    """
    from crossdock.commands.simulate import finish, load, with_progress
    from scenarios.runner import parse_values, run_sweep, sweep_spec
    from scenarios.spec import SpecError

    if executor not in ("local", "dask"):
        typer.echo(f"--executor: {executor!r} is not one of local, dask", err=True)
        raise typer.Exit(2)
    if executor == "dask" and not address:
        typer.echo(
            "--executor dask needs --address tcp://host:port of a running scheduler", err=True
        )
        raise typer.Exit(2)
    path, sep, text = assignment.partition("=")
    if not sep or not path or not text:
        typer.echo(f"--set: expected PATH=V1,V2,... not {assignment!r}", err=True)
        raise typer.Exit(2)
    spec = load(scenario)
    values = parse_values(text)
    try:
        swept, _ = sweep_spec(spec, path, values)
    except SpecError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    reps = replications if replications is not None else spec.replications
    study = with_progress(
        len(values) * reps,
        as_json,
        lambda tick: run_sweep(
            spec, path, values, replications, seed, executor, workers, address, tick
        ),
    )
    finish(study, swept, out, as_json, report)


def register(app: typer.Typer) -> None:
    app.command("sweep")(sweep)
