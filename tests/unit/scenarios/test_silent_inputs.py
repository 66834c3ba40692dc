"""Inputs that used to be ignored without a word: each is now an error that names its path, the
value as written, and the file and line it was written on."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.spec import LIBRARY, SpecError, load_spec

OUTAGE = (LIBRARY / "erp-outage-at-peak.yaml").read_text(encoding="utf-8")


def written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pipe-fittings.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, line: str) -> int:
    """The 1-based number of the first line that reads ``line`` (leading spaces ignored)."""
    return [raw.strip() for raw in text.splitlines()].index(line.strip()) + 1


def refused(path: Path) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    return str(caught.value).splitlines()[1:]


def test_a_fault_on_a_system_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    text = OUTAGE.replace("- system: erp\n", "- system: erpp\n")
    path = written(tmp_path, text)
    assert refused(path) == [
        f"  {path}:{line_of(text, '- system: erpp')}: faults[0].system: no such system in this "
        "run (got 'erpp'); did you mean 'erp'?"
    ]


def test_a_systems_key_in_the_wrong_case_is_an_error(tmp_path: Path) -> None:
    text = OUTAGE + "systems:\n  ERP:\n    workers: 4\n"
    path = written(tmp_path, text)
    assert refused(path) == [
        f"  {path}:{line_of(text, 'ERP:')}: systems.ERP: no such system in this run "
        "(got 'ERP'); did you mean 'erp'?"
    ]


def test_a_fault_naming_a_topology_system_says_what_the_run_calls_it(tmp_path: Path) -> None:
    text = OUTAGE.replace("- system: erp\n", "- system: edi-partner\n")
    [problem] = refused(written(tmp_path, text))
    assert problem.endswith(
        "faults[0].system: no such system in this run (got 'edi-partner'); the topology's "
        "'edi-partner' is called 'edi' here"
    )


def test_a_receiver_takes_no_workers(tmp_path: Path) -> None:
    text = OUTAGE + "systems:\n  crm:\n    workers: 2\n"
    [problem] = refused(written(tmp_path, text))
    assert "systems.crm.workers: crm receives deliveries and does not queue" in problem
    assert problem.endswith("(got 2)")


def test_the_inventory_feed_takes_its_feed_fields_in_every_variant(tmp_path: Path) -> None:
    text = OUTAGE + (
        "systems:\n  inventory_feed:\n    loss_rate: 0.01\n    duplicate_rate: 0.02\n"
        "    snapshot_latency:\n      kind: fixed\n      seconds: 120\n"
    )
    spec = load_spec(written(tmp_path, text))
    assert spec.systems["inventory_feed"].loss_rate == 0.01


def test_the_inventory_feed_takes_no_workers(tmp_path: Path) -> None:
    text = OUTAGE + "systems:\n  inventory_feed:\n    workers: 3\n"
    [problem] = refused(written(tmp_path, text))
    assert "systems.inventory_feed.workers: inventory_feed is a feed, not a system" in problem
    assert problem.endswith("(got 3)")


def test_a_loss_rate_on_a_system_that_is_not_a_feed_is_an_error(tmp_path: Path) -> None:
    text = OUTAGE + "systems:\n  erp:\n    loss_rate: 0.05\n"
    [problem] = refused(written(tmp_path, text))
    assert "systems.erp.loss_rate: only inventory_feed reads loss_rate; erp would ignore it" in (
        problem
    )
    assert problem.endswith("(got 0.05)")


def test_two_systems_of_record_for_one_domain_are_refused_on_load(tmp_path: Path) -> None:
    text = OUTAGE.replace(
        "    - invoices\n", "    - invoices\n    - inventory\n", 1
    )  # the ERP claims inventory, which the WMS owns
    path = written(tmp_path, text)
    [problem] = refused(path)
    wms_owns = line_of(text, "- name: wms") + 3
    assert text.splitlines()[wms_owns - 1].strip() == "owns:"
    assert problem == (
        f"  {path}:{wms_owns}: topology.systems[2].owns: 'wms' claims 'inventory', which 'erp' "
        "already owns (topology.systems[1]); exactly one system is the system of record of a "
        "data domain (got ['inventory', 'shipments'])"
    )


def test_a_domain_that_flows_with_no_owner_is_refused(tmp_path: Path) -> None:
    text = OUTAGE.replace("    - inventory\n    - shipments\n", "    - inventory\n", 1)
    assert text != OUTAGE
    [problem] = refused(written(tmp_path, text))
    assert "no system owns 'shipments', which flows here" in problem


def test_flows_take_durations_like_the_rest_of_the_spec(tmp_path: Path) -> None:
    text = OUTAGE.replace("every: 1800", "every: 30m").replace("every: 3600", "every: 1h")
    assert text != OUTAGE
    assert load_spec(written(tmp_path, text)) == load_spec("erp-outage-at-peak")


def test_a_flow_duration_that_is_not_one_names_its_line(tmp_path: Path) -> None:
    text = OUTAGE.replace("every: 1800", "every: half an hour", 1)
    path = written(tmp_path, text)
    [problem] = refused(path)
    assert problem.startswith(f"  {path}:{line_of(text, 'every: half an hour')}: topology.flows[")
    assert problem.endswith("(got 'half an hour')")


def test_a_misspelt_field_deep_in_a_behaviour_suggests_the_field(tmp_path: Path) -> None:
    text = OUTAGE + "systems:\n  erp:\n    latency:\n      kind: lognormal\n      mediam: 1\n"
    path = written(tmp_path, text)
    problems = refused(path)
    assert (
        f"  {path}:{line_of(text, 'mediam: 1')}: systems.erp.latency.lognormal.mediam: no such "
        "field here (got 1); did you mean 'median'?"
    ) in problems


def test_a_variant_problem_points_at_the_override_that_caused_it(tmp_path: Path) -> None:
    text = OUTAGE.replace("    hub.dead_letters: false\n", "    hub.replay_every: soon\n")
    path = written(tmp_path, text)
    [problem] = refused(path)
    assert problem.startswith(
        f"  {path}:{line_of(text, 'hub.replay_every: soon')}: "
        "variants[outage-45m-no-dlq].overrides[hub.replay_every]: hub.replay_every: a duration"
    )


def test_a_base_problem_is_said_once_not_again_for_every_variant(tmp_path: Path) -> None:
    text = OUTAGE + "systems:\n  ERP:\n    workers: 4\n"
    assert len(refused(written(tmp_path, text))) == 1


def test_a_yaml_syntax_error_names_its_line(tmp_path: Path) -> None:
    text = OUTAGE.replace("  kind: outage\n", "  kind: [outage\n", 1)
    path = written(tmp_path, text)
    [problem] = refused(path)
    assert problem.startswith(f"  {path}:")
    assert ": <yaml>: " in problem


def test_an_unknown_library_name_suggests_the_nearest(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="did you mean 'peak-season'"):
        load_spec("peak-seasn")


def test_a_behaviour_profile_reads_durations_like_the_rest_of_the_scenario(tmp_path: Path) -> None:
    profile = (
        "systems:\n  erp:\n    latency: {kind: lognormal, median: 2s, p99: 1m}\n"
        "    errors:\n      timeout_after: 30m\n"
        "    outages:\n    - {start: 11h, end: 11h45m}\n"
    )
    erp = load_spec(written(tmp_path, OUTAGE + profile)).systems["erp"]
    assert (erp.latency.median, erp.latency.p99) == (2.0, 60.0)  # type: ignore[union-attr]
    assert erp.errors.timeout_after == 1800.0
    assert (erp.outages[0].start, erp.outages[0].end) == (39600.0, 42300.0)


def test_a_duration_a_behaviour_profile_cannot_read_names_path_and_value(tmp_path: Path) -> None:
    text = OUTAGE + "systems:\n  erp:\n    errors:\n      timeout_after: 30 minutes\n"
    [problem] = refused(written(tmp_path, text))
    assert "systems.erp.errors.timeout_after: " in problem
    assert "a duration is seconds or a number with a unit s, m, h or d" in problem
    assert "(got '30 minutes')" in problem
