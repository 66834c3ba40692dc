"""``crossdock topology``: a good estate prints and draws; a bad one exits 2 naming why."""

from __future__ import annotations

import textwrap

from typer.testing import CliRunner

from crossdock.cli import app

ESTATE = """\
name: one-dc
description: a distributor with one DC and a webshop
topology:
  style: hub
  systems:
    - {name: webshop, kind: storefront, availability: 0.9995}
    - {name: hub, kind: hub, availability: 0.9995}
    - {name: erp, kind: erp, owns: [customers, prices, orders], availability: 0.995}
    - {name: wms-east, kind: wms, node: DC-EAST, owns: [inventory]}
  flows:
    - {name: capture, source: webshop, target: hub, data: orders, pattern: sync_api, critical: true}
    - {name: to-erp, source: hub, target: erp, data: orders, pattern: sync_api, critical: true}
    - {name: release, source: hub, target: wms-east, data: orders, pattern: event}
    - {name: stock, source: wms-east, target: hub, data: inventory, pattern: event}
    - {name: ats, source: hub, target: webshop, data: inventory, pattern: batch, every: 900}
"""


def run(*args: str):
    return CliRunner().invoke(app, ["topology", *args])


def test_a_good_estate_prints_the_analysis_and_draws_it(tmp_path):
    scenario = tmp_path / "one_dc.yaml"
    scenario.write_text(ESTATE)

    result = run(str(scenario), "--out", str(tmp_path / "out"))

    assert result.exit_code == 0, result.output
    assert "webshop → hub → erp" in result.output
    assert "99.4005%" in result.output  # 0.9995 * 0.9995 * 0.995
    assert (tmp_path / "out" / "one_dc-topology.png").read_bytes()[:4] == b"\x89PNG"


def test_two_owners_of_inventory_exit_2_naming_them(tmp_path):
    scenario = tmp_path / "conflict.yaml"
    scenario.write_text(
        ESTATE.replace(
            "owns: [customers, prices, orders]", "owns: [customers, prices, orders, inventory]"
        )
    )

    result = run(str(scenario), "--out", str(tmp_path))

    assert result.exit_code == 2
    assert "'inventory'" in result.output and "'wms-east'" in result.output
    assert "'erp' already owns" in result.output


def test_a_flow_to_an_undeclared_system_exits_2_naming_it(tmp_path):
    scenario = tmp_path / "typo.yaml"
    scenario.write_text(ESTATE.replace("target: wms-east", "target: wms-eats"))

    result = run(str(scenario), "--out", str(tmp_path))

    assert result.exit_code == 2
    assert "wms-eats" in result.output


def test_a_file_without_topology_or_a_missing_scenario_exits_2(tmp_path):
    scenario = tmp_path / "demand_only.yaml"
    scenario.write_text(textwrap.dedent("name: no-estate\ndemand: {orders_per_day: 400}\n"))

    result = run(str(scenario))
    assert result.exit_code == 2
    assert "topology" in result.output
    missing = run("no_such_scenario")
    assert missing.exit_code == 2
    assert "no_such_scenario" in missing.output


def test_each_variant_is_counted_and_drawn_on_its_own(tmp_path):
    result = run("point-to-point-vs-hub", "--variant", "all", "--out", str(tmp_path))

    assert result.exit_code == 0, result.output
    assert "point-to-point-vs-hub-canonical-hub: 10 systems, 21 flows, style hub" in result.output
    assert "point-to-point-vs-hub-point-to-point: 9 systems, 24 flows" in result.output
    for variant in ("canonical-hub", "point-to-point"):
        picture = tmp_path / f"point-to-point-vs-hub-{variant}-topology.png"
        assert picture.read_bytes()[:4] == b"\x89PNG"


def test_an_unknown_variant_exits_2_listing_the_known_ones(tmp_path):
    result = run("point-to-point-vs-hub", "--variant", "p2p", "--out", str(tmp_path))

    assert result.exit_code == 2
    assert "'p2p'" in result.output and "canonical-hub, point-to-point" in result.output
