"""Idempotency-Key records: the race for a key is decided by the table's primary key.

A first request inserts its in-flight record in a transaction of its own and commits before doing
any work, so whichever process inserts first owns the key; the insert does nothing when the key is
taken (``ON CONFLICT DO NOTHING``), and the same transaction then reads the record and lets
``reference.domain.idempotency.judge`` decide (replay, mismatch, in flight). An in-flight record
carries a lease: when its owner died, the lease runs out and a retry takes the key over, keeping
the resource id the first attempt chose, so the work it resumes is the same work.

Completed keys expire after the service's retention (24 hours by default, as the IETF draft
suggests clients be told): ``expire`` deletes them, and the key may then be used afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from reference.domain.idempotency import IdempotencyRecord, Verdict, judge
from reference.service.persistence import tables as t
from reference.service.persistence.database import Database
from reference.service.timebase import wall

IN_FLIGHT, COMPLETED = "in_flight", "completed"


@dataclass(frozen=True)
class Ticket:
    """What a request may do with its key: ``verdict`` PROCEED means it owns the work."""

    verdict: Verdict
    resource_id: str
    owner: str = ""
    status: int | None = None
    body: str | None = None


def _record(row: object) -> IdempotencyRecord:
    return IdempotencyRecord(
        key=row.key,
        fingerprint=row.fingerprint,  # type: ignore[attr-defined]
        completed=row.status == COMPLETED,  # type: ignore[attr-defined]
        status_code=row.response_status,
        body=row.response_body,  # type: ignore[attr-defined]
    )


def _insert_new_key(dialect: str) -> Any:
    """An INSERT that does nothing when the key is taken: the row then says who has it."""
    k = t.idempotency_keys
    if dialect == "postgresql":
        new = postgresql.insert(k).on_conflict_do_nothing(index_elements=[k.c.scope, k.c.key])
    else:
        new = sqlite.insert(k).on_conflict_do_nothing(index_elements=[k.c.scope, k.c.key])
    # RETURNING says whether the row went in (a driver's rowcount may not, for DO NOTHING)
    return new.returning(k.c.key)


def claim(
    db: Database,
    scope: str,
    key: str | None,
    fingerprint: str,
    resource_id: str,
    owner: str,
    lease: float,
) -> Ticket:
    """Own ``key`` for this request, or learn what to answer instead."""
    verdict = judge(key, fingerprint, None)
    if verdict is not Verdict.PROCEED:
        return Ticket(verdict, resource_id)
    assert key is not None
    k = t.idempotency_keys
    new_key = _insert_new_key(db.dialect)

    def take(conn: Any) -> Ticket:
        now = wall()
        inserted = conn.execute(
            new_key.values(
                scope=scope,
                key=key,
                fingerprint=fingerprint,
                resource_id=resource_id,
                status=IN_FLIGHT,
                owner=owner,
                created_at=now,
                locked_until=now + lease,
            )
        )
        if inserted.first() is not None:
            return Ticket(Verdict.PROCEED, resource_id, owner)
        return take_over(conn)

    def take_over(conn: object) -> Ticket:
        row = conn.execute(
            select(k).where(k.c.scope == scope, k.c.key == key)  # type: ignore[attr-defined]
        ).first()
        if row is None:  # deleted meanwhile (expired records are pruned): try again
            return Ticket(Verdict.IN_FLIGHT, resource_id)
        found = judge(key, fingerprint, _record(row))
        if found is Verdict.IN_FLIGHT and row.locked_until < wall():
            # Its owner died or gave up: take the key over, resuming the same resource.
            taken = conn.execute(
                update(k)
                .where(  # type: ignore[attr-defined]
                    k.c.scope == scope,
                    k.c.key == key,
                    k.c.status == IN_FLIGHT,
                    k.c.owner == row.owner,
                )
                .values(owner=owner, locked_until=wall() + lease)
            )
            if taken.rowcount == 1:
                return Ticket(Verdict.PROCEED, row.resource_id, owner)
        return Ticket(found, row.resource_id, row.owner, row.response_status, row.response_body)

    return db.write(take)


def complete(
    db: Database, scope: str, key: str, owner: str, status: int, body: str
) -> tuple[int, str]:
    """Store the response; if another owner completed the key first, theirs is the answer."""
    k = t.idempotency_keys

    def store(conn: object) -> tuple[int, str]:
        done = conn.execute(
            update(k)
            .where(  # type: ignore[attr-defined]
                k.c.scope == scope, k.c.key == key, k.c.status == IN_FLIGHT
            )
            .values(status=COMPLETED, response_status=status, response_body=body, owner=owner)
        )
        if done.rowcount == 1:
            return status, body
        row = conn.execute(select(k).where(k.c.scope == scope, k.c.key == key)).first()  # type: ignore[attr-defined]
        return int(row.response_status), str(row.response_body)

    return db.write(store)


def release(db: Database, scope: str, key: str, owner: str) -> None:
    """Give the key up without an answer (the work could not finish): a retry may resume it."""
    k = t.idempotency_keys
    db.write(
        lambda conn: conn.execute(
            update(k)
            .where(k.c.scope == scope, k.c.key == key, k.c.status == IN_FLIGHT, k.c.owner == owner)
            .values(locked_until=0.0)
        )
    )


def expire(db: Database, before: float) -> int:
    """Delete the completed keys created before ``before``; returns how many.

    In-flight keys stay: their lease, not their age, decides when a retry may take them over.
    Run often (the service does, every retention/24), each call deletes a thin slice of history.
    """
    k = t.idempotency_keys
    stale = delete(k).where(k.c.created_at < before, k.c.status == COMPLETED)
    return int(db.write(lambda conn: conn.execute(stale).rowcount))
