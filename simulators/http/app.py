"""The app factory: the seeded estate's systems, each behind its behaviour profile, over HTTP.

URL scheme (a hub system name maps to a path; a WMS node is a path segment, never a colon):

    erp, tms, finance   POST /{system}/{operation}          POST /erp/check_order
    wms:<node>          POST /wms/{node}/{operation}        POST /wms/DC-ATL/release
    ERP invoices        GET  /erp/invoices?cursor=&limit=
    a node's stock      GET  /wms/{node}/stock?cursor=&limit=
    liveness            GET  /healthz

Theory of operation, for one request to a system:

1. The behaviour is drawn when the request arrives (``SimulatedSystem.begin``) from that system's
   own seeded stream, ``spawn_stream(seed, "system:" + name)``, with ``now`` = ``start`` plus the
   seconds since the app was created times ``speedup``: outage and slowdown windows count from
   server start, on a clock that runs ``speedup`` times faster than the wall clock.
2. The handler sleeps the outcome's duration divided by ``speedup`` on the event loop (a scenario's
   30-minute WMS answer takes 30 s at a speedup of 60), then answers by kind:
   ok -> the model handles the body: 200 with its JSON, or 422 problem when it refuses (Rejected);
   5xx -> 500; unavailable -> 503; 429 -> 429 with Retry-After in whole wall seconds, rounded up;
   timeout -> 504 once ``timeout_after`` has passed (a caller with a shorter timeout has gone).
3. Models are only touched on the event loop's thread, one request at a time: no locks.

The request's Idempotency-Key becomes the call id the models see; X-Correlation-ID is echoed.
"""

from __future__ import annotations

import asyncio
import math
import time
import uuid
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Body, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from reference.hub import FailureKind
from reference.hub.effects import CallSystem, SystemReplied
from simulators.behavior.defaults import REAL_TIME, behavior_for
from simulators.behavior.outcomes import OK, SERVER_ERROR, THROTTLED, TIMEOUT, UNAVAILABLE
from simulators.behavior.profile import BehaviorSpec
from simulators.behavior.streams import spawn_stream
from simulators.http.correlation import CorrelationMiddleware
from simulators.http.paging import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    BadCursor,
    keyset_page,
    offset_page,
    page_body,
)
from simulators.http.problems import PROBLEM_JSON, problem, validation_problem
from simulators.systems.endpoint import SimulatedSystem
from simulators.systems.erp import Erp
from simulators.systems.estate import build_estate
from simulators.systems.wms import Wms

_STATUS = {
    SERVER_ERROR: 500,
    UNAVAILABLE: 503,
    THROTTLED: 429,
    TIMEOUT: 504,
    FailureKind.REFUSED: 422,
}
_PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {"description": description, "content": {PROBLEM_JSON: {}}}
    for status, description in (
        (400, "A cursor this server did not issue."),
        (404, "No such system or WMS node."),
        (422, "The system refused the request, or the request is malformed."),
        (429, "Rate limited; Retry-After says when to try again (whole seconds)."),
        (500, "The system failed (its profile's server_error rate)."),
        (503, "The system is in an outage window of its profile."),
        (504, "The system did not answer within its profile's timeout_after."),
    )
}

Payload = Annotated[dict[str, Any], Body(description="The operation's JSON payload.")]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key")]
Cursor = Annotated[str | None, Query(description="next_cursor of the previous page.")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (the profile may cap it).")]


class ServedSystems:
    """The systems of one app, the clock their behaviours read, and how answers become HTTP."""

    def __init__(
        self, systems: dict[str, SimulatedSystem], speedup: float = 1.0, start: float = 0.0
    ) -> None:
        if not speedup > 0:
            raise ValueError(f"speedup(={speedup}) must be > 0; 1 is the wall clock")
        self.systems = systems
        self.speedup = speedup
        self.start = start
        self.origin = time.monotonic()

    def now(self) -> float:
        """The behaviours' clock: ``start`` plus scaled seconds since the app was created."""
        return self.start + (time.monotonic() - self.origin) * self.speedup

    def wall(self, seconds: float) -> float:
        """Behaviour seconds as wall seconds."""
        return seconds / self.speedup

    def unknown(self, name: str) -> JSONResponse:
        return problem(
            404,
            f"no system {name!r}; this server has {sorted(self.systems)} "
            "(a WMS node is addressed as /wms/{node}/...)",
            system=name,
        )

    async def call(
        self,
        name: str,
        operation: str,
        payload: dict[str, Any],
        call_id: str | None,
        correlation: str,
    ) -> JSONResponse:
        system = self.systems.get(name)
        if system is None:
            return self.unknown(name)
        call = CallSystem(
            call_id or f"http-{uuid.uuid4().hex}",
            name,
            operation,
            payload,
            str(payload.get("order_id", "")),
            correlation,
        )
        outcome = system.begin(call, self.now())  # draw on arrival, in arrival order
        await asyncio.sleep(self.wall(outcome.duration))
        try:
            answer = system.finish(call, outcome)
        except (KeyError, TypeError, ValueError, ArithmeticError) as bad:
            return problem(
                422,
                f"{name}.{operation} cannot read this payload: {type(bad).__name__}: {bad}",
                system=name,
                operation=operation,
            )
        if isinstance(answer, SystemReplied):
            return JSONResponse(dict(answer.body))
        return failure(name, operation, answer.kind, self._retry(answer.retry_after), answer.detail)

    def _retry(self, retry_after: float | None) -> float | None:
        return None if retry_after is None else self.wall(retry_after)

    async def page(
        self,
        name: str,
        path: str,
        limit: int,
        read: Callable[[Any, int], tuple[list[Any], str | None]],
    ) -> JSONResponse:
        """One page of a list, behind the same behaviour as any other request to ``name``."""
        system = self.systems.get(name)
        if system is None:
            return self.unknown(name)
        call = CallSystem(f"http-{uuid.uuid4().hex}", name, "list", {}, "", "")
        outcome = system.begin(call, self.now())
        await asyncio.sleep(self.wall(outcome.duration))
        if outcome.kind != OK:
            return failure(name, "list", outcome.kind, self._retry(outcome.retry_after), "")
        limit = min(limit, system.behavior.page_size or limit)
        try:
            data, next_cursor = read(system.model, limit)
        except BadCursor as bad:
            return problem(400, str(bad), field="cursor")
        body = page_body(path, data, limit, next_cursor)
        headers = {"Link": f'<{body["next"]}>; rel="next"'} if body["next"] else None
        return JSONResponse(body, headers=headers)


def failure(
    name: str, operation: str, kind: str, retry_after: float | None, detail: str
) -> JSONResponse:
    status = _STATUS.get(kind, 500)
    headers = None
    if kind == THROTTLED and retry_after is not None:
        headers = {"Retry-After": str(max(0, math.ceil(retry_after)))}
    detail = detail or {
        500: f"{name} failed while handling {operation}",
        503: f"{name} is down: an outage window of its behaviour profile",
        429: f"{name} is rate limited; retry after {retry_after} s",
        504: f"{name} took too long to answer {operation}",
    }.get(status, kind)
    return problem(status, detail, headers=headers, system=name, operation=operation)


def create_systems_app(
    seed: int = 7,
    profiles: dict[str, BehaviorSpec] | None = None,
    short_pick_rate: float = 0.05,
    speedup: float = 1.0,
    start: float = 0.0,
) -> FastAPI:
    """A fresh app serving every system of ``build_estate(seed)``.

    ``profiles`` maps hub system names (``erp``, ``wms:DC-ATL``, ...) to behaviour specs; a
    ``wms`` key applies to every node without its own entry; a system without a profile gets
    ``BehaviorSpec()``. ``None`` means REAL_TIME (simulators/behavior/defaults.py): realistic
    real-time latencies, no faults.

    ``speedup`` and ``start`` put the behaviours on a scenario's virtual clock: it reads
    ``start`` seconds when the app is created and runs ``speedup`` times faster than the wall
    clock, so latencies, Retry-After and token buckets shrink by ``speedup`` and an outage at
    10:00 of a scenario starting at 09:00 begins 3600 / ``speedup`` wall seconds after start.
    """
    chosen = REAL_TIME if profiles is None else profiles
    models = build_estate(seed).systems(short_pick_rate=short_pick_rate)
    served = ServedSystems(
        {
            name: SimulatedSystem(
                name,
                model,  # type: ignore[arg-type]  # Estate.systems() is typed dict[str, object]
                behavior_for(name, chosen).build(),
                spawn_stream(seed, f"system:{name}"),
            )
            for name, model in models.items()
        },
        speedup=speedup,
        start=start,
    )
    app = FastAPI(
        title="crossdock simulated systems",
        description=__doc__,
        version="1",
        exception_handlers={RequestValidationError: validation_problem},
    )
    app.state.served = served
    app.add_middleware(CorrelationMiddleware)

    @app.get("/healthz", operation_id="healthz")
    async def healthz() -> dict[str, Any]:
        return {
            "status": "ok",
            "seed": seed,
            "systems": sorted(served.systems),
            "uptime_s": round(time.monotonic() - served.origin, 3),
            "clock_s": round(served.now(), 3),
            "speedup": served.speedup,
        }

    @app.get("/erp/invoices", operation_id="list_invoices", responses=_PROBLEMS)
    async def list_invoices(cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT) -> JSONResponse:
        def read(erp: Erp, size: int) -> tuple[list[Any], str | None]:
            return offset_page(list(erp.invoices.values()), cursor, size)

        return await served.page("erp", "/erp/invoices", limit, read)

    @app.get("/wms/{node}/stock", operation_id="list_stock", responses=_PROBLEMS)
    async def list_stock(
        node: str, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
    ) -> JSONResponse:
        def read(wms: Wms, size: int) -> tuple[list[Any], str | None]:
            skus, following = keyset_page(sorted(wms.on_hand), cursor, size)
            return [{"sku": sku, "on_hand": wms.on_hand[sku]} for sku in skus], following

        return await served.page(f"wms:{node}", f"/wms/{quote(node, safe='')}/stock", limit, read)

    @app.post("/wms/{node}/{operation}", operation_id="call_wms", responses=_PROBLEMS)
    async def call_wms(
        request: Request,
        node: str,
        operation: str,
        payload: Payload,
        idempotency_key: IdempotencyKey = None,
    ) -> JSONResponse:
        return await served.call(
            f"wms:{node}", operation, payload, idempotency_key, request.state.correlation_id
        )

    @app.post("/{system}/{operation}", operation_id="call_system", responses=_PROBLEMS)
    async def call_system(
        request: Request,
        system: str,
        operation: str,
        payload: Payload,
        idempotency_key: IdempotencyKey = None,
    ) -> JSONResponse:
        return await served.call(
            system, operation, payload, idempotency_key, request.state.correlation_id
        )

    return app
