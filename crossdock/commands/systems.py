"""``crossdock systems``: the simulated ERP, WMS, TMS and finance, served over real HTTP."""

from __future__ import annotations

import typer

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
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level."),
) -> None:
    """Serve the simulated systems over HTTP until interrupted (Ctrl+C).

    Each system answers in real time after a latency drawn from its behaviour profile.

    Defaults: lognormal, median ERP 0.12 s, TMS 0.05 s, finance 0.06 s, WMS 0.3 s; no faults.

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

    app = create_systems_app(seed=seed, short_pick_rate=short_pick_rate)
    typer.echo(f"simulated systems (seed {seed}) on http://{host}:{port}  docs: /docs")
    uvicorn.run(app, host=host, port=port, log_level=log_level)


def register(app: typer.Typer) -> None:
    app.add_typer(systems_app, name="systems")
