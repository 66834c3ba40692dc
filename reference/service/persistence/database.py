"""Engines, migrations and transactions.

SQLite (the embedded default) runs in WAL mode with one writer per process: a thread that takes
every transaction waiting and commits them together (group commit); one that fails rolls back
alone and the others still commit. Writers therefore never wait on each other for SQLite's lock,
sleeping in its busy handler, nor on a pool connection; a batch starts with ``BEGIN IMMEDIATE``,
so a second process writing the same file waits its turn and there is no lock upgrade to
deadlock on. Readers use a second engine with deferred transactions,
so they never wait for the writer; a thread of its own copies the WAL into the file, off the
writer's commits. PostgreSQL uses one engine and a transaction per caller;
writers lock the rows they change with ``SELECT ... FOR UPDATE``.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import anyio
import orjson
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
T = TypeVar("T")
log = logging.getLogger("crossdock.service.db")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _sqlite(url: str) -> bool:
    return url.startswith("sqlite")


class _Pending:
    """One piece of work for the writer; its caller waits on ``done`` or, from an event loop,
    on ``future`` (resolved on that loop, with no thread in between)."""

    __slots__ = ("done", "error", "future", "result", "work")

    def __init__(
        self, work: Callable[[Connection], Any], future: asyncio.Future[Any] | None = None
    ) -> None:
        self.work = work
        self.done = threading.Event()
        self.future = future
        self.result: Any = None
        self.error: BaseException | None = None

    def finish(self) -> None:
        future = self.future
        if future is None:
            self.done.set()
        elif not future.get_loop().is_closed():
            future.get_loop().call_soon_threadsafe(self._resolve, future)

    def _resolve(self, future: asyncio.Future[Any]) -> None:
        if future.done():  # its caller was cancelled
            return
        if self.error is not None:
            future.set_exception(self.error)
        else:
            future.set_result(self.result)


class GroupWriter:
    """One thread that writes for the whole process, many transactions to a commit.

    ``write(work)`` blocks its caller until ``work`` has been committed (or has failed) in the
    writer's connection; ``submit(work)`` is the same for a caller on an event loop. The writer
    takes everything waiting, up to ``batch``, runs the pieces of work in one transaction and
    commits once: a failing piece gets its exception and the rest commit without it (see
    ``_commit``). If the commit itself fails, every piece gets that error (and is retried by
    ``Database.write`` where that is safe).
    """

    def __init__(self, engine: Engine, batch: int = 64) -> None:
        self.engine = engine
        self.batch = batch
        self.queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="crossdock-writer", daemon=True)
        self.thread.start()

    def write(self, work: Callable[[Connection], T]) -> T:
        if threading.current_thread() is self.thread:
            raise RuntimeError("a transaction's work cannot start another write")
        pending = _Pending(work)
        self.queue.put(pending)
        pending.done.wait()
        if pending.error is not None:
            raise pending.error
        return pending.result  # type: ignore[no-any-return]

    async def submit(self, work: Callable[[Connection], T]) -> T:
        """``write`` for a caller on an event loop: awaits the commit without holding a thread."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self.queue.put(_Pending(work, future))
        return await future

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join(30)

    def _run(self) -> None:
        with self.engine.connect() as conn:
            while True:
                first = self.queue.get()
                if first is None:
                    return
                batch = [first]
                while len(batch) < self.batch:
                    try:
                        more = self.queue.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        self.queue.put(None)  # stop after this batch
                        break
                    batch.append(more)
                self._commit(conn, batch)

    @classmethod
    def _commit(cls, conn: Connection, batch: list[_Pending]) -> None:
        """Commit the batch in one transaction. Pieces run without savepoints (two statements
        each, a sixth of a small transaction's cost): when one fails, the transaction rolls
        back, that piece gets its error, and the others run again without it. A piece's work
        is database work only and may run more than once (``Database.write`` says so)."""
        try:
            while batch:
                failed = cls._attempt(conn, batch)
                if failed is None:
                    break
                batch.remove(failed)
                failed.finish()
        finally:
            for pending in batch:
                pending.finish()

    @staticmethod
    def _attempt(conn: Connection, batch: list[_Pending]) -> _Pending | None:
        """One try at committing ``batch``: the piece that failed, or None when all committed
        (or the commit itself failed, which every piece then gets)."""
        try:
            with conn.begin():
                for pending in batch:
                    try:
                        pending.result = pending.work(conn)
                    except BaseException as error:
                        pending.error = error
                        raise _PieceFailed(pending) from error
        except _PieceFailed as failed:
            return failed.pending
        except BaseException as error:
            for pending in batch:
                pending.error = error
        return None


class _PieceFailed(Exception):
    def __init__(self, pending: _Pending) -> None:
        self.pending = pending


class Checkpointer:
    """Copies the WAL into the database file every ``every`` seconds, on its own thread and
    connection, with a PASSIVE checkpoint: it never waits for the writer or a reader. Past
    ``restart_frames`` a RESTART checkpoint finishes the copy: it holds new writes back while
    it waits for the readers of the moment (short transactions here) and copies what is left.

    Left to itself SQLite checkpoints inside the commit that takes the WAL past 1,000 pages,
    on the writer's thread, and every transaction queued behind that commit waits for the copy
    (the hub took about 8% more orders a second without it, in paired runs; see the commit).
    Here the copy runs in SQLite's C code with the GIL released, beside the writer.
    """

    def __init__(self, engine: Engine, every: float = 1.0, restart_frames: int = 4000) -> None:
        self.engine = engine
        self.every = every
        self.restart_frames = restart_frames
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="crossdock-checkpoint", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        # Connected after the first wait, not at once: two connections setting journal_mode=WAL
        # on a new file at the same moment make one fail with "database is locked", and the
        # writer's thread connects when the database does.
        connection = None
        try:
            while not self.stopping.wait(self.every):
                try:
                    if connection is None:
                        connection = self.engine.raw_connection()
                    sqlite = connection.driver_connection
                    _, frames, _ = sqlite.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()  # type: ignore[union-attr]
                    if frames > self.restart_frames:
                        # A busy writer never lets a PASSIVE checkpoint finish the WAL, so it
                        # would only grow (15 MB/s at full load): past the limit, the rest is
                        # copied with writers held back and the WAL starts again from the top.
                        sqlite.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()  # type: ignore[union-attr]
                except Exception:
                    log.exception("checkpointing the WAL failed; trying again")
        finally:
            if connection is not None:
                connection.close()

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(30)


@dataclass
class Database:
    """The writer and reader engines of one database URL."""

    url: str
    writer: Engine
    reader: Engine
    group: GroupWriter | None = None
    checkpointer: Checkpointer | None = None

    @property
    def dialect(self) -> str:
        return self.writer.dialect.name

    @classmethod
    def connect(cls, url: str, pool_size: int = 10) -> Database:
        json = {"json_serializer": dumps, "json_deserializer": orjson.loads}
        if _sqlite(url):
            sqlite = {"timeout": 60, "check_same_thread": False}
            writer = create_engine(url, connect_args=sqlite, **json)
            reader = create_engine(url, connect_args=sqlite, **json)
            _sqlite_pragmas(writer, immediate=True)
            _sqlite_pragmas(reader, immediate=False)
            return cls(url, writer, reader, GroupWriter(writer), Checkpointer(reader))
        engine = create_engine(
            url, pool_size=pool_size, max_overflow=pool_size * 2, pool_pre_ping=True, **json
        )
        return cls(url, engine, engine)

    def dispose(self) -> None:
        if self.group is not None:
            self.group.close()
        if self.checkpointer is not None:
            self.checkpointer.close()
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
                if self.group is not None:
                    return self.group.write(work)
                with self.writer.connect() as conn, conn.begin():
                    return work(conn)
            except LOST_RACE as error:
                time.sleep(_pause_or_raise(error, attempt, attempts))
        raise AssertionError("unreachable")  # pragma: no cover

    async def write_async(self, work: Callable[[Connection], T], attempts: int = 8) -> T:
        """``write`` from an event loop. On SQLite the writer thread resolves the caller's
        future itself; elsewhere the transaction runs on a worker thread."""
        group = self.group
        if group is None:
            return await anyio.to_thread.run_sync(lambda: self.write(work, attempts))
        for attempt in range(1, attempts + 1):
            try:
                return await group.submit(work)
            except LOST_RACE as error:
                await asyncio.sleep(_pause_or_raise(error, attempt, attempts))
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


def dumps(value: Any) -> str:
    """JSON text of a column's value, compact, as ``json.dumps`` would read it back."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


LOST_RACE = (IntegrityError, OperationalError, DBAPIError)


def _pause_or_raise(error: Exception, attempt: int, attempts: int) -> float:
    """How long to wait before trying a transaction that lost a race again; raises ``error``
    when it is not such a loss or the attempts are spent."""
    if attempt == attempts or not _retryable(error):
        raise error
    log.info("transaction retried (attempt %d): %s", attempt, _first_line(error))
    return 0.005 * attempt


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
        if immediate:  # the writer's commits leave the WAL to the Checkpointer
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def ping(db: Database) -> None:
    with db.reader.connect() as conn:
        conn.execute(text("SELECT 1"))
