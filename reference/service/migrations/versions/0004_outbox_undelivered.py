"""The relay finds undelivered events by a partial index, not by scanning the whole outbox.

Without it each relay pass read every event ever written (delivered rows stay): under load the
relay's query took an eighth of the hub's CPU and grew with the outbox.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UNDELIVERED = sa.text("delivered_at IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_outbox_undelivered",
        "outbox",
        ["seq"],
        sqlite_where=UNDELIVERED,
        postgresql_where=UNDELIVERED,
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_undelivered", table_name="outbox")
