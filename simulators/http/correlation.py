"""Correlation ids: each request carries one (a fresh one when absent), each response echoes it.

A pure ASGI middleware rather than ``@app.middleware("http")``: it adds one header per response
and nothing else, which matters under load tests.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

CORRELATION_HEADER = "X-Correlation-ID"
_RAW = CORRELATION_HEADER.lower().encode()
_ACCEPTABLE = re.compile(r"[\x21-\x7e]{1,128}")  # printable ASCII, no spaces, bounded


class CorrelationMiddleware:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((value for key, value in scope["headers"] if key == _RAW), b"")
        text = given.decode("latin-1")
        correlation = text if _ACCEPTABLE.fullmatch(text) else f"corr-{uuid.uuid4().hex}"
        scope.setdefault("state", {})["correlation_id"] = correlation
        echoed = (_RAW, correlation.encode())

        async def send_with_correlation(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), echoed]
            await send(message)

        await self.app(scope, receive, send_with_correlation)
