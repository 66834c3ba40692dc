"""Systems that receive what the hub publishes: an EDI trading partner, and event sinks
(CRM, BI, finance) that only need to know how late each event reaches them.

Both answer by arithmetic on the time an event was published, so a peak day's millions of events
cost no simulation events: a flow by ``event`` delivers after one call of the sink's behaviour
(retried while the sink is down or failing); a ``batch``/``file`` flow delivers at the next tick of
its schedule plus that call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simulators.behavior.latency import LognormalLatency
from simulators.behavior.outcomes import OK
from simulators.behavior.profile import Behavior
from simulators.behavior.schedule import Every
from simulators.behavior.streams import block_draws

RETRY_EVERY = 60.0  # a sink that is down or failing is tried again a minute later
MAX_TRIES = 10_000


class Delivery:
    """How one flow reaches one receiver: on a schedule (``every``) or as events.

    A receiver that never fails, queues or throttles answers in one latency draw; those draws
    are taken a block at a time (the per-event sink is the hottest path of a peak day).
    """

    __slots__ = ("_latency", "behavior", "every", "rng")

    def __init__(
        self,
        behavior: Behavior,
        rng: np.random.Generator,
        every: Every | None = None,
        quiet: bool = False,
    ) -> None:
        """``quiet``: the behaviour has no faults, outages, slowdowns or rate limit."""
        self.behavior = behavior
        self.rng = rng
        self.every = every
        latency = behavior.latency
        simple = quiet and behavior.station is None and behavior.bucket is None
        # a simple receiver's latency draws, or None: every delivery goes through the behaviour
        self._latency: Callable[[], float] | None = None
        if simple and isinstance(latency, LognormalLatency):
            mu, sigma = latency.mu, latency.sigma
            self._latency = block_draws(lambda n: rng.lognormal(mu, sigma, n))

    def arrives(self, published: float) -> float:
        """When something published at ``published`` reaches the receiver."""
        t = published if self.every is None else self.every.next_after(published)
        if self._latency is not None:
            took = self._latency()
            if took <= self.behavior.faults.timeout_after:
                return t + took
        for _ in range(MAX_TRIES):
            outcome = self.behavior.call(t, self.rng)
            if outcome.kind == OK:
                return t + outcome.duration
            t += (
                outcome.duration
                + (outcome.retry_after or 0.0)
                + (RETRY_EVERY if self.every is None else self.every.interval)
            )
        return t


@dataclass(slots=True)
class EventSink:
    """CRM, BI or finance as a consumer of hub events: counts and ages what it receives."""

    name: str
    delivery: Delivery
    received: int = 0
    total_age: float = 0.0

    def publish(self, published: float) -> float:
        age = self.delivery.arrives(published) - published
        self.received += 1
        self.total_age += age
        return age


@dataclass(slots=True)
class EdiPartner:
    """A trading partner's expectations of us (X12): an 855 acknowledgement within ``ack_sla`` of
    its 850, an 856 ship notice within ``asn_sla`` of the shipment (late ones are charged back),
    an 810 invoice within ``invoice_sla`` of the shipment. Our outbound documents leave on the
    ``outbound`` deliveries (a VAN mailbox batch, or one by one)."""

    ack: Delivery
    asn: Delivery
    invoice: Delivery
    ack_sla: float
    asn_sla: float
    invoice_sla: float
    chargeback_per_late_asn: float
    documents: int = 0
    late: int = 0
    late_asns: int = 0
    chargebacks: float = 0.0

    def acknowledged(self, received_at: float, decided_at: float) -> None:
        self._judge(self.ack.arrives(decided_at) - received_at, self.ack_sla)

    def shipped(self, shipped_at: float) -> None:
        if self._judge(self.asn.arrives(shipped_at) - shipped_at, self.asn_sla):
            self.late_asns += 1
            self.chargebacks += self.chargeback_per_late_asn

    def invoiced(self, shipped_at: float, posted_at: float) -> None:
        self._judge(self.invoice.arrives(posted_at) - shipped_at, self.invoice_sla)

    def _judge(self, took: float, sla: float) -> bool:
        self.documents += 1
        if took > sla:
            self.late += 1
            return True
        return False
