"""Backorders wait for stock: the queue of orders waiting for each SKU.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "backorders",
        sa.Column("sku", sa.String(64), primary_key=True),
        sa.Column("order_id", sa.String(64), primary_key=True),
        sa.Column("received_at", sa.Float, nullable=False),
    )
    op.create_index("ix_backorders_order_id", "backorders", ["order_id"])


def downgrade() -> None:
    op.drop_index("ix_backorders_order_id", table_name="backorders")
    op.drop_table("backorders")
