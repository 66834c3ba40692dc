"""Faults: outage windows, slowdowns and per-call error rates.

Specs (``Window``, ``Degradation``, ``ErrorRates``) are pydantic models parsed from YAML;
``FaultModel`` is the slotted runtime object a ``Behavior`` consults on every call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulators.behavior.durations import Duration, Instant, Positive
from simulators.behavior.outcomes import OK, SERVER_ERROR, THROTTLED, TIMEOUT, OutcomeKind

__all__ = ["Degradation", "ErrorRates", "FaultModel", "Window"]

_Rate = Field(default=0.0, ge=0, le=1)


class Window(BaseModel):
    """A half-open time interval [start, end) in seconds."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: Instant
    end: Instant

    def __init__(self, start: float, end: float, **data: Any) -> None:
        super().__init__(start=start, end=end, **data)

    @model_validator(mode="after")
    def _end_after_start(self) -> Window:
        if not self.end > self.start:
            raise ValueError(f"end(={self.end}) must be > start(={self.start})")
        return self

    def contains(self, t: float) -> bool:
        return self.start <= t < self.end


class Degradation(Window):
    """A window during which service times are multiplied by ``factor``."""

    factor: float = Field(ge=1, allow_inf_nan=False)

    def __init__(self, start: float, end: float, factor: float, **data: Any) -> None:
        super().__init__(start=start, end=end, factor=factor, **data)


class ErrorRates(BaseModel):
    """Chance that a call ends in each failure; the rest succeed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    server_error: float = _Rate
    timeout: float = _Rate
    throttle: float = _Rate
    timeout_after: Positive = 30.0
    retry_after: Duration = 1.0

    @model_validator(mode="after")
    def _rates_sum_to_at_most_one(self) -> ErrorRates:
        total = self.server_error + self.timeout + self.throttle
        if total > 1:
            raise ValueError(
                f"server_error(={self.server_error}) + timeout(={self.timeout}) + "
                f"throttle(={self.throttle}) = {total} must be <= 1"
            )
        return self


class FaultModel:
    """Runtime faults. ``draw`` uses one uniform per call, and none at all when all rates are 0."""

    __slots__ = (
        "_c_5xx",
        "_c_throttle",
        "_c_timeout",
        "_degradations",
        "_outages",
        "retry_after",
        "timeout_after",
    )

    def __init__(
        self,
        errors: ErrorRates | None = None,
        outages: Sequence[Window] = (),
        degradations: Sequence[Degradation] = (),
    ) -> None:
        errors = errors or ErrorRates()
        self._c_5xx = errors.server_error
        self._c_timeout = self._c_5xx + errors.timeout
        self._c_throttle = self._c_timeout + errors.throttle
        self._outages = tuple((w.start, w.end) for w in outages)
        self._degradations = tuple((d.start, d.end, d.factor) for d in degradations)
        self.timeout_after = errors.timeout_after
        self.retry_after = errors.retry_after

    def is_down(self, now: float) -> bool:
        for start, end in self._outages:  # noqa: SIM110 - no generator in the hot path
            if start <= now < end:
                return True
        return False

    def slowdown(self, now: float) -> float:
        factor = 1.0
        for start, end, f in self._degradations:
            if start <= now < end:
                factor *= f
        return factor

    def draw(self, rng: np.random.Generator) -> OutcomeKind:
        """The outcome kind of one call: OK, SERVER_ERROR, TIMEOUT or THROTTLED."""
        if self._c_throttle == 0.0:
            return OK
        u = rng.random()
        if u < self._c_5xx:
            return SERVER_ERROR
        if u < self._c_timeout:
            return TIMEOUT
        if u < self._c_throttle:
            return THROTTLED
        return OK
