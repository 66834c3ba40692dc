"""``crossdock demo``: the main job on the embedded default, for a first look."""

from __future__ import annotations

import typer


def demo(
    seed: int = typer.Option(7, "--seed", "-s", min=0, help="Scenario seed."),
) -> None:
    """Run the demonstration: 500 seeded orders through both shells of the hub, compared.

    Nothing to install or start: the systems are simulated in this process.
    """
    from crossdock.commands.twin import print_table
    from simulators.twin import run_twin

    result = run_twin(500, seed)
    print_table(result, 500, seed)
    if not result["equal"]:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
