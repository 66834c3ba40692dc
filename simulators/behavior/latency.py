"""Latency distributions: pydantic specs parsed from YAML, each building a small runtime sampler.

A spec is chosen by its ``kind`` field. Runtime samplers are plain slotted classes whose
``sample(rng)`` returns seconds (>= 0) and whose ``mean()`` returns the analytic mean.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal, Protocol

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulators.behavior.durations import Duration, Positive

__all__ = [
    "EmpiricalLatency",
    "EmpiricalSpec",
    "ExponentialLatency",
    "ExponentialSpec",
    "FixedLatency",
    "FixedSpec",
    "Latency",
    "LatencySpec",
    "LognormalLatency",
    "LognormalSpec",
    "UniformLatency",
    "UniformSpec",
]

Z_99 = 2.3263478740408408  # standard normal quantile at 0.99


class Latency(Protocol):
    def sample(self, rng: np.random.Generator) -> float: ...

    def mean(self) -> float: ...


class FixedLatency:
    __slots__ = ("seconds",)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def sample(self, rng: np.random.Generator) -> float:
        return self.seconds

    def mean(self) -> float:
        return self.seconds


class UniformLatency:
    __slots__ = ("high", "low")

    def __init__(self, low: float, high: float) -> None:
        self.low = low
        self.high = high

    def sample(self, rng: np.random.Generator) -> float:
        return self.low + (self.high - self.low) * rng.random()

    def mean(self) -> float:
        return (self.low + self.high) / 2


class ExponentialLatency:
    __slots__ = ("_mean",)

    def __init__(self, mean: float) -> None:
        self._mean = mean

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.exponential(self._mean))

    def mean(self) -> float:
        return self._mean


class LognormalLatency:
    __slots__ = ("mu", "sigma")

    def __init__(self, mu: float, sigma: float) -> None:
        self.mu = mu
        self.sigma = sigma

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.lognormal(self.mu, self.sigma))

    def mean(self) -> float:
        return math.exp(self.mu + self.sigma**2 / 2)


class EmpiricalLatency:
    __slots__ = ("_n", "samples")

    def __init__(self, samples: tuple[float, ...]) -> None:
        self.samples = samples
        self._n = len(samples)

    def sample(self, rng: np.random.Generator) -> float:
        return self.samples[int(rng.random() * self._n)]

    def mean(self) -> float:
        return math.fsum(self.samples) / self._n


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FixedSpec(_Spec):
    kind: Literal["fixed"] = "fixed"
    seconds: Duration

    def build(self) -> FixedLatency:
        return FixedLatency(self.seconds)


class UniformSpec(_Spec):
    kind: Literal["uniform"] = "uniform"
    low: Duration
    high: Duration

    @model_validator(mode="after")
    def _high_not_below_low(self) -> UniformSpec:
        if self.high < self.low:
            raise ValueError(f"high(={self.high}) must be >= low(={self.low})")
        return self

    def build(self) -> UniformLatency:
        return UniformLatency(self.low, self.high)


class ExponentialSpec(_Spec):
    kind: Literal["exponential"] = "exponential"
    mean: Positive

    def build(self) -> ExponentialLatency:
        return ExponentialLatency(self.mean)


class LognormalSpec(_Spec):
    """Lognormal given by its median and 99th percentile, the numbers people actually know."""

    kind: Literal["lognormal"] = "lognormal"
    median: Positive
    p99: Positive

    @model_validator(mode="after")
    def _p99_above_median(self) -> LognormalSpec:
        if not self.p99 > self.median:
            raise ValueError(f"p99(={self.p99}) must be > median(={self.median}) > 0")
        return self

    def build(self) -> LognormalLatency:
        mu = math.log(self.median)
        return LognormalLatency(mu, (math.log(self.p99) - mu) / Z_99)


class EmpiricalSpec(_Spec):
    """Observed latencies, resampled with replacement."""

    kind: Literal["empirical"] = "empirical"
    samples: list[Duration] = Field(min_length=1)

    def build(self) -> EmpiricalLatency:
        return EmpiricalLatency(tuple(self.samples))


LatencySpec = Annotated[
    FixedSpec | UniformSpec | ExponentialSpec | LognormalSpec | EmpiricalSpec,
    Field(discriminator="kind"),
]
