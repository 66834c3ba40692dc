"""An event feed as its receiver sees it: each message lost, delivered once, or delivered twice.

Theory of operation, for one ``EventFeed.deliveries(now, rng)``:

1. with ``loss_rate`` the message never arrives (a broker that dropped it, a consumer that acked
   and crashed): ``()``;
2. otherwise it arrives after one draw of the feed's latency;
3. with ``duplicate_rate`` a second copy arrives as well (at-least-once redelivery), after its
   own independent latency draw, so the copy may overtake the original.

Reordering is not a knob of its own: two messages sent close together arrive in the other order
whenever the later one draws the shorter delay, as on a real partitioned feed.

Draws per message, in this order: a uniform for loss (only when ``loss_rate`` > 0), a latency, a
uniform for the duplicate (only when ``duplicate_rate`` > 0), and a latency for a copy. A fixed
latency draws nothing, so a feed with no loss, no duplicates and a fixed delay uses no random
numbers at all.
"""

from __future__ import annotations

import numpy as np

from simulators.behavior.latency import Latency

__all__ = ["EventFeed"]


class EventFeed:
    __slots__ = ("duplicate_rate", "latency", "loss_rate")

    def __init__(
        self, latency: Latency, loss_rate: float = 0.0, duplicate_rate: float = 0.0
    ) -> None:
        if not 0.0 <= loss_rate <= 1.0:
            raise ValueError(f"loss_rate(={loss_rate}) must be in [0, 1]")
        if not 0.0 <= duplicate_rate <= 1.0:
            raise ValueError(f"duplicate_rate(={duplicate_rate}) must be in [0, 1]")
        self.latency = latency
        self.loss_rate = loss_rate
        self.duplicate_rate = duplicate_rate

    def deliveries(self, now: float, rng: np.random.Generator) -> tuple[float, ...]:
        """The times at which the receiver sees a message sent at ``now``, earliest first; empty
        if it is lost."""
        if self.loss_rate > 0.0 and rng.random() < self.loss_rate:
            return ()
        first = now + self.latency.sample(rng)
        if self.duplicate_rate > 0.0 and rng.random() < self.duplicate_rate:
            second = now + self.latency.sample(rng)
            return (first, second) if first <= second else (second, first)
        return (first,)
