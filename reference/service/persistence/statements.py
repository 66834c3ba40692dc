"""The statements of the hub's transaction, built once and run with parameters.

SQLAlchemy builds, keys and compiles a statement object each time one is written inline
(``select(...).where(...)``): at load that was about three quarters of the writer thread, the
database itself about a sixth. A statement built once here keeps its cache key, so each run is a
compiled-cache hit and only binds parameters. ``LOCKED`` has the ``FOR UPDATE`` twin of every
read a PostgreSQL writer locks (SQLite's writer holds the whole file from ``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

from sqlalchemy import Delete, Insert, Select, Update, bindparam, delete, insert, select, update

from reference.service.persistence import tables as t

_o, _n, _p, _x = t.orders, t.order_numbers, t.inventory_positions, t.customer_exposure
_s, _b, _e = t.event_streams, t.backorders, t.pending_effects

SAGA: Select = select(_o.c.saga).where(_o.c.order_id == bindparam("order_id"))  # type: ignore[type-arg]
QUEUES: Select = (  # type: ignore[type-arg]
    select(_b)
    .where(_b.c.sku.in_(bindparam("skus", expanding=True)))
    .order_by(_b.c.order_id, _b.c.sku)
)
PLACES: Select = select(_b).where(_b.c.order_id.in_(bindparam("order_ids", expanding=True)))  # type: ignore[type-arg]
ORDER_NUMBER: Select = select(_n.c.order_id).where(  # type: ignore[type-arg]
    _n.c.customer_id == bindparam("customer_id"), _n.c.order_number == bindparam("order_number")
)
EXPOSURE: Select = select(_x.c.open_value).where(_x.c.customer_id == bindparam("customer_id"))  # type: ignore[type-arg]
POSITIONS: Select = (  # type: ignore[type-arg]
    select(_p)
    .where(_p.c.node == bindparam("node"), _p.c.sku.in_(bindparam("skus", expanding=True)))
    .order_by(_p.c.node, _p.c.sku)
)
STREAM: Select = select(_s.c.count).where(_s.c.subject == bindparam("subject"))  # type: ignore[type-arg]

LOCKED: dict[Select, Select] = {  # type: ignore[type-arg]
    query: query.with_for_update() for query in (SAGA, QUEUES, PLACES, EXPOSURE, POSITIONS, STREAM)
}

# Writes take their values from the parameters; a SET parameter is named apart from its column.
INSERT_ORDER: Insert = insert(_o)
UPDATE_ORDER: Update = (
    update(_o)
    .where(_o.c.order_id == bindparam("key_order_id"))
    .values(state=bindparam("new_state"), saga=bindparam("new_saga"), updated_at=bindparam("now"))
)
INSERT_ORDER_NUMBER: Insert = insert(_n)
INSERT_POSITION: Insert = insert(_p)
UPDATE_POSITION: Update = (
    update(_p)
    .where(_p.c.node == bindparam("key_node"), _p.c.sku == bindparam("key_sku"))
    .values(
        on_hand=bindparam("new_on_hand"),
        allocated=bindparam("new_allocated"),
        quarantined=bindparam("new_quarantined"),
        safety_stock=bindparam("new_safety_stock"),
        in_transit=bindparam("new_in_transit"),
    )
)
INSERT_EXPOSURE: Insert = insert(_x)
UPDATE_EXPOSURE: Update = (
    update(_x)
    .where(_x.c.customer_id == bindparam("key_customer_id"))
    .values(open_value=bindparam("new_open_value"))
)
INSERT_STREAM: Insert = insert(_s)
UPDATE_STREAM: Update = (
    update(_s).where(_s.c.subject == bindparam("key_subject")).values(count=bindparam("new_count"))
)
INSERT_BACKORDER: Insert = insert(_b)
DELETE_BACKORDER: Delete = delete(_b).where(
    _b.c.sku == bindparam("key_sku"), _b.c.order_id == bindparam("key_order_id")
)
INSERT_EFFECT: Insert = insert(_e)
DELETE_EFFECT: Delete = delete(_e).where(_e.c.id == bindparam("key_id"))
INSERT_OUTBOX: Insert = insert(t.outbox)
INSERT_DEAD_LETTER: Insert = insert(t.dead_letters)
INSERT_SHIPMENT: Insert = insert(t.shipments)
INSERT_INVOICE: Insert = insert(t.invoices)
