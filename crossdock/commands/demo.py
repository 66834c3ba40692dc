"""``crossdock demo``: the main job on the embedded default, for a first look."""

from __future__ import annotations

from pathlib import Path

import typer

from crossdock.commands.simulate import OUT_HELP

STUDY = "integration-patterns"


def demo(
    seed: int = typer.Option(7, "--seed", "-s", min=0, help="Scenario seed."),
    out: Path = typer.Option(Path("out/demo"), "--out", "-o", help=OUT_HELP),
    workers: int = typer.Option(2, "--workers", "-w", min=1, help="Parallel processes."),
) -> None:
    """Run the demonstration: the library study comparing integration patterns.

    A peak day through the real hub core in virtual time, once per pattern (idempotent events,
    no idempotency, hourly inventory batches, a file-drop WMS), with replications and 95%
    confidence intervals; writes runs.csv, series.csv, study.json and report.html to --out.
    Nothing to install or start: the systems are simulated on this machine. The scenario is
    checked as crossdock validate checks it, and study.json can be rerun with crossdock simulate.
    """
    from crossdock.commands.simulate import finish, load, record, with_progress
    from scenarios.runner import plan, run_study

    spec = load(STUDY)
    study = with_progress(
        len(plan(spec, None, seed)),
        False,
        lambda tick: run_study(spec, None, seed, executor="local", workers=workers, progress=tick),
    )
    record(study, spec)
    finish(study, spec, out, as_json=False, report=True)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
