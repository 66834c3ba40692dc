"""``crossdock contracts``: Pact verification, can-i-deploy, and the schema-compatibility gate."""

from __future__ import annotations

import typer

contracts_app = typer.Typer(
    help=(
        "Consumer contracts (Pact V4, HTTP and message) and schema snapshots.\n\n"
        "Start with `crossdock contracts verify --help`."
    ),
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(contracts_app, name="contracts")
