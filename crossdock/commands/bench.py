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


def register(app: typer.Typer) -> None:
    app.add_typer(bench_app, name="bench")
