"""Demand as a stream: a non-homogeneous Poisson arrival profile and an order factory.

Theory of operation. The arrival rate is piecewise constant: ``orders_per_day`` shaped by an
hourly profile (weights whose mean is 1) and multiplied by every spike whose window covers the
moment. ``next_arrival`` spends one Exp(1) draw of "intensity" across the pieces, so arrivals are
exact for the profile and cost one draw each. Orders are built one at a time when they arrive
(never a list of the whole day), with ``model_construct``: the factory only makes valid orders,
and validating half a million lines would dominate a peak-day run.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import deque
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from reference.domain.model import Address, Channel, Order, OrderLine
from simulators.behavior.streams import uniforms
from simulators.systems.estate import Estate

DAY = 86400.0
RESEND_WITHIN = 900.0  # a channel re-sends an order it placed in the last 15 minutes
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


def _poisson_cdf(mean: float) -> list[float]:
    cdf, term, k = [], math.exp(-mean), 0
    total = term
    while total < 1.0 - 1e-12 and k < 10_000:
        cdf.append(total)
        k += 1
        term *= mean / k
        total += term
    cdf.append(1.0)
    return cdf


class OrderFactory:
    """Seeded orders for one estate: customers, SKUs by popularity, contract prices, a few wrong.

    Every draw is an inverse-CDF of one uniform from ``uniforms``: line counts are 1 + Poisson,
    SKUs follow the estate's popularity without repeats in one order, quantities are
    Geometric(0.35) + Uniform{0, 1, 2}.
    """

    __slots__ = (
        "_addresses",
        "_channels",
        "_estate",
        "_line_cdf",
        "_log_q",
        "_mix",
        "_recent",
        "_sku_cdf",
        "_sku_count",
        "draw",
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
        self.draw = uniforms(rng)
        names = [c for c in channel_mix if channel_mix[c] > 0]
        self._channels = [Channel(c) for c in names]
        total = sum(channel_mix[c] for c in names)
        self._mix = list(itertools.accumulate(channel_mix[c] / total for c in names))
        self._mix[-1] = 1.0
        self._sku_count = len(estate.skus)
        self._sku_cdf = np.cumsum(estate.popularity).tolist()
        self._sku_cdf[-1] = 1.0
        self._line_cdf = _poisson_cdf(lines_per_order - 1.0)
        self._log_q = math.log(1.0 - 0.35)
        self.lines_per_order = lines_per_order
        self.stale_price_rate = stale_price_rate
        self.unknown_customer_rate = unknown_customer_rate
        self.resend_rate = resend_rate
        self._recent: deque[ChannelOrder] = deque(maxlen=64)
        self._addresses: dict[str, Address] = {}

    def make(self, number: int, now: float) -> ChannelOrder:
        draw = self.draw
        recent = self._recent
        while recent and now - recent[0].placed_at > RESEND_WITHIN:
            recent.popleft()
        if recent and draw() < self.resend_rate:
            prior = recent[int(draw() * len(recent))]
            return ChannelOrder(number, now, prior.channel, prior.order, resend=True)
        channel = self._channels[
            min(bisect.bisect_right(self._mix, draw()), len(self._channels) - 1)
        ]
        extra = min(bisect.bisect_left(self._line_cdf, draw()), len(self._line_cdf) - 1)
        count = min(self._sku_count, 1 + extra)
        made = ChannelOrder(number, now, channel, self.order(number, channel, count))
        self._recent.append(made)
        return made

    def _skus(self, count: int) -> list[int]:
        if count * 4 > self._sku_count:  # a large order: let numpy draw without replacement
            picks = self.rng.choice(
                self._sku_count, size=count, replace=False, p=self._estate.popularity
            )
            return [int(i) for i in picks]
        chosen: dict[int, None] = {}
        cdf, draw, last = self._sku_cdf, self.draw, self._sku_count - 1
        while len(chosen) < count:
            chosen[min(bisect.bisect_right(cdf, draw()), last)] = None
        return list(chosen)

    def order(
        self,
        number: int,
        channel: Channel,
        count: int,
        quantity: int | None = None,
    ) -> Order:
        draw, estate = self.draw, self._estate
        customer = estate.customers[int(draw() * len(estate.customers))]
        customer_id = customer.customer_id
        if draw() < self.unknown_customer_rate:
            customer_id = "CUST-0000"
        stale = draw() < self.stale_price_rate
        lines = []
        prices, contract, skus, log_q = (
            estate.list_prices,
            estate.contract_prices,
            estate.skus,
            self._log_q,
        )
        for line_no, index in enumerate(self._skus(count), start=1):
            sku = skus[index]
            price = contract.get((customer_id, sku)) or prices[sku]
            if stale and line_no == 1:
                price = (price * Decimal("1.04")).quantize(Decimal("0.01"))
            if quantity is None:
                qty = 1 + int(math.log(1.0 - draw()) / log_q) + int(draw() * 3)
            else:
                qty = quantity
            lines.append(
                OrderLine.model_construct(
                    line_no=line_no,
                    sku=sku,
                    quantity=qty,
                    unit_price=price,
                )
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


@dataclass(frozen=True, slots=True)
class Arrival:
    """An order due at ``time``, under the id and correlation id the hub will know it by."""

    time: float
    order_id: str
    correlation_id: str
    order: Order


def arrivals(profile: ArrivalProfile, factory: OrderFactory, count: int) -> list[Arrival]:
    """The first ``count`` orders customers place, at the profile's times, resends included:
    the stream the twin and the contract and HTTP tests replay (``SO-0000001``, ...)."""
    placed, t = [], 0.0
    for number in range(1, count + 1):
        t = profile.next_arrival(t, factory.rng, float("inf"))
        order = factory.make(number, t).order
        order_id = f"SO-{number:07d}"
        placed.append(Arrival(t, order_id, f"corr-{order_id}", order))
    return placed
