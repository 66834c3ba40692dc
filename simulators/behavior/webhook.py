"""Webhook delivery: retries with exponential backoff, and duplicate deliveries.

Attempt i (0-based) is made at ``now + backoff * (2**i - 1)``; each fails with ``failure_rate``.
The receiver sees the first attempt that succeeds. With ``duplicate_rate`` the sender misses the
acknowledgement and delivers again at the time of what would have been its next attempt.

A receiver that can be down (``down(t)``: an outage window of the system the webhook posts to)
refuses an attempt made while it is down, as surely as a drawn failure; the draws are the same
either way, and a redelivery that meets the outage is not seen.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

__all__ = ["WebhookDelivery", "WebhookSender"]


class WebhookSender:
    __slots__ = ("backoff", "duplicate_rate", "failure_rate", "max_attempts")

    def __init__(
        self, duplicate_rate: float, max_attempts: int, backoff: float, failure_rate: float
    ) -> None:
        self.duplicate_rate = duplicate_rate
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.failure_rate = failure_rate

    def deliveries(
        self, now: float, rng: np.random.Generator, down: Callable[[float], bool] | None = None
    ) -> list[float]:
        """Times at which the receiver sees the webhook; empty if every attempt fails."""
        delay = 0.0
        step = self.backoff
        for _ in range(self.max_attempts):
            if (self.failure_rate == 0.0 or rng.random() >= self.failure_rate) and (
                down is None or not down(now + delay)
            ):
                first = now + delay
                if self.duplicate_rate > 0.0 and rng.random() < self.duplicate_rate:
                    if down is not None and down(first + step):
                        return [first]
                    return [first, first + step]
                return [first]
            delay += step
            step *= 2
        return []


class WebhookDelivery(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    duplicate_rate: float = Field(default=0.0, ge=0, le=1)
    max_attempts: int = Field(default=5, ge=1)
    backoff: float = Field(default=1.0, ge=0, allow_inf_nan=False)
    failure_rate: float = Field(default=0.0, ge=0, le=1)
    _sender: WebhookSender | None = PrivateAttr(default=None)

    def build(self) -> WebhookSender:
        return WebhookSender(
            self.duplicate_rate, self.max_attempts, self.backoff, self.failure_rate
        )

    def deliveries(self, now: float, rng: np.random.Generator) -> list[float]:
        """Convenience for ``build().deliveries``; the sender is stateless, so it is cached."""
        if self._sender is None:
            self._sender = self.build()
        return self._sender.deliveries(now, rng)
