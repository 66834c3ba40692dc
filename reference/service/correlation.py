"""Correlation ids: read from X-Correlation-ID or generated, on every response and log line.

The id lives in a context variable for the duration of a request (and of each effect the worker
performs, set to the call's correlation id), so a logging filter can stamp every record.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from reference.service.ids import time_ordered

HEADER = "X-Correlation-ID"
MAX_LENGTH = 128
_current: ContextVar[str] = ContextVar("correlation_id", default="-")
access = logging.getLogger("crossdock.service.access")


def current() -> str:
    return _current.get()


def new_id() -> str:
    return f"corr-{time_ordered(32).lower()}"


def accept(value: str | None) -> str:
    """The caller's id when it is usable, else a new one."""
    if value and len(value) <= MAX_LENGTH and value.isascii() and value.isprintable():
        return value
    return new_id()


@contextmanager
def bound(correlation_id: str) -> Iterator[str]:
    token = _current.set(correlation_id)
    try:
        yield correlation_id
    finally:
        _current.reset(token)


class CorrelationFilter(logging.Filter):
    """Stamps ``record.correlation_id`` (unless the record already carries one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "correlation_id"):
            record.correlation_id = _current.get()
        return True


class CorrelationMiddleware:
    """Pure ASGI, so the id is set before anything else runs and is on every response."""

    def __init__(self, app: object) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: object, send: object) -> None:  # type: ignore[type-arg]
        if scope["type"] != "http":
            await self.app(scope, receive, send)  # type: ignore[operator]
            return
        raw = dict(scope.get("headers") or []).get(HEADER.lower().encode())
        correlation_id = accept(raw.decode("latin-1") if raw else None)
        scope.setdefault("state", {})["correlation_id"] = correlation_id

        started = time.perf_counter()

        async def send_with_id(message: dict) -> None:  # type: ignore[type-arg]
            if message["type"] == "http.response.start":
                access.info(
                    "%s %s -> %d in %.1f ms",
                    scope["method"],
                    scope["path"],
                    message["status"],
                    (time.perf_counter() - started) * 1000,
                )
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() != HEADER.lower().encode()
                ]
                headers.append((HEADER.lower().encode(), correlation_id.encode()))
                message = {**message, "headers": headers}
            await send(message)  # type: ignore[operator]

        with bound(correlation_id):
            await self.app(scope, receive, send_with_id)  # type: ignore[operator]
