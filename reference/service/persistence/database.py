"""Engines, migrations and transactions.

SQLite (the embedded default) runs in WAL mode with one writer connection per process, used on
the event loop: what the loop's tasks write during one turn of the loop commits together, in
one transaction (group commit); one that fails rolls back alone and the others still commit.
A batch starts with ``BEGIN IMMEDIATE``, so a second process writing the same file waits its
turn and there is no lock upgrade to deadlock on. Readers use a second engine with deferred
transactions, so they never wait for the writer; reads too run on the loop (``Database.run``).
A thread of its own copies the WAL into the file, off the writer's commits. PostgreSQL uses
one engine, a transaction per caller and worker threads; writers lock the rows they change
with ``SELECT ... FOR UPDATE``.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
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


RETRY_FLUSH = 0.001  # seconds: how soon the loop tries a flush again while the lock is taken


class _Pending:
    """One piece of work for the writer; a caller on an event loop awaits ``future``."""

    __slots__ = ("error", "future", "result", "work")

    def __init__(
        self, work: Callable[[Connection], Any], future: asyncio.Future[Any] | None = None
    ) -> None:
        self.work = work
        self.future = future
        self.result: Any = None
        self.error: BaseException | None = None

    def finish(self) -> None:
        future = self.future
        if future is None or future.done():  # a caller on no loop, or one that was cancelled
            return
        if self.error is not None:
            future.set_exception(self.error)
        else:
            future.set_result(self.result)


class GroupWriter:
    """The process's one writer connection, many transactions to a commit, on the event loop.

    ``submit(work)``, from an event loop, queues ``work`` and returns once it has committed (or
    failed): everything queued during one turn of the loop commits together, in one
    transaction, on the loop itself as that turn ends (group commit), up to ``batch`` pieces to
    a transaction; what is left waits one more turn, so the loop answers the requests that
    committed before it writes on (a batch of 16 orders keeps the loop about 50 ms). A failing
    piece gets its exception and the rest commit without it (see ``_commit``); if the commit
    itself fails, every piece gets that error (and is retried by ``Database.write_async``
    where that is safe). ``write(work)``, from any thread, commits ``work`` alone, at once. A
    lock keeps the connection to one transaction at a time.

    Why on the loop and not on a thread of its own: SQLite's statements take microseconds and
    run in C with the GIL released, so a writer thread gave the GIL up and asked for it back
    dozens of times per transaction; each time the loop held it, the writer waited up to the
    interpreter's 5 ms switch interval, and so did the loop after each of its own system calls.
    With both on one thread nothing waits for the GIL (see the commit for the figures).
    """

    def __init__(self, engine: Engine, batch: int = 16) -> None:
        self.engine = engine
        self.batch = batch
        self.lock = threading.Lock()
        self._connection: Connection | None = None
        self._writing: int | None = None  # the thread inside a transaction
        self._queued: dict[asyncio.AbstractEventLoop, list[_Pending]] = {}

    def write(self, work: Callable[[Connection], T]) -> T:
        if self._writing == threading.get_ident():
            raise RuntimeError("a transaction's work cannot start another write")
        pending = _Pending(work)
        self._run([pending])
        if pending.error is not None:
            raise pending.error
        return pending.result  # type: ignore[no-any-return]

    async def submit(self, work: Callable[[Connection], T]) -> T:
        """``write`` for a caller on an event loop: committed with what else this turn queued."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        queued = self._queued.get(loop)
        if queued is None:
            queued = self._queued[loop] = []
            loop.call_soon(self._flush, loop)
        queued.append(_Pending(work, future))
        return await future

    def close(self) -> None:
        with self.lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def _flush(self, loop: asyncio.AbstractEventLoop) -> None:
        # The lock is held elsewhere only briefly (a thread's own write, or the Checkpointer
        # restarting the WAL): try again in a moment rather than stop the loop meanwhile.
        if not self.lock.acquire(blocking=False):
            loop.call_later(RETRY_FLUSH, self._flush, loop)
            return
        try:
            queued = self._queued.pop(loop)
            if len(queued) > self.batch:  # the rest after the loop's next turn
                self._queued[loop] = queued[self.batch :]
                loop.call_soon(self._flush, loop)
            self._run_locked(queued[: self.batch])
        finally:
            self.lock.release()

    def _run(self, batch: list[_Pending]) -> None:
        with self.lock:
            self._run_locked(batch)

    def _run_locked(self, batch: list[_Pending]) -> None:
        self._writing = threading.get_ident()
        try:
            if self._connection is None:
                self._connection = self.engine.connect()
            self._commit(self._connection, batch)
        except BaseException as error:  # no connection: every piece gets why
            for pending in batch:
                pending.error = error
                pending.finish()
        finally:
            self._writing = None
            if self._connection is not None and self._connection.invalidated:
                self._connection.close()
                self._connection = None

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
    connection, with a PASSIVE checkpoint: it never waits for the writer or a reader.

    A busy writer never lets such a copy reach the end of the WAL, and SQLite starts the WAL
    again from the top only once a copy has: it would grow without end (24 MB/s at full load).
    Past ``restart_frames`` the thread therefore takes the ``writer`` lock (``GroupWriter``'s)
    and copies the rest, a few hundred frames, with no commit in between; the next commit then
    starts the WAL from the top. Meanwhile the loop goes on serving and its writes wait (the
    flush tries again each millisecond): 20-40 ms at full load, measured, the wait for the
    commit in progress included. SQLite's own RESTART checkpoint took 50 ms, sleeping in its
    busy handler while the loop's transactions held SQLite's lock, and a commit it held back
    stopped the whole loop in that handler.

    Left to itself SQLite checkpoints inside the commit that takes the WAL past 1,000 pages,
    on the writer's thread, and every transaction queued behind that commit waits for the copy
    (the hub took about 8% more orders a second without it, in paired runs; see the commit).
    Here the copy runs in SQLite's C code with the GIL released, beside the loop.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        writer: threading.Lock,
        every: float = 1.0,
        restart_frames: int = 4000,
    ) -> None:
        self.engine = engine
        self.writer = writer
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
                        with self.writer:  # the rest, with no commit in between
                            sqlite.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()  # type: ignore[union-attr]
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
            group = GroupWriter(writer)
            return cls(url, writer, reader, group, Checkpointer(reader, writer=group.lock))
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
        """``write`` from an event loop. On SQLite it commits with the rest of the loop's turn
        (``GroupWriter.submit``); elsewhere the transaction runs on a worker thread."""
        group = self.group
        if group is None:
            return await anyio.to_thread.run_sync(lambda: self.write(work, attempts))
        for attempt in range(1, attempts + 1):
            try:
                return await group.submit(work)
            except LOST_RACE as error:
                await asyncio.sleep(_pause_or_raise(error, attempt, attempts))
        raise AssertionError("unreachable")  # pragma: no cover

    async def run(self, func: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Blocking database work (reads, small writes) from an event loop. On SQLite it runs on
        the loop itself: its statements take microseconds, and a worker thread would trade the
        GIL with the loop for each of them (``GroupWriter`` says what that cost). Elsewhere,
        over a network, on a worker thread."""
        if self.group is not None:
            result = func(*args, **kwargs)
            await asyncio.sleep(0)  # a caller looping over run() still lets the loop turn
            return result
        return await anyio.to_thread.run_sync(partial(func, *args, **kwargs))

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
