"""The app factory: ``create_app(settings, systems=..., config=...)`` builds the service.

The service is given what it serves over: the systems port (in-process models, HTTP, ...), the
hub's configuration and, for an empty database, the opening stock. It composes none of them
itself: `crossdock serve` does (crossdock/compose.py). Nothing happens at import time.

On start (the lifespan): connect, migrate to head, seed the opening stock into an empty database,
start the effect worker, the outbox relay and the expiry of old idempotency keys. On stop: let
in-flight effects finish, close the port, dispose the engines.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version
from typing import Any

from fastapi import Depends, FastAPI
from fastapi_offline import FastAPIOffline

from reference.domain.availability import Inventory
from reference.hub import HubConfig
from reference.service import correlation
from reference.service.api import openapi, problems
from reference.service.api.deps import current_principal
from reference.service.api.limits import BodyLimitMiddleware
from reference.service.api.routes import (
    credit_memos,
    feeds,
    health,
    inventory,
    orders,
    payments,
    shipments,
)
from reference.service.persistence import idempotency
from reference.service.persistence.database import Database
from reference.service.ports import SystemsPort
from reference.service.relay import EventBus, run_relay
from reference.service.runtime import HubRuntime, in_thread
from reference.service.seeding import seed_stock
from reference.service.settings import Settings
from reference.service.timebase import wall

log = logging.getLogger("crossdock.service")
VERSION = version("crossdock")


async def expire_keys(db: Database, retention: float, stop: asyncio.Event) -> None:
    """Every retention/24 (at most hourly), forget completed idempotency keys past retention."""
    every = min(retention / 24, 3600.0)
    while not stop.is_set():
        try:
            gone = await in_thread(idempotency.expire, db, wall() - retention)
            if gone:
                log.info("expired %d idempotency keys older than %.0f s", gone, retention)
        except Exception:
            log.exception("expiring idempotency keys failed; trying again later")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every)


def create_app(
    settings: Settings,
    *,
    systems: SystemsPort,
    config: HubConfig,
    stock: Inventory | None = None,
    stock_label: str = "",
    order_example: dict[str, Any] | None = None,
    bus: EventBus | None = None,
    own_process: bool = False,
) -> FastAPI:
    """The hub over ``systems`` with ``config``; ``stock`` seeds an empty database (under
    ``stock_label``); ``order_example`` is a createOrder body shown in the OpenAPI document.
    ``own_process``: the app is all its process serves (``crossdock serve``), so it may tune
    the process's garbage collector."""
    bus = bus or EventBus()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database.connect(settings.database_url)
        await in_thread(db.upgrade)
        if stock is not None:
            await in_thread(seed_stock, db, stock, stock_label)
        runtime = HubRuntime(settings, db, systems, config)
        app.state.db, app.state.runtime = db, runtime
        stop = asyncio.Event()
        tasks = [
            asyncio.create_task(run_relay(db, bus, runtime.waker("events"), stop, 1.0)),
            asyncio.create_task(expire_keys(db, settings.idempotency_retention, stop)),
        ]
        if settings.run_worker:
            tasks.append(asyncio.create_task(runtime.run_worker(stop)))
        if own_process:
            # What startup built (modules, schemas, routes) lives as long as the process: frozen
            # out of the collector's sight, and full collections made rare, so they no longer
            # pause the service for 100-200 ms under load (see the commit).
            gc.collect()
            gc.freeze()
            gc.set_threshold(700, 10, 1000)
        log.info(
            "crossdock service %s ready on %s (systems: %s, instance %s)",
            VERSION,
            db.dialect,
            settings.systems,
            settings.instance_id,
        )
        try:
            yield
        finally:
            stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)
            await runtime.stop()
            closing: Any = getattr(systems, "aclose", None)
            if closing is not None:
                await closing()
            db.dispose()

    # /docs and /redoc serve Swagger UI and ReDoc from the fastapi-offline package, not a CDN,
    # so they work on a machine with no internet.
    app = FastAPIOffline(
        title="crossdock reference hub",
        version=VERSION,
        summary="Idempotent, traceable order-to-cash integration hub (API v1)",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.bus = bus
    problems.install(app)
    # Every /v1 route sits behind the principal (RBAC goes there); the probes answer anyone.
    for module in (orders, inventory, shipments, payments, credit_memos, feeds):
        app.include_router(module.router, dependencies=[Depends(current_principal)])
    app.include_router(health.router)
    app.openapi = openapi.builder(app, order_example)  # type: ignore[method-assign]
    # Outermost first: the correlation id is set before the size check can answer.
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes)
    app.add_middleware(correlation.CorrelationMiddleware)
    return app
