"""Who is the system of record for commercial orders: the option and the topology agree."""

from __future__ import annotations

from scenarios.building import build_hub
from scenarios.spec import load_spec, validate
from scenarios.topology import analyse
from simulators.systems.estate import build_estate


def _estate_with_hub_owning_orders() -> dict:
    return {
        "name": "hub-owned",
        "topology": {
            "systems": [
                {"name": "hub", "kind": "hub", "owns": ["orders"]},
                {"name": "erp", "kind": "erp", "owns": ["customers"]},
            ],
            "flows": [
                {
                    "name": "so",
                    "source": "hub",
                    "target": "erp",
                    "data": "orders",
                    "pattern": "event",
                }
            ],
        },
    }


def test_the_library_estates_are_erp_owned_and_the_topology_says_so():
    spec = load_spec("baseline-day")
    assert spec.hub.order_ownership == "erp"
    assert analyse(spec.topology).system_of_record["orders"] == "erp"
    assert build_hub(spec, build_estate(spec.seed), spec.seed).config.order_ownership == "erp"


def test_a_topology_whose_hub_owns_orders_runs_in_hub_owned_mode():
    spec = validate(_estate_with_hub_owning_orders())
    assert spec.hub.order_ownership == "hub"
    assert analyse(spec.topology).system_of_record["orders"] == "hub"


def test_setting_the_option_moves_orders_to_the_system_of_its_kind():
    document = {**_estate_with_hub_owning_orders(), "hub": {"order_ownership": "erp"}}
    spec = validate(document)
    assert analyse(spec.topology).system_of_record["orders"] == "erp"
    assert [s.owns for s in spec.topology.systems] == [[], ["orders", "customers"]]


def test_a_variant_that_hands_orders_to_the_hub_moves_the_system_of_record():
    spec = load_spec("baseline-day").model_dump(mode="json")
    spec["variants"] = [{"name": "hub-owned", "overrides": {"hub.order_ownership": "hub"}}]
    variant = validate(spec).variant("hub-owned")
    assert variant.hub.order_ownership == "hub"
    assert analyse(variant.topology).system_of_record["orders"] == "hub"
