"""The SimPy shell: drives the hub core in virtual time.

A call becomes ``env.timeout(duration)`` against a simulated system; the answer is handed back to
the core when the timeout fires. Callbacks on plain timeouts are used instead of one SimPy process
per call: a peak day makes millions of calls and a process costs several events each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import simpy

from reference.domain.events import Event
from reference.hub import CallSystem, DeadLetter, Hub, Message, PlaceOrder, ScheduleTimer
from simulators.systems.commerce import Arrival
from simulators.systems.endpoint import SimulatedSystem

EventSink = Callable[[Event], None]


class SimShell:
    def __init__(
        self,
        env: simpy.Environment,
        hub: Hub,
        systems: Mapping[str, SimulatedSystem],
        sink: EventSink | None = None,
    ) -> None:
        self.env = env
        self.hub = hub
        self.systems = systems
        self.sink = sink
        self.dead_letters: list[DeadLetter] = []
        self.decisions = 0

    def submit(self, message: Message) -> None:
        decision = self.hub.decide(message, self.env.now)
        self.decisions += 1
        if self.sink is not None:
            for event in decision.events:
                self.sink(event)
        for effect in decision.effects:
            if type(effect) is CallSystem:
                self._call(effect)
            elif type(effect) is ScheduleTimer:
                self._later(effect.at - self.env.now, _constant(effect.message))
            elif type(effect) is DeadLetter:
                self.dead_letters.append(effect)

    def _call(self, call: CallSystem) -> None:
        system = self.systems[call.system]
        outcome = system.begin(call, self.env.now)
        self._later(outcome.duration, lambda: system.finish(call, outcome))

    def _later(self, delay: float, message: Callable[[], Message]) -> None:
        """Hand the core ``message()`` after ``delay``; the message is made when it is due."""
        timeout = self.env.timeout(max(0.0, delay))
        timeout.callbacks.append(lambda _event: self.submit(message()))

    def feed(self, arrivals: Iterable[Arrival]) -> simpy.Process:
        """Start a process that places each order at its arrival time."""

        def arrive() -> simpy.events.ProcessGenerator:
            for arrival in arrivals:
                wait = arrival.time - self.env.now
                if wait > 0:
                    yield self.env.timeout(wait)
                self.submit(PlaceOrder(arrival.order, arrival.order_id, arrival.correlation_id))

        return self.env.process(arrive())


def _constant(message: Message) -> Callable[[], Message]:
    return lambda: message
