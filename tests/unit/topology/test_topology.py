"""The networkx view of an estate: interface counts, critical path, ownership, cycles."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from reports.topology import draw
from scenarios.topology import Flow, SystemNode, TopologyError, TopologySpec, analyse


def system(name: str, kind: str, **kw: object) -> SystemNode:
    return SystemNode.model_validate({"name": name, "kind": kind, **kw})


def flow(name: str, source: str, target: str, data: str, pattern: str = "event", **kw: object):
    return Flow.model_validate(
        {"name": name, "source": source, "target": target, "data": data, "pattern": pattern, **kw}
    )


def four_nodes_sharing_stock() -> TopologySpec:
    """Four systems that each publish and each need inventory, through one hub."""
    names = ["webshop", "amazon", "erp", "wms-east"]
    kinds = ["storefront", "marketplace", "erp", "wms"]
    systems = [system(n, k) for n, k in zip(names, kinds, strict=True)]
    systems[3] = system("wms-east", "wms", node="DC-EAST", owns=["inventory"])
    flows = [flow(f"{n}-out", n, "hub", "inventory") for n in names]
    flows += [flow(f"{n}-in", "hub", n, "inventory") for n in names]
    return TopologySpec(systems=[*systems, system("hub", "hub")], flows=flows)


def test_four_systems_sharing_a_domain_need_n_n_minus_1_interfaces_point_to_point_and_2n_via_hub():
    report = analyse(four_nodes_sharing_stock())

    assert report.point_to_point_interfaces == 4 * 3
    assert report.hub_interfaces == 2 * 4
    assert report.interfaces_saved == 4
    assert report.interfaces_by_domain == {"inventory": 12}


def test_interfaces_are_counted_per_domain_between_its_producers_and_consumers():
    spec = TopologySpec(
        systems=[
            system("webshop", "storefront"),
            system("amazon", "marketplace"),
            system("erp", "erp", owns=["orders", "prices"]),
            system("wms-east", "wms", owns=["inventory"]),
            system("hub", "hub"),
        ],
        flows=[
            flow("shop-orders", "webshop", "hub", "orders"),
            flow("amazon-orders", "amazon", "hub", "orders"),
            flow("orders-erp", "hub", "erp", "orders"),
            flow("release", "hub", "wms-east", "orders"),
            flow("prices", "erp", "webshop", "prices", "batch", every=86400),
        ],
    )
    report = analyse(spec)

    # orders: 2 producers x 2 consumers; prices: erp -> webshop
    assert report.interfaces_by_domain == {"orders": 4, "prices": 1}
    assert report.point_to_point_interfaces == 5
    # producers webshop, amazon, erp; consumers erp, wms-east, webshop
    assert report.hub_interfaces == 6


def test_composed_availability_of_a_sync_chain_is_the_product_of_its_systems():
    spec = TopologySpec(
        systems=[
            system("webshop", "storefront", availability=0.999),
            system("hub", "hub", availability=0.9995),
            system("erp", "erp", availability=0.99, owns=["orders", "prices"]),
            system("bi", "bi", availability=0.5),
        ],
        flows=[
            flow("capture", "webshop", "hub", "orders", "sync_api", critical=True),
            flow("price-check", "hub", "erp", "prices", "sync_api", critical=True),
            flow("report", "hub", "bi", "orders", "sync_api"),  # sync but not on capture path
            flow("feed", "erp", "bi", "prices", "event", critical=True),  # critical but async
        ],
    )
    report = analyse(spec)

    assert report.critical_path == ("webshop", "hub", "erp")
    assert report.critical_flows == ("capture", "price-check")
    assert math.isclose(report.critical_availability, 0.999 * 0.9995 * 0.99)
    assert math.isclose(report.critical_downtime_hours_per_year, (1 - 0.999 * 0.9995 * 0.99) * 8760)


def test_an_estate_without_critical_flows_is_fully_available():
    report = analyse(four_nodes_sharing_stock())

    assert report.critical_path == ()
    assert report.critical_availability == 1.0


def test_a_domain_with_two_owners_names_the_domain_and_both_systems():
    spec = TopologySpec(
        systems=[
            system("erp", "erp", owns=["inventory", "orders"]),
            system("wms-east", "wms", owns=["inventory"]),
        ],
        flows=[flow("stock", "wms-east", "erp", "inventory")],
    )
    with pytest.raises(TopologyError, match=r"'inventory'.*erp, wms-east") as caught:
        analyse(spec)

    assert caught.value.conflicts == {"inventory": ["erp", "wms-east"]}


def test_a_domain_that_flows_without_an_owner_is_an_error():
    spec = TopologySpec(
        systems=[system("erp", "erp"), system("finance", "finance")],
        flows=[flow("journals", "erp", "finance", "journals", "batch", every=86400)],
    )
    with pytest.raises(TopologyError, match=r"'journals'.*no system owns it"):
        analyse(spec)


def test_system_of_record_lists_one_owner_per_domain():
    report = analyse(four_nodes_sharing_stock())

    assert report.system_of_record == {"inventory": "wms-east"}


def test_inventory_echoing_back_to_the_erp_is_a_cycle():
    spec = TopologySpec(
        systems=[
            system("erp", "erp"),
            system("hub", "hub"),
            system("wms-east", "wms", owns=["inventory"]),
        ],
        flows=[
            flow("erp-stock", "erp", "hub", "inventory", "batch", every=3600),
            flow("to-wms", "hub", "wms-east", "inventory"),
            flow("wms-stock", "wms-east", "erp", "inventory"),
        ],
    )
    (cycle,) = analyse(spec).cycles

    assert cycle.data == "inventory"
    assert set(cycle.systems) == {"erp", "hub", "wms-east"}


def test_requests_and_replies_of_different_domains_are_not_cycles():
    spec = TopologySpec(
        systems=[system("webshop", "storefront"), system("erp", "erp", owns=["orders", "prices"])],
        flows=[
            flow("orders", "webshop", "erp", "orders"),
            flow("prices", "erp", "webshop", "prices"),
        ],
    )
    assert analyse(spec).cycles == ()


@pytest.mark.parametrize(
    ("flows", "message"),
    [
        ([flow("x", "erp", "wms-west", "orders")], "target 'wms-west', which is not a declared"),
        (
            [{"name": "x", "source": "erp", "target": "hub", "data": "prices", "pattern": "batch"}],
            "batch flow and needs `every`",
        ),
        (
            [
                {
                    "name": "x",
                    "source": "erp",
                    "target": "hub",
                    "data": "prices",
                    "pattern": "event",
                    "every": 900,
                }
            ],
            r"'x' is an event flow, so `every` \(900\) would be ignored",
        ),
        (
            [flow("x", "erp", "hub", "orders"), flow("x", "hub", "erp", "orders")],
            "flow name 'x' is declared more than once",
        ),
    ],
)
def test_a_bad_topology_is_refused_naming_the_bad_value(flows: list, message: str):
    with pytest.raises(ValidationError, match=message):
        TopologySpec.model_validate(
            {
                "systems": [{"name": "erp", "kind": "erp"}, {"name": "hub", "kind": "hub"}],
                "flows": flows,
            }
        )


def test_availability_must_be_a_probability():
    with pytest.raises(ValidationError, match="availability"):
        SystemNode(name="erp", kind="erp", availability=1.5)


def test_the_picture_is_a_png(tmp_path):
    path = draw(four_nodes_sharing_stock(), tmp_path / "estate.png")

    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
