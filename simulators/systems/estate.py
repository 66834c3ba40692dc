"""A distributor's estate, generated from a seed: catalog, customers, contract prices, stock.

The demo data of ``crossdock serve`` and the default world of ``twin`` and ``simulate``. SKUs
carry a product family so a person reading an event can tell a pipe fitting from a breaker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from reference.domain.availability import Inventory, StockPosition
from simulators.behavior.streams import spawn_stream
from simulators.systems.erp import CustomerRecord, Erp
from simulators.systems.finance import Finance
from simulators.systems.tms import Tms
from simulators.systems.wms import Wms

FAMILIES = ("PLB", "ELC", "HVC", "FST", "CHM", "SAF")  # CHM (chemicals) is restricted in CA
REGIONS = ("GA", "TX", "CA", "NY", "IL", "WA")
NODES = ("DC-ATL", "DC-DFW", "DC-RNO")


@dataclass(frozen=True, slots=True)
class Customer:
    customer_id: str
    name: str
    region: str
    credit_limit: Decimal
    tax_rate: Decimal
    discount: Decimal


@dataclass(slots=True)
class Estate:
    seed: int
    skus: list[str]
    list_prices: dict[str, Decimal]
    popularity: np.ndarray
    customers: list[Customer]
    contract_prices: dict[tuple[str, str], Decimal]
    restricted: dict[str, frozenset[str]]
    nodes: tuple[str, ...]
    stock: dict[str, dict[str, int]] = field(default_factory=dict)  # node -> sku -> on hand

    def opening_stock(self, safety_stock: int = 0) -> Inventory:
        """The hub's opening projection of this estate's stock: what every world starts from."""
        return Inventory(
            {
                (node, sku): StockPosition(on_hand=qty, safety_stock=safety_stock)
                for node, stock in self.stock.items()
                for sku, qty in stock.items()
            }
        )

    def erp(self, idempotent: bool = True) -> Erp:
        return Erp(
            customers={
                c.customer_id: CustomerRecord(c.customer_id, c.credit_limit, c.tax_rate)
                for c in self.customers
            },
            contract_prices=dict(self.contract_prices),
            restricted=dict(self.restricted),
            idempotent=idempotent,
        )

    def wms(self, node: str, short_pick_rate: float) -> Wms:
        return Wms(node, dict(self.stock[node]), short_pick_rate, self.seed)

    def systems(self, short_pick_rate: float = 0.05) -> dict[str, object]:
        """Fresh models of every system, keyed by the name the hub calls them by."""
        models: dict[str, object] = {"erp": self.erp(), "tms": Tms(), "finance": Finance()}
        for node in self.nodes:
            models[f"wms:{node}"] = self.wms(node, short_pick_rate)
        return models


def build_estate(
    seed: int,
    *,
    skus: int = 240,
    customers: int = 60,
    nodes: tuple[str, ...] = NODES,
    expected_units: int = 20_000,
    coverage: float = 0.85,
    skew: float = 1.05,
) -> Estate:
    """An estate whose stock covers ``coverage`` of ``expected_units`` of demand, spread
    unevenly over ``nodes`` so that orders split and some lines backorder. SKU popularity is
    Zipf-like with exponent ``skew`` (0: every SKU equally popular)."""
    if skus < 1 or customers < 1 or not nodes:
        raise ValueError(f"an estate needs skus(={skus}), customers(={customers}) and nodes >= 1")
    rng = spawn_stream(seed, "estate")
    codes = [f"{FAMILIES[i % len(FAMILIES)]}-{1000 + i}" for i in range(skus)]
    list_prices = {
        sku: Decimal(str(round(float(rng.lognormal(3.0, 0.9)), 2))).quantize(Decimal("0.01"))
        + Decimal("0.50")
        for sku in codes
    }
    weights = 1.0 / np.arange(1, skus + 1) ** skew  # Zipf-like popularity
    rng.shuffle(weights)
    popularity = weights / weights.sum()
    people = []
    for i in range(customers):
        tight = rng.random() < 0.05  # a few customers live close to their credit limit
        people.append(
            Customer(
                customer_id=f"CUST-{1001 + i}",
                name=f"Customer {1001 + i}",
                region=REGIONS[int(rng.integers(len(REGIONS)))],
                credit_limit=Decimal(1_500 if tight else 5_000_000),
                tax_rate=Decimal(str(round(float(rng.choice([0.0, 0.0625, 0.0725, 0.08])), 4))),
                discount=Decimal(str(round(float(rng.choice([0.0, 0.05, 0.1, 0.15])), 2))),
            )
        )
    contract = {
        (c.customer_id, sku): (price * (1 - c.discount)).quantize(Decimal("0.01"))
        for c in people
        for sku, price in list_prices.items()
    }
    restricted = {sku: frozenset({"CA"}) for sku in codes if sku.startswith("CHM")}
    stock: dict[str, dict[str, int]] = {node: {} for node in nodes}
    for sku, share in zip(codes, popularity, strict=True):
        total = round(expected_units * share * coverage)
        split = rng.dirichlet(np.full(len(nodes), 0.6))
        for node, part in zip(nodes, split, strict=True):
            stock[node][sku] = int(total * part)
    return Estate(
        seed, codes, list_prices, popularity, people, contract, restricted, tuple(nodes), stock
    )


def example_order(
    estate: Estate,
    number: str,
    *,
    lines: int = 2,
    quantity: int = 1,
    customer_index: int = 0,
    channel: str = "web",
    skus: list[str] | None = None,
    price_factor: Decimal = Decimal(1),
) -> dict[str, Any]:
    """A POST /v1/orders body this estate accepts: a customer in good standing, contract
    prices, the best-stocked SKUs the customer may buy (or ``skus``). The one recipe for a valid
    order, used by `crossdock example order`, the OpenAPI example, the contract examples and the
    tests. ``price_factor`` other than 1 prices every line off contract, which ERP refuses."""
    good = [c for c in estate.customers if c.credit_limit >= 100_000]
    customer = good[customer_index % len(good)]
    chosen = skus or sellable_skus(estate, customer)[:lines]
    priced = [
        (sku, quantity, estate.contract_prices[(customer.customer_id, sku)] * price_factor)
        for sku in chosen
    ]
    return order_body(number, customer.customer_id, customer.region, priced, channel)


def order_body(
    number: str,
    customer_id: str,
    region: str,
    lines: list[tuple[str, int, Decimal | str]],
    channel: str = "web",
) -> dict[str, Any]:
    """A POST /v1/orders body on the wire: ``lines`` are (sku, quantity, unit price)."""
    return {
        "order_number": number,
        "customer_id": customer_id,
        "channel": channel,
        "currency": "USD",
        "ship_to": {
            "name": "Receiving",
            "line1": "1 Dock Way",
            "city": "Anytown",
            "region": region,
            "postal_code": "00000",
            "country": "US",
        },
        "lines": [
            {
                "line_no": n,
                "sku": sku,
                "quantity": quantity,
                "unit_price": str(Decimal(price).quantize(Decimal("0.01"))),
            }
            for n, (sku, quantity, price) in enumerate(lines, start=1)
        ],
    }


def sellable_skus(estate: Estate, customer: Customer) -> list[str]:
    """SKUs the customer may receive, the best stocked first (ties by code)."""
    stocked = sorted(estate.skus, key=lambda s: (-max(estate.stock[n][s] for n in estate.nodes), s))
    return [s for s in stocked if customer.region not in estate.restricted.get(s, ())]
