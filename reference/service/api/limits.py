"""Bounded payloads: a body over the limit is refused with 413 before anything parses it."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from reference.service.api.problems import problem_response


class PayloadTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"the request body exceeds {limit} bytes")
        self.limit = limit

    def response(self, instance: str) -> JSONResponse:
        return problem_response(
            413,
            f"The request body is larger than the limit of "
            f"{self.limit} bytes; send fewer lines per request.",
            instance,
            kind="payload-too-large",
            errors=[("body", str(self))],
        )


class BodyLimitMiddleware:
    """Pure ASGI: checks Content-Length first, and counts streamed bytes when there is none."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await PayloadTooLarge(self.limit).response(scope["path"])(scope, receive, send)
            return
        seen = 0
        started = False

        async def counted() -> dict[str, Any]:
            nonlocal seen
            message: dict[str, Any] = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise PayloadTooLarge(self.limit)
            return message

        async def tracked(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except PayloadTooLarge as error:
            if started:
                raise
            await error.response(scope["path"])(scope, receive, send)
