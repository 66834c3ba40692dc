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
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """The hub's POST /v1/orders and GET /v1/availability against a bare FastAPI echo of the
    same order, driven by the same load generator in the same run (wrk if installed, else a
    Python one): req/s, p50, p99, errors and the ratio to the echo.

    Each server runs alone on the last core, the generator on the first. The hub's systems
    answer at once (--system-latency zero) and its whole saga runs behind the API; the bench
    also reports whether orders closed as fast as they were accepted (the backlog held).
    """
    from rich.console import Console
    from rich.table import Table

    from loadtests.bench import bench_service

    with Console(stderr=True).status("starting") as status:
        result = bench_service(
            connections=connections,
            duration=duration,
            database_url=database_url,
            progress=lambda doing: status.update(f"measuring {doing}"),
        )
    if as_json:
        typer.echo(json.dumps(result, sort_keys=True))
        return
    table = Table(
        title=f"bench service: {connections} connections, {duration:.0f} s each, "
        f"generator {result['echo_orders']['generator']}"
    )
    for column in ("server", "operation", "req/s", "p50 ms", "p99 ms", "errors", "ratio"):
        table.add_column(column, justify="left" if column in ("server", "operation") else "right")
    for kind, path in (("orders", "POST /v1/orders"), ("availability", "GET /v1/availability")):
        for who in ("echo", "hub"):
            row = result[f"{who}_{kind}"]
            ratio = f"{result[f'ratio_{kind}']:.3f}" if who == "hub" else "1"
            table.add_row(
                who,
                path,
                f"{row['rps']:,.0f}",
                f"{row['p50_ms']:.1f}",
                f"{row['p99_ms']:.1f}",
                f"{row['errors']:,}",
                ratio,
            )
    console = Console()
    console.print(table)
    backlog = result["backlog"]
    console.print(
        f"backlog {'held' if backlog.get('held') else '[red]grew[/]'}: "
        + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in backlog.items() if k != "held")
    )


def register(app: typer.Typer) -> None:
    app.add_typer(bench_app, name="bench")
