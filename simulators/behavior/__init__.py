"""Pure, seeded behaviour models for simulated systems: latency, queueing, faults, rate limits.

No simulation engine, clock or I/O here: time is passed in as ``now`` and every random draw comes
from a ``numpy.random.Generator`` the caller hands in (see ``streams``).
"""

from simulators.behavior.faults import Degradation, ErrorRates, FaultModel, Window
from simulators.behavior.latency import (
    EmpiricalSpec,
    ExponentialSpec,
    FixedSpec,
    Latency,
    LatencySpec,
    LognormalSpec,
    UniformSpec,
)
from simulators.behavior.outcomes import (
    OK,
    SERVER_ERROR,
    THROTTLED,
    TIMEOUT,
    UNAVAILABLE,
    CallOutcome,
)
from simulators.behavior.profile import Behavior, BehaviorSpec
from simulators.behavior.ratelimit import RateLimitSpec, TokenBucket
from simulators.behavior.schedule import Every
from simulators.behavior.station import Station, StationStats
from simulators.behavior.streams import keyed_uniform, spawn_stream, spawn_streams, stable_hash
from simulators.behavior.webhook import WebhookDelivery, WebhookSender

__all__ = [
    "OK",
    "SERVER_ERROR",
    "THROTTLED",
    "TIMEOUT",
    "UNAVAILABLE",
    "Behavior",
    "BehaviorSpec",
    "CallOutcome",
    "Degradation",
    "EmpiricalSpec",
    "ErrorRates",
    "Every",
    "ExponentialSpec",
    "FaultModel",
    "FixedSpec",
    "Latency",
    "LatencySpec",
    "LognormalSpec",
    "RateLimitSpec",
    "Station",
    "StationStats",
    "TokenBucket",
    "UniformSpec",
    "WebhookDelivery",
    "WebhookSender",
    "Window",
    "keyed_uniform",
    "spawn_stream",
    "spawn_streams",
    "stable_hash",
]
