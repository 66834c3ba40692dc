"""Durations, one format everywhere in a scenario, behaviour profiles included: seconds, or a
number with a unit.

``90``, ``"90s"``, ``"15m"`` (or ``"15min"``), ``"2h"``, ``"1d"`` and sums such as ``"1h30m"``.
Anything else is an error that quotes the value as written.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

UNITS = {"s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}


def seconds(value: Any) -> Any:
    """A duration string in seconds; any other value is left for the field's own type check."""
    if isinstance(value, str):
        parts = re.findall(r"(\d+(?:\.\d*)?)\s*(min|s|m|h|d)", value)
        rebuilt = "".join(f"{n}{u}" for n, u in parts)
        if not parts or rebuilt != re.sub(r"\s+", "", value):
            raise ValueError(
                f"a duration is seconds or a number with a unit s, m, h or d "
                f"(like '15m' or '1h30m'), not {value!r}"
            )
        return sum(float(n) * UNITS[u] for n, u in parts)
    return value


Duration = Annotated[float, BeforeValidator(seconds), Field(ge=0, allow_inf_nan=False)]
Instant = Annotated[float, BeforeValidator(seconds), Field(allow_inf_nan=False)]
"""A moment in a run, in seconds from its start (a window's start or end)."""
Positive = Annotated[float, BeforeValidator(seconds), Field(gt=0, allow_inf_nan=False)]
