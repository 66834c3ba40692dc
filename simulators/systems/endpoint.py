"""A system model behind its behaviour profile: what a caller of that system experiences.

Every world uses it the same way: ``begin`` draws the outcome when the call is made (so random
draws happen in call order), ``finish`` lets the model act when the answer is due and turns the
result into the message the hub reads. One semantics for every adapter:

- Pagination: a request carrying a list (``skus`` or ``lines``) takes one behaviour call per page
  of ``page_size`` items, one after another; each page needs its own rate-limit token and can fail
  on its own, failing the request. At a c-worker station the request queues once and holds its
  worker for every page, until its last page is served or one fails.
- A model with ``receive(payload)`` is told of a request when it arrives (a WMS reserves the
  released units then), and answers it when its time is up.
- A timeout is the caller giving up, not the server: the model still does the work. A retried
  create on a non-idempotent ERP therefore makes a duplicate sales order, as in life.
"""

from __future__ import annotations

import contextlib

import numpy as np

from reference.hub.effects import CallSystem, SystemCallFailed, SystemReplied
from reference.hub.protocol import FailureKind
from simulators.behavior.outcomes import OK, TIMEOUT, CallOutcome
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
        outcome = self._outcome(call, now)
        receive = getattr(self.model, "receive", None)
        if receive is not None and outcome.kind == OK:
            receive(call.payload)  # the request reached a system that acts on receipt
        return outcome

    def _outcome(self, call: CallSystem, now: float) -> CallOutcome:
        self.calls += 1
        behavior = self.behavior
        if behavior.page_size is None:
            return behavior.call(now, self.rng)
        payload = call.payload
        items = payload.get("skus") or payload.get("lines") or ()
        pages = behavior.pages(len(items))
        if pages == 1:
            return behavior.call(now, self.rng)
        if behavior.station is None:
            return self._pages(now, pages)
        return self._pages_on_one_worker(now, pages)

    def _pages(self, now: float, pages: int) -> CallOutcome:
        """Page after page, each a call of its own; the first failure fails the request."""
        t = now
        for _ in range(pages):
            page = self.behavior.call(t, self.rng)
            t += page.duration
            if page.kind != OK:
                return CallOutcome(page.kind, t - now, page.retry_after)
        return CallOutcome(OK, t - now)

    def _pages_on_one_worker(self, now: float, pages: int) -> CallOutcome:
        """The request waits for a worker once and keeps it for every page; the worker is free
        again when the last page is served or one fails. The caller gives up at timeout_after."""
        behavior = self.behavior
        station = behavior.station
        assert station is not None
        start = now + station.queue_wait(now)
        t, failed = start, None
        for _ in range(pages):
            page = behavior.serve(t, self.rng)
            t += page.duration
            if page.kind != OK:
                failed = page
                break
        station.admit(now, t - start)
        if t - now > behavior.faults.timeout_after:
            return CallOutcome(TIMEOUT, behavior.faults.timeout_after)
        if failed is not None:
            return CallOutcome(failed.kind, t - now, failed.retry_after)
        return CallOutcome(OK, t - now)

    def finish(self, call: CallSystem, outcome: CallOutcome) -> SystemReplied | SystemCallFailed:
        if outcome.kind == TIMEOUT:
            with contextlib.suppress(Rejected):
                self.model.handle(call.operation, call.payload)
        if outcome.kind != OK:
            return SystemCallFailed(call, outcome.kind, outcome.retry_after)
        try:
            return SystemReplied(call, self.model.handle(call.operation, call.payload))
        except Rejected as refused:
            return SystemCallFailed(call, FailureKind.REFUSED, None, refused.reason)


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
