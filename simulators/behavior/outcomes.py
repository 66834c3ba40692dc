"""What the caller of a simulated system sees: an outcome kind, how long it took, a Retry-After."""

from __future__ import annotations

from typing import Final, Literal, NamedTuple

from reference.hub.protocol import FailureKind

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

# A call's outcome kind is OK or one of the core's failure kinds, so a failed outcome becomes
# SystemCallFailed(kind=...) as it is. A behaviour never refuses a request (REFUSED, a 4xx): only
# a system model does, when it reads the request.
OK: Final = "ok"
SERVER_ERROR: Final = FailureKind.SERVER_ERROR
TIMEOUT: Final = FailureKind.TIMEOUT
THROTTLED: Final = FailureKind.THROTTLED
UNAVAILABLE: Final = FailureKind.UNAVAILABLE  # outage: connection refused, fast

OutcomeKind = Literal["ok"] | FailureKind

CONNECT_FAIL_SECONDS = 0.01
THROTTLE_SECONDS = 0.005


class CallOutcome(NamedTuple):
    """A tuple, not a frozen dataclass: every simulated call makes one, and tuples build in C."""

    kind: OutcomeKind
    duration: float
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.kind == OK
