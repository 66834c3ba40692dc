"""The systems port over HTTP: each CallSystem becomes one request, each answer one message.

Theory of operation. ``call`` makes exactly one attempt and turns whatever happens into the
message the core reads; retrying (backoff, jitter, Retry-After as a floor) is the core's decision
(reference/hub/retry.py), so the port never retries and a retry is a new CallSystem attempt.

    2xx with a JSON object          -> SystemReplied(body)
    no answer within ``timeout``    -> SystemCallFailed(TIMEOUT)   also on 504 and 408
    503, connection refused/reset   -> SystemCallFailed(UNAVAILABLE)
    429                             -> SystemCallFailed(THROTTLED, retry_after=Retry-After)
    other 5xx, a 2xx without JSON   -> SystemCallFailed(SERVER_ERROR)
    other 4xx                       -> SystemCallFailed(REFUSED, detail=problem detail): no retry

Every request carries X-Correlation-ID (the call's correlation id) and Idempotency-Key (the call
id, stable across retries, so a system may dedupe a repeated request).

URL scheme: ``erp`` -> POST /erp/{operation}; ``wms:DC-ATL`` -> POST /wms/DC-ATL/{operation}.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Mapping
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import httpx

from reference.hub import CallSystem, FailureKind, Message, SystemCallFailed, SystemReplied

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 5.0
MAX_PAGES = 10_000  # a walk longer than this is a server handing out cursors in a loop


class SystemsHttpError(Exception):
    """A list request failed; ``kind`` says how, as SystemCallFailed's does."""

    def __init__(
        self, path: str, kind: FailureKind, detail: str, retry_after: float | None = None
    ) -> None:
        super().__init__(f"GET {path} failed: {kind}" + (f" ({detail})" if detail else ""))
        self.path = path
        self.kind = kind
        self.detail = detail
        self.retry_after = retry_after


def system_path(system: str, operation: str) -> str:
    """The path of ``operation`` on the hub's ``system``: a WMS node is a path segment."""
    kind, _, node = system.partition(":")
    if node:
        return f"/{quote(kind, safe='')}/{quote(node, safe='')}/{quote(operation, safe='')}"
    return f"/{quote(system, safe='')}/{quote(operation, safe='')}"


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP-date; None if unusable.

    Fractional seconds ("0.25") are accepted, though RFC 9110 only defines whole ones.
    """
    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # RFC 850 and asctime forms carry no zone; HTTP-dates are GMT
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds or seconds in (float("inf"), float("-inf")):
        return None
    return max(0.0, seconds)


def problem_detail(response: httpx.Response) -> str:
    """The ``detail`` (else ``title``) of a problem+json body, else the start of the text."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or response.reason_phrase
    if isinstance(body, dict):
        return str(body.get("detail") or body.get("title") or response.reason_phrase)
    return response.reason_phrase


def classify(call: CallSystem, response: httpx.Response) -> Message:
    """The message an HTTP answer means to the core."""
    status = response.status_code
    if 200 <= status < 300:
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            return SystemReplied(call, body)
        return SystemCallFailed(
            call, FailureKind.SERVER_ERROR, None, f"{status} without a JSON object body"
        )
    detail = problem_detail(response)
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    if status == 429:
        return SystemCallFailed(call, FailureKind.THROTTLED, retry_after, detail)
    if status == 503:
        return SystemCallFailed(call, FailureKind.UNAVAILABLE, retry_after, detail)
    if status in (408, 504):
        return SystemCallFailed(call, FailureKind.TIMEOUT, None, detail)
    if 400 <= status < 500:
        return SystemCallFailed(call, FailureKind.REFUSED, None, f"{status}: {detail}")
    return SystemCallFailed(call, FailureKind.SERVER_ERROR, None, f"{status}: {detail}")


class HttpSystems:
    """SystemsPort for systems reached over HTTP, through one shared ``httpx.AsyncClient``.

    ``timeout`` bounds each call end to end (connect, send, wait, read), in seconds.
    ``transport`` lets tests or an in-process run swap the network (e.g. ``httpx.ASGITransport``).
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_connections: int = 100,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not timeout > 0:
            raise ValueError(f"timeout(={timeout}) must be > 0 seconds")
        self.timeout = timeout
        self.client = httpx.AsyncClient(
            base_url=base_url,
            timeout=httpx.Timeout(timeout),
            limits=httpx.Limits(max_connections=max_connections),
            transport=transport,
        )

    def call(self, call: CallSystem, now: float) -> Awaitable[Message]:
        """One attempt of ``call``; nothing is drawn here, the system decides its own fate."""
        return self._send(call)

    async def _send(self, call: CallSystem) -> Message:
        path = system_path(call.system, call.operation)
        headers = {"X-Correlation-ID": call.correlation_id, "Idempotency-Key": call.call_id}
        log.debug(
            "POST %s attempt %d",
            path,
            call.attempt,
            extra={"correlation_id": call.correlation_id, "call_id": call.call_id},
        )
        try:
            async with asyncio.timeout(self.timeout):
                response = await self.client.post(path, json=dict(call.payload), headers=headers)
        except httpx.ConnectTimeout:  # the request never reached the system
            return SystemCallFailed(
                call, FailureKind.UNAVAILABLE, None, f"connect timeout on {path}"
            )
        except (TimeoutError, httpx.TimeoutException):
            return SystemCallFailed(
                call, FailureKind.TIMEOUT, None, f"no answer from {path} within {self.timeout} s"
            )
        except httpx.TransportError as broken:
            return SystemCallFailed(
                call, FailureKind.UNAVAILABLE, None, f"{type(broken).__name__} on {path}: {broken}"
            )
        return classify(call, response)

    async def fetch_all(
        self, path: str, params: Mapping[str, Any] | None = None, correlation_id: str = ""
    ) -> list[Any]:
        """Every item of a cursor-paginated list (``{"data", "next_cursor"}`` pages), in order.

        One request per page, each under ``timeout``; a failed page raises SystemsHttpError
        (no retries here either).
        """
        query = {key: value for key, value in (params or {}).items() if key != "cursor"}
        headers = {"X-Correlation-ID": correlation_id} if correlation_id else {}
        items: list[Any] = []
        cursor: str | None = None
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            page_query = {**query, "cursor": cursor} if cursor else query
            try:
                async with asyncio.timeout(self.timeout):
                    response = await self.client.get(path, params=page_query, headers=headers)
            except (TimeoutError, httpx.TimeoutException):
                late = f"no page within {self.timeout} s"
                raise SystemsHttpError(path, FailureKind.TIMEOUT, late) from None
            except httpx.TransportError as broken:
                raise SystemsHttpError(path, FailureKind.UNAVAILABLE, str(broken)) from None
            if response.status_code != 200:
                failed = classify(CallSystem("", "", "list", {}, "", ""), response)
                assert isinstance(failed, SystemCallFailed)
                raise SystemsHttpError(path, failed.kind, failed.detail, failed.retry_after)
            page = response.json()
            items.extend(page["data"])
            cursor = page.get("next_cursor")
            if not cursor:
                return items
            if cursor in seen:
                raise SystemsHttpError(
                    path, FailureKind.SERVER_ERROR, f"the server repeated cursor {cursor!r}"
                )
            seen.add(cursor)
        raise SystemsHttpError(path, FailureKind.SERVER_ERROR, f"more than {MAX_PAGES} pages")

    async def aclose(self) -> None:
        await self.client.aclose()

    async def __aenter__(self) -> HttpSystems:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
