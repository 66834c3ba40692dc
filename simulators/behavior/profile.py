"""The behaviour profile a simulated system is given: how long it takes and how it fails.

Theory of operation, for one ``Behavior.call(now, rng)``:

1. inside an outage window         -> UNAVAILABLE after CONNECT_FAIL_SECONDS (connection refused);
2. the rate limiter has no token   -> THROTTLED after THROTTLE_SECONDS, retry_after from the bucket;
3. an error draw (one uniform)     -> SERVER_ERROR (after a normal service time), TIMEOUT (after
                                      ``timeout_after``) or THROTTLED (retry_after from the spec);
4. otherwise OK after the latency sample x the active slowdown, queued through the c-worker
   station when ``workers`` is set. An OK or 5xx whose duration would exceed ``timeout_after`` is
   reported as TIMEOUT at ``timeout_after``: the caller gave up, though the server did the work.
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from simulators.behavior.faults import Degradation, ErrorRates, FaultModel, Window
from simulators.behavior.feeds import EventFeed
from simulators.behavior.latency import FixedSpec, Latency, LatencySpec
from simulators.behavior.outcomes import (
    CONNECT_FAIL_SECONDS,
    OK,
    SERVER_ERROR,
    THROTTLE_SECONDS,
    THROTTLED,
    TIMEOUT,
    UNAVAILABLE,
    CallOutcome,
)
from simulators.behavior.ratelimit import RateLimitSpec, TokenBucket
from simulators.behavior.station import Station

__all__ = [
    "OK",
    "SERVER_ERROR",
    "THROTTLED",
    "TIMEOUT",
    "UNAVAILABLE",
    "Behavior",
    "BehaviorSpec",
    "CallOutcome",
]

_UNAVAILABLE = CallOutcome(UNAVAILABLE, CONNECT_FAIL_SECONDS)


class BehaviorSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    latency: LatencySpec = FixedSpec(seconds=0.05)
    workers: int | None = Field(default=None, ge=1)  # None: infinite servers, no queueing
    errors: ErrorRates = ErrorRates()
    outages: list[Window] = []
    degradations: list[Degradation] = []
    rate_limit: RateLimitSpec | None = None
    page_size: int | None = Field(default=None, ge=1)
    # An event feed's own failures (simulators.behavior.feeds), read only for ``inventory_feed``:
    # a message lost, or delivered twice; and how long a batch snapshot takes to land.
    loss_rate: float = Field(default=0.0, ge=0, le=1)
    duplicate_rate: float = Field(default=0.0, ge=0, le=1)
    snapshot_latency: LatencySpec = FixedSpec(seconds=0.0)

    def build(self) -> Behavior:
        """A fresh runtime behaviour, with its own empty queue and full token bucket."""
        return Behavior(
            latency=self.latency.build(),
            faults=FaultModel(self.errors, self.outages, self.degradations),
            station=Station(self.workers) if self.workers is not None else None,
            bucket=self.rate_limit.build() if self.rate_limit is not None else None,
            page_size=self.page_size,
        )

    def feed(self) -> EventFeed:
        """This behaviour as an event feed: its latency, loss and duplicates."""
        return EventFeed(self.latency.build(), self.loss_rate, self.duplicate_rate)


class Behavior:
    __slots__ = (
        "_error_throttle",
        "_timeout",
        "bucket",
        "faults",
        "latency",
        "page_size",
        "station",
    )

    def __init__(
        self,
        latency: Latency,
        faults: FaultModel | None = None,
        station: Station | None = None,
        bucket: TokenBucket | None = None,
        page_size: int | None = None,
    ) -> None:
        self.latency = latency
        self.faults = faults = faults or FaultModel()
        self.station = station
        self.bucket = bucket
        self.page_size = page_size
        self._timeout = CallOutcome(TIMEOUT, faults.timeout_after)
        self._error_throttle = CallOutcome(THROTTLED, THROTTLE_SECONDS, faults.retry_after)

    def call(self, now: float, rng: np.random.Generator) -> CallOutcome:
        """One request: its own outcome, queued at the station if there is one."""
        outcome = self.serve(now, rng)
        if outcome.kind != OK and outcome.kind != SERVER_ERROR:
            return outcome  # refused before any worker took it: down, throttled, timed out
        duration = outcome.duration
        if self.station is not None:
            duration = self.station.admit(now, duration)[1] - now
        if duration > self.faults.timeout_after:
            return self._timeout
        return CallOutcome(outcome.kind, duration)

    def serve(self, now: float, rng: np.random.Generator) -> CallOutcome:
        """One request's outcome and service time as if a worker were free at ``now``."""
        faults = self.faults
        if faults.is_down(now):
            return _UNAVAILABLE
        if self.bucket is not None:
            wait = self.bucket.try_take(now)
            if wait > 0.0:
                return CallOutcome(THROTTLED, THROTTLE_SECONDS, wait)
        kind = faults.draw(rng)
        if kind == TIMEOUT:
            return self._timeout
        if kind == THROTTLED:
            return self._error_throttle
        return CallOutcome(kind, self.latency.sample(rng) * faults.slowdown(now))

    def pages(self, total_items: int) -> int:
        """Calls needed to read ``total_items``; one call even for an empty or unpaged result."""
        if self.page_size is None or total_items <= 0:
            return 1
        return math.ceil(total_items / self.page_size)
