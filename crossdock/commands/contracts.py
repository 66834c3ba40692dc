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


@contracts_app.command("verify")
def verify(
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a table."),
    pacts: str | None = typer.Option(
        None, "--pacts", help="Folder of pact files (default: contracts/pacts)."
    ),
    save: str | None = typer.Option(
        None, "--save", help="Also write the matrix as JSON here, for can-i-deploy --matrix."
    ),
) -> None:
    """Verify every pact against the real provider it names; exit 1 if any interaction fails.

    HTTP pacts are replayed against the real hub (a fresh SQLite database, demo data seeded)
    and the real simulated systems, both served on 127.0.0.1; provider states are set up through
    their own APIs. Message pacts are checked against the events the real hub core publishes.
    The verifier's own report goes to stderr; the matrix (one row per consumer-provider pair)
    to stdout.

    \b
    Examples:
      crossdock contracts verify
      crossdock contracts verify --json --save out/matrix.json
      crossdock contracts can-i-deploy --participant hub --matrix out/matrix.json
    """
    from pathlib import Path

    from contracts.verification import PACT_DIR
    from contracts.verification import verify as verify_all

    with _stdout_to_stderr():
        matrix = verify_all(Path(pacts) if pacts else PACT_DIR)
    if save:
        matrix.save(Path(save))
    _print_matrix(matrix, as_json)
    if not matrix.passed:
        raise typer.Exit(1)


@contracts_app.command("can-i-deploy")
def can_i_deploy(
    participant: str = typer.Option(
        ..., "--participant", "-p", help="hub, web-storefront, erp, ... (contracts/participants.py)"
    ),
    matrix_file: str | None = typer.Option(
        None, "--matrix", help="A matrix saved by `verify --save`; without it, verify now."
    ),
    pacts: str | None = typer.Option(
        None, "--pacts", help="Folder of pact files to verify when no --matrix is given."
    ),
) -> None:
    """Say whether PARTICIPANT may deploy: every pair it is in, as consumer or provider, passed.

    Exit 0 when it may, 1 when a pair blocks it (each named) or it is in no pair at all.
    """
    from pathlib import Path

    from contracts.matrix import Matrix
    from contracts.verification import PACT_DIR
    from contracts.verification import verify as verify_all

    if matrix_file:
        matrix = Matrix.load(Path(matrix_file))
    else:
        with _stdout_to_stderr():
            matrix = verify_all(Path(pacts) if pacts else PACT_DIR)
    pairs = matrix.involving(participant)
    if not pairs:
        known = sorted({p.consumer for p in matrix.pairs} | {p.provider for p in matrix.pairs})
        typer.echo(
            f"{participant} may not deploy: it is in no verified pair (the matrix knows "
            f"{', '.join(known)})."
        )
        raise typer.Exit(1)
    blocking = [p for p in pairs if not p.passed]
    if not blocking:
        typer.echo(f"{participant} may deploy: all {len(pairs)} pairs it is in passed.")
        return
    named = "; ".join(
        f"{p.consumer} -> {p.provider} ({p.kind}, {len(p.failures)} of {p.interactions} "
        "interactions failed)"
        for p in blocking
    )
    typer.echo(
        f"{participant} may not deploy: {len(blocking)} of {len(pairs)} pairs block: {named}."
    )
    raise typer.Exit(1)


def _print_matrix(matrix: object, as_json: bool) -> None:
    import json

    from contracts.matrix import Matrix

    assert isinstance(matrix, Matrix)
    if as_json:
        typer.echo(json.dumps(matrix.to_json(), indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Contract verification")
    for column in ("consumer", "provider", "kind", "interactions", "result"):
        table.add_column(column, justify="right" if column == "interactions" else "left")
    for pair in matrix.pairs:
        verdict = "pass" if pair.passed else f"FAIL ({len(pair.failures)})"
        table.add_row(pair.consumer, pair.provider, pair.kind, str(pair.interactions), verdict)
    console = Console()
    console.print(table)
    for pair in matrix.pairs:
        for failure in pair.failures:
            console.print(f"[red]{pair.consumer} -> {pair.provider}[/]: {failure}", markup=True)
    total = len(matrix.pairs)
    failed = sum(not p.passed for p in matrix.pairs)
    console.print(f"{total - failed} of {total} pairs passed.")


def _stdout_to_stderr():  # type: ignore[no-untyped-def]
    """Point file descriptor 1 at stderr for a while: pact's verifier (Rust) prints its report
    straight to stdout, which would spoil ``--json``."""
    import contextlib
    import os
    import sys

    @contextlib.contextmanager
    def redirected():  # type: ignore[no-untyped-def]
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            os.dup2(2, 1)
            yield
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)

    return redirected()


def register(app: typer.Typer) -> None:
    app.add_typer(contracts_app, name="contracts")
