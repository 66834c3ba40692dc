"""A system model behind its behaviour profile: what a caller of that system experiences.

Both shells use it the same way: ``begin`` draws the outcome when the call is made (so random
draws happen in call order), ``finish`` lets the model act when the answer is due and turns the
result into the message the hub reads.
"""

from __future__ import annotations

import numpy as np

from reference.hub.effects import CallSystem, SystemCallFailed, SystemReplied
from simulators.behavior.outcomes import OK, CallOutcome
from simulators.behavior.profile import Behavior, BehaviorSpec
from simulators.behavior.streams import spawn_stream
from simulators.systems.base import Rejected, SystemModel


class SimulatedSystem:
    __slots__ = ("behavior", "calls", "model", "name", "rng")

    def __init__(self, name: str, model: SystemModel, behavior: Behavior, rng: np.random.Generator):
        self.name = name
        self.model = model
        self.behavior = behavior
        self.rng = rng
        self.calls = 0

    def begin(self, call: CallSystem, now: float) -> CallOutcome:
        self.calls += 1
        return self.behavior.call(now, self.rng)

    def finish(self, call: CallSystem, outcome: CallOutcome) -> SystemReplied | SystemCallFailed:
        if outcome.kind != OK:
            return SystemCallFailed(call, outcome.kind, outcome.retry_after)
        try:
            return SystemReplied(call, self.model.handle(call.operation, call.payload))
        except Rejected as refused:
            return SystemCallFailed(call, "4xx", None, refused.reason)


def simulated_systems(
    models: dict[str, SystemModel],
    behaviors: dict[str, BehaviorSpec],
    seed: int,
    default: BehaviorSpec | None = None,
) -> dict[str, SimulatedSystem]:
    """One SimulatedSystem per model, each with its own random stream from ``seed``."""
    fallback = default or BehaviorSpec()
    return {
        name: SimulatedSystem(
            name, model, behaviors.get(name, fallback).build(), spawn_stream(seed, f"system:{name}")
        )
        for name, model in models.items()
    }
