"""A c-worker first-come-first-served queueing station, computed without a simulation engine.

Theory of operation: the station keeps a min-heap of the times at which each of its c workers
becomes free. A job arriving at ``arrival`` starts on the earliest-free worker at
``max(arrival, earliest_free)`` and finishes ``service`` seconds later. Because jobs are served in
arrival order, arrivals must be admitted in non-decreasing time order. Time origin is 0.0.

What a measure reads (scenarios.measures): ``busy(now)``, the work done in [0, now];
``queue_length(now)``, the jobs admitted by now that no worker has started yet (a second heap
holds the start times still ahead, so it is as long as the queue, never the day); and each job's
wait, told as it is admitted to the ``watch``er, if one is set.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Station", "StationStats"]


@dataclass(frozen=True, slots=True)
class StationStats:
    served: int
    mean_wait: float
    max_wait: float
    utilisation: float


class Station:
    __slots__ = (
        "_busy",
        "_free_at",
        "_last_arrival",
        "_max_wait",
        "_served",
        "_starts",
        "_total_wait",
        "watch",
        "workers",
    )

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError(f"workers(={workers}) must be >= 1")
        self.workers = workers
        self._free_at = [float("-inf")] * workers
        self._starts: list[float] = []  # start times of queued jobs, still ahead
        self._last_arrival = float("-inf")
        self._served = 0
        self._total_wait = 0.0
        self._max_wait = 0.0
        self._busy = 0.0
        self.watch: Callable[[float, float], None] | None = None
        """Told ``(arrival, wait)`` of every job admitted."""

    def admit(self, arrival: float, service: float) -> tuple[float, float]:
        """Queue one job; return its (start, finish) times."""
        if arrival < self._last_arrival:
            raise ValueError(
                f"arrival(={arrival}) is before the previous arrival(={self._last_arrival}); "
                "admit jobs in time order"
            )
        self._last_arrival = arrival
        free = self._free_at[0]
        start = arrival if arrival > free else free
        finish = start + service
        heapq.heapreplace(self._free_at, finish)
        wait = start - arrival
        if wait > 0.0:
            heapq.heappush(self._starts, start)
        self._served += 1
        self._total_wait += wait
        if wait > self._max_wait:
            self._max_wait = wait
        self._busy += service
        if self.watch is not None:
            self.watch(arrival, wait)
        return start, finish

    def queue_wait(self, arrival: float) -> float:
        """How long a job arriving now would wait before starting (does not admit it)."""
        free = self._free_at[0]
        return free - arrival if free > arrival else 0.0

    def queue_length(self, now: float) -> int:
        """Jobs admitted by ``now`` that have not started: the queue, not those in service."""
        self._check(now)
        starts = self._starts
        while starts and starts[0] <= now:
            heapq.heappop(starts)
        return len(starts)

    def busy(self, now: float) -> float:
        """Worker-seconds of service done in [0, now]."""
        self._check(now)
        # Work still to do after `now` is contiguous on each worker, since no job arrives later.
        pending = sum(f - now for f in self._free_at if f > now)
        return self._busy - pending

    def stats(self, now: float) -> StationStats:
        """Counts and waits so far; utilisation is busy time in [0, now] over workers * now."""
        busy = self.busy(now)
        utilisation = busy / (self.workers * now) if now > 0 else 0.0
        mean_wait = self._total_wait / self._served if self._served else 0.0
        return StationStats(self._served, mean_wait, self._max_wait, utilisation)

    def _check(self, now: float) -> None:
        if now < self._last_arrival:
            raise ValueError(f"now(={now}) is before the last arrival(={self._last_arrival})")
