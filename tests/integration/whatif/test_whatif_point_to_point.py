"""Point to point against a hub, shrunk: the interfaces, the duplicate orders and an ERP outage's
cost all differ, for the reasons the report gives."""

from __future__ import annotations

import re

import pytest

from reports.styles import styles_section
from scenarios.results import StudyResult
from scenarios.spec import ScenarioSpec, Variant, load_spec
from scenarios.topology import analyse

from .support import shrunk, study

SHORT = {
    "demand.orders_per_day": 3000,
    "demand.hourly_profile": None,
    "warm_up": "30m",
    "horizon": "5h",
    "drain": "3h",
    "faults": [{"system": "erp", "kind": "outage", "start": "2h", "end": "2h45m"}],
}
CALM = {"faults": []}


@pytest.fixture(scope="module")
def spec() -> ScenarioSpec:
    base = load_spec("point-to-point-vs-hub")
    p2p = base.variant("point-to-point").topology.model_dump(mode="json")
    return shrunk(
        "point-to-point-vs-hub",
        SHORT,
        variants=[
            Variant(name="hub"),
            Variant(name="point-to-point", overrides={"topology": p2p}),
            Variant(name="point-to-point-calm", overrides={"topology": p2p, **CALM}),
        ],
    )


@pytest.fixture(scope="module")
def result(spec: ScenarioSpec) -> StudyResult:
    return study(spec, replications=2)


def runs(result: StudyResult, variant: str, kpi: str) -> list[float]:
    return [r.kpis[kpi] for r in result.runs if r.variant == variant]


def test_point_to_point_runs_an_interface_per_producer_and_consumer_pair():
    base = load_spec("point-to-point-vs-hub")
    hub = analyse(base.variant("canonical-hub").topology)
    p2p = analyse(base.variant("point-to-point").topology)
    # through the hub: one adapter per system and direction (9 systems, 5 of them both ways)
    assert hub.hub_interfaces == 14
    # point to point: e.g. orders from 3 channels to the ERP, from the ERP to the WMS, CRM, BI,
    # the partner..., each pair its own interface
    assert p2p.point_to_point_interfaces == 34
    assert p2p.interfaces_by_domain["orders"] == 18


def test_without_a_hub_redelivered_webhooks_and_resent_numbers_become_duplicate_orders(result):
    assert runs(result, "hub", "duplicate_orders") == [0.0, 0.0]
    assert min(runs(result, "hub", "duplicates_suppressed")) > 5
    assert min(runs(result, "point-to-point", "duplicate_orders")) > 5
    assert runs(result, "point-to-point", "duplicates_suppressed") == [0.0, 0.0]


def test_an_erp_outage_loses_point_to_point_orders_that_the_hub_parks_and_replays(result):
    # the hub takes every order and parks the ERP calls the outage fails
    assert runs(result, "hub", "orders_lost") == [0.0, 0.0]
    assert min(runs(result, "hub", "dead_letters")) > 20
    # point to point, a webhook that meets the outage gives up after its retries: ~45 minutes
    # of web and marketplace orders (125 an hour, 70 % of them) are lost
    lost = runs(result, "point-to-point", "orders_lost")
    assert all(25 < n < 120 for n in lost), lost
    assert runs(result, "point-to-point-calm", "orders_lost") == [0.0, 0.0]
    # a lost order was placed all the same: the customers sent as many in every variant
    placed = runs(result, "hub", "orders_placed")
    assert runs(result, "point-to-point", "orders_placed") == placed
    assert runs(result, "point-to-point-calm", "orders_placed") == placed
    # the calls the outage failed: parked and replayed by the hub, dropped point to point
    assert runs(result, "hub", "calls_dropped") == [0.0, 0.0]
    assert min(runs(result, "point-to-point", "calls_dropped")) > 20
    assert runs(result, "point-to-point-calm", "calls_dropped") == [0.0, 0.0]
    # and invoices the ERP could not post are dropped, leaving their orders open (orders
    # waiting for backordered stock are open too, alike in every variant of a replication)
    hub = runs(result, "hub", "orders_stuck")
    p2p = runs(result, "point-to-point", "orders_stuck")
    calm = runs(result, "point-to-point-calm", "orders_stuck")
    assert all(p > h + 5 and p > c + 5 for h, p, c in zip(hub, p2p, calm, strict=True)), (
        hub,
        p2p,
        calm,
    )


def test_the_report_explains_each_difference(spec, result):
    html = styles_section(result, spec)
    for variant in ("point-to-point", "point-to-point-calm"):
        block = re.search(f'<div class="styles" data-variant="{variant}">(.*?)</div>', html, re.S)
        assert block is not None, html
        for item in ("interfaces", "duplicate_orders", "erp_outage"):
            assert f'data-explains="{item}"' in block.group(1)
    assert "erp down 02:00 to 02:45)" in html
    assert "erp down 02:00 to 02:45 in hub; none in point-to-point-calm" in html
