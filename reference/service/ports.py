"""The asyncio world's ports: the hub's effects as tasks on a running loop, kept in memory.

A call is started through a ``SystemsPort`` (which draws its outcome before it returns, so draws
happen in call order) and awaited in a task; a timer is a task that sleeps until it is due. The
answer goes back through the driver. On a ``VirtualTimeLoop`` (reference/service/clock.py) a
day of traffic runs in seconds. The service keeps the same promises durably instead
(reference/service/runtime.py); these ports keep them in memory, for tests and in-process runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol

from reference.domain.events import Event
from reference.domain.model import Order
from reference.hub import CallSystem, DeadLetter, Hub, Message, PlaceOrder, ScheduleTimer
from reference.hub.interpreter import Driver


class SystemsPort(Protocol):
    """Performs a call and answers with SystemReplied or SystemCallFailed.

    ``call`` must do its random draws before it returns the awaitable, so that draws happen in
    the order calls are made, as in the SimPy world.
    """

    def call(self, call: CallSystem, now: float) -> Awaitable[Message]: ...


class AnsweringAtOnce(Protocol):
    """A SystemsPort whose systems take no time (``answers_at_once``): ``answer`` draws and
    gives the reply now, so the durable hub decides it in the transaction that made the call."""

    answers_at_once: bool

    def answer(self, call: CallSystem, now: float) -> Message: ...


def at_once(systems: SystemsPort) -> Callable[[CallSystem, float], Message] | None:
    """``systems.answer`` if the port answers at once, else None."""
    if getattr(systems, "answers_at_once", False):
        return systems.answer  # type: ignore[attr-defined,no-any-return]
    return None


class Arriving(Protocol):
    """An order due at ``time`` (simulators.systems.demand.Arrival is one)."""

    @property
    def time(self) -> float: ...
    @property
    def order_id(self) -> str: ...
    @property
    def correlation_id(self) -> str: ...
    @property
    def order(self) -> Order: ...


class AsyncPorts:
    def __init__(
        self, systems: SystemsPort, on_event: Callable[[Event], None] | None = None
    ) -> None:
        self.systems = systems
        self.events: list[Event] = []
        self.on_event = on_event or self.events.append
        self.dead_letters: list[DeadLetter] = []
        self.submit: Callable[[Message], object] = _unbound
        self._tasks: set[asyncio.Task[None]] = set()

    def publish(self, event: Event) -> None:
        self.on_event(event)

    def call(self, call: CallSystem) -> None:
        loop = asyncio.get_running_loop()
        self._spawn(self._answer(self.systems.call(call, loop.time())))

    def schedule(self, timer: ScheduleTimer) -> None:
        self._spawn(self._fire(timer))

    def dead_letter(self, letter: DeadLetter) -> None:
        self.dead_letters.append(letter)

    def _spawn(self, work: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(work)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer(self, answer: Awaitable[Message]) -> None:
        self.submit(await answer)

    async def _fire(self, timer: ScheduleTimer) -> None:
        await asyncio.sleep(max(0.0, timer.at - asyncio.get_running_loop().time()))
        self.submit(timer.message)

    async def drain(self) -> None:
        """Wait until every call and timer in flight has been answered."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks))


def async_driver(hub: Hub, ports: AsyncPorts) -> Driver:
    """A driver on the running loop's clock; answers from ``ports`` go back through it."""
    driver = Driver(hub, ports, lambda: asyncio.get_running_loop().time())
    ports.submit = driver.submit
    return driver


async def feed(driver: Driver, arrivals: Iterable[Arriving]) -> None:
    """Place each order at its arrival time on the running loop's clock."""
    loop = asyncio.get_running_loop()
    for arrival in arrivals:
        wait = arrival.time - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        driver.submit(PlaceOrder(arrival.order, arrival.order_id, arrival.correlation_id))


def _unbound(message: Message) -> None:
    raise RuntimeError(f"AsyncPorts got {type(message).__name__} before a driver was bound")
