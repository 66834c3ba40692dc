"""Demand as a stream: a non-homogeneous Poisson arrival profile and an order factory.

Theory of operation. The arrival rate is piecewise constant: ``orders_per_day`` shaped by an
hourly profile (weights whose mean is 1) and multiplied by every spike whose window covers the
moment. ``next_arrival`` spends one Exp(1) draw of "intensity" across the pieces, so arrivals are
exact for the profile and cost one draw each. Orders are built one at a time when they arrive
(never a list of the whole day), with ``model_construct``: the factory only makes valid orders,
and validating half a million lines would dominate a peak-day run.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from reference.domain.model import Address, Channel, Order, OrderLine
from simulators.systems.estate import Estate

DAY = 86400.0
HOUR = 3600.0


@dataclass(frozen=True, slots=True)
class ArrivalProfile:
    orders_per_day: float
    hourly: tuple[float, ...] | None = None
    spikes: tuple[tuple[float, float, float], ...] = ()  # (start, end, factor)

    def __post_init__(self) -> None:
        if self.hourly is not None:
            mean = sum(self.hourly) / len(self.hourly)
            object.__setattr__(self, "hourly", tuple(w / mean for w in self.hourly))

    def rate(self, t: float) -> float:
        """Orders per second at ``t``."""
        rate = self.orders_per_day / DAY
        if self.hourly is not None:
            rate *= self.hourly[int((t % DAY) // HOUR)]
        for start, end, factor in self.spikes:
            if start <= t < end:
                rate *= factor
        return rate

    def _piece_end(self, t: float) -> float:
        end = (math.floor(t / HOUR) + 1) * HOUR if self.hourly is not None else math.inf
        for start, stop, _ in self.spikes:
            for edge in (start, stop):
                if t < edge < end:
                    end = edge
        return end

    def next_arrival(self, t: float, rng: np.random.Generator, until: float) -> float:
        """The next arrival after ``t``, or ``inf`` if none comes before ``until``."""
        need = float(rng.exponential(1.0))
        while t < until:
            end = min(self._piece_end(t), until)
            rate = self.rate(t)
            if rate > 0 and need <= rate * (end - t):
                return t + need / rate
            need -= rate * (end - t)
            t = end
        return math.inf

    def expected(self, start: float, end: float) -> float:
        """Expected arrivals in [start, end), integrated piece by piece."""
        total, t = 0.0, start
        while t < end:
            stop = min(self._piece_end(t), end)
            total += self.rate(t) * (stop - t)
            t = stop
        return total


@dataclass(frozen=True, slots=True)
class ChannelOrder:
    """One order as a customer placed it; ``resend`` marks a channel re-sending an old number."""

    number: int
    placed_at: float
    channel: Channel
    order: Order
    resend: bool = False


class OrderFactory:
    """Seeded orders for one estate: customers, SKUs by popularity, contract prices, a few wrong."""

    __slots__ = (
        "_addresses",
        "_channels",
        "_estate",
        "_mix",
        "_recent",
        "_sku_count",
        "lines_per_order",
        "resend_rate",
        "rng",
        "stale_price_rate",
        "unknown_customer_rate",
    )

    def __init__(
        self,
        estate: Estate,
        rng: np.random.Generator,
        channel_mix: dict[str, float],
        lines_per_order: float,
        stale_price_rate: float = 0.0,
        unknown_customer_rate: float = 0.0,
        resend_rate: float = 0.0,
    ) -> None:
        self._estate = estate
        self.rng = rng
        names = [c for c in channel_mix if channel_mix[c] > 0]
        self._channels = [Channel(c) for c in names]
        mix = np.asarray([channel_mix[c] for c in names], dtype=float)
        self._mix = np.cumsum(mix / mix.sum())
        self._mix[-1] = 1.0
        self._sku_count = len(estate.skus)
        self.lines_per_order = lines_per_order
        self.stale_price_rate = stale_price_rate
        self.unknown_customer_rate = unknown_customer_rate
        self.resend_rate = resend_rate
        self._recent: deque[ChannelOrder] = deque(maxlen=64)
        self._addresses: dict[str, Address] = {}

    def make(self, number: int, now: float) -> ChannelOrder:
        rng = self.rng
        if self._recent and rng.random() < self.resend_rate:
            prior = self._recent[int(rng.integers(len(self._recent)))]
            return ChannelOrder(number, now, prior.channel, prior.order, resend=True)
        channel = self._channels[int(np.searchsorted(self._mix, rng.random(), side="right"))]
        count = min(self._sku_count, 1 + int(rng.poisson(self.lines_per_order - 1.0)))
        made = ChannelOrder(number, now, channel, self.order(number, channel, count))
        self._recent.append(made)
        return made

    def order(
        self,
        number: int,
        channel: Channel,
        count: int,
        quantity: int | None = None,
    ) -> Order:
        rng, estate = self.rng, self._estate
        customer = estate.customers[int(rng.integers(len(estate.customers)))]
        customer_id = customer.customer_id
        if rng.random() < self.unknown_customer_rate:
            customer_id = "CUST-0000"
        stale = rng.random() < self.stale_price_rate
        picks = rng.choice(self._sku_count, size=count, replace=False, p=estate.popularity)
        if quantity is None:
            quantities = rng.geometric(0.35, size=count) + rng.integers(0, 3, size=count)
        else:
            quantities = np.full(count, quantity)
        lines = []
        prices, contract = estate.list_prices, estate.contract_prices
        for line_no, (index, qty) in enumerate(
            zip(picks.tolist(), quantities.tolist(), strict=True), start=1
        ):
            sku = estate.skus[index]
            price = contract.get((customer_id, sku)) or prices[sku]
            if stale and line_no == 1:
                price = (price * Decimal("1.04")).quantize(Decimal("0.01"))
            lines.append(
                OrderLine.model_construct(line_no=line_no, sku=sku, quantity=qty, unit_price=price)
            )
        return Order.model_construct(
            order_number=f"PO-{number:08d}",
            customer_id=customer_id,
            channel=channel,
            currency="USD",
            ship_to=self._address(customer_id, customer.region),
            lines=lines,
        )

    def _address(self, customer_id: str, region: str) -> Address:
        found = self._addresses.get(customer_id)
        if found is None:
            found = self._addresses[customer_id] = Address.model_construct(
                name=f"{customer_id} receiving",
                line1="1 Dock Way",
                city="Anytown",
                region=region,
                postal_code="00000",
                country="US",
            )
        return found
