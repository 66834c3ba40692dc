"""The one interpreter of the hub's decisions: each effect goes to its port.

Theory of operation. ``Hub.decide`` returns a Decision: events to publish and effects to perform.
``carry_out`` is the only code that reads a Decision, and it does no work itself: every event
goes to ``Ports.publish``, and every effect to the port of its kind, in the order decided. A world
is a set of ports:

    SimPy virtual time    simulators/sim/ports.py       a call is a timeout against a system model
    asyncio               reference/service/ports.py    a call is a task awaiting a SystemsPort
    durable rows          reference/service/persistence/rows.py   outbox, pending_effects and
                          dead_letters rows in the decision's own transaction

A new effect type is one branch here and one method on each adapter; a new behaviour or measure
is a decorator of a port, never a second interpreter. ``Driver`` binds a hub, a clock and ports:
``submit(message)`` decides and carries out, which is what every shell does with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from reference.domain.events import Event
from reference.hub.core import Hub
from reference.hub.effects import CallSystem, DeadLetter, Decision, Message, ScheduleTimer


class Ports(Protocol):
    """Where a decision's events and effects go. Each method only starts the work: an answer
    (a system's reply, a due timer) comes back to the hub as a new message."""

    def publish(self, event: Event) -> None: ...

    def call(self, call: CallSystem) -> None: ...

    def schedule(self, timer: ScheduleTimer) -> None: ...

    def dead_letter(self, letter: DeadLetter) -> None: ...


def carry_out(decision: Decision, ports: Ports) -> None:
    """Publish the decision's events, then start its effects, in the order the hub decided."""
    publish = ports.publish
    for event in decision.events:
        publish(event)
    for effect in decision.effects:
        kind = type(effect)
        if kind is CallSystem:
            ports.call(effect)  # type: ignore[arg-type]
        elif kind is ScheduleTimer:
            ports.schedule(effect)  # type: ignore[arg-type]
        elif kind is DeadLetter:
            ports.dead_letter(effect)  # type: ignore[arg-type]
        else:
            raise TypeError(f"no port carries out {kind.__name__}: add one to Ports")


class Driver:
    """A hub, the clock of its world and that world's ports: one message at a time."""

    __slots__ = ("clock", "decisions", "hub", "ports")

    def __init__(self, hub: Hub, ports: Ports, clock: Callable[[], float]) -> None:
        self.hub = hub
        self.ports = ports
        self.clock = clock
        self.decisions = 0

    def submit(self, message: Message) -> Decision:
        decision = self.hub.decide(message, self.clock())
        self.decisions += 1
        carry_out(decision, self.ports)
        return decision
