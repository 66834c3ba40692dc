"""In-memory stores for the asyncio shell: the event log, dead letters and idempotency records."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from reference.domain.events import Event
from reference.domain.idempotency import IdempotencyRecord
from reference.hub import DeadLetter


@dataclass(slots=True)
class MemoryStore:
    events: list[Event] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)
    idempotency: dict[str, IdempotencyRecord] = field(default_factory=dict)

    def record(self, events: Iterable[Event]) -> None:
        self.events.extend(events)

    def events_after(self, cursor: int, limit: int = 100) -> list[Event]:
        """The feed in commit order; ``cursor`` is the number of events already read."""
        return self.events[cursor : cursor + limit]
