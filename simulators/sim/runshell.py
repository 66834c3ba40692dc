"""The SimPy shell as a what-if run drives it: every hub event goes to one observer, retries and
dead letters are counted, and a file-drop WMS confirms its shipments on a polling schedule.

It extends SimShell (same callbacks-on-timeouts design) without changing what SimShell does, so
``crossdock twin`` is untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import simpy

from reference.domain.events import Event
from reference.hub import (
    CallSystem,
    ConfirmShipment,
    DeadLetter,
    Hub,
    Message,
    RetryCall,
    ScheduleTimer,
    SystemCallFailed,
    SystemReplied,
)
from simulators.behavior.outcomes import CallOutcome
from simulators.behavior.schedule import Every
from simulators.sim.shell import SimShell
from simulators.systems.endpoint import SimulatedSystem


class CountingEnvironment(simpy.Environment):
    """A SimPy environment that can say how many events it has scheduled (for ``crossdock
    bench``), read from the id counter SimPy keeps anyway, so counting costs nothing."""

    @property
    def scheduled(self) -> int:
        ids = self._eid  # type: ignore[attr-defined]
        return int(str(ids)[6:-1])  # itertools.count's repr: count(N), N the next id


class RunShell(SimShell):
    def __init__(
        self,
        env: simpy.Environment,
        hub: Hub,
        systems: Mapping[str, SimulatedSystem],
        on_event: Callable[[Event], None],
        on_dead_letter: Callable[[DeadLetter], None],
        polls: Mapping[str, Every] | None = None,
        on_unconfirmed: Callable[[CallSystem, int], None] | None = None,
    ) -> None:
        super().__init__(env, hub, systems)
        self.on_event = on_event
        self.on_dead_letter = on_dead_letter
        self.polls = dict(polls or {})
        # told (release, -1) when a file-drop WMS has picked and (release, +1) when the hub reads
        # the confirmation: in between, the WMS's stock already shows what the hub has yet to hear
        self.on_unconfirmed = on_unconfirmed
        self.retries = 0

    def submit(self, message: Message) -> None:
        decision = self.hub.decide(message, self.env.now)
        self.decisions += 1
        on_event = self.on_event
        for event in decision.events:
            on_event(event)
        for effect in decision.effects:
            kind = type(effect)
            if kind is CallSystem:
                self._call(effect)  # type: ignore[arg-type]
            elif kind is ScheduleTimer:
                if type(effect.message) is RetryCall:  # type: ignore[union-attr]
                    self.retries += 1
                self.at(effect.at, effect.message)  # type: ignore[union-attr]
            else:
                self.on_dead_letter(effect)  # type: ignore[arg-type]

    def at(self, when: float, message: Message) -> None:
        """Hand ``message`` to the core at time ``when`` (now, if that has passed)."""
        timeout = self.env.timeout(max(0.0, when - self.env.now))
        timeout.callbacks.append(lambda _event: self.submit(message))

    def _call(self, call: CallSystem) -> None:
        system = self.systems[call.system]
        outcome = system.begin(call, self.env.now)
        poll = self.polls.get(call.system) if call.operation == "release" else None
        if poll is None:
            self._later(outcome.duration, lambda: system.finish(call, outcome))
        else:
            self._later(outcome.duration, lambda: self._file_drop(system, call, outcome, poll))

    def _file_drop(
        self, system: SimulatedSystem, call: CallSystem, outcome: CallOutcome, poll: Every
    ) -> SystemReplied | SystemCallFailed:
        """The WMS acknowledges the release; its shipment file waits for the next poll."""
        reply = system.finish(call, outcome)
        if type(reply) is not SystemReplied or "lines" not in reply.body:
            return reply
        body = reply.body
        confirm = ConfirmShipment(
            call.order_id, str(call.payload["node"]), str(body["shipment_id"]), tuple(body["lines"])
        )
        hook = self.on_unconfirmed
        if hook is not None:
            hook(call, -1)
        timeout = self.env.timeout(poll.next_after(self.env.now) - self.env.now)

        def read(_event: object) -> None:
            if hook is not None:
                hook(call, 1)
            self.submit(confirm)

        timeout.callbacks.append(read)
        return SystemReplied(call, {"acknowledged": True})
