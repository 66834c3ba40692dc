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
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import aiohttp
import orjson

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


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer as the port reads it, whichever client fetched it."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    reason: str = ""

    def json(self) -> Any:
        """The body as JSON; ValueError if it is not."""
        return orjson.loads(self.body)


def problem_detail(answer: Answer) -> str:
    """The ``detail`` (else ``title``) of a problem+json body, else the start of the text."""
    try:
        body = answer.json()
    except ValueError:
        return answer.body[:200].decode(errors="replace") or answer.reason
    if isinstance(body, dict):
        return str(body.get("detail") or body.get("title") or answer.reason)
    return answer.reason


def classify(call: CallSystem, answer: Answer) -> Message:
    """The message an HTTP answer means to the core."""
    status = answer.status
    if 200 <= status < 300:
        try:
            body = answer.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            return SystemReplied(call, body)
        return SystemCallFailed(
            call, FailureKind.SERVER_ERROR, None, f"{status} without a JSON object body"
        )
    detail = problem_detail(answer)
    retry_after = parse_retry_after(answer.headers.get("Retry-After"))
    if status == 429:
        return SystemCallFailed(call, FailureKind.THROTTLED, retry_after, detail)
    if status == 503:
        return SystemCallFailed(call, FailureKind.UNAVAILABLE, retry_after, detail)
    if status in (408, 504):
        return SystemCallFailed(call, FailureKind.TIMEOUT, None, detail)
    if 400 <= status < 500:
        return SystemCallFailed(call, FailureKind.REFUSED, None, f"{status}: {detail}")
    return SystemCallFailed(call, FailureKind.SERVER_ERROR, None, f"{status}: {detail}")


def _failure(error: BaseException, path: str, timeout: float) -> tuple[FailureKind, str]:
    """How a request that got no answer failed: (kind, detail)."""
    if isinstance(error, aiohttp.ConnectionTimeoutError):  # it never reached the system
        return FailureKind.UNAVAILABLE, f"connect timeout on {path}"
    if isinstance(error, TimeoutError):  # aiohttp's socket read timeouts are TimeoutErrors too
        return FailureKind.TIMEOUT, f"no answer from {path} within {timeout} s"
    return FailureKind.UNAVAILABLE, f"{type(error).__name__} on {path}: {error}"


class HttpSystems:
    """SystemsPort for systems reached over HTTP, through one aiohttp session.

    ``timeout`` bounds each call end to end (connect, send, wait, read), in seconds.
    ``per_system`` bounds the calls in flight to one system; further calls wait their turn in
    FIFO order, before their timeout starts. It is high because a system that queues work
    (an ERP with 8 workers at peak) holds each request open while it waits, so by Little's law
    the calls in flight are its arrival rate times its latency.

    The client is aiohttp's, not httpx's: httpcore's pool scans every connection and waiting
    request each time a request comes or goes, which at a peak of a few thousand open calls
    took two thirds of the hub's CPU (the commit that moved has the profiles).

    ``trace_configs`` are aiohttp's, on every request (a test records what was sent).
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        per_system: int = 2048,
        trace_configs: list[aiohttp.TraceConfig] | None = None,
    ) -> None:
        if not timeout > 0:
            raise ValueError(f"timeout(={timeout}) must be > 0 seconds")
        if per_system < 1:
            raise ValueError(f"per_system(={per_system}) must be at least 1")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.per_system = per_system
        self.trace_configs = trace_configs
        self._turns: dict[str, asyncio.Semaphore] = {}
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        """The session, opened on first use: aiohttp binds it to the running loop."""
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=0, ttl_dns_cache=None),
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                json_serialize=lambda value: orjson.dumps(value).decode(),
                trace_configs=self.trace_configs,
            )
        return self._session

    def call(self, call: CallSystem, now: float) -> Awaitable[Message]:
        """One attempt of ``call``; nothing is drawn here, the system decides its own fate."""
        return self._send(call)

    async def _send(self, call: CallSystem) -> Message:
        turn = self._turns.get(call.system)
        if turn is None:
            turn = self._turns[call.system] = asyncio.Semaphore(self.per_system)
        async with turn:
            return await self._attempt(call)

    async def _attempt(self, call: CallSystem) -> Message:
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
                answer = await self._request("POST", path, headers, json=dict(call.payload))
        except (TimeoutError, aiohttp.ClientError) as error:
            kind, detail = _failure(error, path, self.timeout)
            return SystemCallFailed(call, kind, None, detail)
        return classify(call, answer)

    async def _request(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str],
        json: Any = None,
        params: Mapping[str, Any] | None = None,
    ) -> Answer:
        async with self.session.request(
            method, self.base_url + path, headers=headers, json=json, params=params
        ) as response:
            body = await response.read()
            return Answer(response.status, response.headers, body, response.reason or "")

    async def fetch_all(
        self, path: str, params: Mapping[str, Any] | None = None, correlation_id: str = ""
    ) -> list[Any]:
        """Every item of a cursor-paginated list (``{"data", "next_cursor"}`` pages), in order.

        One request per page, each under ``timeout``; a failed page raises SystemsHttpError
        (no retries here either).
        """
        query = {key: str(value) for key, value in (params or {}).items() if key != "cursor"}
        headers = {"X-Correlation-ID": correlation_id} if correlation_id else {}
        items: list[Any] = []
        cursor: str | None = None
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            page_query = {**query, "cursor": cursor} if cursor else query
            try:
                async with asyncio.timeout(self.timeout):
                    answer = await self._request("GET", path, headers, params=page_query)
            except (TimeoutError, aiohttp.ClientError) as error:
                kind, detail = _failure(error, path, self.timeout)
                raise SystemsHttpError(path, kind, detail) from None
            if answer.status != 200:
                failed = classify(CallSystem("", "", "list", {}, "", ""), answer)
                assert isinstance(failed, SystemCallFailed)
                raise SystemsHttpError(path, failed.kind, failed.detail, failed.retry_after)
            page = answer.json()
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
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    async def __aenter__(self) -> HttpSystems:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
