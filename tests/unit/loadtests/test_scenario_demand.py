"""A scenario's demand as the live replay sends it, and its behaviours as the HTTP fakes serve."""

from __future__ import annotations

import math

from crossdock.commands.systems import scenario_profiles, scenario_seconds
from loadtests.replay import arrivals
from loadtests.scenario import window
from scenarios.spec import load_spec
from scenarios.wiring import Wiring
from simulators.behavior.faults import Window
from simulators.behavior.latency import LognormalSpec
from simulators.systems.demand import ArrivalProfile

HOUR = 3600.0


def profile_of(spec):
    demand = spec.demand
    return ArrivalProfile(
        demand.orders_per_day,
        tuple(demand.hourly_profile),
        tuple((s.start, s.end, s.factor) for s in demand.spikes),
    )


def test_peak_season_is_replayed_from_its_spike_for_as_long_as_the_run_allows():
    span = window(load_spec("peak-season"), speedup=60, duration=120)
    assert (span.start, span.span) == (10 * HOUR, 2 * HOUR)


def test_a_day_without_spikes_is_replayed_from_the_end_of_its_warm_up():
    span = window(load_spec("baseline-day"), speedup=600, duration=20)
    assert (span.start, span.span) == (1 * HOUR, 12_000.0)


def test_edi_orders_wait_for_their_mailbox_and_direct_orders_go_when_placed():
    spec = load_spec("peak-season")
    planned = arrivals(
        profile_of(spec), dict(spec.demand.channel_mix), Wiring(spec, 7).mailboxes,
        10 * HOUR, HOUR, seed=7,
    )  # fmt: skip
    edi = [a for a in planned if a.channel == "edi"]
    direct = [a for a in planned if a.channel != "edi"]
    assert edi and direct
    assert all(a.delivered % 1800 == 0 and 0 < a.delivered - a.placed <= 1800 for a in edi)
    assert all(a.delivered == a.placed for a in direct)
    assert [a.delivered for a in planned] == sorted(a.delivered for a in planned)


def test_the_number_of_orders_is_what_the_demand_profile_says_within_poisson_noise():
    spec = load_spec("peak-season")
    profile = profile_of(spec)
    demand = spec.demand
    weights = demand.hourly_profile
    # an hour's share of the day is its weight over the profile's sum; the spike multiplies it
    expected = demand.orders_per_day * weights[10] / sum(weights) * demand.spikes[0].factor
    assert math.isclose(profile.expected(10 * HOUR, 11 * HOUR), expected, rel_tol=1e-9)
    planned = arrivals(profile, dict(spec.demand.channel_mix), {}, 10 * HOUR, HOUR, seed=3)
    assert abs(len(planned) - expected) < 4 * math.sqrt(expected)


def test_the_erp_outage_of_a_scenario_reaches_the_served_erp_and_no_other_system():
    profiles = scenario_profiles(load_spec("erp-outage-at-peak"), seed=7)
    assert profiles["erp"].outages == [Window(11 * HOUR, 11 * HOUR + 45 * 60)]
    assert all(not spec.outages for name, spec in profiles.items() if name != "erp")


def test_a_served_wms_answers_a_release_in_the_what_if_engines_half_hour():
    profiles = scenario_profiles(load_spec("peak-season"), seed=7)
    nodes = [name for name in profiles if name.startswith("wms:")]
    assert nodes
    assert all(profiles[n].latency == LognormalSpec(median=1800.0, p99=14_400.0) for n in nodes)
    assert profiles["erp"].workers == 8  # the scenario's own systems entry


def test_durations_read_as_a_scenario_writes_them():
    assert [scenario_seconds(t) for t in ("0", "90", "90s", "15m", "1h30m")] == [
        0.0, 90.0, 90.0, 900.0, 5400.0,
    ]  # fmt: skip
