"""The Alembic migrations build exactly the schema the code declares in tables.py."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from reference.service.persistence.database import Database
from reference.service.persistence.tables import metadata


def test_migrations_at_head_match_the_declared_tables(database_url: str) -> None:
    db = Database.connect(database_url)
    try:
        db.upgrade()
        assert db.at_head()
        with db.reader.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        db.dispose()
    assert differences == [], f"tables.py and the migrations disagree: {differences}"


def test_upgrade_twice_is_a_no_op(database_url: str) -> None:
    db = Database.connect(database_url)
    try:
        db.upgrade()
        db.upgrade()
        assert db.at_head()
    finally:
        db.dispose()
