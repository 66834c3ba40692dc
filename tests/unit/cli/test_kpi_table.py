"""The KPI table prints mean ± the 95% CI's half-width, to one precision per cell; a difference
from the baseline is signed and starred when its interval excludes 0; n/a where there is none."""

from __future__ import annotations

import math

import pytest

from crossdock.commands.simulate import _cell
from scenarios.results import Estimate

NAN = math.nan


@pytest.mark.parametrize(
    ("estimate", "unit", "shown"),
    [
        (Estimate(0.809, 0.715, 0.903, 4), "share", "80.9% ± 9.4"),
        (Estimate(21.0, 14.8, 27.2, 4), "lines", "21.0 ± 6.2"),
        (Estimate(1638.4, 1572.0, 1704.8, 4), "s", "1,638 ± 66"),
        (Estimate(0.0, 0.0, 0.0, 4, "all equal"), "orders", "0"),
        (Estimate(12.0, NAN, NAN, 1, "none"), "orders", "12 ± n/a"),
        (Estimate(NAN, NAN, NAN, 0, "none"), "s", "n/a"),
        (Estimate(NAN, NAN, NAN, 4, "none", "no crm in this estate"), "s", "n/a"),
        # a Wilson interval leaning away from 100 %: the wider side is shown
        (Estimate(0.95, 0.80, 0.99, 3, "wilson"), "share", "95.0% ± 15.0"),
    ],
)
def test_cells(estimate: Estimate, unit: str, shown: str) -> None:
    assert _cell(estimate, unit) == shown


def test_a_duration_is_shown_in_the_rows_unit():
    assert _cell(Estimate(1320.0, 1284.0, 1356.0, 5), "s", 1 / 60) == "22.0 ± 0.6"


@pytest.mark.parametrize(
    ("difference", "unit", "shown"),
    [
        (Estimate(284.5, 263.6, 305.4, 4), "orders", "+284 ± 21*"),
        (Estimate(0.026, 0.0242, 0.0278, 4), "share", "+2.6 pp ± 0.2*"),
        (Estimate(-0.2, -0.6, 0.2, 4), "s", "-0.2 ± 0.4"),
        (Estimate(-0.0004, -0.0012, 0.0004, 4), "share", "0.0 pp ± 0.1"),
    ],
)
def test_differences_are_signed_and_starred_when_beyond_chance(difference, unit, shown):
    assert _cell(difference, unit, difference=True) == shown
