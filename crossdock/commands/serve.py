"""``crossdock serve``: the reference hub over HTTP, on SQLite by default."""

from __future__ import annotations

import re

import typer

from reference.hub import BackorderPolicy
from reference.service.settings import DEFAULT_DATABASE_URL

_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_AGE = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")


def backorder_policy(text: str) -> BackorderPolicy:
    """``ship-and-cancel``, ``wait`` (14 days), ``wait:AGE`` (``90m``, ``36h``, ``7d``) or
    ``wait:forever``, as a BackorderPolicy; BadParameter says what was wrong."""
    name, colon, age = text.partition(":")
    if name == "ship-and-cancel" and not colon:
        return BackorderPolicy(wait=False)
    if name == "wait" and not colon:
        return BackorderPolicy()
    if name == "wait" and age == "forever":
        return BackorderPolicy(max_age=None)
    found = _AGE.match(age) if name == "wait" else None
    if found is None or float(found[1]) <= 0:
        raise typer.BadParameter(
            f"{text!r} is not a policy: use ship-and-cancel, wait, wait:AGE with AGE a positive "
            "number and s, m, h or d (wait:36h, wait:7d), or wait:forever",
            param_hint="--backorder-policy",
        )
    return BackorderPolicy(max_age=float(found[1]) * _UNITS[found[2]])


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", "-p", min=1, max=65535, help="TCP port."),
    database_url: str = typer.Option(
        DEFAULT_DATABASE_URL,
        "--database-url",
        envvar="CROSSDOCK_DATABASE_URL",
        help="sqlite:///path (WAL file, the default) or postgresql+psycopg://user@host/db.",
    ),
    systems: str = typer.Option(
        "inproc",
        "--systems",
        help="'inproc': simulated systems in this process; or http://HOST:PORT of "
        "`crossdock systems serve`.",
    ),
    seed: int = typer.Option(
        7,
        "--seed",
        "-s",
        min=0,
        help="Demo estate: seeds an empty database and the simulated systems.",
    ),
    wms_confirm: str = typer.Option(
        "auto",
        "--wms-confirm",
        help="auto: the simulated WMS ships on release; api: it only acknowledges and "
        "shipments arrive on POST /v1/shipments.",
    ),
    idempotency_retention: float = typer.Option(
        86_400.0,
        "--idempotency-retention",
        min=1.0,
        help="Seconds a completed Idempotency-Key replays its response; then it expires.",
    ),
    system_latency: str = typer.Option(
        "demo",
        "--system-latency",
        help="demo: in-process systems answer after short seeded latencies; zero: at once "
        "(what `crossdock bench service` uses, so it measures the hub alone).",
    ),
    systems_timeout: float = typer.Option(
        5.0,
        "--systems-timeout",
        min=0.001,
        help="Seconds a call to --systems http://... may take before it counts as a timeout.",
    ),
    effect_lease: float = typer.Option(
        5.0,
        "--effect-lease",
        min=0.1,
        help="Seconds a process holds a call or timer it started; a call is cut off before, "
        "and another process takes the row over after. Longer than the slowest call.",
    ),
    backorders: str = typer.Option(
        "wait",
        "--backorder-policy",
        help="What happens to units no warehouse can ship. 'wait' (the default): they wait "
        "for stock (a receipt, transfer or return on POST /v1/inventory/movements) up to 14 "
        "days, then are cancelled (BackorderCancelled, reason max_age) and the order closes. "
        "'wait:AGE' waits AGE instead (90m, 36h, 7d); 'wait:forever' never gives up. "
        "'ship-and-cancel': ship what is there and cancel the rest at once (reason "
        "ship_and_cancel), so every order closes as soon as its shipments are invoiced. The "
        "demo WMS short-picks 5% of lines and nothing is received unless you post it: under "
        "'wait' such orders stay open until stock arrives or the age runs out. An order's own "
        '"backorders": "cancel" cancels its backorders under any policy.',
    ),
    short_pick_rate: float = typer.Option(
        0.05,
        "--short-pick-rate",
        min=0.0,
        max=1.0,
        help="Share of lines the demo WMS short-picks (a keyed draw per order and line).",
    ),
    log_level: str = typer.Option("info", "--log-level", help="debug, info, warning, error."),
) -> None:
    """Serve the reference hub: API v1, /docs, durable state, effect worker, outbox relay.

    Applies migrations on start, and seeds the demo estate's stock into an empty database.

    Examples:
      crossdock serve                                    # wait up to 14 days
      crossdock serve --backorder-policy wait:2h         # waiting, then max_age
      crossdock serve --backorder-policy ship-and-cancel # orders close promptly
    """
    import uvicorn

    from crossdock.compose import demo_app
    from reference.service.logs import log_config
    from reference.service.settings import Settings

    policy = backorder_policy(backorders)
    if wms_confirm not in ("auto", "api"):
        raise typer.BadParameter("must be 'auto' or 'api'", param_hint="--wms-confirm")
    if system_latency not in ("demo", "zero"):
        raise typer.BadParameter(
            f"must be 'demo' or 'zero', not {system_latency!r}", param_hint="--system-latency"
        )
    settings = Settings(
        database_url=database_url,
        systems=systems,
        seed=seed,
        wms_confirm=wms_confirm,  # type: ignore[arg-type]
        system_latency=system_latency,  # type: ignore[arg-type]
        idempotency_retention=idempotency_retention,
        systems_timeout=systems_timeout,
        effect_lease=effect_lease,
        short_pick_rate=short_pick_rate,
    )
    uvicorn.run(
        demo_app(settings, backorders=policy, own_process=True),
        host=host,
        port=port,
        log_config=log_config(log_level.upper()),
        log_level=log_level.lower(),
        access_log=False,
        # Longer than clients keep idle connections (httpx and many others: 5 s, uvicorn's own
        # default), so the server never closes a connection a client is just reusing.
        timeout_keep_alive=75,
        timeout_graceful_shutdown=5,
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
