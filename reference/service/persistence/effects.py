"""Leases on durable effects: a row is performed by whoever holds an unexpired claim on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select, update

from reference.service.persistence import tables as t
from reference.service.persistence.database import Database
from reference.service.timebase import wall


@dataclass(frozen=True)
class ClaimedEffect:
    id: int
    kind: str
    call_id: str
    payload: dict[str, Any]
    attempts: int


def claim_due(db: Database, owner: str, lease: float, limit: int) -> list[ClaimedEffect]:
    """Lease up to ``limit`` due rows nobody holds (or whose holder's lease ran out)."""
    e = t.pending_effects

    def work(conn: Any) -> list[ClaimedEffect]:
        now = wall()
        query = (
            select(e.c.id, e.c.kind, e.c.call_id, e.c.payload, e.c.attempts)
            .where(e.c.due_at <= now, or_(e.c.claimed_until.is_(None), e.c.claimed_until < now))
            .order_by(e.c.due_at, e.c.id)
            .limit(limit)
        )
        if db.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = conn.execute(query).all()
        if not rows:
            return []
        conn.execute(
            update(e)
            .where(e.c.id.in_([r.id for r in rows]))
            .values(claimed_by=owner, claimed_until=now + lease, attempts=e.c.attempts + 1)
        )
        return [ClaimedEffect(r.id, r.kind, r.call_id, r.payload, r.attempts + 1) for r in rows]

    return db.write(work)


def claim_call(db: Database, call_id: str, owner: str, lease: float) -> ClaimedEffect | None:
    """Lease the pending row of one call, if it is free or already ours."""
    e = t.pending_effects

    def work(conn: Any) -> ClaimedEffect | None:
        now = wall()
        query = select(
            e.c.id,
            e.c.kind,
            e.c.call_id,
            e.c.payload,
            e.c.attempts,
            e.c.claimed_by,
            e.c.claimed_until,
        ).where(e.c.call_id == call_id, e.c.kind == "call")
        if db.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        for row in conn.execute(query.order_by(e.c.id)).all():
            free = row.claimed_until is None or row.claimed_until < now
            if free or row.claimed_by == owner:
                conn.execute(
                    update(e)
                    .where(e.c.id == row.id)
                    .values(claimed_by=owner, claimed_until=now + lease, attempts=e.c.attempts + 1)
                )
                return ClaimedEffect(row.id, row.kind, row.call_id, row.payload, row.attempts + 1)
        return None

    return db.write(work)


def postpone(db: Database, effect_id: int, owner: str, delay: float) -> None:
    """Give a claimed row back, to be tried again after ``delay`` seconds."""
    e = t.pending_effects
    db.write(
        lambda conn: conn.execute(
            update(e)
            .where(e.c.id == effect_id, e.c.claimed_by == owner)
            .values(claimed_by=None, claimed_until=None, due_at=wall() + delay)
        )
    )
