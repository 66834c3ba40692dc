"""What the caller of a simulated system sees: an outcome kind, how long it took, a Retry-After."""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "CONNECT_FAIL_SECONDS",
    "OK",
    "SERVER_ERROR",
    "THROTTLED",
    "THROTTLE_SECONDS",
    "TIMEOUT",
    "UNAVAILABLE",
    "CallOutcome",
]

OK = "ok"
SERVER_ERROR = "5xx"
TIMEOUT = "timeout"
THROTTLED = "429"
UNAVAILABLE = "unavailable"  # outage: connection refused, fast

CONNECT_FAIL_SECONDS = 0.01
THROTTLE_SECONDS = 0.005


class CallOutcome(NamedTuple):
    """A tuple, not a frozen dataclass: every simulated call makes one, and tuples build in C."""

    kind: str
    duration: float
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.kind == OK
