"""Orders and stock of the demo estate, for contract examples and provider states alike.

The hub under verification seeds ``build_estate(SEED)``, and `crossdock systems serve` serves
the same estate, so a consumer's example order (a real customer, its contract prices, stocked
SKUs) is one the provider accepts. Everything here is a pure function of the seed.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from simulators.systems.estate import Estate, build_estate, example_order
from simulators.systems.estate import sellable_skus as skus_for

SEED = 7  # `crossdock serve` and `crossdock systems serve` default to it too


@cache
def estate(seed: int = SEED) -> Estate:
    return build_estate(seed)


def sellable_skus(customer_id: str, seed: int = SEED) -> list[str]:
    """SKUs the customer may receive, the best stocked first."""
    world = estate(seed)
    customer = next(c for c in world.customers if c.customer_id == customer_id)
    return skus_for(world, customer)


def total_stock(sku: str, seed: int = SEED) -> int:
    world = estate(seed)
    return sum(world.stock[node][sku] for node in world.nodes)


def demo_order(
    number: str,
    *,
    channel: str = "web",
    lines: int = 1,
    quantity: int = 1,
    customer_index: int = 0,
    skus: list[str] | None = None,
    price_factor: Decimal = Decimal(1),
    seed: int = SEED,
) -> dict[str, Any]:
    """A valid order on the wire (API v1 createOrder body): contract prices, stocked SKUs;
    ``price_factor`` other than 1 prices every line off contract, which ERP refuses."""
    return example_order(
        estate(seed),
        number,
        lines=lines,
        quantity=quantity,
        customer_index=customer_index,
        channel=channel,
        skus=skus,
        price_factor=price_factor,
    )
