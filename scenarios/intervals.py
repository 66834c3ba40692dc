"""95% confidence intervals for a KPI's mean over replications, kept inside the KPI's domain.

Theory of operation. A KPI is measured once per replication; its interval is for the mean over
replications. Student's t is the interval of choice: exact for normal replication means, and the
one an architect expects. It does not fit when it leaves what the KPI can be (an acceptance rate
above 100 %, a negative count); then:

- a share in [0, 1] gets a Wilson score interval with the effective number of trials
  ``p(1 - p) / (s² / n)`` and t's quantile (the design-effect Wilson interval of survey
  statistics, Korn & Graubard 1998): it stays inside [0, 1], leans away from the bound, and for
  replications that spread like independent trials it is t's interval again;
- any other bounded KPI (counts, durations, money: never below 0) gets the expanded percentile
  bootstrap (Hesterberg 2015, "What teachers should know about the bootstrap"): the percentile
  interval of resampled means, at the level that corrects its known narrowness in small samples.
  A resampled mean lies between the smallest and the largest replication, so the interval stays
  in the domain. Below ``MIN_BOOTSTRAP`` replications the data cannot show a tail, so instead t's
  interval is cut at the bound: the mean lies inside the domain, so the cut interval covers it
  exactly as often as t's.

One replication has no interval (NaN, shown "n/a"); replications that all agree have the interval
[x, x] and say so. The bootstrap draws from a fixed seed, so the same values give the same interval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats

LEVEL = 0.95
MIN_BOOTSTRAP = 5
RESAMPLES = 4000
BOOTSTRAP_SEED = 20130  # any fixed number: an interval must not change between two reports

Interval = tuple[float, float, str]
"""(low, high, method): method is "t", "wilson", "bootstrap", "t cut at the bound", "all equal"
or "none" (fewer than two values: no interval, low and high are NaN)."""


def t_quantile(n: int) -> float:
    return float(stats.t.ppf(0.5 + LEVEL / 2, n - 1))


def t_interval(values: Sequence[float]) -> tuple[float, float]:
    """Student's t interval for the mean of ``values`` (two or more)."""
    n = len(values)
    mean = math.fsum(values) / n
    half = t_quantile(n) * math.sqrt(_variance(values, mean) / n)
    return mean - half, mean + half


def wilson(p: float, trials: float, z: float) -> tuple[float, float]:
    """Wilson's score interval for a proportion ``p`` observed over ``trials`` at quantile ``z``."""
    if trials <= 0:
        return 0.0, 1.0
    z2 = z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z / (1 + z2 / trials) * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    return max(0.0, centre - half), min(1.0, centre + half)


def bootstrap_interval(values: Sequence[float], resamples: int = RESAMPLES) -> tuple[float, float]:
    """The expanded percentile bootstrap interval for the mean of ``values`` (two or more)."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    means = x[rng.integers(0, n, size=(resamples, n))].mean(axis=1)
    # Hesterberg's expansion: the percentile at which a normal quantile matches t's, widened by
    # sqrt(n / (n - 1)) for the divisor n the bootstrap's spread uses
    tail = float(stats.norm.cdf(-math.sqrt(n / (n - 1)) * t_quantile(n)))
    low, high = np.quantile(means, [tail, 1 - tail])
    return float(low), float(high)


def interval(values: Sequence[float], domain: tuple[float, float]) -> Interval:
    """The 95% interval for the mean of ``values``, inside ``domain`` (see the module docstring)."""
    n = len(values)
    if n < 2:
        return math.nan, math.nan, "none"
    if max(values) == min(values):
        return values[0], values[0], "all equal"
    low, high = t_interval(values)
    bottom, top = domain
    if bottom <= low and high <= top:
        return low, high, "t"
    if math.isfinite(bottom) and math.isfinite(top):  # a share: [0, 1], or [0, 100] in %
        width = top - bottom
        shares = [(v - bottom) / width for v in values]
        mean = math.fsum(shares) / n
        trials = mean * (1 - mean) / (_variance(shares, mean) / n)
        w_low, w_high = wilson(mean, trials, t_quantile(n))
        return bottom + w_low * width, bottom + w_high * width, "wilson"
    if n >= MIN_BOOTSTRAP:
        b_low, b_high = bootstrap_interval(values)
        return b_low, b_high, "bootstrap"
    return max(low, bottom), min(high, top), "t cut at the bound"


def _variance(values: Sequence[float], mean: float) -> float:
    return math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1)
