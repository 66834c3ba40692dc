"""The durable world's ports: a decision carried out as rows of its own transaction.

    publish       an outbox row per event (the relay delivers them after commit)
    call          a pending_effects row of kind "call", due now; or, when the systems answer at
                  once, a call the store answers in this same transaction (``at_once``)
    schedule      a pending_effects row of kind "timer", due at the timer's time
    dead_letter   a dead_letters row

Rows a ``Claim`` covers are inserted already leased to the process that will perform them right
after commit (``RowPorts.claimed``); any other row waits for a worker. Nothing is performed here:
a row is a promise that survives a crash, and the asyncio adapter keeps it.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from reference.domain.events import Event
from reference.hub import CallSystem, DeadLetter, ExpireBackorders, RetryCall, ScheduleTimer
from reference.service.persistence import statements as sql
from reference.service.persistence.codec import dump_call, dump_timer_message
from reference.service.persistence.driver import execute
from reference.service.timebase import unix_time

log = logging.getLogger("crossdock.service.hub")
OUTBOX_LOCK = 4242002  # PostgreSQL: outbox rows become visible in seq order (see flush)

ClaimRule = Callable[[CallSystem | ScheduleTimer], bool]


@dataclass(frozen=True)
class Claim:
    """Effects the caller performs itself right after commit: inserted already leased to it."""

    owner: str
    lease: float
    rule: ClaimRule = lambda _effect: True


@dataclass(frozen=True)
class Claimed:
    """A row this process leased at insert, and the effect it holds."""

    effect_id: int
    effect: CallSystem | ScheduleTimer


class RowPorts:
    """Ports that write; ``flush`` inserts the outbox rows in one statement at the end."""

    def __init__(
        self,
        conn: Connection,
        postgres: bool,
        now_wall: float,
        claim: Claim | None,
        *,
        at_once: bool = False,
    ) -> None:
        self.conn = conn
        self.postgres = postgres
        self.now_wall = now_wall
        self.claim = claim
        self.events: list[Event] = []
        self.claimed: list[Claimed] = []
        self.unclaimed = 0  # rows left for a worker
        # With systems that answer at once, calls wait here for the store to answer them in
        # this transaction (or to ``keep`` them as rows).
        self.answers_at_once = at_once
        self.at_once: deque[CallSystem] = deque()

    def publish(self, event: Event) -> None:
        self.events.append(event)

    def call(self, call: CallSystem) -> None:
        if self.answers_at_once:
            self.at_once.append(call)
        else:
            self.keep(call)

    def keep(self, call: CallSystem) -> None:
        """The call as a pending_effects row, performed after commit."""
        self._pending(call, "call", call.call_id, call.order_id, dump_call(call), self.now_wall)

    def schedule(self, timer: ScheduleTimer) -> None:
        inner = timer.message
        call = inner.call if isinstance(inner, RetryCall) else None
        order_id = inner.order_id if isinstance(inner, ExpireBackorders) else ""
        self._pending(
            timer,
            "timer",
            call.call_id if call else "",
            call.order_id if call else order_id,
            dump_timer_message(inner),
            unix_time(timer.at),
        )

    def dead_letter(self, letter: DeadLetter) -> None:
        execute(
            self.conn,
            sql.INSERT_DEAD_LETTER,
            {
                "call_id": letter.call.call_id,
                "order_id": letter.call.order_id,
                "reason": letter.reason,
                "call": dump_call(letter.call),
                "correlation_id": letter.call.correlation_id,
                "created_at": self.now_wall,
            },
        )
        log.warning("dead-lettered %s: %s", letter.call.call_id, letter.reason)

    def _pending(
        self,
        effect: CallSystem | ScheduleTimer,
        kind: str,
        call_id: str,
        order_id: str,
        payload: dict[str, Any],
        due_at: float,
    ) -> None:
        claim = self.claim
        mine = claim is not None and claim.rule(effect)
        row = {
            "kind": kind,
            "call_id": call_id,
            "order_id": order_id,
            "payload": payload,
            "due_at": due_at,
            "attempts": 1 if mine else 0,
            "claimed_by": claim.owner if mine and claim else None,
            # A claimed timer is held until it is due, and for a lease after that.
            "claimed_until": max(due_at, self.now_wall) + claim.lease if mine and claim else None,
            "created_at": self.now_wall,
        }
        effect_id = execute(self.conn, sql.INSERT_EFFECT, row).inserted_primary_key[0]
        if mine:
            self.claimed.append(Claimed(int(effect_id), effect))
        else:
            self.unclaimed += 1

    def flush(self) -> None:
        """Insert the outbox rows; on PostgreSQL, in commit order (see the lock's comment)."""
        if not self.events:
            return
        if self.postgres:
            # Sequence values are handed out at insert, not at commit. Holding this lock until
            # commit makes outbox seq order the commit order, so a reader paging by seq never
            # skips a row that commits late.
            self.conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": OUTBOX_LOCK})
        execute(
            self.conn,
            sql.INSERT_OUTBOX,
            [
                {
                    "event_id": e.id,
                    "type": e.type.value,
                    "subject": e.subject,
                    "correlation_id": e.correlation_id,
                    "payload": e.to_cloudevent(),
                    "created_at": self.now_wall,
                }
                for e in self.events
            ],
        )
