"""Orders and stock of the demo estate, for contract examples and provider states alike.

The hub under verification seeds ``build_estate(SEED)``, and `crossdock systems serve` serves
the same estate, so a consumer's example order (a real customer, its contract prices, stocked
SKUs) is one the provider accepts. Everything here is a pure function of the seed.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from simulators.systems.estate import Estate, build_estate

SEED = 7  # `crossdock serve` and `crossdock systems serve` default to it too


@cache
def estate(seed: int = SEED) -> Estate:
    return build_estate(seed)


def _customer(customer_index: int, seed: int) -> Any:
    good = sorted(
        (c for c in estate(seed).customers if c.credit_limit >= 100_000),
        key=lambda c: c.customer_id,
    )
    return good[customer_index % len(good)]


def sellable_skus(customer_id: str, seed: int = SEED) -> list[str]:
    """SKUs the customer has a contract price for and may receive, the best stocked first."""
    world = estate(seed)
    customer = next(c for c in world.customers if c.customer_id == customer_id)
    stocked = sorted(world.skus, key=lambda s: (-max(world.stock[n][s] for n in world.nodes), s))
    return [
        s
        for s in stocked
        if customer.region not in world.restricted.get(s, ())
        and (customer_id, s) in world.contract_prices
    ]


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
    """A valid order on the wire (API v1 createOrder body): contract prices, stocked SKUs.

    ``price_factor`` other than 1 prices every line off contract, which ERP refuses.
    """
    world = estate(seed)
    customer = _customer(customer_index, seed)
    chosen = skus or sellable_skus(customer.customer_id, seed)[:lines]
    return {
        "order_number": number,
        "customer_id": customer.customer_id,
        "channel": channel,
        "currency": "USD",
        "ship_to": {
            "name": "Receiving",
            "line1": "1 Dock Way",
            "city": "Anytown",
            "region": customer.region,
            "postal_code": "00000",
            "country": "US",
        },
        "lines": [
            {
                "line_no": n,
                "sku": sku,
                "quantity": quantity,
                "unit_price": str(
                    (world.contract_prices[(customer.customer_id, sku)] * price_factor).quantize(
                        Decimal("0.01")
                    )
                ),
            }
            for n, sku in enumerate(chosen, start=1)
        ],
    }
