"""A virtual clock for asyncio: the loop's time jumps to the next timer instead of waiting.

With it the asyncio shell runs a day of traffic in seconds and, given the same latencies, in the
same order as the SimPy shell: that is how ``crossdock twin`` compares the two. The loop must not
wait on real I/O; if nothing is scheduled and nothing is ready it has deadlocked and says so.
"""

from __future__ import annotations

import asyncio
import selectors
from typing import Any


class _JumpingSelector(selectors.DefaultSelector):
    def __init__(self) -> None:
        super().__init__()
        self.loop: VirtualTimeLoop | None = None

    def select(self, timeout: float | None = None) -> list[Any]:
        ready = super().select(0)
        if ready or self.loop is None:
            return ready
        if timeout is None:
            raise RuntimeError("virtual-time loop deadlocked: nothing scheduled and nothing ready")
        if timeout > 0:
            self.loop.jump()
        return ready


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """``time()`` starts at 0.0 and moves only to the moment of the next timer."""

    def __init__(self) -> None:
        selector = _JumpingSelector()
        super().__init__(selector)
        selector.loop = self
        self._now = 0.0

    def time(self) -> float:
        return self._now

    def jump(self) -> None:
        # asyncio keeps its timers in the heap ``_scheduled``; land exactly on the earliest, so
        # timestamps equal those SimPy computes for the same delays.
        scheduled = self._scheduled  # type: ignore[attr-defined]
        if scheduled:
            self._now = max(self._now, scheduled[0].when())
