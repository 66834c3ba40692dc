"""``crossdock systems``: the simulated ERP, WMS, TMS and finance, served over real HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from scenarios.spec import ScenarioSpec
    from simulators.behavior.profile import BehaviorSpec

systems_app = typer.Typer(
    help=(
        "The simulated systems of the seeded estate (ERP, TMS, finance, one WMS per node), "
        "served over real HTTP for contract and load runs.\n\n"
        "Start with `crossdock systems serve --help`."
    ),
    no_args_is_help=True,
)


@systems_app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8100, "--port", "-p", min=1, max=65535, help="TCP port."),
    seed: int = typer.Option(
        7, "--seed", "-s", min=0, help="Estate and behaviour seed: same seed, same draws."
    ),
    short_pick_rate: float = typer.Option(
        0.05,
        "--short-pick-rate",
        min=0.0,
        max=1.0,
        help="Chance that a released line is found short on the shelf (a partial shipment).",
    ),
    scenario: str | None = typer.Option(
        None,
        "--scenario",
        help="Apply this scenario's behaviours and faults (a YAML file or a library name): "
        "its latencies, errors, rate limits, outages and slowdowns, on its clock.",
    ),
    speedup: float = typer.Option(
        1.0,
        "--speedup",
        min=0.001,
        help="Run the behaviours' clock this many times faster than the wall clock: "
        "latencies and Retry-After shrink by it, fault windows come sooner.",
    ),
    start: str = typer.Option(
        "0",
        "--start",
        help="The behaviours' clock at server start, in scenario time: seconds or 10h, 90m. "
        "A fault from 10h to 11h of a scenario begins at once with --start 10h.",
    ),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level."),
) -> None:
    """Serve the simulated systems over HTTP until interrupted (Ctrl+C).

    Each system answers in real time after a latency drawn from its behaviour profile.

    Defaults: lognormal, median ERP 0.12 s, TMS 0.05 s, finance 0.06 s, WMS 0.3 s; no faults.
    With --scenario, the behaviours a what-if run of that scenario gives each system (a WMS
    answers a release in about 30 minutes), and its faults; pair it with --speedup.

    [bold]URL scheme[/] (a hub system name maps to a path):

      POST /erp/check_order, /erp/create_sales_order, /erp/post_invoice

      POST /tms/rate, /finance/record_invoice

      POST /wms/{node}/release  (the hub's [italic]wms:DC-ATL[/] is /wms/DC-ATL/release)

      GET /erp/invoices?cursor=&limit=  and  GET /wms/{node}/stock?cursor=&limit=

    Send X-Correlation-ID (echoed back) and Idempotency-Key (the hub's call id).

    Errors are application/problem+json: 422 refused, 429 + Retry-After, 500, 503, 504.

    OpenAPI at /docs. The hub calls it through reference.service.http_systems.HttpSystems.

    Try: curl -s localhost:8100/tms/rate -H 'content-type: application/json' -d '{"units": 12}'
    """
    import uvicorn

    from simulators.http import create_systems_app

    try:
        clock = scenario_seconds(start)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--start") from None
    profiles = None
    if scenario is not None:
        from crossdock.commands.simulate import load

        profiles = scenario_profiles(load(scenario), seed, short_pick_rate)
    app = create_systems_app(
        seed=seed,
        profiles=profiles,
        short_pick_rate=short_pick_rate,
        speedup=speedup,
        start=clock,
    )
    typer.echo(
        f"simulated systems (seed {seed}"
        + (
            f", scenario {scenario}, speedup {speedup:g}, clock from {clock:g} s"
            if scenario
            else ""
        )
        + f") on http://{host}:{port}  docs: /docs"
    )
    uvicorn.run(app, host=host, port=port, log_level=log_level)


def scenario_seconds(text: str) -> float:
    """``90``, ``90s``, ``15m``, ``1h30m``: a duration as a scenario writes it, in seconds."""
    from scenarios.durations import seconds

    try:
        return float(text)
    except ValueError:
        return float(seconds(text))


def scenario_profiles(
    spec: ScenarioSpec, seed: int, short_pick_rate: float = 0.05
) -> dict[str, BehaviorSpec]:
    """Each served system's behaviour in a what-if run of ``spec``: the scenario's wiring
    resolves it (defaults, ``systems`` entries, faults), so both worlds read one definition."""
    from scenarios.wiring import Wiring
    from simulators.systems.estate import build_estate

    wiring = Wiring(spec, seed)
    names = build_estate(seed).systems(short_pick_rate=short_pick_rate)
    return {name: wiring.behavior(name) for name in names}


def register(app: typer.Typer) -> None:
    app.add_typer(systems_app, name="systems")
