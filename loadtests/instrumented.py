"""The typed hub client, timed into Locust's statistics.

Every request is recorded under its OpenAPI operation id (``createOrder``), never a URL with an
id in it. Answers a channel expects under load are counted on their own rows and are not
failures: 409 (in flight, or a release not yet acknowledged), 422 (a business rejection) and
429 (throttled) appear as ``createOrder 422`` and so on. A transport error, a 5xx or any other
4xx is a failure.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from reference.client import Call, HubClient

EXPECTED = frozenset({409, 422, 429})


class LocustHubClient(HubClient):
    def __init__(self, base_url: str, environment: Any, *, timeout: float = 30.0) -> None:
        super().__init__(base_url, timeout=timeout)
        self.environment = environment

    def send(self, call: Call) -> Any:
        started, wall = time.perf_counter(), time.time()
        response: httpx.Response | None = None
        exception: Exception | None = None
        try:
            response = self.http.send(call.request(self.http))
        except httpx.HTTPError as error:
            exception = error
        elapsed_ms = (time.perf_counter() - started) * 1000
        name = call.operation
        if response is not None:
            status = response.status_code
            if status in EXPECTED:
                name = f"{call.operation} {status}"
            elif status >= 400:
                exception = RuntimeError(f"{status} {response.text[:200]}")
        self.environment.events.request.fire(
            request_type=call.method,
            name=name,
            response_time=elapsed_ms,
            response_length=len(response.content) if response is not None else 0,
            response=response,
            context={},
            exception=exception,
            start_time=wall,
            url=call.path,
        )
        if response is None:
            raise exception  # type: ignore[misc]
        return call.read(response)
