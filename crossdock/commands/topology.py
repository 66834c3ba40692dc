"""``crossdock topology``: the networkx view of a scenario's integration estate."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from scenarios.topology import TopologyReport, TopologySpec


HELP = "\n\n".join(
    [
        "Count interfaces, find the critical path, check ownership and draw the estate.",
        "Checks the whole scenario as every command does (see [bold]crossdock validate[/]), "
        "then analyses its [bold]topology:[/] key (systems and flows), prints what networkx "
        "finds and saves a picture.",
        "• [bold]interfaces[/]: point-to-point, every producer→consumer pair of each data "
        "domain is its own interface; through a hub, each system connects once per direction "
        "it uses. The difference is what a canonical hub saves you to build and run.",
        "• [bold]critical path[/]: the flows with [italic]pattern: sync_api[/] and "
        "[italic]critical: true[/], the calls a customer waits on while an order is captured. "
        "Their systems are in series, so the path is only as available as the product of "
        "their availabilities.",
        "• [bold]system of record[/]: exactly one system owns each data domain that flows "
        "([italic]owns: \\[prices, orders][/]); none or two is an error, exit status 2.",
        "• [bold]cycles[/]: data of one domain that flows back to a system it left (update "
        "echoes).",
        "Example: [bold]crossdock topology my_estate.yaml --out out/[/]",
    ]
)


def topology(
    scenario: str = typer.Argument(
        ...,
        metavar="SCENARIO",
        help="A scenario YAML file, or the name of one in scenarios/library (e.g. baseline-day).",
    ),
    out: Path = typer.Option(
        Path("out"), "--out", "-o", help="Folder for the picture, <scenario>-topology.png."
    ),
    variants: list[str] = typer.Option(
        [],
        "--variant",
        "-v",
        metavar="NAME",
        help="Analyse and draw this variant's estate instead of the base (repeat for several; "
        "'all' for every variant). An unknown name is an error listing the scenario's variants.",
    ),
) -> None:
    """Count interfaces, find the critical path, check ownership and draw the estate."""
    from reports.topology import draw
    from scenarios.topology import TopologyError, analyse

    for name, spec in _load(scenario, variants):
        try:
            report = analyse(spec)
        except TopologyError as exc:
            _fail(f"{name}: {exc}")
        picture = draw(spec, out / f"{name}-topology.png")
        print_report(Console(), name, spec, report)
        typer.echo(f"picture: {picture}")


def _load(scenario: str, variants: list[str]) -> list[tuple[str, TopologySpec]]:
    """(name, topology) of the base, or of each variant asked for, after the one validation
    every command runs: an estate that simulate would refuse is refused here too, and the other
    way round. A variant's picture is named <scenario>-<variant>."""
    from scenarios.spec import SpecError, load_spec, resolve

    try:
        stem, spec = resolve(scenario).stem, load_spec(scenario)
        if not variants:
            return [(stem, spec.topology)]
        names = spec.variant_names() if variants == ["all"] else variants
        return [(f"{stem}-{name}", spec.variant(name).topology) for name in names]
    except SpecError as exc:
        _fail(str(exc))


def _fail(message: str) -> NoReturn:
    Console(stderr=True).print(f"[red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def print_report(console: Console, name: str, spec: TopologySpec, report: TopologyReport) -> None:
    """The analysis as rich tables."""
    console.print(
        f"[bold]{name}[/]: {report.systems} systems, {report.flows} flows, "
        f"style {spec.style.replace('_', '-')}"
    )

    interfaces = Table(title="Interfaces by data domain")
    interfaces.add_column("data domain")
    interfaces.add_column("point-to-point", justify="right")
    for domain, count in report.interfaces_by_domain.items():
        interfaces.add_row(domain, str(count))
    interfaces.add_section()
    interfaces.add_row("[bold]point-to-point total", f"[bold]{report.point_to_point_interfaces}")
    interfaces.add_row("[bold]through the hub", f"[bold]{report.hub_interfaces}")
    interfaces.add_row("saved by the hub", str(report.interfaces_saved))
    console.print(interfaces)

    critical = Table(title="Synchronous critical path of order capture")
    critical.add_column("system")
    critical.add_column("kind")
    critical.add_column("availability", justify="right")
    for system in report.critical_path:
        node = spec.system(system)
        critical.add_row(system, node.kind, f"{node.availability:.4%}")
    critical.add_section()
    critical.add_row(
        "[bold]composed",
        " → ".join(report.critical_path) or "no critical sync_api flows",
        f"[bold]{report.critical_availability:.4%}",
    )
    console.print(critical)
    console.print(
        f"  ≈ {report.critical_downtime_hours_per_year:.1f} hours a year when orders cannot be "
        "captured"
    )

    owners = Table(title="System of record per data domain")
    owners.add_column("data domain")
    owners.add_column("owned by")
    for domain, system in report.system_of_record.items():
        owners.add_row(domain, system)
    console.print(owners)

    if report.cycles:
        cycles = Table(title="Cycles (data that flows back to a system it left)")
        cycles.add_column("data domain")
        cycles.add_column("systems")
        for cycle in report.cycles:
            cycles.add_row(cycle.data, " → ".join((*cycle.systems, cycle.systems[0])))
        console.print(cycles)
    else:
        console.print("cycles: none")


def register(app: typer.Typer) -> None:
    app.command("topology", help=HELP)(topology)
