"""``crossdock twin``: one seeded order stream down the what-if path and the service's path."""

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
        500, "--orders", "-n", min=1, max=1_000_000, help="How many orders the stream places."
    ),
    seed: int = typer.Option(7, "--seed", "-s", min=0, help="Run seed: same seed, same run."),
    scenario: str = typer.Option(
        "baseline-day",
        "--scenario",
        help="Whose demand, system models and behaviours (latencies, faults) both paths use: "
        "a library name or a YAML file.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a table."),
) -> None:
    """Run the same seeded orders down both paths users run, and compare them order by order.

    [bold]what-if[/]: the SimPy adapter over the scenario's system models and behaviours, as
    `crossdock simulate` builds them.

    [bold]service[/]: the service's runtime (the asyncio adapter over the durable ports, the real
    HubStore and migrations on a temporary SQLite file) on a virtual clock, over the same models.

    Both drive the one pure hub core, so every order's business events (timestamps excluded)
    must be the same. Exits 1 when they are not, after printing the first order whose events
    differ, with both sequences.
    """
    from crossdock.commands.simulate import load
    from scenarios.twin import run_twin

    result = run_twin(load(scenario), orders, seed)
    if as_json:
        typer.echo(json.dumps(result, sort_keys=True))
    else:
        print_table(result, orders, seed, scenario)
    if not result["equal"]:
        raise typer.Exit(1)


def print_table(result: dict[str, object], orders: int, seed: int, scenario: str) -> None:
    whatif, service = result["whatif"], result["service"]
    assert isinstance(whatif, dict) and isinstance(service, dict)
    table = Table(title=f"twin: {orders} orders of {scenario}, seed {seed}")
    table.add_column("")
    table.add_column("what-if (SimPy)", justify="right")
    table.add_column("service (asyncio, SQLite)", justify="right")
    table.add_column("", justify="center")
    for key in ROWS:
        a, b = whatif[key], service[key]
        if key == "event_hash":
            a, b = str(a)[:16], str(b)[:16]
        same = whatif[key] == service[key]
        table.add_row(key.replace("_", " "), str(a), str(b), "[green]=[/]" if same else "[red]≠[/]")
    console = Console()
    console.print(table)
    verdict = "[green]equal[/]" if result["equal"] else "[red]DIFFERENT[/]"
    console.print(f"both paths: {verdict}")
    difference = result.get("first_difference")
    if isinstance(difference, dict):
        console.print(f"first order that differs: [bold]{difference['order_id']}[/]")
        for side in ("whatif", "service"):
            console.print(f"  {side}:")
            for key in difference[side]:
                console.print(f"    {key}", markup=False)


def register(app: typer.Typer) -> None:
    app.command("twin")(twin)
