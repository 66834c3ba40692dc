"""Simulated systems inside an asyncio process: the asyncio shell's port to the system models.

Each call takes its behaviour's time on the running loop (wall clock in the service, virtual time
in ``twin``), then the model answers. Systems that take no time at all (``at_once``: every
behaviour instant, as ``crossdock bench`` serves them) also answer through ``answer``, at once,
so the durable hub decides the reply in the transaction that made the call.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Mapping

from reference.hub import CallSystem, Message
from simulators.systems.endpoint import SimulatedSystem


class InProcessSystems:
    def __init__(self, systems: Mapping[str, SimulatedSystem], *, at_once: bool = False) -> None:
        self.systems = systems
        self.answers_at_once = at_once
        # ``answer`` runs on the store's writer thread, ``call`` on the loop: one model at a time.
        self._lock = threading.Lock()

    def call(self, call: CallSystem, now: float) -> Awaitable[Message]:
        system = self.systems[call.system]
        with self._lock:
            outcome = system.begin(call, now)  # draw now, in call order

        async def answer() -> Message:
            await asyncio.sleep(outcome.duration)
            with self._lock:
                return system.finish(call, outcome)

        return answer()

    def answer(self, call: CallSystem, now: float) -> Message:
        """The reply at once: only for systems that take no time (``at_once``)."""
        if not self.answers_at_once:
            raise RuntimeError("these systems take time; answer through call()")
        system = self.systems[call.system]
        with self._lock:
            return system.finish(call, system.begin(call, now))
