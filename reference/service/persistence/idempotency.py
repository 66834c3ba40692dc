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

from sqlalchemy import Connection, and_, bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from reference.domain.idempotency import IdempotencyRecord, Verdict, judge
from reference.service.persistence import tables as t
from reference.service.persistence.database import Database
from reference.service.persistence.driver import execute
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


# Built once, so each use is a compiled-cache hit (see statements.py).
_k = t.idempotency_keys
_NEW_KEY = {dialect: _insert_new_key(dialect) for dialect in ("postgresql", "sqlite")}
_THIS_KEY = and_(_k.c.scope == bindparam("key_scope"), _k.c.key == bindparam("key_key"))
_THIS_KEY_IN_FLIGHT = and_(_THIS_KEY, _k.c.status == IN_FLIGHT)
_RECORD = select(_k).where(_THIS_KEY)
_TAKE_OVER = (
    update(_k)
    .where(_THIS_KEY_IN_FLIGHT, _k.c.owner == bindparam("old_owner"))
    .values(owner=bindparam("new_owner"), locked_until=bindparam("until"))
)
_COMPLETE = (
    update(_k)
    .where(_THIS_KEY_IN_FLIGHT)
    .values(
        status=COMPLETED,
        response_status=bindparam("new_status"),
        response_body=bindparam("body"),
        owner=bindparam("new_owner"),
    )
)


@dataclass(frozen=True)
class KeyedRequest:
    """A request under an Idempotency-Key, and who asks to own it for how long."""

    scope: str
    key: str
    fingerprint: str
    resource_id: str
    owner: str
    lease: float


def claim(db: Database, request: KeyedRequest) -> Ticket:
    """Own the request's key, or learn what to answer instead, in a transaction of its own."""
    return db.write(lambda conn: take(conn, request))


def take(conn: Connection, request: KeyedRequest) -> Ticket:
    """``claim`` inside the caller's transaction: whatever else that transaction writes commits
    with the key, or rolls back with it."""
    verdict = judge(request.key, request.fingerprint, None)
    if verdict is not Verdict.PROCEED:
        return Ticket(verdict, request.resource_id)
    now = wall()
    inserted = execute(
        conn,
        _NEW_KEY[conn.dialect.name],
        {
            "scope": request.scope,
            "key": request.key,
            "fingerprint": request.fingerprint,
            "resource_id": request.resource_id,
            "status": IN_FLIGHT,
            "owner": request.owner,
            "created_at": now,
            "locked_until": now + request.lease,
        },
    )
    if inserted.first() is not None:
        return Ticket(Verdict.PROCEED, request.resource_id, request.owner)
    where = {"key_scope": request.scope, "key_key": request.key}
    row = execute(conn, _RECORD, where).first()
    if row is None:  # deleted meanwhile (expired records are pruned): try again
        return Ticket(Verdict.IN_FLIGHT, request.resource_id)
    found = judge(request.key, request.fingerprint, _record(row))
    if found is Verdict.IN_FLIGHT and row.locked_until < wall():
        # Its owner died or gave up: take the key over, resuming the same resource.
        taken = execute(
            conn,
            _TAKE_OVER,
            {
                **where,
                "old_owner": row.owner,
                "new_owner": request.owner,
                "until": wall() + request.lease,
            },
        )
        if taken.rowcount == 1:
            return Ticket(Verdict.PROCEED, row.resource_id, request.owner)
    return Ticket(found, row.resource_id, row.owner, row.response_status, row.response_body)


def complete(
    db: Database, scope: str, key: str, owner: str, status: int, body: str
) -> tuple[int, str]:
    """Store the response; if another owner completed the key first, theirs is the answer."""
    return db.write(lambda conn: store(conn, scope, key, owner, status, body))


def store(
    conn: Connection, scope: str, key: str, owner: str, status: int, body: str
) -> tuple[int, str]:
    """``complete`` inside the caller's transaction."""
    where = {"key_scope": scope, "key_key": key}
    done = execute(
        conn, _COMPLETE, {**where, "new_status": status, "body": body, "new_owner": owner}
    )
    if done.rowcount == 1:
        return status, body
    row = execute(conn, _RECORD, where).one()
    return int(row.response_status), str(row.response_body)


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
