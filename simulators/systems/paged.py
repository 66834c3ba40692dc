"""A simulated system as a what-if run calls it: paged requests, and work done on a timeout.

- Pagination: a request carrying a list (``skus`` or ``lines``) takes one behaviour call per page
  of ``page_size`` items, one after another; each page needs its own rate-limit token and can fail
  on its own, failing the request. Only the first page queues at the c-worker station (pages follow
  on the worker the request holds), so arrivals stay in time order.
- A model with ``receive(payload)`` is told of a request when it arrives (a WMS reserves the
  released units then), and answers it when its time is up.
- A timeout is the caller giving up, not the server: the model still does the work. A retried
  create on a non-idempotent ERP therefore makes a duplicate sales order, as in life.
"""

from __future__ import annotations

import contextlib

from reference.hub.effects import CallSystem, SystemCallFailed, SystemReplied
from simulators.behavior.outcomes import OK, TIMEOUT, CallOutcome
from simulators.systems.base import Rejected
from simulators.systems.endpoint import SimulatedSystem


class PagedSystem(SimulatedSystem):
    __slots__ = ()

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
        outcome = behavior.call(now, self.rng)
        if pages == 1 or outcome.kind != OK:
            return outcome
        station, behavior.station = behavior.station, None
        try:
            t = now + outcome.duration
            for _ in range(pages - 1):
                page = behavior.call(t, self.rng)
                t += page.duration
                if page.kind != OK:
                    return CallOutcome(page.kind, t - now, page.retry_after)
        finally:
            behavior.station = station
        return CallOutcome(OK, t - now)

    def finish(self, call: CallSystem, outcome: CallOutcome) -> SystemReplied | SystemCallFailed:
        if outcome.kind == TIMEOUT:
            with contextlib.suppress(Rejected):
                self.model.handle(call.operation, call.payload)
        return SimulatedSystem.finish(self, call, outcome)
