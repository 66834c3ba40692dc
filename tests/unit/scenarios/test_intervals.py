"""Intervals a study reports: t where it fits, Wilson or the bootstrap where it would leave the
KPI's domain, n/a where there is nothing to estimate, and paired differences from the baseline."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scenarios.intervals import bootstrap_interval, interval, wilson
from scenarios.results import Kpi, RunResult, estimate, paired_difference, summarise_variants

T_975_4 = 2.7764451051977987  # Student's t, 97.5th percentile, 4 degrees of freedom (tables)
Z_975 = 1.959963984540054
ACCEPTANCE = Kpi("order_acceptance_rate", "share", "higher", "accepted over decided")
OVERSELLS = Kpi("oversells", "lines", "lower", "lines the shelf could not fill")
CRM_AGE = Kpi("message_age_crm", "s", "lower", "age of events at CRM", needs="crm")


def test_a_normal_sample_gets_students_t_interval():
    e = estimate([9.8, 10.2, 10.1, 9.9, 10.0], OVERSELLS.domain)

    # mean 10, s^2 = 0.1 / 4, half-width t(0.975, 4) * s / sqrt(5)
    half = T_975_4 * math.sqrt(0.025 / 5)
    assert (e.method, e.n) == ("t", 5)
    assert e.mean == pytest.approx(10.0)
    assert (e.low, e.high) == pytest.approx((10.0 - half, 10.0 + half))


def test_wilson_matches_newcombes_worked_example():
    # Newcombe (1998), Statistics in Medicine 17:857, table II: 81 of 263, score method
    low, high = wilson(81 / 263, 263, Z_975)

    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_wilson_for_no_successes_reaches_z_squared_over_n_plus_z_squared():
    assert wilson(0.0, 10, Z_975) == pytest.approx((0.0, Z_975**2 / (10 + Z_975**2)))


def test_a_share_whose_t_interval_passes_100_percent_gets_wilson_inside_0_and_1():
    values = [0.99, 0.85, 1.0]  # t: 94.7 % +- 20.1, past 100 %

    e = estimate(values, ACCEPTANCE.domain)

    assert e.method == "wilson"
    assert 0.0 <= e.low < e.mean < e.high <= 1.0
    # the effective number of trials p(1-p) / (s^2 / n) and t's quantile, by hand
    p, s2 = np.mean(values), np.var(values, ddof=1)
    trials = p * (1 - p) / (s2 / 3)
    assert (e.low, e.high) == pytest.approx(wilson(p, trials, 4.302652729911275))


def test_a_count_whose_t_interval_goes_negative_gets_a_bootstrap_interval_at_or_above_0():
    values = [0.0, 0.0, 0.0, 0.0, 250.0, 0.0]  # t's low end is -67

    e = estimate(values, OVERSELLS.domain)

    assert e.method == "bootstrap"
    assert 0.0 <= e.low < e.mean < e.high <= 250.0


def test_too_few_runs_for_a_bootstrap_cut_t_at_the_bound():
    e = estimate([0.0, 3.0, 0.0], OVERSELLS.domain)

    half = 4.302652729911275 * math.sqrt(3.0 / 3)  # s^2 = 3, n = 3
    assert e.method == "t cut at the bound"
    assert (e.low, e.high) == pytest.approx((0.0, 1.0 + half))


def test_the_expanded_bootstrap_covers_the_mean_of_a_skewed_population_about_95_in_100():
    rng = np.random.default_rng(2026)
    covered = 0
    for _ in range(400):
        low, high = bootstrap_interval(list(rng.exponential(1.0, 10)))
        covered += low <= 1.0 <= high
    # measured 0.9375 (Student t on the same samples: 0.925)
    assert 0.90 <= covered / 400 <= 0.98


def test_the_bootstrap_gives_the_same_interval_for_the_same_values():
    values = [0.0, 1.0, 7.0, 2.0, 40.0]

    assert bootstrap_interval(values) == bootstrap_interval(values)


def test_one_replication_has_no_interval():
    e = estimate([0.937], ACCEPTANCE.domain)

    assert e.mean == 0.937 and e.method == "none" and not e.has_interval
    assert math.isnan(e.low) and math.isnan(e.high)


def test_replications_that_agree_have_an_interval_of_one_point():
    assert interval([3.0, 3.0, 3.0], OVERSELLS.domain) == (3.0, 3.0, "all equal")


def run(variant: str, replication: int, **kpis: float) -> RunResult:
    return RunResult(variant, replication, seed=replication, kpis=kpis)


BASELINE = [10.0, 12.0, 14.0, 11.0, 13.0]
BATCHED = [12.0, 15.0, 16.0, 13.0, 16.0]  # the same days, each a little worse


def test_the_paired_difference_pairs_runs_of_one_replication():
    runs = [run("events", r, oversells=v) for r, v in enumerate(BASELINE)]
    runs += [run("batch", r, oversells=v) for r, v in reversed(list(enumerate(BATCHED)))]

    d = paired_difference(runs[5:], runs[:5], OVERSELLS)

    # differences 2, 3, 2, 2, 3: mean 2.4, s^2 = 0.3
    half = T_975_4 * math.sqrt(0.3 / 5)
    assert d.mean == pytest.approx(2.4)
    assert (d.low, d.high) == pytest.approx((2.4 - half, 2.4 + half))
    assert (round(d.low, 4), round(d.high, 4)) == (1.7199, 3.0801)
    assert d.excludes_zero()
    # unpaired, the two intervals overlap: common random numbers are what separate them
    events, batch = estimate(BASELINE, OVERSELLS.domain), estimate(BATCHED, OVERSELLS.domain)
    assert events.high > batch.low


def test_a_difference_whose_interval_holds_0_is_not_significant():
    runs = [run("a", r, oversells=v) for r, v in enumerate([1.0, 2.0, 3.0])]
    runs += [run("b", r, oversells=v) for r, v in enumerate([2.0, 1.0, 3.0])]

    d = paired_difference(runs[3:], runs[:3], OVERSELLS)

    assert d.low < 0 < d.high and not d.excludes_zero()


def test_a_kpi_of_a_system_the_estate_lacks_is_absent_not_0():
    runs = [run("with-crm", r, message_age_crm=30.0 + r) for r in range(3)]
    runs += [run("without-crm", r, message_age_crm=0.0) for r in range(3)]

    with_crm, without = summarise_variants(
        runs,
        [("with-crm", {}), ("without-crm", {"topology.systems": "..."})],
        [CRM_AGE],
        {"with-crm": {"hub", "erp", "crm"}, "without-crm": {"hub", "erp"}},
    )

    assert with_crm.kpis["message_age_crm"].mean == pytest.approx(31.0)
    assert not without.kpis["message_age_crm"].available
    assert without.kpis["message_age_crm"].absent == "no crm in this estate"
    assert not without.differences["message_age_crm"].available


LARGE = Kpi(
    "large_order_completion", "s", "lower", "the large order", when="a large order is placed"
)


def test_a_kpi_no_run_could_measure_is_na_saying_when_it_is_measured():
    runs = [run("no-large-order", r, large_order_completion=math.nan) for r in range(3)]

    (summary,) = summarise_variants(runs, [("no-large-order", {})], [LARGE])

    e = summary.kpis["large_order_completion"]
    assert not e.available and e.n == 3
    assert e.absent == "measured only when a large order is placed"


def test_a_run_that_could_not_measure_a_kpi_is_left_out_of_its_estimate_and_difference():
    runs = [run("a", r, large_order_completion=v) for r, v in enumerate([10.0, 20.0, 30.0])]
    runs += [run("b", r, large_order_completion=v) for r, v in enumerate([15.0, math.nan, 40.0])]

    _, b = summarise_variants(runs, [("a", {}), ("b", {})], [LARGE])

    assert (b.kpis["large_order_completion"].mean, b.kpis["large_order_completion"].n) == (27.5, 2)
    d = b.differences["large_order_completion"]
    assert (d.mean, d.n) == (7.5, 2)  # replication 1 pairs with nothing


def test_the_baseline_is_the_first_variant_and_has_no_difference():
    runs = [run(v, r, oversells=float(r + i)) for i, v in enumerate("ab") for r in range(3)]

    a, b = summarise_variants(runs, [("a", {}), ("b", {})], [OVERSELLS])

    assert a.differences == {}
    assert b.differences["oversells"].mean == 1.0
    assert b.differences["oversells"].method == "all equal"
