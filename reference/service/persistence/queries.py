"""The read side: what the API lists and shows, straight from the rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from reference.service.persistence import tables as t
from reference.service.persistence.database import Database


class BadCursor(ValueError):
    """A cursor this service did not hand out."""


def encode_cursor(seq: int) -> str:
    """The position after which the next page starts, in decimal: what the routes' pattern
    (reference/service/api/params.py CURSOR_PATTERN) documents and accepts."""
    return str(seq)


def decode_cursor(cursor: str) -> int:
    if not (cursor.isascii() and cursor.isdigit()) or len(cursor) > 18:
        raise BadCursor(f"cursor {cursor[:40]!r} was not handed out by this service")
    return int(cursor)


def order_saga(db: Database, order_id: str) -> dict[str, Any] | None:
    with db.read() as conn:
        row = conn.execute(select(t.orders.c.saga).where(t.orders.c.order_id == order_id)).first()
    return row.saga if row is not None else None


def list_orders(
    db: Database,
    *,
    after: int,
    limit: int,
    customer_id: str | None,
    state: str | None,
    channel: str | None,
    created_after: float | None,
) -> tuple[list[Any], int | None]:
    o = t.orders
    query = select(
        o.c.seq,
        o.c.order_id,
        o.c.order_number,
        o.c.customer_id,
        o.c.channel,
        o.c.state,
        o.c.correlation_id,
        o.c.created_at,
        o.c.updated_at,
    ).where(o.c.seq > after)
    if customer_id is not None:
        query = query.where(o.c.customer_id == customer_id)
    if state is not None:
        query = query.where(o.c.state == state)
    if channel is not None:
        query = query.where(o.c.channel == channel)
    if created_after is not None:
        query = query.where(o.c.created_at > created_after)
    with db.read() as conn:
        rows = conn.execute(query.order_by(o.c.seq).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].seq if more and rows else None)


def events(
    db: Database,
    *,
    after: int,
    limit: int,
    subject: str | None,
    type_: str | None,
    correlation_id: str | None,
) -> tuple[list[dict[str, Any]], int]:
    """CloudEvents after ``after`` in commit (seq) order, and the seq to continue from."""
    o = t.outbox
    query = select(o.c.seq, o.c.payload).where(o.c.seq > after)
    if subject is not None:
        query = query.where(o.c.subject == subject)
    if type_ is not None:
        query = query.where(o.c.type == type_)
    if correlation_id is not None:
        query = query.where(o.c.correlation_id == correlation_id)
    with db.read() as conn:
        rows = conn.execute(query.order_by(o.c.seq).limit(limit)).all()
    return [r.payload for r in rows], (rows[-1].seq if rows else after)


def invoice(db: Database, invoice_id: str) -> dict[str, Any] | None:
    with db.read() as conn:
        row = conn.execute(
            select(t.invoices.c.body).where(t.invoices.c.invoice_id == invoice_id)
        ).first()
    return row.body if row is not None else None


def shipments_of(db: Database, order_id: str) -> list[dict[str, Any]]:
    s = t.shipments
    with db.read() as conn:
        rows = conn.execute(
            select(s).where(s.c.order_id == order_id).order_by(s.c.created_at)
        ).all()
    return [
        {
            "shipment_id": r.shipment_id,
            "node": r.node,
            "carrier": r.carrier,
            "units": r.units,
            "lines": r.lines,
        }
        for r in rows
    ]


def positions(db: Database, sku: str) -> list[Any]:
    p = t.inventory_positions
    with db.read() as conn:
        return list(conn.execute(select(p).where(p.c.sku == sku).order_by(p.c.node)).all())


def position(db: Database, node: str, sku: str) -> Any:
    p = t.inventory_positions
    with db.read() as conn:
        return conn.execute(select(p).where(p.c.node == node, p.c.sku == sku)).first()
