"""Simulated systems inside an asyncio process: the asyncio shell's port to the system models.

Each call takes its behaviour's time on the running loop (wall clock in the service, virtual time
in ``twin``), then the model answers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping

from reference.hub import CallSystem, Message
from simulators.systems.endpoint import SimulatedSystem


class InProcessSystems:
    def __init__(self, systems: Mapping[str, SimulatedSystem]) -> None:
        self.systems = systems

    def call(self, call: CallSystem, now: float) -> Awaitable[Message]:
        system = self.systems[call.system]
        outcome = system.begin(call, now)  # draw now, in call order

        async def answer() -> Message:
            await asyncio.sleep(outcome.duration)
            return system.finish(call, outcome)

        return answer()
