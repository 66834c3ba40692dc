"""Errors as application/problem+json (RFC 9457), each naming the offending field.

Every error the API answers goes through here: request validation (FastAPI's
RequestValidationError becomes 422 with one ``errors`` item per field path, e.g.
``lines.3.quantity``), HTTP errors, and the domain's typed errors, turned into HTTP only at this
edge. A 5xx is a bug; its problem says so without leaking internals.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from reference.api_v1 import PROBLEM_MEDIA_TYPE as MEDIA_TYPE
from reference.domain.errors import IllegalTransition
from reference.hub import CancellationRefused, UnknownOrder

TYPE_BASE = "https://crossdock.dev/problems/"
MAX_FIELD_ERRORS = 100
log = logging.getLogger("crossdock.service.api")

TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


class ProblemError(Exception):
    """Raised anywhere in a request to answer with a problem."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        kind: str | None = None,
        errors: list[tuple[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind
        self.errors = errors or []
        self.headers = headers
        self.extra = extra


def problem_body(
    status: int,
    detail: str,
    instance: str,
    *,
    kind: str | None = None,
    errors: list[tuple[str, str]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": TYPE_BASE + (kind or TITLES.get(status, "error").lower().replace(" ", "-")),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": instance,
        "errors": [{"field": f, "message": m} for f, m in (errors or [])[:MAX_FIELD_ERRORS]],
    }
    body.update(extra)
    return body


def problem_response(
    status: int, detail: str, instance: str, *, headers: dict[str, str] | None = None, **kwargs: Any
) -> JSONResponse:
    return JSONResponse(
        problem_body(status, detail, instance, **kwargs),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


# Why each status can be the answer, for the OpenAPI of every operation that can answer it.
WHY = {
    400: "Missing or unusable Idempotency-Key, or a body that cannot be read (not UTF-8)",
    404: "No such resource",
    409: "Conflict with the resource's state, or the same Idempotency-Key still in flight",
    413: "The body is over the size limit",
    422: "Not valid: each field named in `errors`",
    503: "Not available yet; retry after `Retry-After` seconds",
}


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route: each status as an application/problem+json Problem.

    Only that media type: a ``model=`` here would make FastAPI also promise application/json,
    which no error is ever sent as. The Problem schema is added to the components by
    reference/service/api/openapi.py.
    """
    return {
        status: {
            "description": WHY.get(status, TITLES.get(status, "Error")),
            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }


def field_path(loc: tuple[Any, ...] | list[Any], message: str) -> str:
    """``("body", "lines", 3, "quantity")`` -> ``lines.3.quantity``; the location part first."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        where, parts = parts[0], parts[1:]
    else:
        where = "body"
    # A model-level rule names its field in its message: "Value error, lines: ...".
    text = message.removeprefix("Value error, ")
    if ": " in text and not parts:
        head = text.split(": ", 1)[0]
        if head.replace("_", "").replace(".", "").replace("[", "").replace("]", "").isalnum():
            return head
    if not parts:
        return where
    return ".".join(parts)


def allowed_methods(request: Request) -> str:
    """Every method the OpenAPI documents at this path (plus HEAD wherever GET is), for `Allow`.

    Starlette's 405 names only the methods of the first route that matched the path, so on
    /v1/orders it said POST and forgot GET.
    """
    methods: set[str] = set()
    parts = request.url.path.rstrip("/").split("/")
    for template, operations in request.app.openapi()["paths"].items():
        pattern = template.rstrip("/").split("/")
        if len(pattern) == len(parts) and all(
            p == q or (p.startswith("{") and p.endswith("}") and q)
            for p, q in zip(pattern, parts, strict=True)
        ):
            methods |= {method.upper() for method in operations}
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = []
    for error in exc.errors():
        message = str(error.get("msg", "invalid"))
        path = field_path(tuple(error.get("loc", ())), message)
        if error.get("type") == "json_invalid":
            path = "body"
        errors.append((path, message))
    fields = sorted({f for f, _ in errors[:MAX_FIELD_ERRORS]})
    more = " ..." if len(fields) > 10 else ""
    detail = "The request is not valid: " + ", ".join(fields[:10]) + more
    return problem_response(422, detail, request.url.path, kind="validation", errors=errors)


def install(app: FastAPI) -> None:
    from reference.service.api.limits import PayloadTooLarge

    @app.exception_handler(RequestValidationError)
    async def validation_failed(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation(request, exc)

    @app.exception_handler(ProblemError)
    async def problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(
            exc.status,
            exc.detail,
            request.url.path,
            kind=exc.kind,
            errors=exc.errors,
            headers=exc.headers,
            **exc.extra,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc.__cause__, PayloadTooLarge):
            return exc.__cause__.response(request.url.path)
        detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        field = "body" if exc.status_code == 400 else ""
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405 and (documented := allowed_methods(request)):
            headers["Allow"] = documented
        return problem_response(
            exc.status_code,
            detail,
            request.url.path,
            errors=[(field, detail)] if field else [],
            headers=headers or None,
        )

    @app.exception_handler(IllegalTransition)
    async def illegal(request: Request, exc: IllegalTransition) -> JSONResponse:
        return problem_response(
            409,
            str(exc),
            request.url.path,
            kind="illegal-transition",
            errors=[
                ("state", f"{exc.lifecycle} is {exc.state!r}; {exc.message!r} is not allowed there")
            ],
            state=exc.state,
        )

    @app.exception_handler(CancellationRefused)
    async def refused(request: Request, exc: CancellationRefused) -> JSONResponse:
        return problem_response(
            409,
            str(exc),
            request.url.path,
            kind="cancellation-refused",
            errors=[("state", str(exc))],
        )

    @app.exception_handler(UnknownOrder)
    async def unknown_order(request: Request, exc: UnknownOrder) -> JSONResponse:
        return problem_response(
            404, str(exc), request.url.path, kind="unknown-order", errors=[("order_id", str(exc))]
        )

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(
            500,
            "The service failed on this request; it is logged with the request's correlation id.",
            request.url.path,
            kind="internal",
        )
