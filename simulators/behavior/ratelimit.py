"""A token bucket rate limiter that refills lazily from the ``now`` it is given."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["RateLimitSpec", "TokenBucket"]

_EPS = 1e-9  # tolerance so that waiting exactly Retry-After seconds always succeeds


class TokenBucket:
    __slots__ = ("_last", "_tokens", "burst", "rate_per_s")

    def __init__(self, rate_per_s: float, burst: int) -> None:
        if not rate_per_s > 0:
            raise ValueError(f"rate_per_s(={rate_per_s}) must be > 0")
        if burst < 1:
            raise ValueError(f"burst(={burst}) must be >= 1")
        self.rate_per_s = rate_per_s
        self.burst = burst
        self._tokens = float(burst)
        self._last: float | None = None

    def try_take(self, now: float) -> float:
        """Take a token: 0.0 if one was taken, else seconds until one is available."""
        last = self._last
        if last is None:
            self._last = now
        elif now > last:
            tokens = self._tokens + (now - last) * self.rate_per_s
            self._tokens = tokens if tokens < self.burst else float(self.burst)
            self._last = now
        if self._tokens >= 1.0 - _EPS:
            self._tokens -= 1.0
            return 0.0
        return (1.0 - self._tokens) / self.rate_per_s


class RateLimitSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rate_per_s: float = Field(gt=0, allow_inf_nan=False)
    burst: int = Field(default=1, ge=1)

    def build(self) -> TokenBucket:
        return TokenBucket(self.rate_per_s, self.burst)
