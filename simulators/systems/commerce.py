"""The commerce channels: a seeded stream of orders, a few of them wrong the way real ones are.

Wrong orders are drawn at fixed rates: a stale price, an unknown customer, a re-sent order number.
Restricted ship-to and credit rejections arise from the estate itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from reference.domain.model import Address, Channel, Order, OrderLine
from simulators.behavior.streams import spawn_stream
from simulators.systems.estate import Estate

CHANNELS = (Channel.WEB, Channel.MARKETPLACE, Channel.EDI, Channel.SALES_REP)


@dataclass(frozen=True, slots=True)
class Arrival:
    time: float
    order_id: str
    correlation_id: str
    order: Order


@dataclass(frozen=True, slots=True)
class Demand:
    orders: int
    mean_interarrival: float = 2.0  # seconds
    mean_lines: float = 4.0
    channel_mix: tuple[float, ...] = (0.5, 0.2, 0.2, 0.1)
    stale_price_rate: float = 0.02
    unknown_customer_rate: float = 0.01
    resend_rate: float = 0.01


def order_stream(
    estate: Estate,
    demand: Demand,
    seed: int,
    interarrival: Callable[[np.random.Generator], float] | None = None,
) -> list[Arrival]:
    """``demand.orders`` arrivals in time order; ``interarrival`` overrides the Poisson gaps."""
    rng = spawn_stream(seed, "commerce")
    mix = np.asarray(demand.channel_mix, dtype=float)
    mix = mix / mix.sum()
    arrivals: list[Arrival] = []
    placed: list[Order] = []
    now = 0.0
    for n in range(demand.orders):
        gap = (
            interarrival(rng) if interarrival else float(rng.exponential(demand.mean_interarrival))
        )
        now += gap
        customer = estate.customers[int(rng.integers(len(estate.customers)))]
        order_number = f"PO-{seed}-{100000 + n}"
        if placed and rng.random() < demand.resend_rate:
            # The channel re-sends an order it already placed, under the same number.
            prior = placed[int(rng.integers(len(placed)))]
            order = prior
        else:
            order = _order(
                estate,
                demand,
                rng,
                customer.customer_id,
                customer.region,
                order_number,
                CHANNELS[int(rng.choice(len(CHANNELS), p=mix))],
            )
        placed.append(order)
        arrivals.append(Arrival(now, f"SO-{n + 1:07d}", f"corr-{seed}-{n + 1}", order))
    return arrivals


def _order(
    estate: Estate,
    demand: Demand,
    rng: np.random.Generator,
    customer_id: str,
    region: str,
    order_number: str,
    channel: Channel,
) -> Order:
    count = min(len(estate.skus), 1 + int(rng.poisson(max(demand.mean_lines - 1, 0.0))))
    picks = rng.choice(len(estate.skus), size=count, replace=False, p=estate.popularity)
    stale = rng.random() < demand.stale_price_rate
    if rng.random() < demand.unknown_customer_rate:
        customer_id = "CUST-0000"
    lines = []
    for line_no, index in enumerate(picks, start=1):
        sku = estate.skus[int(index)]
        price = estate.contract_prices.get((customer_id, sku), estate.list_prices[sku])
        if stale and line_no == 1:
            price = (price * Decimal("1.04")).quantize(Decimal("0.01"))
        quantity = 1 + int(rng.geometric(0.35)) - 1 + int(rng.integers(0, 3))
        lines.append(OrderLine(line_no=line_no, sku=sku, quantity=quantity, unit_price=price))
    return Order(
        order_number=order_number,
        customer_id=customer_id,
        channel=channel,
        currency="USD",
        ship_to=Address(
            name=f"{customer_id} receiving",
            line1="1 Dock Way",
            city="Anytown",
            region=region,
            postal_code="00000",
            country="US",
        ),
        lines=lines,
    )
