"""``crossdock twin``: one seeded order stream through both shells, compared."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

ROWS = (
    "accepted",
    "rejected",
    "split",
    "partially_shipped",
    "backordered",
    "invoiced",
    "closed",
    "shipments",
    "invoices",
    "events",
    "event_hash",
)


def twin(
    orders: int = typer.Option(
        500,
        "--orders",
        "-n",
        min=1,
        max=1_000_000,
        help="How many orders the seeded channel stream places.",
    ),
    seed: int = typer.Option(7, "--seed", "-s", min=0, help="Scenario seed: same seed, same run."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a table."),
) -> None:
    """Run the same seeded orders through the SimPy shell and the asyncio shell and compare.

    Both shells drive the one pure hub core; the asyncio shell runs on a virtual clock, so every
    reply lands at the same instant in both. The counts and the hash of every order's business
    events (timestamps excluded, orders in order-number order) must be equal; the command exits
    with status 1 when they are not.
    """
    from simulators.twin import run_twin

    result = run_twin(orders, seed)
    if as_json:
        typer.echo(json.dumps(result, sort_keys=True))
    else:
        print_table(result, orders, seed)
    if not result["equal"]:
        raise typer.Exit(1)


def print_table(result: dict[str, object], orders: int, seed: int) -> None:
    sim, real = result["sim"], result["asyncio"]
    assert isinstance(sim, dict) and isinstance(real, dict)
    table = Table(title=f"twin: {orders} orders, seed {seed}")
    table.add_column("")
    table.add_column("SimPy (virtual time)", justify="right")
    table.add_column("asyncio (virtual clock)", justify="right")
    table.add_column("", justify="center")
    for key in ROWS:
        a, b = sim[key], real[key]
        if key == "event_hash":
            a, b = str(a)[:16], str(b)[:16]
        table.add_row(
            key.replace("_", " "),
            str(a),
            str(b),
            "[green]=[/]" if sim[key] == real[key] else "[red]≠[/]",
        )
    console = Console()
    console.print(table)
    verdict = "[green]equal[/]" if result["equal"] else "[red]DIFFERENT[/]"
    console.print(f"both shells: {verdict}")


def register(app: typer.Typer) -> None:
    app.command("twin")(twin)
