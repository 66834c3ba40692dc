"""Engines, migrations and transactions.

SQLite (the embedded default) runs in WAL mode; every writing transaction starts with ``BEGIN
IMMEDIATE``, so two writers never interleave and there is no lock upgrade to deadlock on. Readers
use a second engine with deferred transactions, so they never wait for the writer. PostgreSQL uses
one engine; writers lock the rows they change with ``SELECT ... FOR UPDATE``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
T = TypeVar("T")
log = logging.getLogger("crossdock.service.db")


class Conflict(Exception):
    """A transaction lost a race it cannot retry by itself (a unique key another writer took)."""


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _sqlite(url: str) -> bool:
    return url.startswith("sqlite")


@dataclass
class Database:
    """The writer and reader engines of one database URL."""

    url: str
    writer: Engine
    reader: Engine

    @property
    def dialect(self) -> str:
        return self.writer.dialect.name

    @classmethod
    def connect(cls, url: str, pool_size: int = 10) -> Database:
        if _sqlite(url):
            writer = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})
            reader = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})
            _sqlite_pragmas(writer, immediate=True)
            _sqlite_pragmas(reader, immediate=False)
            return cls(url, writer, reader)
        engine = create_engine(
            url, pool_size=pool_size, max_overflow=pool_size * 2, pool_pre_ping=True
        )
        return cls(url, engine, engine)

    def dispose(self) -> None:
        self.writer.dispose()
        if self.reader is not self.writer:
            self.reader.dispose()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.reader.connect() as conn, conn.begin():
            yield conn

    def write(self, work: Callable[[Connection], T], attempts: int = 8) -> T:
        """Run ``work`` in one transaction; retried from scratch when the database says the
        transaction lost a race (deadlock, serialization failure, a unique key taken meanwhile).
        ``work`` must therefore do nothing but database work."""
        for attempt in range(1, attempts + 1):
            try:
                with self.writer.connect() as conn, conn.begin():
                    return work(conn)
            except Conflict:
                raise
            except (IntegrityError, OperationalError, DBAPIError) as error:
                if attempt == attempts or not _retryable(error):
                    raise
                log.info("transaction retried (attempt %d): %s", attempt, _first_line(error))
                time.sleep(0.005 * attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def upgrade(self) -> None:
        with self.writer.connect() as conn:
            config = alembic_config(self.url)
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            conn.commit()

    def at_head(self) -> bool:
        head = ScriptDirectory.from_config(alembic_config(self.url)).get_current_head()
        with self.reader.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
        return current == head


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0][:200]


def _retryable(error: Exception) -> bool:
    if isinstance(error, IntegrityError):
        return True  # a row another writer inserted first: the retry sees it
    code = getattr(getattr(error, "orig", None), "sqlstate", None)
    if code in ("40001", "40P01", "55P03"):  # serialization failure, deadlock, lock not available
        return True
    message = str(error).lower()
    return "database is locked" in message or "deadlock" in message


def _sqlite_pragmas(engine: Engine, immediate: bool) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let the "begin" hook below start transactions
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def ping(db: Database) -> None:
    with db.reader.connect() as conn:
        conn.execute(text("SELECT 1"))
