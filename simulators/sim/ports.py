"""The SimPy world's ports: the hub's effects carried out in virtual time.

A call becomes ``env.timeout(duration)`` against a simulated system, whose outcome is drawn when
the call is made (so draws happen in call order); the answer goes back to the hub when the
timeout fires. A timer is a timeout too. Callbacks on plain timeouts are used instead of one SimPy
process per call: a peak day makes millions of calls, and a process costs several events each.

Behaviours and measures are decorators of these ports (``FileDropShipments``, ``RetryCounter``),
so the interpreter (reference/hub/interpreter.py) stays the only reader of a decision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import simpy

from reference.domain.events import Event
from reference.hub import (
    CallSystem,
    ConfirmShipment,
    DeadLetter,
    Hub,
    Message,
    PlaceOrder,
    RetryCall,
    ScheduleTimer,
    SystemCallFailed,
    SystemReplied,
)
from reference.hub.interpreter import Driver, Ports
from simulators.behavior.outcomes import CallOutcome
from simulators.behavior.schedule import Every
from simulators.systems.demand import Arrival
from simulators.systems.endpoint import SimulatedSystem


class CountingEnvironment(simpy.Environment):
    """A SimPy environment that counts the events it schedules (for ``crossdock bench``)."""

    def __init__(self, initial_time: float = 0) -> None:
        super().__init__(initial_time)
        self.scheduled = 0

    def schedule(self, event: simpy.events.Event, priority: int = 1, delay: float = 0) -> None:
        self.scheduled += 1
        super().schedule(event, priority, delay)  # type: ignore[arg-type]


class SimPorts:
    """Calls against simulated systems and timers, on ``env``'s clock.

    ``submit`` is where answers go back: the driver's, bound by ``sim_driver``.
    """

    def __init__(
        self,
        env: simpy.Environment,
        systems: Mapping[str, SimulatedSystem],
        on_event: Callable[[Event], None] = lambda _event: None,
        on_dead_letter: Callable[[DeadLetter], None] | None = None,
    ) -> None:
        self.env = env
        self.systems = systems
        self.on_event = on_event
        self.dead_letters: list[DeadLetter] = []
        self.on_dead_letter = on_dead_letter or self.dead_letters.append
        self.submit: Callable[[Message], object] = _unbound

    def publish(self, event: Event) -> None:
        self.on_event(event)

    def call(self, call: CallSystem) -> None:
        system = self.systems[call.system]
        outcome = system.begin(call, self.env.now)
        self.later(outcome.duration, lambda: system.finish(call, outcome))

    def schedule(self, timer: ScheduleTimer) -> None:
        self.at(timer.at, timer.message)

    def dead_letter(self, letter: DeadLetter) -> None:
        self.on_dead_letter(letter)

    # -- the two ways a message comes back ----------------------------------------------------
    def later(self, delay: float, message: Callable[[], Message]) -> None:
        """Hand the hub ``message()`` after ``delay``; the message is made when it is due."""
        timeout = self.env.timeout(max(0.0, delay))
        timeout.callbacks.append(lambda _event: self.submit(message()))

    def at(self, when: float, message: Message) -> None:
        """Hand the hub ``message`` at time ``when`` (now, if that has passed)."""
        timeout = self.env.timeout(max(0.0, when - self.env.now))
        timeout.callbacks.append(lambda _event: self.submit(message))


class RetryCounter:
    """Counts the retries the hub schedules; everything else passes through."""

    def __init__(self, inner: Ports) -> None:
        self.inner = inner
        self.retries = 0

    def __getattr__(self, port: str) -> object:
        # Every other port passes through, new ones too; kept, so the lookup happens once.
        forwarded = getattr(self.inner, port)
        setattr(self, port, forwarded)
        return forwarded

    def schedule(self, timer: ScheduleTimer) -> None:
        if type(timer.message) is RetryCall:
            self.retries += 1
        self.inner.schedule(timer)


class FileDropShipments:
    """WMS nodes that confirm shipments by file: the release call is acknowledged when the WMS
    answers, and its shipment confirmation waits for the hub's next poll of the drop folder.

    ``on_unconfirmed(release, -1)`` is told when the WMS has picked and ``(release, +1)`` when
    the hub reads the file: in between, the WMS's stock already shows what the hub has yet to hear.
    """

    def __init__(
        self,
        inner: SimPorts,
        polls: Mapping[str, Every],
        on_unconfirmed: Callable[[CallSystem, int], None] | None = None,
    ) -> None:
        self.inner = inner
        self.polls = dict(polls)
        self.on_unconfirmed = on_unconfirmed

    def __getattr__(self, port: str) -> object:
        # Every other port passes through, new ones too; kept, so the lookup happens once.
        forwarded = getattr(self.inner, port)
        setattr(self, port, forwarded)
        return forwarded

    def call(self, call: CallSystem) -> None:
        poll = self.polls.get(call.system) if call.operation == "release" else None
        if poll is None:
            self.inner.call(call)
            return
        system = self.inner.systems[call.system]
        outcome = system.begin(call, self.inner.env.now)
        self.inner.later(outcome.duration, lambda: self._dropped(system, call, outcome, poll))

    def _dropped(
        self, system: SimulatedSystem, call: CallSystem, outcome: CallOutcome, poll: Every
    ) -> SystemReplied | SystemCallFailed:
        reply = system.finish(call, outcome)
        if type(reply) is not SystemReplied or "lines" not in reply.body:
            return reply
        body = reply.body
        confirm = ConfirmShipment(
            call.order_id, str(call.payload["node"]), str(body["shipment_id"]), tuple(body["lines"])
        )
        hook, env = self.on_unconfirmed, self.inner.env
        if hook is not None:
            hook(call, -1)
        timeout = env.timeout(poll.next_after(env.now) - env.now)

        def read(_event: object) -> None:
            if hook is not None:
                hook(call, 1)
            self.inner.submit(confirm)

        timeout.callbacks.append(read)
        return SystemReplied(call, {"acknowledged": True})


def sim_driver(hub: Hub, ports: Ports, base: SimPorts) -> Driver:
    """A driver on ``base.env``'s clock; answers from ``base`` go back through it."""
    env = base.env
    driver = Driver(hub, ports, lambda: env.now)
    base.submit = driver.submit
    return driver


def sim_world(
    env: simpy.Environment,
    hub: Hub,
    systems: Mapping[str, SimulatedSystem],
    on_event: Callable[[Event], None] = lambda _event: None,
) -> tuple[Driver, SimPorts]:
    """The plain SimPy world: a driver and its ports, no behaviours or measures on top."""
    ports = SimPorts(env, systems, on_event)
    return sim_driver(hub, ports, ports), ports


def feed(env: simpy.Environment, driver: Driver, arrivals: Iterable[Arrival]) -> simpy.Process:
    """Start a process that places each order at its arrival time."""

    def arrive() -> simpy.events.ProcessGenerator:
        for arrival in arrivals:
            wait = arrival.time - env.now
            if wait > 0:
                yield env.timeout(wait)
            driver.submit(PlaceOrder(arrival.order, arrival.order_id, arrival.correlation_id))

    return env.process(arrive())


def _unbound(message: Message) -> None:
    raise RuntimeError(f"SimPorts got {type(message).__name__} before a driver was bound")
