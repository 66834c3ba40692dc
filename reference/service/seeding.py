"""Demo data: an empty database gets the stock of ``build_estate(seed)``.

Customers, contract prices and credit live in the (simulated) ERP; the hub's own data is the
stock projection, seeded once. A database seeded with another seed keeps its data and says so.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import insert, select

from reference.service.persistence import tables as t
from reference.service.persistence.database import Database
from reference.service.systems import demo_estate

log = logging.getLogger("crossdock.service.seed")


def seed_demo(db: Database, seed: int) -> bool:
    """Seed an empty database; returns whether this call did it."""
    estate = demo_estate(seed)

    def work(conn: Any) -> bool:
        meta = t.service_meta
        found = conn.execute(select(meta.c.value).where(meta.c.name == "demo_seed")).first()
        if found is not None:
            if found.value != str(seed):
                log.warning("database holds demo data of seed %s, not %s", found.value, seed)
            return False
        if conn.execute(select(t.inventory_positions.c.sku).limit(1)).first() is not None:
            return False  # real data, not ours to touch
        conn.execute(insert(meta).values(name="demo_seed", value=str(seed)))
        rows = [
            {
                "node": node,
                "sku": sku,
                "on_hand": qty,
                "allocated": 0,
                "quarantined": 0,
                "safety_stock": 0,
                "in_transit": 0,
            }
            for node, stock in estate.stock.items()
            for sku, qty in stock.items()
        ]
        conn.execute(insert(t.inventory_positions), rows)
        return True

    seeded = db.write(work)
    if seeded:
        log.info("seeded demo stock of estate seed %d", seed)
    return seeded
