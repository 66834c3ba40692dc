"""Numbers in the units people read: shares as %, durations in seconds, minutes or hours.

A study stores shares in [0, 1] and durations in seconds (scenarios.kpis); everything shown, in
the report, its charts and the CLI's table, goes through :func:`scale_for`, so a KPI's row and
its chart use one unit: the largest the row's magnitude reads well in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

Shown = TypeVar("Shown", float, np.ndarray)


@dataclass(frozen=True, slots=True)
class Scale:
    label: str  # what is shown: "%", "min", "h", "orders"...
    factor: float  # shown = stored * factor
    points: bool = False  # a difference of shares is in percentage points

    def __call__(self, value: Shown) -> Shown:
        return value * self.factor


SECONDS = Scale("s", 1.0)
MINUTES = Scale("min", 1 / 60)
HOURS = Scale("h", 1 / 3600)


def scale_for(unit: str, values: Iterable[float] = ()) -> Scale:
    """The display scale of a KPI in ``unit`` whose values (means, bounds) are ``values``."""
    if unit in ("share", "%"):  # a share in [0, 1], or one already in percent
        return Scale("%", 100.0 if unit == "share" else 1.0, points=True)
    if unit == "s":
        finite = [abs(v) for v in values if math.isfinite(v)]
        top = max(finite, default=0.0)
        return HOURS if top >= 3 * 3600 else MINUTES if top >= 120 else SECONDS
    return Scale(unit, 1.0)


def duration(seconds: float) -> str:
    """A duration for an axis tick or a sentence: 0.35 s, 12 s, 4.5 min, 2 h."""
    if not math.isfinite(seconds):
        return "n/a"
    scale = scale_for("s", [seconds])
    value = scale(seconds)
    return f"{number(value)} {scale.label}"


def number(x: float) -> str:
    """A number for people: thousands separated, three significant digits for small values."""
    if not math.isfinite(x):
        return "n/a"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 100:
        return f"{x:.0f}" if x == int(x) else f"{x:.1f}"
    return f"{x:.3g}"


def signed(x: float) -> str:
    return ("+" if x > 0 else "") + number(x) if math.isfinite(x) else "n/a"
