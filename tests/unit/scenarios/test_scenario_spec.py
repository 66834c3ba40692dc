"""The scenario spec: what a YAML may say, and how it says what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scenarios.spec import LIBRARY, SpecError, apply_overrides, load_spec, parse_spec

ESTATE = {
    "systems": [
        {"name": "hub", "kind": "hub", "owns": ["orders"]},
        {"name": "wms", "kind": "wms", "owns": ["inventory"]},
    ],
    "flows": [
        {
            "name": "inventory_sync",
            "source": "wms",
            "target": "hub",
            "data": "inventory",
            "pattern": "event",
        },
    ],
}


def scenario(**extra: object) -> dict:
    return {"name": "pipe-fittings-day", "topology": ESTATE, **extra}


def problems(document: dict) -> list[str]:
    with pytest.raises(SpecError) as caught:
        parse_spec(document)
    return caught.value.problems


def test_an_error_names_the_path_and_the_bad_value() -> None:
    bad = scenario(demand={"spikes": [{"factor": -2, "start": "10h", "end": "12h"}]})
    assert problems(bad) == ["demand.spikes[0].factor: Input should be greater than 0 (got -2)"]


def test_a_misspelt_key_is_an_error_not_a_silent_default() -> None:
    assert problems(scenario(hub={"idempotent": False})) == [
        "hub.idempotent: no such field here (got False); did you mean 'idempotency'?"
    ]


def test_durations_read_units() -> None:
    spec = parse_spec(scenario(horizon="1d", warm_up="1h30m", hub={"replay_every": "15m"}))
    assert (spec.horizon, spec.warm_up, spec.hub.replay_every) == (86400.0, 5400.0, 900.0)
    assert problems(scenario(horizon="soon")) == [
        "horizon: a duration is seconds or a number with a unit s, m, h or d (like '15m' or "
        "'1h30m'), not 'soon' (got 'soon')"
    ]


def test_overrides_reach_list_items_by_name_and_by_index() -> None:
    spec = parse_spec(scenario(demand={"spikes": [{"factor": 2, "start": 0, "end": 60}]}))
    changed = apply_overrides(
        spec,
        {
            "topology.flows.inventory_sync.pattern": "batch",
            "topology.flows.inventory_sync.every": 3600,
            "demand.spikes.0.factor": 8,
            "systems.erp.workers": 4,
        },
    )
    assert changed.topology.flows[0].pattern == "batch"
    assert changed.topology.flows[0].every == 3600
    assert changed.demand.spikes[0].factor == 8
    assert changed.systems["erp"].workers == 4
    assert spec.topology.flows[0].pattern == "event"  # the base is untouched


def test_a_variant_that_breaks_the_spec_is_caught_on_load() -> None:
    bad = scenario(
        variants=[
            {"name": "batch", "overrides": {"topology.flows.inventory_sync.pattern": "batch"}}
        ]
    )
    [problem] = problems(bad)
    assert problem.startswith("variants[batch]")
    assert "needs `every`" in problem


def test_a_variant_turning_a_batch_into_events_drops_its_schedule() -> None:
    [events_flow] = ESTATE["flows"]
    batch = {**events_flow, "pattern": "batch", "every": 3600}
    spec = parse_spec(scenario(topology={**ESTATE, "flows": [batch]}))
    events = apply_overrides(spec, {"topology.flows.inventory_sync.pattern": "event"})
    assert (events.topology.flows[0].pattern, events.topology.flows[0].every) == ("event", None)


def test_sweeping_every_on_an_event_flow_is_an_error_not_a_no_op() -> None:
    spec = parse_spec(scenario())
    with pytest.raises(SpecError, match="'inventory_sync' is an event flow, so `every` \\(900\\)"):
        apply_overrides(spec, {"topology.flows.inventory_sync.every": 900}, "variants[every=900]")


def test_a_variant_setting_events_and_a_schedule_at_once_is_still_an_error() -> None:
    [events_flow] = ESTATE["flows"]
    batch = {**events_flow, "pattern": "batch", "every": 3600}
    spec = parse_spec(scenario(topology={**ESTATE, "flows": [batch]}))
    both = {"topology.flows.0.pattern": "event", "topology.flows.inventory_sync.every": 900}
    with pytest.raises(SpecError, match="'inventory_sync' is an event flow, so `every` \\(900\\)"):
        apply_overrides(spec, both, "variants[x]")


def test_seed_and_replications_belong_to_the_study_not_a_variant() -> None:
    spec = parse_spec(scenario())
    with pytest.raises(SpecError) as caught:
        apply_overrides(spec, {"seed": 2, "replications": 9}, "sweep")
    assert caught.value.problems == [
        "sweep.overrides[seed]: the seed is the study's, shared by every variant; "
        "give --seed to change it (got 2)",
        "sweep.overrides[replications]: replications are the study's, the same for every "
        "variant; give --replications to change them (got 9)",
    ]


def test_an_override_naming_no_flow_says_which_names_exist() -> None:
    bad = scenario(
        variants=[{"name": "x", "overrides": {"topology.flows.nightly.pattern": "batch"}}]
    )
    assert problems(bad) == [
        "variants[x].overrides[topology.flows.nightly.pattern]: topology.flows: no item of that "
        "name (got 'nightly'); known: inventory_sync"
    ]


def test_an_override_with_a_misspelt_flow_suggests_the_flow() -> None:
    bad = scenario(
        variants=[{"name": "x", "overrides": {"topology.flows.inventroy_sync.pattern": "batch"}}]
    )
    assert problems(bad) == [
        "variants[x].overrides[topology.flows.inventroy_sync.pattern]: topology.flows: no item "
        "of that name (got 'inventroy_sync'); did you mean 'inventory_sync'?"
    ]


def test_every_library_scenario_loads_with_all_its_variants() -> None:
    names = sorted(p.stem for p in LIBRARY.glob("*.yaml"))
    assert {
        "baseline-day",
        "peak-season",
        "erp-outage-at-peak",
        "wms-latency-degradation",
        "inventory-sync-patterns",
        "point-to-point-vs-hub",
        "legacy-vs-cloud-erp",
        "edi-partner-onboarding",
        "month-end-close",
        "web-order-600-lines",
        "integration-patterns",
        "order-sourcing",
    } <= set(names)
    for name in names:
        spec = load_spec(name)
        for variant in spec.variant_names():
            assert spec.variant(variant).name == spec.name


def test_an_unknown_scenario_lists_the_library(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="baseline-day"):
        load_spec("no-such-scenario")
    path = tmp_path / "list.yaml"
    path.write_text(yaml.safe_dump([1, 2]))
    with pytest.raises(SpecError, match="a scenario is a mapping"):
        load_spec(path)
