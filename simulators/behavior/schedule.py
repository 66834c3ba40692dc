"""Fixed-interval schedules for batch jobs and file drops: ticks at ``offset + k * interval``."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Every"]


class Every(BaseModel):
    """Ticks at offset, offset + interval, offset + 2 * interval, ... (k >= 0)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    interval: float = Field(gt=0, allow_inf_nan=False)
    offset: float = Field(default=0.0, ge=0, allow_inf_nan=False)

    def __init__(self, interval: float, offset: float = 0.0, **data: Any) -> None:
        super().__init__(interval=interval, offset=offset, **data)

    def _tick(self, k: int) -> float:
        return self.offset + k * self.interval

    def next_after(self, t: float) -> float:
        """The first tick strictly after ``t``."""
        offset, interval = self.offset, self.interval  # ticks inlined: a hot path of a peak day
        if t < offset:
            return offset
        k = math.floor((t - offset) / interval) + 1
        while offset + k * interval <= t:  # guard against float rounding
            k += 1
        while k > 0 and offset + (k - 1) * interval > t:
            k -= 1
        return offset + k * interval

    def ticks(self, start: float, end: float) -> Iterator[float]:
        """Every tick in [start, end), in order."""
        k = max(0, math.ceil((start - self.offset) / self.interval))
        while k > 0 and self._tick(k - 1) >= start:
            k -= 1
        while self._tick(k) < start:
            k += 1
        while (tick := self._tick(k)) < end:
            yield tick
            k += 1
