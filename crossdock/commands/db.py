"""``crossdock db``: the service database's migrations."""

from __future__ import annotations

import typer

from reference.service.settings import DEFAULT_DATABASE_URL

db_app = typer.Typer(help="Manage the reference service's database.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade(
    database_url: str = typer.Option(
        DEFAULT_DATABASE_URL,
        "--database-url",
        envvar="CROSSDOCK_DATABASE_URL",
        help="sqlite:///path or postgresql+psycopg://...",
    ),
) -> None:
    """Apply every migration up to the head revision (the service also does this on start)."""
    from reference.service.persistence.database import Database

    db = Database.connect(database_url)
    try:
        db.upgrade()
        typer.echo(f"database at head: {db.at_head()}")
    finally:
        db.dispose()


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
