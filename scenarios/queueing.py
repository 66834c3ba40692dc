"""Per-system queueing measures: wait, utilisation and queue length at the systems' stations.

Theory of operation. A system with ``workers`` queues its calls at a c-worker Station
(simulators.behavior.station); every WMS node has its own, and they are measured together as
``wms``. The window is from warm-up to the end of arrivals, when the day's load is on:

- wait: each call admitted in the window tells the station's ``watch`` its wait, which goes
  into a bounded reservoir (mean exact, p95 from the sample);
- utilisation: worker-seconds of service done between the first sample at or after warm-up and
  the last sample at or before the end of arrivals, over the workers' time in between;
- queue length: calls admitted and not yet started, read at every sample in the window (a
  time average by systematic sampling); the sampled values are also a series, ``queue_<kind>``.

A kind with no station (no ``workers``: infinite servers) measures NaN, shown as n/a.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from scenarios.kpis import QUEUEING_SYSTEMS, Reservoir
from simulators.behavior.station import Station
from simulators.behavior.streams import spawn_stream
from simulators.systems.endpoint import SimulatedSystem

RESERVOIR = 4096


class QueueMeter:
    """The stations of one kind of system, measured over [start, end)."""

    def __init__(self, kind: str, stations: list[Station], seed: int, start: float, end: float):
        self.kind = kind
        self.stations = stations
        self.start, self.end = start, end
        self.waits = Reservoir(RESERVOIR, spawn_stream(seed, f"meter:wait:{kind}"))
        self.queue: list[float] = []
        self.first: tuple[float, float] | None = None  # (t, busy worker-seconds by t)
        self.last: tuple[float, float] | None = None
        self.workers = sum(s.workers for s in stations)
        for station in stations:
            station.watch = self._waited

    def _waited(self, arrival: float, wait: float) -> None:
        if self.start <= arrival < self.end:
            self.waits.add(wait)

    def sample(self, now: float) -> float:
        """Read the stations at ``now``; the queue length is returned for the series."""
        queued = float(sum(s.queue_length(now) for s in self.stations))
        if self.start <= now <= self.end:
            busy = math.fsum(s.busy(now) for s in self.stations)
            if self.first is None:
                self.first = (now, busy)
            self.last = (now, busy)
            self.queue.append(queued)
        return queued

    def kpis(self) -> dict[str, float]:
        kind = self.kind
        utilisation = math.nan
        if self.first is not None and self.last is not None and self.last[0] > self.first[0]:
            span = self.last[0] - self.first[0]
            utilisation = (self.last[1] - self.first[1]) / (self.workers * span)
        queue = np.asarray(self.queue) if self.queue else None
        return {
            f"wait_mean_{kind}": self.waits.mean() if self.waits.count else math.nan,
            f"wait_p95_{kind}": self.waits.quantile(0.95) if self.waits.count else math.nan,
            f"utilisation_{kind}": utilisation,
            f"queue_mean_{kind}": float(queue.mean()) if queue is not None else math.nan,
            f"queue_p95_{kind}": float(np.quantile(queue, 0.95)) if queue is not None else math.nan,
        }


def queue_meters(
    systems: Mapping[str, SimulatedSystem], seed: int, start: float, end: float
) -> dict[str, QueueMeter]:
    """A meter per kind of system that has stations (``wms:DC-ATL`` is a ``wms``)."""
    by_kind: dict[str, list[Station]] = {}
    for name, system in systems.items():
        station = system.behavior.station
        if station is not None:
            by_kind.setdefault(name.split(":", 1)[0], []).append(station)
    return {
        kind: QueueMeter(kind, by_kind[kind], seed, start, end)
        for kind in QUEUEING_SYSTEMS
        if kind in by_kind
    }


def unmeasured() -> dict[str, float]:
    """Every queueing KPI as NaN: the kinds without a station."""
    names = ("wait_mean", "wait_p95", "utilisation", "queue_mean", "queue_p95")
    return {f"{n}_{kind}": math.nan for kind in QUEUEING_SYSTEMS for n in names}
