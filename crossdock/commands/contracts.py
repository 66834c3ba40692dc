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


@contracts_app.command("check")
def check(
    update: bool = typer.Option(
        False, "--update", help="Accept every change: rewrite the snapshot, then commit it."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of text."),
    snapshot: str | None = typer.Option(
        None, "--snapshot", help="Snapshot folder to compare with (default: contracts/schemas)."
    ),
) -> None:
    """Fail when the hub's API or its events changed in a way that breaks a client.

    Builds the OpenAPI documents of the hub and of the simulated systems in-process (no server,
    no database) and the JSON Schema of every event type and version, and compares them with the
    snapshot committed under contracts/schemas/. Each change is printed with its kind and the
    JSON path where it happened; the exit code is 1 if any change is breaking.

    Breaking: a removed operation, status code, field or enum value; a new required input
    (property, parameter, header, body); an input that accepts less (number -> integer, a new
    format or pattern, maxLength lowered, minimum raised); an output that may carry what an old
    reader rejects (a new type or null, a new enum value, a field no longer required).
    Additive, and passing: a new operation, status code or optional field, an input that accepts
    more. contracts/compat.py states the rules.

    A breaking change on purpose: publish the new shape beside the old one (a new path, or a new
    event version registered beside v1), or tell every consumer, then accept it with --update
    and commit the snapshot with the change that made it.

    \b
    Examples:
      crossdock contracts check              # the CI gate
      crossdock contracts check --json       # one JSON object, for tools
      crossdock contracts check --update     # accept them into the snapshot
    """
    import json
    from pathlib import Path

    from contracts import snapshot as snap

    folder = Path(snapshot) if snapshot else snap.SNAPSHOT
    old, new = snap.read(folder), snap.live()
    changes = snap.compare(old, new)
    unjudged = snap.unjudged(old, new, changes)
    breaking = [c for c in changes if c.breaking]
    if update:
        snap.write(new, folder)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "snapshot": str(folder),
                    "updated": update,
                    "breaking": [c.as_json() for c in breaking],
                    "additive": [c.as_json() for c in changes if not c.breaking],
                    "unjudged": unjudged,
                },
                indent=2,
            )
        )
    else:
        for change in changes:
            typer.echo(f"{change}")
        for name in unjudged:
            typer.echo(f"differs {name}: descriptions, titles or examples only")
        verdict = "accepted into the snapshot" if update else "against the snapshot"
        typer.echo(
            f"{len(breaking)} breaking, {len(changes) - len(breaking)} additive change(s) "
            f"{verdict} in {folder}"
        )
        if breaking and not update:
            typer.echo(
                "Breaking changes fail the check; `crossdock contracts check --help` says "
                "how to make one on purpose."
            )
        elif (changes or unjudged) and not update:
            typer.echo("The snapshot is behind: run `crossdock contracts check --update`.")
    if breaking and not update:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(contracts_app, name="contracts")
