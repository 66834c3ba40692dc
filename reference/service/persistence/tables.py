"""The service's tables. Everything the hub needs to resume after a crash is a row here.

Times are unix seconds (float). JSON columns hold only JSON values; Decimals are strings.
The migrations in reference/service/migrations create exactly these tables; a change here needs
a new migration.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

metadata = MetaData()

orders = Table(
    "orders",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("order_id", String(64), nullable=False, unique=True),
    Column("customer_id", String(64), nullable=False, index=True),
    Column("order_number", String(64), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("state", String(24), nullable=False, index=True),
    Column("correlation_id", String(128), nullable=False),
    Column("saga", JSON, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    sqlite_autoincrement=True,
)

# The hub's duplicate rule: one accepted-for-checking order per (customer, order number).
order_numbers = Table(
    "order_numbers",
    metadata,
    Column("customer_id", String(64), primary_key=True),
    Column("order_number", String(64), primary_key=True),
    Column("order_id", String(64), nullable=False),
)

inventory_positions = Table(
    "inventory_positions",
    metadata,
    Column("node", String(64), primary_key=True),
    Column("sku", String(64), primary_key=True),
    Column("on_hand", Integer, nullable=False, default=0),
    Column("allocated", Integer, nullable=False, default=0),
    Column("quarantined", Integer, nullable=False, default=0),
    Column("safety_stock", Integer, nullable=False, default=0),
    Column("in_transit", Integer, nullable=False, default=0),
)

customer_exposure = Table(
    "customer_exposure",
    metadata,
    Column("customer_id", String(64), primary_key=True),
    Column("open_value", String(40), nullable=False),
)

# Per-subject event counters for events that are not about an order (stock positions).
event_streams = Table(
    "event_streams",
    metadata,
    Column("subject", String(200), primary_key=True),
    Column("count", Integer, nullable=False),
)

# Orders waiting for stock of a SKU (HubState.waiting): a receipt of the SKU reads its queue.
backorders = Table(
    "backorders",
    metadata,
    Column("sku", String(64), primary_key=True),
    Column("order_id", String(64), primary_key=True, index=True),
    Column("received_at", Float, nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("scope", String(200), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("resource_id", String(64), nullable=False),
    Column("status", String(16), nullable=False),  # in_flight | completed
    Column("owner", String(64), nullable=False),
    Column("response_status", Integer),
    Column("response_body", Text),
    Column("created_at", Float, nullable=False, index=True),  # expiry scans by age (0002)
    Column("locked_until", Float, nullable=False),
)

outbox = Table(
    "outbox",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(200), nullable=False, unique=True),
    Column("type", String(64), nullable=False),
    Column("subject", String(200), nullable=False, index=True),
    Column("correlation_id", String(128), nullable=False, index=True),
    Column("payload", JSON, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("delivered_at", Float),
    # The relay's work list: only the rows not yet delivered (0004).
    Index(
        "ix_outbox_undelivered",
        "seq",
        sqlite_where=text("delivered_at IS NULL"),
        postgresql_where=text("delivered_at IS NULL"),
    ),
    sqlite_autoincrement=True,
)

# Durable effects: calls to perform and timers to fire. A row is claimed with a lease; a
# process that dies leaves a lease that expires, and another process takes the row over.
pending_effects = Table(
    "pending_effects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # call | timer
    Column("call_id", String(300), nullable=False, index=True),
    Column("order_id", String(64), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("due_at", Float, nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("claimed_by", String(64)),
    Column("claimed_until", Float),
    Column("created_at", Float, nullable=False),
    sqlite_autoincrement=True,
)

dead_letters = Table(
    "dead_letters",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("call_id", String(300), nullable=False),
    Column("order_id", String(64), nullable=False, index=True),
    Column("reason", Text, nullable=False),
    Column("call", JSON, nullable=False),
    Column("correlation_id", String(128), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("replayed_at", Float),
    sqlite_autoincrement=True,
)

invoices = Table(
    "invoices",
    metadata,
    Column("invoice_id", String(128), primary_key=True),
    Column("order_id", String(64), nullable=False, index=True),
    Column("shipment_id", String(128), nullable=False),
    Column("customer_id", String(64), nullable=False),
    Column("body", JSON, nullable=False),
    Column("created_at", Float, nullable=False),
)

shipments = Table(
    "shipments",
    metadata,
    Column("shipment_id", String(128), primary_key=True),
    Column("order_id", String(64), nullable=False, index=True),
    Column("node", String(64), nullable=False),
    Column("carrier", String(64)),
    Column("units", Integer, nullable=False),
    Column("lines", JSON, nullable=False),
    Column("created_at", Float, nullable=False),
)

service_meta = Table(
    "service_meta",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

__all__ = [
    "backorders",
    "customer_exposure",
    "dead_letters",
    "event_streams",
    "idempotency_keys",
    "inventory_positions",
    "invoices",
    "metadata",
    "order_numbers",
    "orders",
    "outbox",
    "pending_effects",
    "service_meta",
    "shipments",
]
