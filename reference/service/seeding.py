"""Opening stock: an empty database gets the stock positions it is given, once.

Customers, contract prices and credit live in the ERP; the hub's own data is the stock
projection. Whoever composes the service (``crossdock serve`` seeds the demo estate) says what
the stock is and under which label; a database seeded under another label keeps its data and
says so, and a database holding stock that nobody seeded is never touched.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import insert, select

from reference.domain.availability import Inventory
from reference.service.persistence import tables as t
from reference.service.persistence.database import Database

log = logging.getLogger("crossdock.service.seed")


def seed_stock(db: Database, stock: Inventory, label: str) -> bool:
    """Seed an empty database with ``stock``; returns whether this call did it."""

    def work(conn: Any) -> bool:
        meta = t.service_meta
        found = conn.execute(select(meta.c.value).where(meta.c.name == "demo_seed")).first()
        if found is not None:
            if found.value != label:
                log.warning("database holds stock seeded as %s, not %s", found.value, label)
            return False
        if conn.execute(select(t.inventory_positions.c.sku).limit(1)).first() is not None:
            return False  # real data, not ours to touch
        conn.execute(insert(meta).values(name="demo_seed", value=label))
        rows = [
            {
                "node": node,
                "sku": sku,
                "on_hand": p.on_hand,
                "allocated": p.allocated,
                "quarantined": p.quarantined,
                "safety_stock": p.safety_stock,
                "in_transit": p.in_transit,
            }
            for (node, sku), p in stock.items()
        ]
        conn.execute(insert(t.inventory_positions), rows)
        return True

    seeded = db.write(work)
    if seeded:
        log.info("seeded the opening stock %s", label)
    return seeded
