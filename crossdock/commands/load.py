"""``crossdock load``: Locust against a hub, with SLA gates that set the exit code."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def load(
    profile: str = typer.Option(
        "peak", "--profile", help="A profile of loadtests/profiles.yaml: peak, step, soak, smoke."
    ),
    users: int | None = typer.Option(None, "--users", "-u", min=1, help="Peak virtual users."),
    spawn_rate: float | None = typer.Option(
        None, "--spawn-rate", "-r", min=0.1, help="Users started per second."
    ),
    duration: str | None = typer.Option(
        None, "--duration", "-t", help="How long the run lasts: seconds, or 90s, 5m, 1h."
    ),
    host: str | None = typer.Option(
        None, "--host", help="The hub's base URL; without it an embedded hub is started."
    ),
    workers: int = typer.Option(
        0, "--workers", "-w", min=0, max=64, help="Run a master and N worker processes."
    ),
    html: Path | None = typer.Option(None, "--html", help="Locust's HTML report (default OUT)."),
    out: Path = typer.Option(Path("out/load"), "--out", "-o", help="CSV, HTML and logs go here."),
    seed: int = typer.Option(7, "--seed", "-s", min=0, help="The demo estate's seed (the hub's)."),
    sla: Path | None = typer.Option(
        None, "--sla", help="SLA gates YAML (default: loadtests/sla.yaml).", exists=True
    ),
    scenario: str | None = typer.Option(
        None,
        "--scenario",
        help="Replay this scenario's demand against a hub on its systems, and print live and "
        "simulated latencies side by side (instead of a Locust profile).",
    ),
    speedup: float = typer.Option(
        60.0,
        "--speedup",
        "-k",
        min=1.0,
        help="With --scenario: K scenario seconds per wall second.",
    ),
    scale: float = typer.Option(
        1.0,
        "--scale",
        min=0.001,
        max=1.0,
        help="With --scenario: a fraction of the scenario's demand, in both worlds.",
    ),
    drain: float = typer.Option(
        25.0, "--drain", min=0.0, help="With --scenario: wall seconds to wait for invoices."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Drive the hub with channel users (B2B portal, marketplace bursts with duplicate
    deliveries, EDI batches, availability lookups, support searches, a warehouse) shaped as a
    spike, a step or a soak, then judge each operation against loadtests/sla.yaml.

    Prints the gate table and exits 1 if any gate fails. 409, 422 and 429 are the hub's
    expected answers under load (in flight, rejected, throttled): counted on their own, never
    failures. Without --host, starts the embedded hub (SQLite, WMS confirming over the API).

    With --scenario, replays that scenario's orders (rate, hourly profile, spikes, channel
    mix) --speedup times faster than its clock, for --duration wall seconds (default 60) from
    its first spike, against a hub wired to `crossdock systems serve --scenario` (both started
    here without --host), then runs the what-if engine over the same window and prints capture
    and order-to-invoice latencies of both, in wall seconds (the model's divided by K).

    Try: crossdock load --profile smoke, then crossdock load --profile peak --workers 2,
    then crossdock load --scenario peak-season --speedup 60.
    """
    if scenario is not None:
        from crossdock.commands.load_scenario import replay_scenario

        replay_scenario(scenario, speedup, duration, drain, host, seed, out, as_json, scale)
        return
    from rich.console import Console

    from crossdock.embedded import embedded_hub
    from loadtests.gates import judge
    from loadtests.profiles import load_profile
    from loadtests.run import LoadRun, run_locust

    try:
        chosen = load_profile(profile, users=users, spawn_rate=spawn_rate, duration=duration)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--profile/--duration") from None
    err = Console(stderr=True)

    def go(url: str) -> int:
        run = LoadRun(url, chosen, out, html or out / "report.html", workers, seed)
        with err.status(f"{chosen.name}: starting") as status:
            code = run_locust(
                run,
                lambda t: status.update(
                    f"{chosen.name} ({chosen.shape}, {chosen.users} users): "
                    f"{t:.0f} of {chosen.duration:.0f} s"
                ),
            )
        if not run.stats_csv.exists():
            err.print(f"[red]Locust wrote no statistics (exit {code}); see {out}/*.log")
            raise typer.Exit(2)
        return code

    if host:
        go(host)
    else:
        with err.status("starting the embedded hub"), embedded_hub("--wms-confirm", "api") as url:
            go(url)

    verdicts = judge(out / "locust_stats.csv", sla) if sla else judge(out / "locust_stats.csv")
    passed = all(v.passed for v in verdicts)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "profile": chosen.model_dump(),
                    "passed": passed,
                    "operations": [v.to_json() for v in verdicts],
                }
            )
        )
    else:
        _print(verdicts, chosen.name, out)
    if not passed:
        raise typer.Exit(1)


def _print(verdicts: list, profile: str, out: Path) -> None:  # type: ignore[type-arg]
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"load {profile}: SLA gates (loadtests/sla.yaml)")
    for column in ("operation", "requests", "failures", "409/422/429", "p95 ms", "p99 ms", "gate"):
        table.add_column(column, justify="left" if column == "operation" else "right")
    for v in verdicts:
        expected = " ".join(f"{k}:{n}" for k, n in sorted(v.expected.items())) or "-"
        table.add_row(
            v.operation,
            f"{v.requests:,}",
            f"{v.failures:,}",
            expected,
            f"{v.p95_ms:.0f}",
            f"{v.p99_ms:.0f}",
            ("[green]pass" if v.exercised else "[yellow]not exercised")
            if v.passed
            else "[red]" + "; ".join(v.problems),
        )
    Console().print(table)
    Console().print(f"CSV, HTML report and logs in {out}")


def register(app: typer.Typer) -> None:
    app.command("load")(load)
