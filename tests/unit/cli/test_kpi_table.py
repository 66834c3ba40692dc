"""The KPI table prints mean ± the 95% CI's half-width, to one precision per cell."""

from __future__ import annotations

import math

import pytest

from crossdock.commands.simulate import _cell
from scenarios.results import Estimate


@pytest.mark.parametrize(
    ("estimate", "unit", "shown"),
    [
        (Estimate(0.809, 0.715, 0.903, 4), "share", "80.9% ± 9.4"),
        (Estimate(21.0, 14.8, 27.2, 4), "lines", "21.0 ± 6.2"),
        (Estimate(1638.4, 1572.0, 1704.8, 4), "s", "1,638 ± 66"),
        (Estimate(0.0, 0.0, 0.0, 4), "orders", "0"),
        (Estimate(12.0, 12.0, 12.0, 1), "orders", "12"),
        (Estimate(math.nan, math.nan, math.nan, 0), "s", "n/a"),
    ],
)
def test_cells(estimate: Estimate, unit: str, shown: str) -> None:
    assert _cell(estimate, unit) == shown
