"""Load shapes: spike, step and soak, as functions of elapsed seconds.

Each returns ``(users, spawn_rate)`` for a moment of the run, or None when the run is over, which
is what a Locust ``LoadTestShape.tick`` answers. ``users`` is the profile's peak.
"""

from __future__ import annotations

from collections.abc import Callable

Tick = Callable[[float], "tuple[int, float] | None"]


def spike(users: int, rate: float, duration: float) -> Tick:
    """A fifth of the users for the first 40 %, all of them for the next 20 %, then a fifth."""
    base = max(1, users // 5)

    def tick(t: float) -> tuple[int, float] | None:
        if t >= duration:
            return None
        return (users, rate * 5) if 0.4 * duration <= t < 0.6 * duration else (base, rate)

    return tick


def step(users: int, rate: float, duration: float, steps: int = 4) -> Tick:
    """Users climb in ``steps`` equal steps over the run: where does latency bend?"""

    def tick(t: float) -> tuple[int, float] | None:
        if t >= duration:
            return None
        level = min(steps, int(t / (duration / steps)) + 1)
        return max(1, users * level // steps), rate

    return tick


def soak(users: int, rate: float, duration: float) -> Tick:
    """All users for the whole run: does anything grow that should stay flat?"""

    def tick(t: float) -> tuple[int, float] | None:
        return None if t >= duration else (users, rate)

    return tick


SHAPES: dict[str, Callable[..., Tick]] = {"spike": spike, "step": step, "soak": soak}
