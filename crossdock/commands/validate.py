"""``crossdock validate``: check scenarios the way every command checks them, without running."""

from __future__ import annotations

import typer


def validate(
    scenarios: list[str] = typer.Argument(
        ...,
        metavar="SCENARIO...",
        help="Scenario YAML files, library names (e.g. peak-season), or study.json files.",
    ),
) -> None:
    """Check each SCENARIO without running it: print OK, or every problem it has.

    This is the one validation simulate, sweep, topology and demo run before they start:
    every field (unknown ones get a did-you-mean), durations ('30m', '1h30m' or seconds, in
    every duration field, flows' every included), the systems and faults the run knows (erp,
    tms, finance, wms or wms:<node>, edi, crm and bi when a flow feeds them), one system of
    record per data domain, and each variant as a whole scenario of its own. A study.json is
    checked as crossdock simulate would rerun it (its scenario against its hash).

    Each problem reads FILE:LINE: PATH: what is wrong (got the value as written). Exit status 0
    when every scenario is valid, 2 when any has a problem.
    """
    from scenarios.provenance import load
    from scenarios.spec import SpecError

    invalid = 0
    for scenario in scenarios:
        try:
            spec, recorded = load(scenario)
        except SpecError as exc:
            invalid += 1
            typer.echo(str(exc))
            continue
        what = "study of " if recorded else ""
        names = ", ".join(spec.variant_names())
        typer.echo(f"OK {scenario}: {what}{spec.name} (variants: {names})")
    if invalid:
        typer.echo(f"{invalid} of {len(scenarios)} scenario(s) invalid", err=True)
        raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
