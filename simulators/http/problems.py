"""Errors as ``application/problem+json`` (RFC 9457), the one shape every error takes here."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Bad request",
    404: "Not found",
    422: "Request refused",
    429: "Too many requests",
    500: "System error",
    503: "System unavailable",
    504: "System timed out",
}


def problem(
    status: int, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        **extra,
    }
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


async def validation_problem(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 for a malformed request, as a problem naming each offending field."""
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": ".".join(str(part) for part in error["loc"]), "message": error["msg"]}
        for error in exc.errors()
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(422, detail, errors=errors)
