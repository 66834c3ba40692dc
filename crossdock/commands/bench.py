"""``crossdock bench``: how fast the engines run."""

from __future__ import annotations

import json

import typer

bench_app = typer.Typer(help="Benchmarks: how fast crossdock's engines run.", no_args_is_help=True)


@bench_app.command("simulate")
def simulate(
    orders: int = typer.Option(
        100_000, "--orders", "-n", min=10, help="Orders in the simulated peak day."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Simulate a peak day of ORDERS orders; report order lines and events per wall-second, the
    ratio to a bare SimPy loop with as many events, and peak memory at a quarter and at all of
    the orders (it should barely grow: metrics are streamed)."""
    from rich.console import Console
    from rich.table import Table

    from scenarios.bench import bench

    with Console(stderr=True).status("starting") as status:  # stderr: --json stays clean
        result = bench(orders, lambda doing: status.update(f"running {doing}"))
    if as_json:
        typer.echo(json.dumps(result, sort_keys=True))
        return

    table = Table(title=f"bench simulate: a peak day of {result['orders']} orders")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in result.items():
        table.add_row(
            key.replace("_", " "), json.dumps(value) if isinstance(value, dict) else f"{value:,}"
        )
    Console().print(table)


@bench_app.command("service")
def service(
    connections: int = typer.Option(64, "--connections", "-c", min=1, help="Open connections."),
    duration: float = typer.Option(15.0, "--duration", "-d", min=2, help="Seconds per measure."),
    database_url: str | None = typer.Option(
        None,
        "--database-url",
        help="The hub's database (default: a fresh SQLite file); e.g. postgresql+psycopg://...",
    ),
    target_ratio: float = typer.Option(
        0.08,
        "--target-ratio",
        min=0.001,
        max=1.0,
        help="The share of the echo's order req/s the hub must reach; also the open-loop rate.",
    ),
    p99_ms: float = typer.Option(
        100.0, "--p99-ms", min=1.0, help="The hub's p99 bound for orders at the open-loop rate."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """The hub's POST /v1/orders and GET /v1/availability against a bare FastAPI echo of the
    same order, driven by the same load generators in the same run: req/s, p50, p99, errors and
    the ratio to the echo. Exits 1 when the hub misses its target.

    Saturation is measured closed loop (wrk if installed, else a Python generator), where
    latency is mostly connections / throughput. Latency under load is measured open loop:
    orders offered at --target-ratio of the echo's req/s, each timed from when it was due. The
    hub meets its target when it reaches that ratio, answers that rate within --p99-ms at the
    99th percentile with no errors, and its backlog holds.

    Each server runs alone on the last core, the generators on the first. The hub's systems
    answer at once (--system-latency zero) and its whole saga runs behind the API (release,
    shipment, invoice); the backlog holds when orders close as fast as they are accepted.
    """
    from rich.console import Console
    from rich.table import Table

    from loadtests.bench import bench_service

    with Console(stderr=True).status("starting") as status:
        result = bench_service(
            connections=connections,
            duration=duration,
            database_url=database_url,
            target_ratio=target_ratio,
            p99_ms=p99_ms,
            progress=lambda doing: status.update(f"measuring {doing}"),
        )
    verdict = result["target"]
    if as_json:
        typer.echo(json.dumps(result, sort_keys=True))
        raise typer.Exit(0 if verdict["met"] else 1)
    table = Table(
        title=f"bench service: {connections} connections, {duration:.0f} s each, "
        f"generator {result['echo_orders']['generator']}"
    )
    for column in ("server", "operation", "req/s", "p50 ms", "p99 ms", "errors", "ratio"):
        table.add_column(column, justify="left" if column in ("server", "operation") else "right")
    rate = result["hub_orders_open"]["offered_rps"]
    measures = (
        ("orders", "POST /v1/orders, saturated"),
        ("availability", "GET /v1/availability, saturated"),
        ("orders_open", f"POST /v1/orders at {rate:,.0f}/s, open loop"),
    )
    for kind, path in measures:
        for who in ("echo", "hub"):
            row = result[f"{who}_{kind}"]
            ratio = result.get(f"ratio_{kind}")
            table.add_row(
                who,
                path,
                f"{row['rps']:,.0f}",
                f"{row['p50_ms']:.1f}",
                f"{row['p99_ms']:.1f}",
                f"{row['errors']:,}",
                f"{ratio:.3f}" if who == "hub" and ratio is not None else "",
            )
    console = Console()
    console.print(table)
    backlog = result["backlog"]
    console.print(
        f"backlog {'held' if backlog.get('held') else '[red]grew[/]'}: "
        + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in backlog.items() if k != "held")
    )
    missed = [name for name, ok in verdict["checks"].items() if not ok]
    console.print(
        f"target (ratio >= {verdict['ratio']}, open-loop p99 <= {verdict['p99_ms']:.0f} ms, "
        "no errors, kept up, backlog held): "
        + ("[green]met[/]" if verdict["met"] else f"[red]missed[/] ({', '.join(missed)})")
    )
    raise typer.Exit(0 if verdict["met"] else 1)


def register(app: typer.Typer) -> None:
    app.add_typer(bench_app, name="bench")
