"""``crossdock fuzz``: Schemathesis against the hub's own OpenAPI, every check, every phase."""

from __future__ import annotations

import json
from contextlib import nullcontext

import typer


def fuzz(
    max_examples: int = typer.Option(
        25,
        "--max-examples",
        "-n",
        min=1,
        max=10_000,
        help="Generated cases per operation in each phase; the stateful phase runs four times "
        "as many scenarios, and at least 150, so that every link is followed.",
    ),
    url: str | None = typer.Option(
        None,
        "--url",
        help="A running hub, e.g. http://127.0.0.1:8000. Without it, a fresh hub is started on "
        "127.0.0.1 with a temporary SQLite database and stopped afterwards.",
    ),
    seed: int | None = typer.Option(
        None, "--seed", help="Schemathesis's seed, to repeat a run's generated cases."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of text."),
) -> None:
    """Fuzz the hub's API with Schemathesis 4: every check, every phase, stateful through the
    OpenAPI links. Exit code 1 on any failure.

    The hub's OpenAPI is the contract: required headers, patterns, lengths, enums and every status
    code an operation can answer. Schemathesis generates valid and invalid requests from it (the
    examples, coverage and fuzzing phases), checks every answer against it (status, content type,
    headers, schema; valid data accepted, invalid data refused; no 5xx), and in the stateful
    phase follows the links: a created order is read back and cancelled, a stock movement is
    followed by the SKU's availability.

    Prints the operations that answered, the links that were followed and each failure with a
    curl line that reproduces it. contracts/fuzz.py says what Schemathesis is told besides the
    schema, and why.

    \b
    Examples:
      crossdock fuzz                # a fresh hub, 25 cases per operation
      crossdock fuzz -n 100 --url http://127.0.0.1:8000
      crossdock fuzz --json | jq .failures
    """
    from contracts.fuzz import fuzz as run
    from crossdock.embedded import embedded_hub

    if not as_json:
        where = url or "a fresh embedded hub"
        typer.echo(f"fuzzing {where}, {max_examples} cases per operation ...", err=True)
    with nullcontext(url) if url else embedded_hub() as base:
        result = run(base, max_examples=max_examples, seed=seed)
    if as_json:
        typer.echo(json.dumps(result.as_dict(), indent=2))
    else:
        _print(result)
    if not result.ok:
        raise typer.Exit(1)


def _print(result: object) -> None:
    from contracts.fuzz import FuzzResult

    assert isinstance(result, FuzzResult)
    echo = typer.echo
    echo(f"Schemathesis against {result.url}: {result.cases} cases")
    echo(f"operations covered: {len(result.operations_covered)} of {len(result.operations)}")
    for operation in result.operations:
        echo(f"  {'ok ' if operation in result.operations_covered else '-- '} {operation}")
    echo(f"links followed: {len(result.links_covered)} of {len(result.links)}")
    for link in result.links:
        echo(f"  {'ok ' if link in result.links_covered else '-- '} {link}")
    if result.failures:
        echo(f"{len(result.failures)} failure(s):")
        for failure in result.failures:
            echo(f"  {failure}")
    for error in result.errors:
        echo(f"error: {error}")
    echo("no failures" if result.ok else "FAILED")


def register(app: typer.Typer) -> None:
    app.command("fuzz")(fuzz)
