"""The asyncio shell: drives the hub core in wall-clock (or virtual) time with in-memory stores.

The core is synchronous; only performing a call is awaited. ``submit`` decides, records the
events, and starts each effect as a task, so the core sees one message at a time, in the order the
loop delivers them. The FastAPI service builds on this shell with durable stores.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol

from reference.domain.events import Event
from reference.domain.model import Order
from reference.hub import CallSystem, DeadLetter, Decision, Hub, Message, PlaceOrder, ScheduleTimer
from reference.service.memory import MemoryStore


class SystemsPort(Protocol):
    """Performs a call and answers with SystemReplied or SystemCallFailed.

    ``call`` must do its random draws before it returns the awaitable, so that draws happen in
    the order calls are made, as in the SimPy shell.
    """

    def call(self, call: CallSystem, now: float) -> Awaitable[Message]: ...


class Arriving(Protocol):
    """An order due at ``time`` (simulators.systems.commerce.Arrival is one)."""

    @property
    def time(self) -> float: ...
    @property
    def order_id(self) -> str: ...
    @property
    def correlation_id(self) -> str: ...
    @property
    def order(self) -> Order: ...


class AsyncShell:
    def __init__(
        self,
        hub: Hub,
        systems: SystemsPort,
        store: MemoryStore | None = None,
        on_event: Callable[[Event], None] | None = None,
    ) -> None:
        self.hub = hub
        self.systems = systems
        self.store = store if store is not None else MemoryStore()
        self.on_event = on_event
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return asyncio.get_running_loop()

    def submit(self, message: Message) -> Decision:
        decision = self.hub.decide(message, self.loop.time())
        self.store.record(decision.events)
        if self.on_event is not None:
            for event in decision.events:
                self.on_event(event)
        for effect in decision.effects:
            if type(effect) is CallSystem:
                self._spawn(self._perform(self.systems.call(effect, self.loop.time())))
            elif type(effect) is ScheduleTimer:
                self._spawn(self._timer(effect))
            elif type(effect) is DeadLetter:
                self.store.dead_letters.append(effect)
        return decision

    def _spawn(self, work: Awaitable[None]) -> None:
        task: asyncio.Task[None] = self.loop.create_task(work)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _perform(self, answer: Awaitable[Message]) -> None:
        self.submit(await answer)

    async def _timer(self, timer: ScheduleTimer) -> None:
        await asyncio.sleep(max(0.0, timer.at - self.loop.time()))
        self.submit(timer.message)

    async def feed(self, arrivals: Iterable[Arriving]) -> None:
        """Place each order at its arrival time on this loop's clock."""
        for arrival in arrivals:
            wait = arrival.time - self.loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self.submit(PlaceOrder(arrival.order, arrival.order_id, arrival.correlation_id))

    async def drain(self) -> None:
        """Wait until every call and timer in flight has been answered."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks))
