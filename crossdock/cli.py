"""The ``crossdock`` command: one entry point, a subcommand per job.

Each command lives in its own module under crossdock/commands and registers itself here, so the
front door stays small and importing it stays cheap (heavy imports happen inside commands).
"""

from __future__ import annotations

import typer

from crossdock import __version__
from crossdock.commands import (
    bench,
    db,
    demo,
    example,
    serve,
    simulate,
    sweep,
    systems,
    topology,
    twin,
)

app = typer.Typer(
    name="crossdock",
    help=(
        "Simulate, test and load a wholesale distributor's integration estate.\n\n"
        "Start with `crossdock demo`, then `crossdock twin --help`."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


def _version(show: bool) -> None:
    if show:
        typer.echo(f"crossdock {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Simulate, test and load a wholesale distributor's integration estate."""


for command in (demo, twin, topology, systems, serve, db, example, simulate, sweep, bench):
    command.register(app)


if __name__ == "__main__":  # pragma: no cover
    app()
