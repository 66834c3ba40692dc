"""Order bodies that the seeded demo estate accepts, drawn from a seeded stream.

A load test needs orders that mostly pass validation (customers in good standing, contract prices,
SKUs the customer may buy), shaped like the channel sending them: a web basket of a few lines,
an EDI purchase order of dozens. Each virtual user draws from its own stream, so the same seed and
user number give the same orders.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from functools import cache
from typing import Any

from simulators.systems.estate import order_body

CHANNEL_LINES = {"web": (1, 4), "marketplace": (1, 2), "edi": (10, 40), "sales_rep": (2, 8)}


@dataclass(frozen=True)
class Sellable:
    customer_id: str
    region: str
    lines: tuple[tuple[str, str], ...]  # (sku, contract unit price)


@cache
def sellable(seed: int) -> tuple[Sellable, ...]:
    """Per customer in good standing: what they may buy from stock, at their contract price."""
    from crossdock.compose import demo_estate

    estate = demo_estate(seed)
    stocked = [s for s in estate.skus if sum(estate.stock[n][s] for n in estate.nodes) > 50]
    book = []
    for customer in estate.customers:
        if customer.credit_limit < 100_000:
            continue
        allowed = tuple(
            (sku, str(estate.contract_prices[(customer.customer_id, sku)]))
            for sku in stocked
            if customer.region not in estate.restricted.get(sku, ())
        )
        if allowed:
            book.append(Sellable(customer.customer_id, customer.region, allowed))
    return tuple(book)


class OrderBook:
    """Valid orders for one virtual user; ``seed`` is the estate's, ``stream`` the user's."""

    def __init__(self, seed: int, stream: int) -> None:
        self.customers = sellable(seed)
        self.random = random.Random(f"{seed}:{stream}")

    def sku(self) -> str:
        return self.random.choice(self.random.choice(self.customers).lines)[0]

    def order(self, channel: str = "web", lines: int | None = None) -> dict[str, Any]:
        customer = self.random.choice(self.customers)
        low, high = CHANNEL_LINES[channel]
        count = min(lines or self.random.randint(low, high), len(customer.lines))
        picked = self.random.sample(customer.lines, count)
        number = uuid.UUID(int=self.random.getrandbits(128)).hex[:16].upper()
        priced = [(sku, self.random.randint(1, 3), price) for sku, price in picked]
        number = f"LOAD-{channel[:3].upper()}-{number}"
        return order_body(number, customer.customer_id, customer.region, priced, channel)

    def key(self) -> str:
        return str(uuid.UUID(int=self.random.getrandbits(128)))
